//! The passphrase of an encrypted shop and handing it to a connection:
//! SQLCipher (the SQLite this app is built with) encrypts every page of the
//! file with a key derived from it; this holds no cryptography of its own.
//! Also telling an encrypted file from a plain one. Deriving the key is slow
//! on purpose (SQLCipher's PBKDF2, a fraction of a second), so it is done
//! once per opening: the key SQLCipher derived (its "keyspec": raw key and
//! salt) is what further connections to the file (background tasks, list
//! readers) and its backups get.

use std::io::Read;
use std::os::raw::{c_int, c_void};
use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection;
use zeroize::Zeroizing;

/// A passphrase as typed, or the key SQLCipher derived from one. Its text is
/// wiped when the last copy is dropped; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(Arc<Zeroizing<String>>);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(hidden)")
    }
}

impl Passphrase {
    /// Takes what the user typed (a trailing line break is not part of it).
    pub fn new(text: impl Into<String>) -> Passphrase {
        let mut text = Zeroizing::new(text.into());
        while text.ends_with('\n') || text.ends_with('\r') {
            text.pop();
        }
        Passphrase(Arc::new(text))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many characters it has.
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    pub(super) fn text(&self) -> &str {
        &self.0
    }
}

/// Whether the bytes at the start of a file are SQLite's plain header.
pub(super) fn plain_header(header: &[u8]) -> bool {
    header.len() >= 16 && &header[..16] == b"SQLite format 3\0"
}

/// Whether `path` looks like an encrypted database: not SQLite's plain
/// header, and whole pages (an encrypted file looks like random bytes
/// otherwise, so only its passphrase can tell for sure).
pub fn looks_encrypted(path: &Path) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let mut header = [0u8; 16];
    if len < 1024 || len % 512 != 0 || f.read_exact(&mut header).is_err() {
        return false;
    }
    !plain_header(&header)
}

// SQLCipher's own functions (in the SQLite this crate is built with): the
// key a connection derived, as a "keyspec" that opens the same file without
// deriving it again, and freeing (and wiping) what it returned.
unsafe extern "C" {
    fn sqlcipherCodecGetKey(
        db: *mut rusqlite::ffi::sqlite3,
        n_db: c_int,
        key: *mut *mut c_void,
        n_key: *mut c_int,
    );
    fn sqlcipher_free(ptr: *mut c_void, n: u64);
}

/// The page cache of a connection to an encrypted file, in KiB (SQLite's
/// negative `cache_size`). A page read from the file is decrypted and its
/// HMAC checked, several times the cost of a plain read, so an encrypted
/// connection keeps more decrypted pages than a plain one (32 MB) keeps.
pub(super) const CACHE_KIB: i64 = 128_000;

/// Sets the bigger page cache of an encrypted connection (see [`CACHE_KIB`]).
pub(super) fn cache(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!("PRAGMA cache_size = -{CACHE_KIB}"))
}

/// Hands `key` to a new connection, before it reads anything.
pub(super) fn apply(conn: &Connection, key: &Passphrase) -> rusqlite::Result<()> {
    // SQLCipher would print a wrong passphrase's failed page checks on the
    // terminal; the error we return says it in words instead.
    conn.query_row("PRAGMA cipher_log_level = NONE", [], |_| Ok(()))
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(()),
            e => Err(e),
        })?;
    let text = key.text().as_bytes();
    let len = c_int::try_from(text.len()).map_err(|_| rusqlite::Error::InvalidQuery)?;
    // SAFETY: the handle is this open connection's; SQLCipher copies the key.
    let rc = unsafe { rusqlite::ffi::sqlite3_key(conn.handle(), text.as_ptr().cast(), len) };
    if rc != rusqlite::ffi::SQLITE_OK {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rc),
            Some("the passphrase could not be applied".into()),
        ));
    }
    Ok(())
}

/// The key `conn` derived for its main database (after it has read it), to
/// open the same file again without deriving it; None for a plain file.
pub(super) fn derived(conn: &Connection) -> Option<Passphrase> {
    let mut ptr: *mut c_void = std::ptr::null_mut();
    let mut len: c_int = 0;
    // SAFETY: the handle is this open connection's; SQLCipher allocates the
    // copy it returns, which is read once and given back to sqlcipher_free.
    unsafe {
        sqlcipherCodecGetKey(conn.handle(), 0, &mut ptr, &mut len);
        if ptr.is_null() {
            return None;
        }
        let n = usize::try_from(len).unwrap_or(0);
        let bytes = std::slice::from_raw_parts(ptr.cast::<u8>(), n);
        let text = Zeroizing::new(String::from_utf8_lossy(bytes).into_owned());
        sqlcipher_free(ptr, u64::try_from(n).unwrap_or(0));
        Some(Passphrase(Arc::new(text)))
    }
}

/// Whether SQLite said the file is not a database (a wrong passphrase, for
/// an encrypted one).
pub(super) fn not_a_database(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase)
}
