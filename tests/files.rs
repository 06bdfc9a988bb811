//! Where files go (issue 12): what `export` and `backup` write to (never a
//! device, a pipe or a folder; an existing file only with `--force`), which
//! commands may create a database, other programs' files, read-only files,
//! a full disk, leftovers of a killed run, and what `check` finds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::*;
use rusqlite::Connection;
use shopkeeper::domain::OrderStatus;
use shopkeeper::store::{self, OpenError, Store, StoreError, orders};

fn shopkeeper(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shopkeeper"));
    c.env_remove("SHOPKEEPER_DB").arg("--db").arg(db);
    c
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A small shop on disk (WAL, as the app leaves it), with one order.
fn shop(dir: &Path) -> PathBuf {
    let path = dir.join("shop.sqlite3");
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let p = add_product(&mut s, "MUG", "Mug", "9.50", 10);
    s.write(|tx| orders::place(tx, &order(c, vec![line(p, 2, 950)]), &Default::default()))
        .unwrap();
    path
}

fn export(db: &Path, out: &Path, extra: &[&str]) -> Output {
    shopkeeper(db)
        .args(["export", "stock-levels", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn backup(db: &Path, out: &Path, extra: &[&str]) -> Output {
    shopkeeper(db)
        .args(["backup", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

#[test]
fn export_and_backup_never_replace_a_pipe_a_folder_or_a_link_with_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = shop(dir.path());
    let fifo = dir.path().join("pipe.csv");
    mkfifo(&fifo);
    let folder = dir.path().join("folder.csv");
    std::fs::create_dir(&folder).unwrap();
    for (out, what) in [(&fifo, "a named pipe (FIFO)"), (&folder, "a folder")] {
        for force in [&[][..], &["--force"][..]] {
            let o = export(&db, out, force);
            assert!(!o.status.success(), "{}", text(&o));
            assert!(text(&o).contains(what), "{}", text(&o));
        }
    }
    assert!(is_fifo(&fifo), "the pipe is still a pipe");
    assert!(folder.is_dir());
    let bfifo = dir.path().join("pipe.sqlite3");
    mkfifo(&bfifo);
    let o = backup(&db, &bfifo, &["--force"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("a named pipe (FIFO)"), "{}", text(&o));
    assert!(is_fifo(&bfifo));

    // As root, a device node: mknod a "null" device in the temp folder.
    let dev = dir.path().join("device.csv");
    let made = Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let o = export(&db, &dev, &["--force"]);
        assert!(text(&o).contains("a device"), "{}", text(&o));
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&dev)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }

    // A link to a file: the file it names is replaced, the link stays a link.
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let o = export(&db, &link, &["--force"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("sku,"));
    // A link to nothing is refused.
    let dangling = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink(dir.path().join("nowhere.csv"), &dangling).unwrap();
    let o = export(&db, &dangling, &["--force"]);
    assert!(
        text(&o).contains("a link to a file that does not exist"),
        "{}",
        text(&o)
    );
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = shop(dir.path());
    let out = dir.path().join("stock.csv");
    std::fs::write(&out, "keep me").unwrap();
    let o = export(&db, &out, &[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("already exists"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
    let o = export(&db, &out, &["--force"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("sku,"));

    let copy = dir.path().join("copy.sqlite3");
    std::fs::write(&copy, "keep me").unwrap();
    let o = backup(&db, &copy, &[]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("already exists"), "{}", text(&o));
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), "keep me");
    let o = backup(&db, &copy, &["--force"]);
    assert!(o.status.success(), "{}", text(&o));
    store::backup::verify(&copy).unwrap();
}

#[test]
fn check_export_and_backup_refuse_a_missing_or_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("mistyped.sqlite3");
    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let out = dir.path().join("out.csv");
    let copy = dir.path().join("copy.sqlite3");
    for db in [&missing, &empty] {
        let runs = [
            shopkeeper(db).arg("check").output().unwrap(),
            export(db, &out, &[]),
            backup(db, &copy, &[]),
        ];
        for o in runs {
            assert!(!o.status.success(), "{}", text(&o));
            let said = text(&o);
            if db == &missing {
                assert!(
                    said.contains(&format!("there is no database at {}", missing.display())),
                    "{said}"
                );
            } else {
                assert!(said.contains("is empty: it holds no shop"), "{said}");
            }
        }
    }
    // Nor does `demo` or `import` turn an empty file into a shop.
    let csv = dir.path().join("customers.csv");
    std::fs::write(&csv, "name,email\nAna,ana@example.com\n").unwrap();
    let runs = [
        shopkeeper(&empty)
            .args(["demo", "--orders", "0"])
            .output()
            .unwrap(),
        shopkeeper(&empty)
            .args(["import", "customers"])
            .arg(&csv)
            .output()
            .unwrap(),
    ];
    for o in runs {
        assert!(!o.status.success(), "{}", text(&o));
        assert!(
            text(&o).contains("is empty: it holds no shop"),
            "{}",
            text(&o)
        );
    }
    assert!(!missing.exists(), "no shop was created");
    assert_eq!(bytes(&empty), b"", "the empty file stays empty");
    assert!(!out.exists() && !copy.exists());
    // `demo` and `import` may still start a shop.
    let o = shopkeeper(&missing)
        .args([
            "demo",
            "--customers",
            "2",
            "--products",
            "2",
            "--orders",
            "2",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn another_programs_file_is_refused_whatever_its_user_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite3");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); PRAGMA user_version = 3;")
        .unwrap();
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, OpenError::Foreign { .. }), "{err}");
    assert_eq!(bytes(&path), before);
}

#[test]
fn a_shopkeeper_file_whose_version_was_reset_gets_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 0;")
        .unwrap();
    let before = bytes(&path);
    let err = Store::open(&path).unwrap_err().to_string();
    assert!(err.contains("schema version was reset"), "{err}");
    assert!(err.len() < 400, "{} bytes: {err}", err.len());
    assert!(!err.contains("beside it"), "{err}");
    assert_eq!(bytes(&path), before);
}

/// A tmpfs mounted at a temp folder, made read-only after `fill` ran; only
/// as root (None otherwise). Unmounted when dropped.
pub struct ReadOnlyMount {
    pub dir: tempfile::TempDir,
}

impl ReadOnlyMount {
    pub fn new(fill: impl FnOnce(&Path)) -> Option<ReadOnlyMount> {
        let dir = tempfile::tempdir().ok()?;
        let mount = |args: &[&str]| {
            Command::new("mount")
                .args(args)
                .arg(dir.path())
                .status()
                .is_ok_and(|s| s.success())
        };
        if !mount(&["-t", "tmpfs", "-o", "size=16m", "tmpfs"]) {
            println!("not root (or no mount): the read-only mount is not tried");
            return None;
        }
        fill(dir.path());
        if !mount(&["-o", "remount,ro"]) {
            let _ = Command::new("umount").arg(dir.path()).status();
            return None;
        }
        Some(ReadOnlyMount { dir })
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_healthy_database_on_a_read_only_disk_is_read_only_not_damaged() {
    let Some(mount) = ReadOnlyMount::new(|d| {
        shop(d);
    }) else {
        return;
    };
    let db = mount.dir.path().join("shop.sqlite3");
    let err = Store::open(&db).unwrap_err();
    assert!(matches!(err, OpenError::ReadOnly { .. }), "{err}");
    let s = Store::open_read_only(&db).unwrap();
    assert!(s.read_only());
    drop(s);
    let o = shopkeeper(&db).arg("check").output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("opened read-only"), "{}", text(&o));
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("stock.csv");
    let o = export(&db, &csv, &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read_to_string(&csv).unwrap().contains("MUG"));
    let copy = out.path().join("copy.sqlite3");
    let o = backup(&db, &copy, &[]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn a_full_disk_says_so_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let mut s = Store::open(&path).unwrap();
    let pages: i64 = s
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    s.conn()
        .execute_batch(&format!("PRAGMA max_page_count = {pages};"))
        .unwrap();
    let mut failed = None;
    for i in 0..5000 {
        let c = customer(
            &format!("Customer {i} {}", "x".repeat(150)),
            &format!("c{i}@e.com"),
        );
        if let Err(e) = s.write(|tx| store::customers::insert(tx, &c)) {
            failed = Some((i, e));
            break;
        }
    }
    let (i, err) = failed.expect("the file could not grow");
    assert!(matches!(err, StoreError::DiskFull), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("the disk is full"), "{message}");
    assert!(message.contains("nothing was saved"), "{message}");
    drop(s);
    let s = Store::open(&path).unwrap();
    let kept: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM customers WHERE email = ?1",
            [format!("c{i}@e.com")],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0, "the refused customer was not saved");
    assert_checks(&s);
}

#[test]
fn opening_folds_a_left_over_log_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    // A writer that stops without closing (killed, or its disk was full)
    // leaves its changes in the -wal file only.
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         UPDATE customers SET notes = 'written by the stopped run';",
    )
    .unwrap();
    std::mem::forget(conn);
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    let s = Store::open(&path).unwrap();
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
    // The file alone (as copied by hand) now holds the change.
    let copy = dir.path().join("copied.sqlite3");
    std::fs::copy(&path, &copy).unwrap();
    let notes: String = Connection::open(&copy)
        .unwrap()
        .query_row("SELECT notes FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(notes, "written by the stopped run");
    drop(s);
}

#[test]
fn leftovers_of_a_killed_export_or_backup_are_removed_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = shop(dir.path());
    let d = dir.path();
    // No process has this id (Linux ids stay below 2^22).
    let dead = 2_000_000_000u32;
    let leftovers = [
        format!(".stock.csv.{dead}.partial"),
        format!(".stock.csv.{dead}.shopkeeper.partial"),
        format!(".copy.sqlite3.{dead}.shopkeeper.partial-journal"),
        "copy.sqlite3.partial".to_owned(),
        "copy.sqlite3.partial-wal".to_owned(),
    ];
    let others = [
        ".notes.partial".to_owned(),
        format!(".other.csv.{dead}.partial"),
        format!(".stock.csv.{}.shopkeeper.partial", std::process::id()),
        "stock.csv.bak".to_owned(),
    ];
    for name in leftovers.iter().chain(&others) {
        std::fs::write(d.join(name), vec![0u8; 1000]).unwrap();
    }
    let o = export(&db, &d.join("stock.csv"), &[]);
    assert!(o.status.success(), "{}", text(&o));
    let o = backup(&db, &d.join("copy.sqlite3"), &[]);
    assert!(o.status.success(), "{}", text(&o));
    for name in &leftovers {
        assert!(!d.join(name).exists(), "{name} is still there");
    }
    for name in &others {
        assert!(d.join(name).exists(), "{name} is not ours to remove");
    }
}

#[test]
fn options_a_report_does_not_take_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = shop(dir.path());
    let out = dir.path().join("sales.csv");
    let o = shopkeeper(&db)
        .args([
            "export",
            "sales-by-date",
            "--limit",
            "5",
            "--customer",
            "ana@example.com",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(
            "--customer and --limit are not used by the sales-by-date report, so nothing was written; it takes --from, --to, --by"
        ),
        "{}",
        text(&o)
    );
    assert!(!out.exists());
    let o = shopkeeper(&db)
        .args(["export", "stock-levels", "--limit", "5", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(text(&o).contains("it takes --low"), "{}", text(&o));
    let o = shopkeeper(&db)
        .args(["export", "top-products", "--limit", "5", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
}

/// Two orders of one customer, one moved on to paid.
fn two_orders() -> (tempfile::TempDir, Store, i64, i64) {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let p = add_product(&mut s, "MUG", "Mug", "9.50", 10);
    let a = s
        .write(|tx| orders::place(tx, &order(c, vec![line(p, 1, 950)]), &Default::default()))
        .unwrap();
    let b = s
        .write(|tx| orders::place(tx, &order(c, vec![line(p, 2, 950)]), &Default::default()))
        .unwrap();
    s.write(|tx| orders::set_status(tx, a, OrderStatus::Paid))
        .unwrap();
    assert_checks(&s);
    (dir, s, a, b)
}

fn failures(s: &Store) -> Vec<String> {
    store::check::run(s.conn())
        .unwrap()
        .findings
        .into_iter()
        .filter(|f| !f.ok)
        .map(|f| format!("{}: {}", f.name, f.detail))
        .collect()
}

/// An order placed in the window whose first history row (placed, from
/// nothing) is gone is caught, though an imported order's history may start
/// from the status it came with.
#[test]
fn check_finds_an_order_placed_here_that_lost_its_first_status_row() {
    let (_dir, s, a, _b) = two_orders();
    s.conn()
        .execute(
            "DELETE FROM order_status_history
             WHERE id = (SELECT min(id) FROM order_status_history WHERE order_id = ?1)",
            [a],
        )
        .unwrap();
    let f = failures(&s);
    assert!(
        f.iter()
            .any(|f| f.starts_with("each order's status history leads to its status")),
        "{f:?}"
    );
}

#[test]
fn check_finds_a_status_change_moved_to_another_order() {
    let (_dir, s, a, b) = two_orders();
    s.conn()
        .execute(
            "UPDATE order_status_history SET order_id = ?2
             WHERE id = (SELECT max(id) FROM order_status_history WHERE order_id = ?1)",
            [a, b],
        )
        .unwrap();
    let f = failures(&s);
    assert!(
        f.iter()
            .any(|f| f.starts_with("each order's status history leads to its status")),
        "{f:?}"
    );
}

#[test]
fn check_finds_text_that_is_not_utf8() {
    let (_dir, s, a, _) = two_orders();
    s.conn()
        .execute(
            "UPDATE orders SET created_at = CAST(x'32303236ff2d3031' AS TEXT) WHERE id = ?1",
            [a],
        )
        .unwrap();
    let f = failures(&s);
    assert_eq!(
        f,
        vec![format!(
            "every text is valid UTF-8: 1 found, for example: orders.created_at of row {a}"
        )]
    );
}

#[test]
fn check_names_only_the_figures_that_differ() {
    let (_dir, s, _, _) = two_orders();
    s.conn()
        .execute_batch("UPDATE customers SET first_order_date = '2000-01-01'")
        .unwrap();
    let f = failures(&s);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].contains("first order 2000-01-01, orders say"), "{f:?}");
    assert!(!f[0].contains(" orders, orders say"), "{f:?}");
    assert!(!f[0].contains("spent"), "{f:?}");
}

#[test]
fn check_names_only_the_figures_that_differ_in_totals_and_the_daily_summary() {
    let (_dir, s, a, _) = two_orders();
    s.conn()
        .execute_batch(&format!(
            "UPDATE orders SET item_count = item_count + 1 WHERE id = {a};
             UPDATE order_daily SET items = items + 5;"
        ))
        .unwrap();
    let f = failures(&s);
    let totals = f
        .iter()
        .find(|f| f.starts_with("order totals equal the sum of their lines"))
        .expect("the order's items are found");
    assert!(
        totals.contains(&format!("#{a}: items 2, lines say 1;")),
        "{totals}"
    );
    assert!(!totals.contains("total "), "{totals}");
    let daily = f
        .iter()
        .find(|f| f.starts_with("the daily order summary matches the orders"))
        .expect("the summary's items are found");
    assert!(daily.contains(" items, orders say "), "{daily}");
    assert!(
        !daily.contains("orders, orders say") && !daily.contains("revenue"),
        "{daily}"
    );
}
