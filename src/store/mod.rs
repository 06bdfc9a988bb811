//! Everything SQLite: opening a file safely, the per-connection settings, the
//! migrations, backups, an encrypted shop's passphrase (`key`, `secret`), and
//! one file (or folder) of free functions per area.
//! The areas depend one way: each writes the change log (`changelog`, which
//! depends on no area), and `undo` asks each area to restore its own rows.
//! No other layer holds an SQL string.

mod abc;
pub mod backup;
pub mod bulk;
pub mod changelog;
pub mod check;
pub mod codes;
pub mod customer_figures;
pub mod customer_insights;
pub mod customers;
mod insights_time;
pub mod invoice_numbers;
pub mod invoices;
mod key;
mod money_reports;
mod open;
mod order_hourly;
pub mod orders;
pub mod platform;
mod product_range;
pub mod product_reports;
mod product_rows;
mod product_summary;
pub mod products;
mod refund_rates;
pub mod reorder;
pub mod reports;
mod sales_by_date;
pub mod secret;
pub mod settings;
pub mod stock;
mod stock_lists;
pub mod tax;
mod tax_daily;
pub mod trends;
pub mod undo;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use include_dir::{Dir, include_dir};
pub use key::Passphrase;
pub use open::Mode;
use rusqlite::{Connection, TransactionBehavior};
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
    /// Another program holds the whole file while it writes (a demo or an
    /// import from the command line, written out of WAL mode).
    #[error(
        "{} is busy: another program is writing a large change to it (an import or a demo from the command line has the whole file while it writes). Nothing was changed; open it again when that has finished.",
        path.display()
    )]
    Busy { path: PathBuf },
    #[error(
        "{} cannot be changed: you may not write to it (or to its folder). You can open it read-only to look and export, or copy it somewhere you may write.",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "could not update {} to this version of Shopkeeper ({detail}).{}",
        path.display(),
        match copy {
            Some(c) => format!(" A copy of the file as it was is kept at {}.", c.display()),
            None => " Nothing was changed.".to_owned(),
        }
    )]
    Migration {
        path: PathBuf,
        detail: String,
        /// The safety copy written before the update, if one was.
        copy: Option<PathBuf>,
    },
    #[error(
        "there is no database at {}. Check the path (--db); to start a new shop there, use the window's File > New database, `shopkeeper demo` or `shopkeeper import`.",
        path.display()
    )]
    Missing { path: PathBuf },
    #[error(
        "{} is empty: it holds no shop. Check the path; to start a new shop in it, open it in the window and choose \"Start a new shop in this file\".",
        path.display()
    )]
    Empty { path: PathBuf },
    #[error(
        "{} is encrypted: it opens only with its passphrase. Type it when asked (on the command line: at the prompt, or in SHOPKEEPER_PASSPHRASE).",
        path.display()
    )]
    Locked { path: PathBuf },
    #[error(
        "the passphrase is wrong for {} (or it is not a Shopkeeper database). Nothing was changed; try again. A forgotten passphrase cannot be recovered: then open a backup you know the passphrase of.",
        path.display()
    )]
    WrongPassphrase { path: PathBuf },
    #[error(
        "{} is a Shopkeeper database whose schema version was reset to 0, so it cannot be told which updates it needs. It was left untouched; restore a backup.",
        path.display()
    )]
    VersionLost { path: PathBuf },
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
    /// Undo met a change that cannot be reversed at all (money given back,
    /// an import): Undo stops there. The message says which and why.
    #[error("{0}")]
    Irreversible(String),
    #[error("the database is busy in another window or program; try again in a moment")]
    Busy,
    #[error(
        "the disk is full, so nothing was saved (the change was undone). Free some space on the disk, then try again."
    )]
    DiskFull,
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
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull,
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
    /// The key of an encrypted shop (as SQLCipher derived it, so further
    /// connections open it at once); None for a plain one.
    key: Option<Passphrase>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Where this store is and how it was opened, for other threads to open it alike.
    pub fn location(&self) -> Location {
        Location {
            path: self.path.clone(),
            read_only: self.read_only,
            key: self.key.clone(),
        }
    }

    /// Whether this store was opened read-only.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// An in-memory database, for tests and previews.
    pub fn open_in_memory() -> Result<Store, OpenError> {
        setup_sqlite();
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
                copy: None,
            })?;
        Ok(Store {
            conn,
            path,
            notices: Vec::new(),
            read_only: false,
            key: None,
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

    /// For a command that reads much of the file once and then ends (`export`):
    /// SQLite reads the file through a memory map instead of copying each
    /// page into its cache (the `customer-value` query at 94,061 customers:
    /// about 150 -> 110 ms of CPU). Not for the window, whose resident memory
    /// would count the mapped pages. A hint only: where mapping is not
    /// possible (an encrypted shop's pages are decrypted into the cache)
    /// reading goes on as before.
    pub fn read_mapped(&self) {
        // A failed hint changes nothing, so there is nothing to report.
        let _ = self.conn.execute_batch("PRAGMA mmap_size = 2147418112;");
    }

    /// For a connection that reads what it needs about once and then
    /// closes (a background job, `export`): the page cache of a plain
    /// shop's connection, also for an encrypted shop. An encrypted
    /// connection otherwise keeps a bigger one (see `key::CACHE_KIB`), which
    /// pays where the same pages are read again and again (the window's
    /// lists, per keystroke), not in a job: there it only added to the
    /// window's memory (peak with every panel and Insights visited, 1M
    /// orders: 240 -> 208 MB, the jobs no slower), and made `export
    /// order-lines` slower (4.4 -> 3.9 s of CPU: a cache that keeps every
    /// page it decrypted touches new memory for each, where 32 MB reuses
    /// it; 2 or 8 MB decrypted the customers' pages again and again, 9.5 /
    /// 6.8 s).
    pub fn read_once(&self) {
        // A failed hint changes nothing, so there is nothing to report.
        let _ = self.conn.execute_batch(PLAIN_CACHE);
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

    /// Erases customer `id`'s personal data (`customers::erase`) with
    /// SQLite's secure delete on, so the removed bytes are overwritten in
    /// the file as well; then folds the log into the file when no other
    /// window holds it open (the log's old copies of pages go with it).
    pub fn erase_customer(&mut self, id: i64) -> Result<()> {
        self.writable()?;
        self.conn.pragma_update(None, "secure_delete", true)?;
        let erased = self.write(|tx| customers::erase(tx, id));
        let _ = self.conn.pragma_update(None, "secure_delete", false);
        erased?;
        if self.conn.busy_timeout(Duration::ZERO).is_ok() {
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
        }
        Ok(())
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

impl Store {
    /// `write_trusted` for a write that adds much (a new demo shop, an
    /// import of orders): when no other connection has the file open, it
    /// leaves WAL mode for the write, so each new page is written once into
    /// the file instead of into the log and then again by the checkpoint.
    /// A rollback journal keeps it atomic (it holds the old content of each
    /// page changed; pages past the file's old end need none). Back in WAL
    /// mode afterwards, whatever happened. With another connection open (a
    /// window's readers), it is an ordinary `write_trusted`.
    /// `out_of_wal` false (a dry run, which must not touch the file's
    /// bytes) makes it an ordinary `write_trusted`.
    pub fn write_bulk<T, E: From<StoreError>>(
        &mut self,
        out_of_wal: bool,
        f: impl FnOnce(&Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.writable()?;
        let alone = out_of_wal && self.leave_wal();
        let result = self.write_trusted(f);
        if alone {
            let back = self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
            let value = result?;
            back.map_err(StoreError::from)?;
            return Ok(value);
        }
        result
    }

    /// Leaves WAL mode when no other connection has the file open, without
    /// waiting for one to close. Whether it did.
    fn leave_wal(&self) -> bool {
        if self.conn.busy_timeout(Duration::ZERO).is_err() {
            return false;
        }
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let mode = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            });
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
        mode.is_ok_and(|m| m.eq_ignore_ascii_case("delete"))
    }
}

/// How long a connection waits for another's write to end.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A database file and how to open it: what a background task needs to open
/// its own connection the way the window's was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub read_only: bool,
    /// An encrypted shop's key (see `key`).
    pub key: Option<Passphrase>,
}

impl Location {
    pub fn open(&self) -> Result<Store, OpenError> {
        open::reopen(&self.path, self.read_only, self.key.as_ref())
    }
}

/// How a connection uses memory: a 32 MB page cache, temporary data (sorts,
/// grouping) kept in memory, no helper threads. Bulk writes change these for
/// a while and set them back.
pub(crate) const MEMORY_PRAGMAS: &str =
    "PRAGMA cache_size = -32000; PRAGMA temp_store = MEMORY; PRAGMA threads = 0;";

/// Sets `MEMORY_PRAGMAS` back after a bulk write changed them. Inside a
/// transaction SQLite changes where temporary data goes only while the
/// connection has not opened its temporary database: then that one is left
/// as it is (only a question of speed) rather than failing the write.
pub(crate) fn usual_memory(conn: &Connection) -> rusqlite::Result<()> {
    for pragma in MEMORY_PRAGMAS.split_terminator(';') {
        let done = conn.execute_batch(pragma);
        if !pragma.contains("temp_store") {
            done?;
        }
    }
    Ok(())
}

/// The page cache of `MEMORY_PRAGMAS` alone.
const PLAIN_CACHE: &str = "PRAGMA cache_size = -32000;";

/// What SQLite is told once per process, before its first connection: no
/// memory statistics. SQLite keeps them by default, under one lock taken on
/// every allocation and free of every connection (a bound text, a row
/// written); nothing here reads them. Importing 1M orders spent about 5 % of
/// its CPU taking and giving back that lock.
pub(crate) fn setup_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int. Called before this
        // process opens a connection (SQLite refuses it afterwards with
        // SQLITE_MISUSE, which changes nothing and is ignored).
        unsafe {
            rusqlite::ffi::sqlite3_config(
                rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS,
                std::ffi::c_int::from(0u8),
            );
        }
    });
}

/// The settings every connection gets.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA trusted_schema = OFF;",
    )?;
    conn.execute_batch(MEMORY_PRAGMAS)?;
    Ok(())
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

/// Gives every `value` of `table` without a `key` its key
/// (`domain::fold`): after the update to version 6, which keys plain ASCII
/// in SQL and leaves the rest to this. A value whose key another row has
/// already (two that differed only in the case of a letter beyond ASCII,
/// stored before version 6) stays without one. Returns how many were keyed.
/// The names are this crate's own (customers' emails, products' SKUs).
pub(crate) fn fill_keys(
    conn: &Connection,
    table: &str,
    value: &str,
    key: &str,
) -> Result<usize, StoreError> {
    let missing: Vec<(i64, String)> = conn
        .prepare(&format!(
            "SELECT id, {value} FROM {table} WHERE {value} IS NOT NULL AND {key} IS NULL ORDER BY id"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let update = format!("UPDATE {table} SET {key} = ?2 WHERE id = ?1");
    let mut keyed = 0;
    for (id, text) in missing {
        match conn.execute(&update, rusqlite::params![id, crate::domain::fold(&text)]) {
            Ok(_) => keyed += 1,
            Err(e) => match unique_violation(e, "key", "taken") {
                StoreError::Invalid(_) => {}
                other => return Err(other),
            },
        }
    }
    Ok(keyed)
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
