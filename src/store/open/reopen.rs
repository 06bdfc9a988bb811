//! Opening again a shop this process already opened, for a background
//! reader, a job or a command that needs an existing shop (`Location`):
//! the short way when the file is still as the first open left it.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::super::key::{self as cipher, Passphrase};
use super::super::{APPLICATION_ID, Mode, Store, configure, latest_version};
use super::OpenError;

/// A shop this process opened and brought up to date, opened again for a
/// background reader: the first open already looked the file over (a
/// second connection that reads the whole schema, which with today's
/// triggers is about as much work again as the connection itself), so this
/// only checks that the file still says it is ours and current. An
/// encrypted shop's `key` is the one its first open derived, with the
/// file's layout (no derivation here); a page that does not check out under
/// it fails the check. `None` when it does not hold, or a rollback journal
/// lies beside the file: the whole way then.
fn reopen_current(path: &Path, key: Option<&Passphrase>) -> Option<Store> {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    if std::fs::metadata(PathBuf::from(journal)).is_ok() {
        return None;
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    if let Some(key) = key {
        cipher::apply(&conn, key).ok()?;
    }
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return None;
    }
    let cookie = |pragma: &str| conn.query_row(pragma, [], |r| r.get::<_, i64>(0)).ok();
    let current = cookie("PRAGMA application_id")? == i64::from(APPLICATION_ID)
        && usize::try_from(cookie("PRAGMA user_version")?).ok()? == latest_version();
    if !current || configure(&conn).is_err() {
        return None;
    }
    if key.is_some() {
        cipher::cache(&conn).ok()?;
    }
    Some(Store {
        conn,
        path: path.to_path_buf(),
        notices: Vec::new(),
        read_only: false,
        key: key.cloned(),
    })
}

/// Opens `path` as a background task or a command that needs an existing
/// shop does, for `Location` (see `reopen_current`).
pub(in crate::store) fn reopen(
    path: &Path,
    read_only: bool,
    key: Option<&Passphrase>,
) -> Result<Store, OpenError> {
    if !read_only && let Some(store) = reopen_current(path, key) {
        return Ok(store);
    }
    if read_only {
        Store::open_read_only_keyed(path, key)
    } else {
        Store::open_as(path, Mode::Existing, false, key)
    }
}

#[cfg(test)]
mod tests {
    /// A background reader's open takes the short way only for the file as
    /// this build left it; an older schema, another program's stamp or a
    /// rollback journal beside it go the whole way (which migrates, refuses
    /// or rolls back as a first open does).
    #[test]
    fn the_short_reopen_is_only_for_a_current_shop() {
        use super::{Store, reopen_current};
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("shop.sqlite3");
        let store = Store::open(&path).expect("a new shop");
        let again = reopen_current(&path, None).expect("current: the short way");
        assert_eq!(
            crate::store::settings::counts(again.conn())
                .expect("reads")
                .orders,
            0
        );
        drop(again);
        let set = |pragma: &str| store.conn().execute_batch(pragma).expect("set");
        set("PRAGMA user_version = 3");
        assert!(reopen_current(&path, None).is_none(), "an older schema");
        set(&format!(
            "PRAGMA user_version = {}",
            crate::store::latest_version()
        ));
        set("PRAGMA application_id = 7");
        assert!(
            reopen_current(&path, None).is_none(),
            "another program's file"
        );
        set(&format!(
            "PRAGMA application_id = {}",
            crate::store::APPLICATION_ID
        ));
        let journal = dir.path().join("shop.sqlite3-journal");
        std::fs::write(&journal, b"").expect("journal");
        assert!(reopen_current(&path, None).is_none(), "a journal beside it");
        std::fs::remove_file(&journal).expect("remove");
        assert!(reopen_current(&path, None).is_some());
    }

    /// An encrypted shop takes the short way with the key its first open
    /// derived; without a key, or with another, it goes the whole way (which
    /// says what is wrong).
    #[test]
    fn the_short_reopen_of_an_encrypted_shop_takes_the_derived_key() {
        use super::{Store, reopen_current};
        use crate::store::key::Passphrase;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("shop.sqlite3");
        let store = Store::open(&path).expect("a new shop");
        let typed = Passphrase::new("correct horse battery");
        let (store, _) = crate::store::secret::encrypt(store, &typed).expect("encrypted");
        let derived = store.location().key.expect("an encrypted shop's key");
        let again = reopen_current(&path, Some(&derived)).expect("the short way");
        assert!(again.key.is_some());
        assert_eq!(
            crate::store::settings::counts(again.conn())
                .expect("reads")
                .orders,
            0
        );
        assert!(reopen_current(&path, None).is_none(), "no key");
        let other = Passphrase::new("not the passphrase at all");
        assert!(reopen_current(&path, Some(&other)).is_none(), "another key");
    }
}
