//! The passphrase of an encrypted shop and handing it to a connection:
//! SQLCipher (the SQLite this app is built with) encrypts every page of the
//! file with a key derived from it; this holds no cryptography of its own.
//! Also telling an encrypted file from a plain one. Deriving the key is slow
//! on purpose (SQLCipher's PBKDF2, a fraction of a second), so it is done
//! once per opening: the key SQLCipher derived (its "keyspec": raw key and
//! salt) is what further connections to the file (background tasks, list
//! readers) and its backups get, with the file's `Layout`: a shop encrypted
//! by this version checks its pages with HMAC-SHA256, one encrypted by an
//! earlier version with SQLCipher 4's default HMAC-SHA512; a file does not
//! say which, so opening tries this version's, then the earlier one.

use std::io::Read;
use std::os::raw::{c_int, c_void};
use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection;
use zeroize::Zeroizing;

/// A passphrase as typed, or the key SQLCipher derived from one. Its text is
/// wiped when the last copy is dropped; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(Arc<Zeroizing<String>>, Option<Layout>);

/// How an encrypted file's pages are checked. Everything else is
/// SQLCipher 4's default: AES-256 per 4 KB page, and the key derived from
/// the passphrase with PBKDF2-HMAC-SHA512, 256,000 rounds (slow on purpose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    /// Written by this version: each page read is checked with HMAC-SHA256,
    /// which a CPU with SHA extensions computes in about half the time of
    /// HMAC-SHA512 (the page check is most of an encrypted read's cost).
    Sha256,
    /// SQLCipher 4's defaults (HMAC-SHA512), which earlier versions wrote.
    Sqlcipher4,
}

impl Layout {
    /// What a new encrypted file gets.
    pub(super) const NEW: Layout = Layout::Sha256;

    /// The settings of database `schema` of a connection, after its key.
    pub(super) fn pragmas(self, schema: &str) -> String {
        let hmac = match self {
            Layout::Sha256 => "HMAC_SHA256",
            Layout::Sqlcipher4 => "HMAC_SHA512",
        };
        format!("PRAGMA {schema}.cipher_hmac_algorithm = {hmac};")
    }

    fn other(self) -> Layout {
        match self {
            Layout::Sha256 => Layout::Sqlcipher4,
            Layout::Sqlcipher4 => Layout::Sha256,
        }
    }
}

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
        Passphrase(Arc::new(text), None)
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

    /// The layout of the file this key opened (None: as typed, not tried).
    fn layout(&self) -> Layout {
        self.1.unwrap_or(Layout::NEW)
    }

    fn with_layout(&self, layout: Layout) -> Passphrase {
        Passphrase(Arc::clone(&self.0), Some(layout))
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
/// connection keeps more decrypted pages than a plain one (32 MB) keeps;
/// except a background job's, which reads its pages about once
/// (`Store::read_once`).
pub(super) const CACHE_KIB: i64 = 128_000;

/// Sets the bigger page cache of an encrypted connection (see [`CACHE_KIB`]).
pub(super) fn cache(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!("PRAGMA cache_size = -{CACHE_KIB}"))
}

/// Hands `key` to a new connection, before it reads anything, with the
/// layout of the file it opened (this version's for a key as typed).
pub(super) fn apply(conn: &Connection, key: &Passphrase) -> rusqlite::Result<()> {
    apply_as(conn, key, key.layout())
}

/// Opens an encrypted file with `key` on a connection `open` makes: the
/// first read checks the key. When the pages do not check out under the
/// key's layout, the other layout is tried on a new connection with the key
/// already derived (no second derivation); if that fails too, the first
/// error is returned (a wrong passphrase). Returns the connection and the key
/// as derived, with the file's layout, for further connections.
pub(super) fn unlock(
    open: impl Fn() -> rusqlite::Result<Connection>,
    key: &Passphrase,
) -> rusqlite::Result<(Connection, Passphrase)> {
    let probe =
        |conn: &Connection| conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()));
    let first = key.layout();
    let conn = open()?;
    apply_as(&conn, key, first)?;
    let error = match probe(&conn) {
        Ok(()) => {
            let derived = derived(&conn).unwrap_or_else(|| key.clone());
            return Ok((conn, derived.with_layout(first)));
        }
        Err(e) if not_a_database(&e) => e,
        Err(e) => return Err(e),
    };
    let derived = derived(&conn).unwrap_or_else(|| key.clone());
    drop(conn);
    let second = first.other();
    let conn = open()?;
    apply_as(&conn, &derived, second)?;
    match probe(&conn) {
        Ok(()) => Ok((conn, derived.with_layout(second))),
        Err(_) => Err(error),
    }
}

fn apply_as(conn: &Connection, key: &Passphrase, layout: Layout) -> rusqlite::Result<()> {
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
    conn.execute_batch(&layout.pragmas("main"))
}

/// The key `conn` derived for its main database (after it has read it), to
/// open the same file again without deriving it; None for a plain file.
/// Its layout is not set: [`unlock`] sets it.
fn derived(conn: &Connection) -> Option<Passphrase> {
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
        Some(Passphrase(Arc::new(text), None))
    }
}

/// Whether SQLite said the file is not a database (a wrong passphrase, for
/// an encrypted one).
pub(super) fn not_a_database(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase)
}
