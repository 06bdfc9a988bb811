//! Backups: checked copies, rotation, restore of a chosen backup, refusal of
//! a damaged one; the command line's `backup`.

use std::process::Command;

use crate::common::*;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use shopkeeper::store::backup::{self, Kind};
use shopkeeper::store::{self, Store};

fn at(day: NaiveDate, hour: u32) -> NaiveDateTime {
    day.and_hms_opt(hour, 0, 0).unwrap()
}

fn names(store: &Store) -> Vec<String> {
    let conn = store.conn();
    conn.prepare("SELECT name FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_backup_is_a_checked_copy_and_never_overwrites() {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    let out = dir.path().join("copy.sqlite3");
    backup::write_checked(&s, &out).unwrap();
    backup::verify(&out).unwrap();
    let copy = Store::open(&out).unwrap();
    assert_eq!(names(&copy), ["Ana Lima"]);
    drop(copy);
    let before = bytes(&out);
    let err = backup::write_checked(&s, &out).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(bytes(&out), before);
    // Nothing half-written is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn rotation_keeps_seven_days_and_eight_weeks() {
    let (_dir, path) = temp_db();
    let s = Store::open(&path).unwrap();
    let last = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    // Ninety days of a backup in the morning and one at night.
    for i in (0..90).rev() {
        let day = last - chrono::Duration::days(i);
        backup::automatic(&s, at(day, 9)).unwrap();
        backup::automatic(&s, at(day, 21)).unwrap();
    }
    let kept = backup::list(&path);
    assert!(kept.iter().all(|b| b.kind == Kind::Automatic));
    // The newest of each of the last seven days...
    for i in 0..7 {
        let day = last - chrono::Duration::days(i);
        assert!(kept.iter().any(|b| b.taken == at(day, 21)), "{day} kept");
        assert!(
            !kept.iter().any(|b| b.taken == at(day, 9)),
            "only the newest of {day}"
        );
    }
    // ... and of each of the last eight weeks, nothing older.
    let mut weeks: Vec<(i32, u32)> = kept
        .iter()
        .map(|b| {
            (
                b.taken.date().iso_week().year(),
                b.taken.date().iso_week().week(),
            )
        })
        .collect();
    weeks.dedup();
    assert_eq!(weeks.len(), 8, "{weeks:?}");
    let oldest = kept.iter().map(|b| b.taken).min().unwrap();
    assert!(last - oldest.date() < chrono::Duration::days(8 * 7));
    assert!(kept.len() <= 7 + 8);
    assert!(!backup::due(&path, last));
    assert!(backup::due(&path, last + chrono::Duration::days(1)));
    for b in &kept {
        backup::verify(&b.path).unwrap();
    }
}

#[test]
fn restoring_a_backup_copies_it_back_after_a_safety_copy() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let taken = backup::automatic(&s, at(day, 9)).unwrap();
    let backup_bytes = bytes(&taken);
    add_customer(&mut s, "Bo Berg", "bo@example.com");
    assert_eq!(names(&s), ["Ana Lima", "Bo Berg"]);

    let safety = backup::restore(&mut s, &taken, at(day, 12)).unwrap();
    assert_eq!(names(&s), ["Ana Lima"]);
    assert!(store::check::run(s.conn()).unwrap().ok());
    // The database as it was is kept, and the backup itself was only read.
    let before = Store::open(&safety).unwrap();
    assert_eq!(names(&before), ["Ana Lima", "Bo Berg"]);
    assert_eq!(bytes(&taken), backup_bytes);
    let kinds: Vec<Kind> = backup::list(&path).iter().map(|b| b.kind).collect();
    assert!(kinds.contains(&Kind::BeforeRestore) && kinds.contains(&Kind::Automatic));
    drop(s);
    // The restored file opens as a database like any other.
    let again = Store::open(&path).unwrap();
    assert_eq!(names(&again), ["Ana Lima"]);
}

#[test]
fn a_damaged_backup_is_refused_and_nothing_changes() {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    for i in 0..300 {
        add_customer(&mut s, &format!("Person {i}"), &format!("p{i}@example.com"));
    }
    let good = dir.path().join("good.sqlite3");
    backup::write_checked(&s, &good).unwrap();
    let mut damaged = bytes(&good);
    let len = damaged.len();
    // Scribble over the pages after the first (the header stays readable).
    for b in &mut damaged[4096..len.min(4096 * 6)] {
        *b = 0x5A;
    }
    let bad = dir.path().join("bad.sqlite3");
    std::fs::write(&bad, &damaged).unwrap();
    let not_db = dir.path().join("notes.sqlite3");
    std::fs::write(&not_db, b"just some notes").unwrap();
    let before = dump(&s);
    let when = at(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), 9);
    for file in [&bad, &not_db] {
        let err = backup::restore(&mut s, file, when).unwrap_err();
        assert!(err.to_string().contains("is not a usable backup"), "{err}");
        assert_eq!(dump(&s), before);
    }
    assert!(
        backup::list(&path).is_empty(),
        "no safety copy for a refused restore"
    );
}

#[test]
fn backup_from_the_command_line() {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    add_customer(&mut s, "Ana Lima", "ana@example.com");
    drop(s);
    let out = dir.path().join("saved.sqlite3");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_shopkeeper"))
            .env_remove("SHOPKEEPER_DB")
            .arg("--db")
            .arg(&path)
            .arg("backup")
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("and checked it"));
    assert_eq!(names(&Store::open(&out).unwrap()), ["Ana Lima"]);
    let second = run();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("already exists"));
}
