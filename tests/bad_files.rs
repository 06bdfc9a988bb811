//! The window starts even when its database cannot be opened: it explains
//! what is wrong with the file, offers what can be done, and never writes to
//! the file.

use std::path::{Path, PathBuf};

use crate::common::ui::*;
use crate::common::*;
use egui_kittest::kittest::Queryable;
use rusqlite::Connection;
use shopkeeper::store::{self, Store, backup};

/// The window as `shopkeeper --db path` opens it (an existing shop only),
/// and the explanation it shows when the file cannot be opened.
fn window_on(path: &Path) -> (Window, Option<String>) {
    match Store::open_existing(path) {
        Ok(s) => (open_window(s), None),
        Err(e) => {
            let message = e.to_string();
            let options = WindowOptions {
                cannot_open: Some((path.to_path_buf(), e)),
                ..Default::default()
            };
            (
                window(Store::open_in_memory().unwrap(), options),
                Some(message),
            )
        }
    }
}

fn shop(dir: &Path, customers: usize) -> PathBuf {
    let path = dir.join("shop.sqlite3");
    let mut s = Store::open(&path).unwrap();
    s.write(|tx| store::settings::set_flag(tx, "welcome_done", true))
        .unwrap();
    for i in 0..customers {
        add_customer(
            &mut s,
            &format!("Customer {i}"),
            &format!("c{i}@example.com"),
        );
    }
    drop(s);
    // One file, no -wal beside it, as a copied or downloaded file would be.
    let conn = Connection::open(&path).unwrap();
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
        .unwrap();
    path
}

/// Opens the window on the file and checks it explains `expected`, offers
/// another database, and leaves the file's bytes as they were.
fn explained(path: &Path, expected: &str) -> Window {
    let before = bytes(path);
    let (mut h, message) = window_on(path);
    let message = message.expect("the file cannot be opened");
    h.run_steps(3);
    assert!(h.query_by_label("This database cannot be opened").is_some());
    assert!(
        message.contains(expected),
        "the explanation {message:?} does not say {expected:?}"
    );
    assert!(shows(&h, &message), "the explanation is not shown");
    assert!(h.query_by_label("Open another database…").is_some());
    assert!(h.query_by_label("No database open").is_some());
    assert_eq!(bytes(path), before, "the file was written to");
    h
}

#[test]
fn each_kind_of_bad_file_opens_to_an_explanation_and_stays_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let mut tried = Vec::new();

    let text = dir.path().join("notes.sqlite3");
    std::fs::write(&text, b"name,email\nAna,ana@example.com\n").unwrap();
    explained(&text, "it is not an SQLite file");
    tried.push("a CSV file named .sqlite3");

    let foreign = dir.path().join("other.sqlite3");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    explained(&foreign, "an SQLite database of another program");
    tried.push("another program's database");

    let a = tempfile::tempdir().unwrap();
    let truncated = shop(a.path(), 300);
    let full = bytes(&truncated);
    std::fs::write(&truncated, &full[..full.len() / 2]).unwrap();
    explained(&truncated, "is damaged");
    tried.push("a database cut in half");

    let b = tempfile::tempdir().unwrap();
    let scrambled = shop(b.path(), 300);
    let mut pages = bytes(&scrambled);
    for x in &mut pages[8192..24576] {
        *x = 0xA5;
    }
    std::fs::write(&scrambled, &pages).unwrap();
    explained(&scrambled, "is damaged");
    tried.push("a database with garbage in its pages");

    let c = tempfile::tempdir().unwrap();
    let newer = shop(c.path(), 3);
    Connection::open(&newer)
        .unwrap()
        .execute_batch(&format!(
            "PRAGMA user_version = {};",
            store::latest_version() + 1
        ))
        .unwrap();
    explained(&newer, "newer version of Shopkeeper");
    tried.push("a database from a newer version");

    let d = tempfile::tempdir().unwrap();
    let locked = shop(d.path(), 3);
    let mut perms = std::fs::metadata(&locked).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&locked, perms).unwrap();
    explained(&locked, "you may not write to it");
    tried.push("a database the user may not write");

    println!("bad files tried: {}: {}", tried.len(), tried.join("; "));
    assert_eq!(tried.len(), 6);
}

#[test]
fn a_read_only_database_opens_read_only_and_clearly_marked() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path(), 3);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    let before = bytes(&path);
    let mut h = explained(&path, "you may not write to it");
    h.get_by_label("Open it read-only").click();
    h.run_steps(4);
    assert!(h.query_by_label("READ-ONLY").is_some());
    assert!(
        h.query_by_label("Customer 1").is_some(),
        "the customers are shown"
    );
    assert!(h.state().store().read_only());
    // A change is refused with a sentence, and the file stays as it was.
    h.get_by_label("New customer").click();
    h.run_steps(2);
    let name = text_input(&h, "Name");
    name.focus();
    name.type_text("Zed");
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(3);
    let refused = format!(
        "{} is open read-only, so nothing can be changed; open a copy you may write to",
        path.display()
    );
    assert!(shows(&h, &refused), "{:?}", texts(&h));
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_damaged_database_can_be_replaced_by_its_newest_good_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path(), 300);
    {
        let s = Store::open(&path).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        backup::automatic(&s, day.and_hms_opt(21, 0, 0).unwrap()).unwrap();
    }
    let conn = Connection::open(&path).unwrap();
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let mut damaged = bytes(&path);
    let half = damaged.len() / 2;
    damaged.truncate(half);
    std::fs::write(&path, &damaged).unwrap();

    let mut h = explained(&path, "is damaged");
    button(
        &h,
        "Restore the newest good backup (taken 2026-11-24 21:00)",
    )
    .click();
    h.run_steps(4);
    assert!(h.query_by_label("This database cannot be opened").is_none());
    assert_eq!(
        store::settings::counts(h.state().store().conn())
            .unwrap()
            .customers,
        300
    );
    assert_eq!(h.state().store().path(), path);
    // The damaged file was kept aside, byte for byte.
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("damaged"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(bytes(&aside[0]), damaged);
}

#[test]
fn an_empty_or_missing_file_becomes_a_shop_only_when_the_user_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let missing = dir.path().join("missing.sqlite3");
    for (path, says) in [
        (&empty, "is empty: it holds no shop"),
        (&missing, "no database at"),
    ] {
        let mut h = explained_even_if_missing(path, says);
        assert!(
            !path.exists() || bytes(path).is_empty(),
            "nothing written before asking"
        );
        // Not an error: there is no shop there yet.
        assert!(h.query_by_label("No shop here yet").is_some());
        assert!(h.query_by_label("This database cannot be opened").is_none());
        button(&h, "Start a new shop in this file").click();
        h.run_steps(4);
        assert!(h.query_by_label("This database cannot be opened").is_none());
        assert_eq!(h.state().store().path(), path.as_path());
        assert!(Store::open_existing(path).is_ok(), "a shop now");
    }
}

/// Like `explained`, for a file that may not exist yet.
fn explained_even_if_missing(path: &Path, expected: &str) -> Window {
    let before = std::fs::read(path).ok();
    let (mut h, message) = window_on(path);
    let message = message.expect("the file is not opened as it is");
    h.run_steps(3);
    assert!(
        message.contains(expected),
        "{message:?} does not say {expected:?}"
    );
    // The window words a missing file its own way (the command line's
    // message names commands), saying the same.
    assert!(
        texts(&h).iter().any(|t| t.contains(expected)),
        "the explanation is not shown: {:?}",
        texts(&h)
    );
    assert_eq!(std::fs::read(path).ok(), before, "the file was written to");
    h
}

#[test]
fn a_shop_on_a_read_only_disk_is_offered_read_only_not_called_damaged() {
    let Some(mount) = crate::files::ReadOnlyMount::new(|d| {
        let path = shop(d, 3);
        // As the app leaves it: in WAL mode.
        Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
    }) else {
        return;
    };
    let path = mount.dir.path().join("shop.sqlite3");
    let mut h = explained(&path, "you may not write to it");
    h.get_by_label("Open it read-only").click();
    h.run_steps(4);
    assert!(h.query_by_label("READ-ONLY").is_some());
    assert!(h.query_by_label("Customer 1").is_some(), "{:?}", texts(&h));
}

/// A shop another program is writing out of WAL mode (a command-line import
/// or demo has the whole file while it writes) is called busy, not damaged:
/// no backup is offered in its place, and "Try again" opens it once the
/// other program has finished.
#[test]
fn a_busy_shop_is_explained_and_opens_when_tried_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path(), 3);
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
        .unwrap()
        .and_hms_opt(21, 0, 0)
        .unwrap();
    backup::automatic(&Store::open_existing(&path).unwrap(), at).unwrap();
    let writer = Connection::open(&path).unwrap();
    writer
        .execute_batch(
            "PRAGMA journal_mode = DELETE; PRAGMA cache_size = 1; BEGIN;
             CREATE TABLE filler (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
             INSERT INTO filler SELECT randomblob(4000) FROM n;",
        )
        .unwrap();
    let (mut h, message) = window_on(&path);
    let message = message.expect("a busy shop does not open");
    assert!(message.contains("is busy"), "{message}");
    h.run_steps(3);
    assert!(shows(&h, &message), "the explanation is not shown");
    assert!(
        h.query_by_label_contains("Restore the newest good backup")
            .is_none(),
        "a busy shop is whole: no backup in its place"
    );
    writer.execute_batch("ROLLBACK").unwrap();
    drop(writer);
    h.get_by_label("Try again").click();
    h.run_steps(3);
    assert!(h.query_by_label("This database cannot be opened").is_none());
    assert!(h.query_by_label_contains("3 customers").is_some());
}
