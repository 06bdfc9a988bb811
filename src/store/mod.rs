//! Everything SQLite: opening a file safely, the per-connection settings, the
//! migrations, backups, and one file (or folder) of free functions per area.
//! The areas depend one way: each writes the change log (`changelog`, which
//! depends on no area), and `undo` asks each area to restore its own rows.
//! No other layer holds an SQL string.

pub mod backup;
pub mod bulk;
pub mod changelog;
pub mod check;
pub mod codes;
pub mod customers;
pub mod orders;
pub mod products;
pub mod reports;
pub mod settings;
pub mod stock;
pub mod trends;
pub mod undo;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use include_dir::{Dir, include_dir};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use rusqlite_migration::Migrations;

use crate::domain::FieldErrors;

static MIGRATIONS_DIR: Dir = include_dir!("$CARGO_MANIFEST_DIR/migrations");

/// The schema migrations, embedded at build time from `migrations/`.
pub static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    // The folder is part of the binary; a malformed one fails the `migrations_validate` test.
    Migrations::from_directory(&MIGRATIONS_DIR).unwrap_or_else(|_| Migrations::new(Vec::new()))
});

/// "SHOP" in ASCII, stamped in the SQLite header so other programs' files are told apart.
pub const APPLICATION_ID: i32 = 0x5348_4F50;

/// The schema version this build writes.
pub fn latest_version() -> usize {
    MIGRATIONS_DIR.dirs().count()
}

/// Why a database file could not be opened. Each message names the file and
/// says what the user can do next.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "{} is not a Shopkeeper database: it is not an SQLite file. Open another database, or create a new one with File > New database.",
        path.display()
    )]
    NotSqlite { path: PathBuf },
    #[error(
        "{} is an SQLite database of another program, not a Shopkeeper one. It was left untouched; open another database or create a new one.",
        path.display()
    )]
    Foreign { path: PathBuf },
    #[error(
        "{} is damaged ({detail}). It was left untouched; restore a backup or open another database.",
        path.display()
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "{} was written by a newer version of Shopkeeper (schema {found}; this version knows up to {supported}). It was left untouched; update Shopkeeper to open it.",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        supported: usize,
    },
    #[error("could not open {}: {detail}. Check that the folder exists and that you may write there.", path.display())]
    Io { path: PathBuf, detail: String },
    #[error(
        "{} cannot be changed: you may not write to it (or to its folder). You can open it read-only to look and export, or copy it somewhere you may write.",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error("could not update {} to this version of Shopkeeper: {detail}. Nothing was changed; a copy of the file is beside it.", path.display())]
    Migration { path: PathBuf, detail: String },
}

/// Errors of reads and writes on an open store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A form's fields were refused (including a duplicate email or SKU).
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error("{0} was not found; it may have been deleted in another window")]
    NotFound(String),
    /// A rule of the shop refused the change; the message says which.
    #[error("{0}")]
    Refused(String),
    #[error("the database is busy in another window or program; try again in a moment")]
    Busy,
    /// The user cancelled a long task (demo data, an export, an import);
    /// its transaction was rolled back, so nothing of it was kept.
    #[error("it was cancelled; nothing was changed")]
    Cancelled,
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::default();
        e.add(field, message);
        StoreError::Invalid(e)
    }
}

impl From<std::convert::Infallible> for StoreError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open Shopkeeper database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    notices: Vec<String>,
    /// Opened read-only: every write is refused with a clear message.
    read_only: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the database at `path`, refusing files that are not
    /// Shopkeeper databases without writing a byte to them, backing up an older
    /// database before migrating it.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, OpenError> {
        let path = path.as_ref().to_path_buf();
        let io = |e: &dyn std::fmt::Display| OpenError::Io {
            path: path.clone(),
            detail: e.to_string(),
        };
        let metadata = std::fs::metadata(&path).ok();
        let holds_bytes = metadata.as_ref().is_some_and(|m| m.len() > 0);
        let mut version = 0;
        if holds_bytes {
            version = inspect(&path)?;
            if metadata.is_some_and(|m| m.permissions().readonly()) {
                return Err(OpenError::ReadOnly { path });
            }
        } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| io(&e))?;
        }
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| io(&e))?;
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(OpenError::ReadOnly { path });
        }
        configure(&conn).map_err(|e| io(&e))?;

        let mut notices = Vec::new();
        let latest = latest_version();
        if version > 0 && version < latest {
            let backup = backup_path(&path, &format!("before-v{latest}"));
            conn.backup(rusqlite::MAIN_DB, &backup, None)
                .map_err(|e| OpenError::Migration {
                    path: path.clone(),
                    detail: format!("the safety copy could not be written: {e}"),
                })?;
            notices.push(format!(
                "Your database was updated to this version of Shopkeeper. A copy of it as it was is kept at {}.",
                backup.display()
            ));
        }
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|e| OpenError::Migration {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        if version > 0 && version < latest {
            // Version 6 keys emails and SKUs beyond ASCII here, in Rust.
            customers::fill_email_keys(&conn)
                .and_then(|_| products::fill_sku_keys(&conn))
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
        })
    }

    /// Opens an existing database only to read it: nothing is migrated or
    /// written, and every write is refused. For a file the user may not
    /// change. A file that needs an update first is refused.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store, OpenError> {
        let path = path.as_ref().to_path_buf();
        let version = inspect(&path)?;
        if version < latest_version() {
            return Err(OpenError::Io {
                path,
                detail: "it was written by an older version and must be updated before it can be read, which needs permission to write".into(),
            });
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| OpenError::Io {
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
        Ok(Store {
            conn,
            path,
            notices: Vec::new(),
            read_only: true,
        })
    }

    /// Where this store is and how it was opened, for other threads to open it alike.
    pub fn location(&self) -> Location {
        Location {
            path: self.path.clone(),
            read_only: self.read_only,
        }
    }

    /// Whether this store was opened read-only.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// An in-memory database, for tests and previews.
    pub fn open_in_memory() -> Result<Store, OpenError> {
        let path = PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|e| OpenError::Io {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        configure(&conn).map_err(|e| OpenError::Io {
            path: path.clone(),
            detail: e.to_string(),
        })?;
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|e| OpenError::Migration {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        Ok(Store {
            conn,
            path,
            notices: Vec::new(),
            read_only: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Messages from opening (a migration backup) for the user to read once.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// SQLite's `data_version`: it changes when another connection (another
    /// window, a command, a background task) commits a change to the file.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none.
    pub fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.write_as(f)
    }

    /// Like `write`, for callers with their own error type (imports): an error
    /// of any kind rolls the whole transaction back.
    pub fn write_as<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    fn writable(&self) -> Result<()> {
        if self.read_only {
            return Err(StoreError::Refused(format!(
                "{} is open read-only, so nothing can be changed; open a copy you may write to",
                self.path.display()
            )));
        }
        Ok(())
    }

    /// `write_as` without SQLite's foreign-key enforcement, for bulk writers
    /// that take every id they write from the database inside the same
    /// transaction. `PRAGMA foreign_key_check` (run by `shopkeeper check`)
    /// still proves the result; enforcement is back on afterwards, whatever happened.
    pub fn write_trusted<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.writable()?;
        self.conn
            .execute_batch("PRAGMA foreign_keys = OFF;")
            .map_err(StoreError::from)?;
        let result = self.write_as(f);
        let restored = self.conn.execute_batch("PRAGMA foreign_keys = ON;");
        let value = result?;
        restored.map_err(StoreError::from)?;
        Ok(value)
    }
}

/// A database file and how to open it: what a background task needs to open
/// its own connection the way the window's was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub read_only: bool,
}

impl Location {
    pub fn open(&self) -> Result<Store, OpenError> {
        if self.read_only {
            Store::open_read_only(&self.path)
        } else {
            Store::open(&self.path)
        }
    }
}

/// How a connection uses memory: a 32 MB page cache, temporary data (sorts,
/// grouping) kept in memory, no helper threads. Bulk writes change these for
/// a while and set them back.
pub(crate) const MEMORY_PRAGMAS: &str =
    "PRAGMA cache_size = -32000; PRAGMA temp_store = MEMORY; PRAGMA threads = 0;";

/// The settings every connection gets.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA trusted_schema = OFF;",
    )?;
    conn.execute_batch(MEMORY_PRAGMAS)?;
    Ok(())
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Looks at an existing file without writing to it and returns its schema
/// version, or why it must not be opened.
fn inspect(path: &Path) -> Result<usize, OpenError> {
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
    if read < 16 || &header[..16] != SQLITE_MAGIC {
        return Err(OpenError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    let damaged = |detail: String| OpenError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    if read < 100 {
        return Err(damaged("the file is cut short".into()));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| damaged(e.to_string()))?;
    let read_err = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            OpenError::Io {
                path: path.to_path_buf(),
                detail: "another program is holding the database locked".into(),
            }
        }
        _ => damaged(e.to_string()),
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
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(OpenError::Foreign {
            path: path.to_path_buf(),
        });
    }
    if app_id == 0 && version == 0 && tables > 0 {
        return Err(OpenError::Foreign {
            path: path.to_path_buf(),
        });
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
    Ok(version)
}

/// `shop.sqlite3` + "before-v2" -> `shop.before-v2.sqlite3` beside it (never an existing file).
pub fn backup_path(db: &Path, tag: &str) -> PathBuf {
    let stem = db
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "shop".into());
    let dir = db.parent().unwrap_or(Path::new("."));
    let mut candidate = dir.join(format!("{stem}.{tag}.sqlite3"));
    let mut n = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{stem}.{tag}-{n}.sqlite3"));
        n += 1;
    }
    candidate
}

/// The local time as stored: 'YYYY-MM-DD HH:MM:SS'.
pub fn now_local() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Turns what a user typed into an FTS5 query of word prefixes: every word must
/// match the start of a word in the row. Quotes are escaped, so no input is
/// ever FTS syntax. None when nothing searchable was typed.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// Maps a UNIQUE constraint violation to a field error; passes others through.
pub(crate) fn unique_violation(
    e: rusqlite::Error,
    field: &'static str,
    message: &str,
) -> StoreError {
    if let rusqlite::Error::SqliteFailure(err, _) = &e
        && err.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    {
        return StoreError::field(field, message);
    }
    StoreError::from(e)
}

/// Sort direction of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Ascending,
    Descending,
}

impl Direction {
    pub fn sql(self) -> &'static str {
        match self {
            Direction::Ascending => "ASC",
            Direction::Descending => "DESC",
        }
    }

    pub fn flip(self) -> Self {
        match self {
            Direction::Ascending => Direction::Descending,
            Direction::Descending => Direction::Ascending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries_are_escaped_prefixes() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("ana"), Some("\"ana\"*".into()));
        assert_eq!(
            fts_query("ana li\"ma"),
            Some("\"ana\"* AND \"li\"\"ma\"*".into())
        );
        assert_eq!(fts_query("- ana"), Some("\"ana\"*".into()));
    }
}
