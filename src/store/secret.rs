//! Turning the shop's passphrase on, off, or changing it: the shop (and its
//! backups) re-written encrypted, plain, or under a new passphrase through a
//! checked copy that replaces the file only once complete (SQLCipher's
//! `sqlcipher_export`; the key itself is in `key`). Also who may read the
//! shop's files, and making them private.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::key::{Layout, not_a_database, unlock};
pub use super::key::{Passphrase, looks_encrypted};
use super::{APPLICATION_ID, Mode, OpenError, Store};
use crate::files::{FileError, Replace, SafeFile};

/// The fewest characters a new passphrase may have.
pub const MIN_LENGTH: usize = 8;

/// Whether `p` is long enough to encrypt a shop with.
pub fn check_new(p: &Passphrase) -> Result<(), SecretError> {
    if p.len() < MIN_LENGTH {
        return Err(SecretError::TooShort);
    }
    Ok(())
}

/// Why a shop could not be encrypted, decrypted or given a new passphrase.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "a passphrase needs at least {MIN_LENGTH} characters; nothing was changed. A few unrelated words make one that is long and easy to remember."
    )]
    TooShort,
    #[error(
        "{} is open in another window, task or program, so it was not re-written; nothing was changed. Close the others (and wait for running tasks), then try again.",
        path.display()
    )]
    InUse { path: PathBuf },
    #[error("{} is already encrypted; to change its passphrase use change-passphrase.", path.display())]
    AlreadyEncrypted { path: PathBuf },
    #[error("{} is not encrypted; nothing was changed.", path.display())]
    NotEncrypted { path: PathBuf },
    #[error("{} is open read-only, so it cannot be re-written; nothing was changed.", path.display())]
    ReadOnly { path: PathBuf },
    #[error("{} was not re-written ({detail}); it is as it was.", path.display())]
    Failed { path: PathBuf, detail: String },
    #[error("the shop was re-written, but it could not be opened again: {0}")]
    Reopen(OpenError),
}

impl Store {
    /// Whether this shop is encrypted with a passphrase.
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// The files and folders of this shop (the database, its log files, the
    /// backups and their folder) that other accounts may read.
    pub fn open_to_others(&self) -> Vec<PathBuf> {
        self.own_files()
            .into_iter()
            .filter(|p| crate::files::open_to_others(p))
            .collect()
    }

    /// A line for the user when other accounts can read this shop's files.
    pub fn open_to_others_notice(&self) -> Option<String> {
        if self.read_only || self.open_to_others().is_empty() {
            return None;
        }
        Some(format!(
            "Other accounts on this computer can read {} or its backups. Settings > Security > \"Make them private\" lets only you read them.",
            self.path.display()
        ))
    }

    /// Lets only the owner read this shop's files and folders. Returns
    /// how many were changed.
    pub fn make_private(&self) -> std::io::Result<usize> {
        let loose = self.open_to_others();
        for p in &loose {
            crate::files::make_private(p)?;
        }
        Ok(loose.len())
    }

    fn own_files(&self) -> Vec<PathBuf> {
        if self.path == Path::new(":memory:") {
            return Vec::new();
        }
        let mut files = vec![self.path.clone()];
        for ext in ["-wal", "-shm", "-journal"] {
            let mut f = self.path.as_os_str().to_owned();
            f.push(ext);
            files.push(PathBuf::from(f));
        }
        files.push(super::backup::folder(&self.path));
        files.extend(super::backup::list(&self.path).into_iter().map(|b| b.path));
        files
    }
}

/// Encrypts the open plain shop with `passphrase`: the file is re-written
/// through a checked copy, the plain file overwritten and removed, and the
/// backups beside it encrypted alike. Returns the shop opened again and what
/// was done with the backups. Nothing else may have the file open.
pub fn encrypt(store: Store, passphrase: &Passphrase) -> Result<(Store, String), SecretError> {
    if store.encrypted() {
        return Err(SecretError::AlreadyEncrypted { path: store.path });
    }
    check_new(passphrase)?;
    convert(store, None, Some(passphrase))
}

/// Turns the passphrase off: the shop (opened with `current`, which is asked
/// again) and its backups are re-written plain.
pub fn decrypt(store: Store, current: &Passphrase) -> Result<(Store, String), SecretError> {
    if !store.encrypted() {
        return Err(SecretError::NotEncrypted { path: store.path });
    }
    convert(store, Some(current), None)
}

/// Re-writes the shop (and its backups) under a new passphrase.
pub fn change(
    store: Store,
    current: &Passphrase,
    new: &Passphrase,
) -> Result<(Store, String), SecretError> {
    if !store.encrypted() {
        return Err(SecretError::NotEncrypted { path: store.path });
    }
    check_new(new)?;
    convert(store, Some(current), Some(new))
}

fn convert(
    store: Store,
    from: Option<&Passphrase>,
    to: Option<&Passphrase>,
) -> Result<(Store, String), SecretError> {
    let path = store.path.clone();
    if store.read_only {
        return Err(SecretError::ReadOnly { path });
    }
    if let Some(current) = from {
        // The passphrase typed now must be the shop's (opening it again proves it).
        let open =
            || Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY);
        unlock(open, current).map(drop).map_err(|e| {
            if not_a_database(&e) {
                SecretError::Failed {
                    path: path.clone(),
                    detail: "the current passphrase is wrong".into(),
                }
            } else {
                failed(&path, &e)
            }
        })?;
    }
    rewrite(&store.conn, &path, to)?;
    drop(store);
    let reopened = Store::open_keyed(&path, Mode::Existing, to).map_err(SecretError::Reopen)?;
    // The backups get the shop's key as derived (its salt), as the backups
    // taken later do: the shop's key then opens them, to count their orders
    // or restore one. Under the passphrase as typed, each got a salt of its
    // own that only the passphrase typed again opens.
    let key = reopened.location().key;
    let backups = convert_backups(&path, from, key.as_ref());
    Ok((reopened, backups))
}

/// Re-writes each backup beside `db` that opens with `from` under `to`;
/// says what was done (a backup that does not open with `from`, such as one
/// under an older passphrase, is left as it is and named).
fn convert_backups(db: &Path, from: Option<&Passphrase>, to: Option<&Passphrase>) -> String {
    let mut done = 0;
    let mut left = Vec::new();
    for b in super::backup::list(db) {
        let encrypted = looks_encrypted(&b.path);
        if !encrypted && to.is_none() {
            continue;
        }
        let open = || Connection::open(&b.path);
        let opened = match (encrypted, from) {
            (true, Some(key)) => unlock(open, key).map(|(conn, _)| conn),
            (true, None) => Err(rusqlite::Error::InvalidQuery),
            (false, _) => open(),
        };
        let result = opened
            .map_err(|e| failed(&b.path, &e))
            .and_then(|conn| rewrite(&conn, &b.path, to));
        match result {
            Ok(()) => done += 1,
            Err(_) => left.push(b.path.display().to_string()),
        }
    }
    let what = if to.is_some() { "encrypted" } else { "plain" };
    let mut said = if done == 1 {
        format!("1 backup is now {what}.")
    } else {
        format!("{done} backups are now {what}.")
    };
    if to.is_some() {
        // A tryout's copy made with "Back up now" before encrypting stayed
        // readable, with nothing said.
        said.push_str(
            " Copies you saved yourself elsewhere (Back up now, backup --out) are not re-written: \
             delete those made before, or keep them safe.",
        );
    }
    if !left.is_empty() {
        said.push_str(&format!(
            " These could not be re-written and are as they were: {}.",
            left.join(", ")
        ));
    }
    said
}

fn failed(path: &Path, e: &dyn std::fmt::Display) -> SecretError {
    SecretError::Failed {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// Re-writes the database `conn` has open at `path` under `to` (None:
/// plain): a copy is written to a temporary name beside it, checked (the
/// same tables, rows and schema; SQLite's quick check), made durable, then
/// renamed over the file; only then are the old file's bytes overwritten.
/// Killed at any moment, `path` holds either the old or the new file whole.
fn rewrite(conn: &Connection, path: &Path, to: Option<&Passphrase>) -> Result<(), SecretError> {
    let fail = |e: &dyn std::fmt::Display| failed(path, e);
    let path = std::path::absolute(path).map_err(|e| fail(&e))?;
    let file =
        SafeFile::prepare_private(&path, Replace::Allowed).map_err(|e: FileError| fail(&e))?;
    let temp = file
        .temp()
        .to_str()
        .ok_or_else(|| fail(&"its folder's name is not valid Unicode"))?
        .to_owned();
    // Alone with the file: leaving WAL mode needs every other connection
    // closed (another would go on reading, or checkpointing into, the file
    // being replaced), and the exclusive lock keeps newcomers out.
    // Readers that are closing (a window's lists) get a few seconds.
    conn.busy_timeout(std::time::Duration::from_secs(3))
        .map_err(|e| fail(&e))?;
    let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    let alone = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    });
    match alone {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => {}
        Ok(_) => return Err(SecretError::InUse { path }),
        Err(e) if busy(&e) => return Err(SecretError::InUse { path }),
        Err(e) => return Err(fail(&e)),
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| fail(&e))?;
    // The exclusive lock, kept until the connection closes, without
    // writing (a write could leave a journal behind if killed).
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .map_err(|e| {
            if busy(&e) {
                SecretError::InUse { path: path.clone() }
            } else {
                fail(&e)
            }
        })?;
    let key = to.map_or("", Passphrase::text);
    conn.execute(
        "ATTACH DATABASE ?1 AS converted KEY ?2",
        [temp.as_str(), key],
    )
    .map_err(|e| fail(&e))?;
    if to.is_some() {
        // Every new encrypted file gets this version's layout.
        conn.execute_batch(&Layout::NEW.pragmas("converted"))
            .map_err(|e| fail(&e))?;
    }
    let copied = copy_and_check(conn, version);
    let _ = conn.execute_batch("DETACH DATABASE converted");
    copied.map_err(|e| fail(&e))?;
    std::fs::File::open(file.temp())
        .and_then(|f| f.sync_all())
        .map_err(|e| fail(&e))?;
    let old = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .map_err(|e| fail(&e))?;
    file.commit().map_err(|e| fail(&e))?;
    if let Some(dir) = path.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    overwrite(old);
    Ok(())
}

fn busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// `sqlcipher_export` into the attached `converted`, then the checks.
fn copy_and_check(conn: &Connection, version: i64) -> Result<(), String> {
    let sql = |e: rusqlite::Error| e.to_string();
    conn.query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(()))
        .map_err(sql)?;
    conn.execute_batch(&format!(
        "PRAGMA converted.user_version = {version}; PRAGMA converted.application_id = {APPLICATION_ID};"
    ))
    .map_err(sql)?;
    let schema = |db: &str| -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
        conn.prepare(&format!(
            "SELECT type, name, sql FROM {db}.sqlite_schema ORDER BY type, name"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect()
    };
    let (was, now) = (
        schema("main").map_err(sql)?,
        schema("converted").map_err(sql)?,
    );
    if was != now {
        return Err("the copy's tables differ from the shop's".into());
    }
    for (kind, name, text) in &was {
        // A virtual table's rows are those of its shadow tables, counted themselves.
        let virtual_table = text
            .as_deref()
            .is_some_and(|s| s.starts_with("CREATE VIRTUAL"));
        if kind != "table" || name.starts_with("sqlite_") || virtual_table {
            continue;
        }
        let quoted = name.replace('"', "\"\"");
        let count = |db: &str| -> rusqlite::Result<i64> {
            conn.query_row(
                &format!("SELECT count(*) FROM {db}.\"{quoted}\""),
                [],
                |r| r.get(0),
            )
        };
        if count("main").map_err(sql)? != count("converted").map_err(sql)? {
            return Err(format!("the copy of {name} is not whole"));
        }
    }
    let check: String = conn
        .query_row("PRAGMA converted.quick_check(1)", [], |r| r.get(0))
        .map_err(sql)?;
    if check != "ok" {
        return Err(format!("the copy failed its check ({check})"));
    }
    Ok(())
}

/// Overwrites a replaced file's bytes with zeros (best effort: a journaling
/// or copy-on-write file system, or an SSD, may keep older copies of them).
fn overwrite(mut old: std::fs::File) {
    let len = old.metadata().map(|m| m.len()).unwrap_or(0);
    let zeros = vec![0u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = usize::try_from(left.min(zeros.len() as u64)).unwrap_or(zeros.len());
        if old.write_all(&zeros[..n]).is_err() {
            return;
        }
        left -= n as u64;
    }
    let _ = old.sync_all();
}
