//! Opening a database file: who may create one (`Mode`), telling a
//! Shopkeeper file from another program's, a damaged one, a newer one and a
//! read-only one before a byte is written, and the safety copy before a
//! migration. A file that may not be written is looked at without locking
//! it (SQLite's `immutable`), so a read-only folder or mount is not "damage".
//! An encrypted file opens only with its passphrase (`key`), whose key is
//! derived once per opening (while the file is looked at) and handed to the
//! connection kept; a new file and its folder are made readable by their
//! owner only. Opening again what this process already opened (a
//! background reader, a job) is `reopen`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::key::{self as cipher, Passphrase};
use super::{APPLICATION_ID, MIGRATIONS, OpenError, Store, backup_path, configure, latest_version};

mod reopen;
pub(super) use reopen::reopen;

/// Whether opening may create a new, empty shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A missing or empty file becomes a new shop: the window after asking,
    /// `demo` and `import`.
    Create,
    /// Only an existing shop: a missing or empty file is refused (`check`,
    /// `export`, `backup`, background tasks).
    Existing,
}

/// What `inspect` found in a file that holds bytes.
struct Found {
    version: usize,
    /// An SQLite file without a table: nothing of a shop in it yet.
    empty: bool,
    /// Encrypted (and the passphrase given opens it).
    encrypted: bool,
    /// The key SQLCipher derived from the passphrase while looking (an
    /// encrypted file): the connections opened next take it as it is,
    /// without deriving it again (a fraction of a second each).
    derived: Option<Passphrase>,
}

impl Store {
    /// Opens (or creates) the database at `path`: `open_with(path, Mode::Create)`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, OpenError> {
        Store::open_with(path, Mode::Create)
    }

    /// Opens an existing database; a missing or empty file is refused.
    pub fn open_existing(path: impl AsRef<Path>) -> Result<Store, OpenError> {
        Store::open_with(path, Mode::Existing)
    }

    /// Opens the database at `path` (creating it when `mode` allows),
    /// refusing files that are not Shopkeeper databases without writing a
    /// byte to them, backing up an older database before migrating it, and
    /// folding a write-ahead log left by an interrupted run into the file.
    pub fn open_with(path: impl AsRef<Path>, mode: Mode) -> Result<Store, OpenError> {
        Store::open_as(path.as_ref(), mode, true, None)
    }

    /// `open_with` for a shop that may be encrypted: `key` opens an
    /// encrypted file (without it, or with a wrong one, it is refused and
    /// left untouched); a plain file opens without it.
    pub fn open_keyed(
        path: impl AsRef<Path>,
        mode: Mode,
        key: Option<&Passphrase>,
    ) -> Result<Store, OpenError> {
        Store::open_as(path.as_ref(), mode, true, key)
    }

    /// `open_with`; `fold_log` says whether to fold a left-over log into the
    /// file. A second connection to a file already open (a background task,
    /// a list's reader) does not: the first did, and a checkpoint waits for
    /// every reader of the file to catch up.
    fn open_as(
        path: &Path,
        mode: Mode,
        fold_log: bool,
        key: Option<&Passphrase>,
    ) -> Result<Store, OpenError> {
        super::setup_sqlite();
        let path = path.to_path_buf();
        let io = |e: &dyn std::fmt::Display| OpenError::Io {
            path: path.clone(),
            detail: e.to_string(),
        };
        let metadata = match std::fs::metadata(&path) {
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&e)),
        };
        let mut version = 0;
        let mut encrypted = false;
        let mut derived = None;
        match &metadata {
            None if mode == Mode::Existing => return Err(OpenError::Missing { path }),
            None => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    crate::files::create_private_dir_all(dir).map_err(|e| io(&e))?;
                }
                // Created here, owner-only, so SQLite's log files beside it are too.
                crate::files::create_private(&path).map_err(|e| io(&e))?;
            }
            Some(m) if !m.is_file() => {
                return Err(io(&"it is a folder or a device, not a file"));
            }
            Some(m) if m.len() == 0 => {
                if mode == Mode::Existing {
                    return Err(OpenError::Empty { path });
                }
            }
            Some(m) => {
                let writable = !m.permissions().readonly() && may_write(&path);
                if writable {
                    roll_back_journal(&path, key);
                }
                let found = inspect(&path, !writable, key)?;
                if found.empty && mode == Mode::Existing {
                    return Err(OpenError::Empty { path });
                }
                if !writable {
                    return Err(OpenError::ReadOnly { path });
                }
                version = found.version;
                encrypted = found.encrypted;
                derived = found.derived;
            }
        }
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| io(&e))?;
        let key = match key.filter(|_| encrypted) {
            Some(k) => {
                cipher::apply(&conn, derived.as_ref().unwrap_or(k)).map_err(|e| io(&e))?;
                Some(k)
            }
            None => None,
        };
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(OpenError::ReadOnly { path });
        }
        configure(&conn).map_err(|e| busy_or(&path, &e))?;
        if key.is_some() {
            cipher::cache(&conn).map_err(|e| io(&e))?;
        }
        // The key as SQLCipher derived it, for further connections.
        let key = key.map(|k| derived.unwrap_or_else(|| k.clone()));
        // A log left by a run that stopped (a full disk, a kill) goes into the
        // file now, so the file alone is the whole shop again. Failing that
        // (another program is reading) is harmless: it is tried next time.
        if fold_log {
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }

        let mut notices = Vec::new();
        let latest = latest_version();
        let mut copy = None;
        if version > 0 && version < latest {
            let backup = backup_path(&path, &format!("before-v{latest}"));
            super::backup::copy_to(&conn, key.as_ref(), &backup).map_err(|e| {
                OpenError::Migration {
                    path: path.clone(),
                    detail: format!("the safety copy could not be written: {e}"),
                    copy: None,
                }
            })?;
            notices.push(format!(
                "Your database was updated to this version of Shopkeeper. A copy of it as it was is kept at {}.",
                backup.display()
            ));
            copy = Some(backup);
        }
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|e| OpenError::Migration {
                path: path.clone(),
                detail: migration_detail(&e.to_string()),
                copy,
            })?;
        if version > 0 && version < latest {
            // Version 6 keys emails and SKUs beyond ASCII here, in Rust.
            super::customers::fill_email_keys(&conn)
                .and_then(|_| super::products::fill_sku_keys(&conn))
                .map_err(|e| io(&e))?;
        }
        let app_id: i32 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| io(&e))?;
        if app_id != APPLICATION_ID {
            conn.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))
                .map_err(|e| io(&e))?;
        }
        Ok(Store {
            conn,
            path,
            notices,
            read_only: false,
            key,
        })
    }

    /// Opens an existing database only to read it: nothing is migrated or
    /// written, and every write is refused. For a file the user may not
    /// change (in a read-only folder or on a read-only disk too). A file that
    /// needs an update first is refused.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store, OpenError> {
        Store::open_read_only_keyed(path, None)
    }

    /// `open_read_only` for a shop that may be encrypted (see `open_keyed`).
    pub fn open_read_only_keyed(
        path: impl AsRef<Path>,
        key: Option<&Passphrase>,
    ) -> Result<Store, OpenError> {
        super::setup_sqlite();
        let path = path.as_ref().to_path_buf();
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OpenError::Missing { path });
            }
            Ok(m) if m.is_file() && m.len() == 0 => return Err(OpenError::Empty { path }),
            _ => {}
        }
        let immutable = !may_write(&path);
        let found = inspect(&path, immutable, key)?;
        if found.empty {
            return Err(OpenError::Empty { path });
        }
        if found.version < latest_version() {
            return Err(OpenError::Io {
                path,
                detail: "it was written by an older version and must be updated before it can be read, which needs permission to write".into(),
            });
        }
        // The key as derived while looking, with the file's layout.
        let key = found.derived.as_ref().filter(|_| found.encrypted);
        let conn = read_connection(&path, immutable, key).map_err(|e| OpenError::Io {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        conn.busy_timeout(Duration::from_secs(10))
            .and_then(|()| {
                conn.execute_batch(
                    "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; PRAGMA query_only = ON;",
                )
            })
            .map_err(|e| OpenError::Io {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        if key.is_some() {
            cipher::cache(&conn).map_err(|e| OpenError::Io {
                path: path.clone(),
                detail: e.to_string(),
            })?;
            // SQLCipher derives the key on the first read.
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
                .map_err(|e| OpenError::Io {
                    path: path.clone(),
                    detail: e.to_string(),
                })?;
        }
        let key = key.cloned();
        Ok(Store {
            conn,
            path,
            notices: Vec::new(),
            read_only: true,
            key,
        })
    }
}

/// A rollback journal left beside the file by a process killed mid-change
/// (while a shop was being re-written encrypted, say) is rolled back, as any
/// SQLite connection that may write does on its first read; a read-only look
/// cannot, and would take the file for damaged.
fn roll_back_journal(path: &Path, key: Option<&Passphrase>) {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    if !std::fs::metadata(PathBuf::from(journal)).is_ok_and(|m| m.len() > 0) {
        return;
    }
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return;
    };
    match key.filter(|_| cipher::looks_encrypted(path)) {
        Some(key) => {
            drop(conn);
            let open = || {
                Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
            };
            // The first read that checks the key rolls the journal back.
            let _ = cipher::unlock(open, key);
        }
        None => {
            let _ = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()));
        }
    }
}

/// Whether this process may write the file and create files beside it
/// (SQLite's `-wal` and `-shm`). False on a read-only disk, whoever asks.
#[cfg(unix)]
fn may_write(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    [path, dir].iter().all(|p| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            // SAFETY: a valid NUL-terminated string; access() only reads it.
            .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
    })
}

#[cfg(not(unix))]
fn may_write(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

/// A read-only connection. `immutable`: the file is read without locks or a
/// `-shm` file, for a folder or disk where nothing may be created. `key`
/// opens an encrypted file.
fn read_connection(
    path: &Path,
    immutable: bool,
    key: Option<&Passphrase>,
) -> rusqlite::Result<Connection> {
    let conn = read_connection_plain(path, immutable)?;
    if let Some(key) = key {
        cipher::apply(&conn, key)?;
    }
    Ok(conn)
}

fn read_connection_plain(path: &Path, immutable: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if !immutable {
        return Connection::open_with_flags(path, flags);
    }
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
}

/// The first line of a long error, cut to a sentence's length.
/// Why an update stopped, in a line: the guard of version 6 in words, else
/// SQLite's own first line.
fn migration_detail(text: &str) -> String {
    if text.contains("rows_outside_the_bounds") {
        return "it holds a price, quantity, total or order date outside what this version \
                allows (amounts up to 1,000,000,000.00, up to 1,000,000 units a line, dates \
                from 1970), which an older version let in; it was left as it was"
            .to_owned();
    }
    short(text)
}

fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_owned(),
    }
}

/// Looks at an existing file without writing to it and returns its schema
/// version, or why it must not be opened.
fn inspect(path: &Path, immutable: bool, key: Option<&Passphrase>) -> Result<Found, OpenError> {
    let mut header = [0u8; 100];
    let read = std::fs::File::open(path)
        .and_then(|mut f| {
            let mut n = 0;
            while n < header.len() {
                match f.read(&mut header[n..])? {
                    0 => break,
                    k => n += k,
                }
            }
            Ok(n)
        })
        .map_err(|e| OpenError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
    let encrypted = !cipher::plain_header(&header[..read]);
    if encrypted && !cipher::looks_encrypted(path) {
        return Err(OpenError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    let key = match key {
        Some(k) if encrypted => k,
        _ if encrypted => {
            return Err(OpenError::Locked {
                path: path.to_path_buf(),
            });
        }
        _ => {
            // A plain file ignores a passphrase given for it.
            return inspect_with(path, immutable, None, read);
        }
    };
    inspect_with(path, immutable, Some(key), read)
}

/// A connection's setup failing because another program has the whole file
/// (it writes out of WAL mode, so joining it would wait on its write and
/// could not change the file's journal mode), or for another reason.
fn busy_or(path: &Path, e: &rusqlite::Error) -> OpenError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            OpenError::Busy {
                path: path.to_path_buf(),
            }
        }
        _ => OpenError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
    }
}

fn inspect_with(
    path: &Path,
    immutable: bool,
    key: Option<&Passphrase>,
    read: usize,
) -> Result<Found, OpenError> {
    let damaged = |detail: String| OpenError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    if read < 100 {
        return Err(damaged("the file is cut short".into()));
    }
    let read_err = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) if key.is_some() => OpenError::WrongPassphrase {
            path: path.to_path_buf(),
        },
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            OpenError::Busy {
                path: path.to_path_buf(),
            }
        }
        _ => damaged(e.to_string()),
    };
    let (conn, derived) = match key {
        // A wrong passphrase (or damage) shows at the first read.
        Some(key) => cipher::unlock(|| read_connection_plain(path, immutable), key)
            .map(|(conn, derived)| (conn, Some(derived)))
            .map_err(read_err)?,
        None => (
            read_connection(path, immutable, None).map_err(read_err)?,
            None,
        ),
    };
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(read_err)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(read_err)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(read_err)?;
    let foreign = || OpenError::Foreign {
        path: path.to_path_buf(),
    };
    // Ours only with our stamp; a file with tables and no stamp is another
    // program's whatever its user_version says (nothing is migrated).
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(foreign());
    }
    if app_id == 0 && (tables > 0 || version != 0) {
        return Err(foreign());
    }
    if app_id == APPLICATION_ID && tables > 0 {
        if version == 0 {
            return Err(OpenError::VersionLost {
                path: path.to_path_buf(),
            });
        }
        let ours: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table'
                 AND name IN ('customers', 'products', 'orders', 'order_items', 'stock_movements')",
                [],
                |r| r.get(0),
            )
            .map_err(read_err)?;
        if ours < 5 {
            return Err(damaged("Shopkeeper's tables are missing".into()));
        }
    }
    let version = usize::try_from(version).map_err(|_| damaged("bad schema version".into()))?;
    if version > latest_version() {
        return Err(OpenError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: latest_version(),
        });
    }
    // A full check of a big file belongs to `shopkeeper check`; a small one is
    // checked now, so damage is found before anything is written.
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size <= 64 * 1024 * 1024 {
        let result: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(read_err)?;
        if result != "ok" {
            return Err(damaged(result));
        }
    }
    Ok(Found {
        version,
        empty: tables == 0,
        encrypted: key.is_some(),
        derived,
    })
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn long_errors_are_cut_to_their_first_line() {
        let long = format!("first {}\nsecond", "x".repeat(500));
        let cut = short(&long);
        assert!(cut.ends_with('…') && cut.chars().count() == 161, "{cut}");
        assert_eq!(short("one\ntwo"), "one");
    }
}
