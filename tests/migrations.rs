//! Opening files: migrations, upgrades from every older schema, and refusal of
//! files that are not (or not yet) ours, leaving their bytes untouched.

mod common;

use common::*;
use rusqlite::Connection;
use shopkeeper::store::{self, MIGRATIONS, OpenError, Store};

#[test]
fn migrations_validate() {
    MIGRATIONS.validate().unwrap();
    assert!(store::latest_version() >= 1);
}

/// Each older schema version has a fixture (`tests/fixtures/vN.sql`, a dump of
/// a database at version N holding data). Opening it upgrades it, keeps the
/// data, and writes a backup copy first.
#[test]
fn upgrades_from_every_older_version() {
    let latest = store::latest_version();
    for version in 1..latest {
        let fixture = format!(
            "{}/tests/fixtures/v{version}.sql",
            env!("CARGO_MANIFEST_DIR")
        );
        let sql = std::fs::read_to_string(&fixture)
            .unwrap_or_else(|_| panic!("missing upgrade fixture {fixture}"));
        let (dir, path) = temp_db();
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(&sql).unwrap();
            let v: usize = conn
                .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
                .unwrap() as usize;
            assert_eq!(v, version, "{fixture} sets user_version");
        }
        let original = bytes(&path);
        let mut s = Store::open(&path).unwrap();
        let notices = s.take_notices();
        assert_eq!(notices.len(), 1, "{notices:?}");
        let backup = dir.path().join(format!("shop.before-v{latest}.sqlite3"));
        assert!(backup.exists(), "backup written");
        let b = Connection::open(&backup).unwrap();
        let v: usize = b
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap() as usize;
        assert_eq!(v, version, "the backup holds the old version");
        let v: usize = s
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap() as usize;
        assert_eq!(v, latest);
        let customers: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap();
        assert!(customers > 0, "data kept");
        assert!(store::check::run(s.conn()).unwrap().ok());
        drop(original);
    }
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let (_dir, path) = temp_db();
    std::fs::write(&path, b"name,email\nAna,ana@example.com\n").unwrap();
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, OpenError::NotSqlite { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("shop.sqlite3") && msg.contains("not an SQLite file"),
        "{msg}"
    );
    assert_eq!(before, bytes(&path));
    assert!(!path.with_extension("sqlite3-wal").exists());
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let (_dir, path) = temp_db();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
            .unwrap();
    }
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, OpenError::Foreign { .. }), "{err:?}");
    assert_eq!(before, bytes(&path));
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let (_dir, path) = temp_db();
    drop(Store::open(&path).unwrap());
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA user_version = {}; PRAGMA wal_checkpoint(TRUNCATE);",
            store::latest_version() + 1
        ))
        .unwrap();
        conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
            .unwrap();
    }
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, OpenError::TooNew { .. }), "{err:?}");
    assert!(err.to_string().contains("newer version"), "{err}");
    assert_eq!(before, bytes(&path));
}

#[test]
fn a_damaged_database_is_refused_untouched() {
    let (_dir, path) = temp_db();
    {
        let mut s = Store::open(&path).unwrap();
        for i in 0..400 {
            add_customer(
                &mut s,
                &format!("Customer {i}"),
                &format!("c{i}@example.com"),
            );
        }
    }
    {
        let conn = Connection::open(&path).unwrap();
        conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
            .unwrap();
    }
    // Cut the file in half, as a failed copy would.
    let full = bytes(&path);
    std::fs::write(&path, &full[..full.len() / 2]).unwrap();
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, OpenError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("damaged"), "{err}");
    assert_eq!(before, bytes(&path));

    // Garbage in the middle of the pages.
    let mut scrambled = full.clone();
    for b in scrambled[8192..24576].iter_mut() {
        *b = 0xA5;
    }
    std::fs::write(&path, &scrambled).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, OpenError::Damaged { .. }), "{err:?}");
    assert_eq!(scrambled, bytes(&path));
}

#[test]
fn an_empty_file_becomes_a_new_database() {
    let (_dir, path) = temp_db();
    std::fs::write(&path, b"").unwrap();
    let s = Store::open(&path).unwrap();
    let version: usize = s
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .unwrap() as usize;
    assert_eq!(version, store::latest_version());
}
