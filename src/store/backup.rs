//! Backups: consistent copies written with SQLite's backup API, each checked
//! with `quick_check` before it counts (and before older ones are rotated
//! out), kept in a `backups` folder beside the database. Restoring copies a
//! backup's pages into the open database after a safety backup of it; the
//! backup file itself is only read. The backups of an encrypted shop are
//! encrypted with its key and open only with it; every backup, and the
//! folder they are kept in, is readable by its owner only.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OpenFlags};

use super::key::{self as cipher, Passphrase};
use super::{APPLICATION_ID, Result, Store, StoreError};
use crate::files::{FileError, Replace, SafeFile};

/// How many automatic backups are kept: the newest of each of the last days
/// and weeks that have one.
pub const KEEP_DAILY: usize = 7;
pub const KEEP_WEEKLY: usize = 8;

const STAMP: &str = "%Y-%m-%d-%H%M%S";

/// The folder the automatic backups of `db` go to.
pub fn folder(db: &Path) -> PathBuf {
    db.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("backups")
}

fn stem(db: &Path) -> String {
    db.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "shop".into())
}

/// What kind of backup a file in the folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Written while the app was open (daily, on close): rotated.
    Automatic,
    /// The database as it was just before a restore: kept until deleted by hand.
    BeforeRestore,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Automatic => "auto",
            Kind::BeforeRestore => "before-restore",
        }
    }
}

/// A backup in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub kind: Kind,
    pub taken: NaiveDateTime,
    pub bytes: u64,
}

/// Opens a copy (a backup) to read it: with `key` when it is encrypted.
fn read_copy(path: &Path, key: Option<&Passphrase>) -> rusqlite::Result<Connection> {
    read_copy_keyed(path, key).map(|(conn, _)| conn)
}

/// `read_copy`, and the key as it opened the copy (with the copy's layout,
/// which a copy of it must have too); None for a plain copy.
fn read_copy_keyed(
    path: &Path,
    key: Option<&Passphrase>,
) -> rusqlite::Result<(Connection, Option<Passphrase>)> {
    let open = || {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    };
    match key.filter(|_| cipher::looks_encrypted(path)) {
        Some(key) => cipher::unlock(open, key).map(|(conn, key)| (conn, Some(key))),
        None => Ok((open()?, None)),
    }
}

/// Copies the database `conn` has open to `dest` with SQLite's backup API:
/// a new `dest` is made owner-only first, and gets `key` (the copy of an
/// encrypted shop is encrypted alike).
pub(super) fn copy_to(
    conn: &Connection,
    key: Option<&Passphrase>,
    dest: &Path,
) -> rusqlite::Result<()> {
    if !dest.exists() {
        crate::files::create_private(dest)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    }
    let mut out = Connection::open(dest)?;
    if let Some(key) = key {
        cipher::apply(&out, key)?;
    }
    let copy = rusqlite::backup::Backup::new(conn, &mut out)?;
    copy.run_to_completion(1024, std::time::Duration::ZERO, None)
}

/// Checks that `path` is a sound Shopkeeper database, reading it only.
pub fn verify(path: &Path) -> Result<()> {
    verify_with(path, None)
}

/// `verify` for a backup that may be encrypted with `key`.
pub fn verify_with(path: &Path, key: Option<&Passphrase>) -> Result<()> {
    let refuse = |why: String| {
        StoreError::Refused(format!("{} is not a usable backup: {why}", path.display()))
    };
    let unreadable = |e: rusqlite::Error| {
        if cipher::looks_encrypted(path) {
            refuse("it is encrypted, and not with this shop's passphrase".into())
        } else {
            refuse(e.to_string())
        }
    };
    let conn = read_copy(path, key).map_err(unreadable)?;
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(unreadable)?;
    if app_id != APPLICATION_ID {
        return Err(refuse("it is not a Shopkeeper database".into()));
    }
    let check: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| refuse(e.to_string()))?;
    if check != "ok" {
        return Err(refuse(format!("it is damaged ({check})")));
    }
    Ok(())
}

/// Writes a checked copy of the open database to a new file `dest` (an
/// existing one is refused): see [`write_checked_to`].
pub fn write_checked(store: &Store, dest: &Path) -> Result<()> {
    write_checked_to(store, dest, Replace::Never)
}

/// Writes a checked copy of the open database to `dest`: first to a
/// temporary name beside it, renamed only once `quick_check` passed, so a
/// failed or interrupted backup never looks like a good one. Only a regular
/// file is replaced, and only when `replace` allows it (`files::SafeFile`).
pub fn write_checked_to(store: &Store, dest: &Path, replace: Replace) -> Result<()> {
    let refused = |e: FileError| StoreError::Refused(e.to_string());
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        crate::files::create_private_dir_all(dir)
            .map_err(|e| StoreError::Refused(format!("could not create {}: {e}", dir.display())))?;
    }
    let file = SafeFile::prepare_private(dest, replace).map_err(refused)?;
    let partial = file.temp();
    let key = store.key.as_ref();
    copy_to(&store.conn, key, partial)
        .and_then(|()| single_file(partial, key))
        .map_err(StoreError::from)
        .and_then(|()| verify_with(partial, key))?;
    file.commit().map_err(refused)
}

/// Makes a fresh copy a single self-contained file (rollback journal, not
/// WAL), so reading it later leaves no `-wal` or `-shm` files beside it.
fn single_file(path: &Path, key: Option<&Passphrase>) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        cipher::apply(&conn, key)?;
    }
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    Ok(())
}

fn remove_sidecars(p: &Path) {
    for ext in ["-wal", "-shm"] {
        let mut f = p.as_os_str().to_owned();
        f.push(ext);
        let _ = std::fs::remove_file(PathBuf::from(f));
    }
}

fn name(db: &Path, kind: Kind, at: NaiveDateTime) -> PathBuf {
    folder(db).join(format!(
        "{}-{}-{}.sqlite3",
        stem(db),
        kind.tag(),
        at.format(STAMP)
    ))
}

/// Writes an automatic backup of `store` taken `at`, then rotates the older
/// ones (and removes what a killed backup left in the folder).
pub fn automatic(store: &Store, at: NaiveDateTime) -> Result<PathBuf> {
    let dest = name(store.path(), Kind::Automatic, at);
    crate::files::remove_leftovers(&folder(store.path()), None);
    write_checked(store, &dest)?;
    rotate(store.path())?;
    Ok(dest)
}

/// Whether no automatic backup was taken on `day`.
pub fn due(db: &Path, day: NaiveDate) -> bool {
    !list(db)
        .iter()
        .any(|b| b.kind == Kind::Automatic && b.taken.date() == day)
}

/// The backups of `db` in its folder, newest first.
pub fn list(db: &Path) -> Vec<BackupInfo> {
    let prefix = format!("{}-", stem(db));
    let Ok(entries) = std::fs::read_dir(folder(db)) else {
        return Vec::new();
    };
    let mut found: Vec<BackupInfo> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let rest = file.strip_prefix(&prefix)?.strip_suffix(".sqlite3")?;
            let (kind, stamp) = [Kind::Automatic, Kind::BeforeRestore]
                .into_iter()
                .find_map(|k| Some((k, rest.strip_prefix(k.tag())?.strip_prefix('-')?)))?;
            let taken = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
            let bytes = e.metadata().map(|m| m.len()).unwrap_or(0);
            Some(BackupInfo {
                path: e.path(),
                kind,
                taken,
                bytes,
            })
        })
        .collect();
    found.sort_by_key(|b| std::cmp::Reverse(b.taken));
    found
}

/// Keeps the newest automatic backup of each of the last `KEEP_DAILY` days
/// and of each of the last `KEEP_WEEKLY` ISO weeks that have one; deletes the
/// other automatic backups. Backups made before a restore are never deleted.
pub fn rotate(db: &Path) -> Result<Vec<PathBuf>> {
    let automatic: Vec<BackupInfo> = list(db)
        .into_iter()
        .filter(|b| b.kind == Kind::Automatic)
        .collect();
    let mut keep = std::collections::HashSet::new();
    let mut days = Vec::new();
    let mut weeks = Vec::new();
    // Newest first: the first backup seen of a day (or week) is its newest.
    for b in &automatic {
        let day = b.taken.date();
        if !days.contains(&day) && days.len() < KEEP_DAILY {
            days.push(day);
            keep.insert(b.path.clone());
        }
        let week = (day.iso_week().year(), day.iso_week().week());
        if !weeks.contains(&week) && weeks.len() < KEEP_WEEKLY {
            weeks.push(week);
            keep.insert(b.path.clone());
        }
    }
    let mut removed = Vec::new();
    for b in automatic {
        if !keep.contains(&b.path) {
            std::fs::remove_file(&b.path).map_err(|e| {
                StoreError::Refused(format!(
                    "could not remove the old backup {}: {e}",
                    b.path.display()
                ))
            })?;
            remove_sidecars(&b.path);
            removed.push(b.path);
        }
    }
    Ok(removed)
}

/// How many orders a backup holds (read only, with the shop's `key`), for
/// the list of backups.
pub fn orders_in(path: &Path, key: Option<&Passphrase>) -> Option<i64> {
    let conn = read_copy(path, key).ok()?;
    conn.query_row("SELECT coalesce(max(id), 0) FROM orders", [], |r| r.get(0))
        .ok()
}

/// Replaces the open database's contents with the backup at `from`: the
/// backup is checked first (a damaged one is refused and nothing changes),
/// the database as it is now is backed up into the folder, then the
/// backup's pages are copied in. The backup file is only read. Returns the
/// safety copy's path. Reopen the store afterwards (an older backup may need
/// its schema brought up to date).
pub fn restore(store: &mut Store, from: &Path, at: NaiveDateTime) -> Result<PathBuf> {
    let key = store.key.clone();
    verify_with(from, key.as_ref())?;
    let encrypted = cipher::looks_encrypted(from);
    if encrypted != key.is_some() {
        return Err(StoreError::Refused(format!(
            "{} {}, so it cannot replace this shop's contents; nothing was restored. {}",
            from.display(),
            if encrypted {
                "is encrypted and this shop is not"
            } else {
                "is not encrypted and this shop is"
            },
            if key.is_some() {
                "Turn the passphrase off (Settings > Security), restore, then turn it on again."
            } else {
                "Open the backup itself (File > Open database) with its passphrase."
            }
        )));
    }
    let safety = name(store.path(), Kind::BeforeRestore, at);
    write_checked(store, &safety)?;
    let source = read_copy(from, key.as_ref())?;
    let copy = rusqlite::backup::Backup::new(&source, &mut store.conn)?;
    copy.run_to_completion(1024, std::time::Duration::ZERO, None)?;
    Ok(safety)
}

/// The newest backup of `db` that passes its check (with the shop's `key`).
pub fn newest_good(db: &Path, key: Option<&Passphrase>) -> Option<BackupInfo> {
    list(db)
        .into_iter()
        .find(|b| verify_with(&b.path, key).is_ok())
}

/// For a database that cannot be opened: moves the file (with its `-wal` and
/// `-shm`) aside under a new name, its bytes unchanged, and writes a copy of
/// the newest good backup in its place. Returns (the backup used, where the
/// bad file went).
pub fn recover(
    db: &Path,
    at: NaiveDateTime,
    key: Option<&Passphrase>,
) -> Result<(PathBuf, PathBuf)> {
    let good = newest_good(db, key).ok_or_else(|| {
        StoreError::Refused(format!(
            "there is no good backup of {} in {}",
            db.display(),
            folder(db).display()
        ))
    })?;
    let aside = super::backup_path(db, &format!("damaged-{}", at.format(STAMP)));
    let moved = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|e| {
            StoreError::Refused(format!("could not move {} aside: {e}", from.display()))
        })
    };
    moved(db, &aside)?;
    for ext in ["-wal", "-shm"] {
        let mut from = db.as_os_str().to_owned();
        from.push(ext);
        let from = PathBuf::from(from);
        if from.exists() {
            let mut to = aside.as_os_str().to_owned();
            to.push(ext);
            moved(&from, &PathBuf::from(to))?;
        }
    }
    // The copy gets the backup's key and layout.
    let (source, key) = read_copy_keyed(&good.path, key)?;
    copy_to(&source, key.as_ref(), db)?;
    drop(source);
    verify_with(db, key.as_ref())?;
    Ok((good.path, aside))
}
