//! Opening files: migrations, upgrades from every older schema, and refusal of
//! files that are not (or not yet) ours, leaving their bytes untouched.

use std::collections::BTreeMap;

use crate::common::*;
use rusqlite::Connection;
use shopkeeper::store::{self, MIGRATIONS, OpenError, Store};

/// The migrations are valid, and there is one per folder of `migrations/`,
/// numbered from 1 without a gap: `latest_version()` is that number, and a
/// new database is created at it.
#[test]
fn migrations_validate() {
    MIGRATIONS.validate().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut folders: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert!(!folders.is_empty());
    for (i, name) in folders.iter().enumerate() {
        assert!(
            name.starts_with(&format!("{:04}-", i + 1)),
            "migration folder {name} is not number {}",
            i + 1
        );
        assert!(
            dir.join(name).join("up.sql").is_file(),
            "{name} has no up.sql"
        );
    }
    assert_eq!(store::latest_version(), folders.len(), "{folders:?}");
    let (_dir, path) = temp_db();
    let s = Store::open(&path).unwrap();
    assert_eq!(user_version(s.conn()), folders.len());
}

fn user_version(conn: &Connection) -> usize {
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
        .unwrap() as usize
}

/// Every table of a database but SQLite's own (including the full-text
/// indexes and their shadow tables): its columns and its rows, ordered by
/// every column, each value as text.
type Tables = BTreeMap<String, (Vec<String>, Vec<String>)>;

fn tables(conn: &Connection) -> Tables {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|name| {
            let columns: Vec<String> = conn
                .prepare(&format!("SELECT * FROM \"{name}\""))
                .unwrap()
                .column_names()
                .into_iter()
                .map(str::to_owned)
                .collect();
            let rows = rows(conn, &name, &columns);
            (name, (columns, rows))
        })
        .collect()
}

/// The rows of `table`, only its `columns`, ordered by them.
fn rows(conn: &Connection, table: &str, columns: &[String]) -> Vec<String> {
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let order = (1..=columns.len())
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn
        .prepare(&format!("SELECT {list} FROM \"{table}\" ORDER BY {order}"))
        .unwrap_or_else(|e| panic!("{table} ({list}): {e}"));
    stmt.query_map([], |r| {
        (0..columns.len())
            .map(|i| {
                r.get::<_, rusqlite::types::Value>(i)
                    .map(|v| format!("{v:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .unwrap()
    .map(|row| row.unwrap().join("|"))
    .collect()
}

/// The schema's definitions: what each table, index and trigger is.
fn schema(conn: &Connection) -> Vec<(String, String, Option<String>)> {
    conn.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Each older schema version has a fixture (`tests/fixtures/vN.sql`, a dump of
/// a database at version N holding data). Opening it upgrades it, keeps every
/// row of every table it had, and writes a backup copy of it first.
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
        let (original, original_schema) = {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(&sql).unwrap();
            assert_eq!(user_version(&conn), version, "{fixture} sets user_version");
            (tables(&conn), schema(&conn))
        };
        // The fixture holds data worth keeping.
        for table in [
            "customers",
            "products",
            "orders",
            "order_items",
            "stock_movements",
        ] {
            assert!(!original[table].1.is_empty(), "{fixture}: {table} is empty");
        }
        let mut s = Store::open(&path).unwrap();
        let notices = s.take_notices();
        assert_eq!(notices.len(), 1, "{notices:?}");
        let backup = dir.path().join(format!("shop.before-v{latest}.sqlite3"));
        assert!(backup.exists(), "backup written");
        let b = Connection::open(&backup).unwrap();
        assert_eq!(
            user_version(&b),
            version,
            "the backup holds the old version"
        );
        assert_eq!(
            schema(&b),
            original_schema,
            "v{version}: the backup's schema"
        );
        assert_eq!(tables(&b), original, "v{version}: the backup's rows");
        assert_eq!(user_version(s.conn()), latest);
        // Every row of every table the fixture had, on the columns it had:
        // a migration may add a column (or a table, such as order_daily
        // derived from orders in version 2), and check::run below proves
        // what it derives; it may not change or lose what was there.
        for (table, (columns, rows_before)) in &original {
            let rows_after = rows(s.conn(), table, columns);
            assert_eq!(&rows_after, rows_before, "v{version}: the rows of {table}");
        }
        let customers: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap();
        assert!(customers > 0, "data kept");
        assert!(store::check::run(s.conn()).unwrap().ok());
    }
}

/// Version 5 rewrote the CHECK constraints of many-valued lists (slow for
/// SQLite to check) into equal ones: on a new file and on every upgraded
/// one, no such list is left, the file is sound, and the checks still refuse
/// what they refused.
#[test]
fn value_lists_are_checked_the_cheap_way_and_still_refuse_bad_values() {
    let latest = store::latest_version();
    let mut files = vec![temp_db()];
    for version in 1..latest {
        let fixture = format!(
            "{}/tests/fixtures/v{version}.sql",
            env!("CARGO_MANIFEST_DIR")
        );
        let (dir, path) = temp_db();
        Connection::open(&path)
            .unwrap()
            .execute_batch(&std::fs::read_to_string(&fixture).unwrap())
            .unwrap();
        files.push((dir, path));
    }
    for (_dir, path) in &files {
        let s = Store::open(path).unwrap();
        let c = s.conn();
        let lists: Vec<String> = c
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '% IN (''%'', ''%'', ''%'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            lists.is_empty(),
            "{}: lists left in {lists:?}",
            path.display()
        );
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let refused = |sql: &str| {
            let e = c.execute(sql, []).unwrap_err().to_string();
            assert!(e.contains("CHECK constraint failed"), "{sql}: {e}");
        };
        c.execute_batch(
            "INSERT INTO customers (id, name, created_at, updated_at) VALUES (900, 'Check', 'x', 'x');
             INSERT INTO orders (id, customer_id, order_date, order_time, status, created_at, updated_at)
             VALUES (900, 900, '2024-01-01', '10:00:00', 'paid', 'x', 'x');
             INSERT INTO order_status_history (order_id, from_status, to_status, changed_at)
             VALUES (900, NULL, 'paid', 'x'), (900, 'paid', 'shipped', 'x');",
        )
        .unwrap();
        refused(
            "INSERT INTO orders (customer_id, order_date, order_time, status, created_at, updated_at) VALUES (900, '2024-01-01', '10:00:00', 'lost', 'x', 'x')",
        );
        refused(
            "INSERT INTO order_status_history (order_id, from_status, to_status, changed_at) VALUES (900, 'lost', 'paid', 'x')",
        );
        refused(
            "INSERT INTO order_status_history (order_id, from_status, to_status, changed_at) VALUES (900, 'paid', 'Paid', 'x')",
        );
        refused(
            "INSERT INTO order_daily (order_date, status, orders, items, revenue) VALUES ('2030-01-01', 'gone', 1, 1, 1)",
        );
        refused(
            "INSERT INTO stock_movements (product_id, change, reason, stock_after, created_at) VALUES (1, 1, 'found', 1, 'x')",
        );
        refused(
            "INSERT INTO change_log (at, entity, action, summary) VALUES ('x', 'shop', 'edit', 'x')",
        );
        c.execute(
            "INSERT INTO change_log (at, entity, action, summary) VALUES ('x', 'import', 'import', 'x')",
            [],
        )
        .unwrap();
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
    assert_eq!(user_version(s.conn()), store::latest_version());
}

/// A database at `version` from its fixture.
fn from_fixture(version: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let fixture = format!(
        "{}/tests/fixtures/v{version}.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    let (dir, path) = temp_db();
    Connection::open(&path)
        .unwrap()
        .execute_batch(&std::fs::read_to_string(&fixture).unwrap())
        .unwrap();
    (dir, path)
}

/// Version 6 bounds amounts, quantities and dates in the schema, so that no
/// sum over a database can leave an i64 (issue 12, items 11 and 12): on a new
/// file and on every upgraded one, a row at the bound is kept and one past it
/// refused.
#[test]
fn amounts_quantities_and_dates_are_bounded_in_the_schema() {
    let mut files = vec![temp_db()];
    for version in 1..store::latest_version() {
        files.push(from_fixture(version));
    }
    for (_dir, path) in &files {
        let s = Store::open(path).unwrap();
        let c = s.conn();
        let refused = |sql: &str| {
            let e = c.execute(sql, []).unwrap_err().to_string();
            assert!(e.contains("CHECK constraint failed"), "{sql}: {e}");
        };
        c.execute_batch(
            "INSERT INTO customers (id, name, created_at, updated_at) VALUES (901, 'Bound', 'x', 'x');
             INSERT INTO products (id, sku, sku_key, name, price, cost, created_at, updated_at)
             VALUES (901, 'BOUND', 'bound', 'At the bound', 100000000000, 100000000000, 'x', 'x');
             INSERT INTO orders (id, customer_id, order_date, order_time, status, total, created_at, updated_at)
             VALUES (901, 901, '1970-01-01', '00:00:00', 'paid', 100000000000, 'x', 'x');
             INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total)
             VALUES (901, 901, 1000000, 100000, 100000000000);",
        )
        .unwrap();
        refused(
            "INSERT INTO products (sku, name, price, created_at, updated_at) VALUES ('P2', 'x', 100000000001, 'x', 'x')",
        );
        refused(
            "INSERT INTO products (sku, name, price, cost, created_at, updated_at) VALUES ('P3', 'x', 1, 100000000001, 'x', 'x')",
        );
        refused(
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total) VALUES (901, 901, 1000001, 1, 1000001)",
        );
        refused(
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total) VALUES (901, 901, 1, 100000000001, 100000000001)",
        );
        refused(
            "INSERT INTO orders (customer_id, order_date, order_time, status, total, created_at, updated_at) VALUES (901, '2024-01-01', '00:00:00', 'paid', 100000000001, 'x', 'x')",
        );
        refused(
            "INSERT INTO orders (customer_id, order_date, order_time, status, created_at, updated_at) VALUES (901, '1969-12-31', '00:00:00', 'paid', 'x', 'x')",
        );
        refused(
            "INSERT INTO orders (customer_id, order_date, order_time, status, created_at, updated_at) VALUES (901, '0000-01-01', '00:00:00', 'paid', 'x', 'x')",
        );
        // The keys are unique.
        let e = c
            .execute(
                "INSERT INTO products (sku, sku_key, name, price, created_at, updated_at) VALUES ('bound', 'bound', 'x', 1, 'x', 'x')",
                [],
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("UNIQUE"), "{e}");
    }
}

/// Version 6 keys every email and SKU by `domain::fold`, beyond ASCII too; two
/// SKUs an older version let in that differ only in the case of a letter
/// beyond ASCII keep their rows, the first one keyed.
#[test]
fn an_upgrade_keys_emails_and_skus_beyond_ascii() {
    let (_dir, path) = from_fixture(5);
    let mut s = Store::open(&path).unwrap();
    let c = s.conn();
    let found = store::customers::find_by_email(c, " élodie@EXEMPLE.FR ")
        .unwrap()
        .expect("found by its folded email");
    assert_eq!(found.email.as_deref(), Some("Élodie@Exemple.fr"));
    let keys: Vec<(i64, Option<String>)> = c
        .prepare("SELECT id, sku_key FROM products ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        keys,
        vec![
            (1, Some("mug-1".into())),
            (2, Some("tea-1".into())),
            (3, Some("ärm-1".into())),
            (4, None),
        ]
    );
    assert_eq!(
        store::products::find_by_sku(c, "äRM-1")
            .unwrap()
            .unwrap()
            .id,
        3
    );
    // A new customer with that email in another case is refused.
    let twin = customer("Élodie again", "ÉLODIE@exemple.fr");
    let e = s
        .write(|tx| store::customers::insert(tx, &twin))
        .unwrap_err();
    assert!(e.to_string().contains("email"), "{e}");
    assert!(store::check::run(s.conn()).unwrap().ok());
}

/// A file holding a row outside the bounds (only an older version could
/// write one) is not updated: the update stops and leaves it as it was.
#[test]
fn a_file_with_rows_outside_the_bounds_is_not_updated() {
    let (_dir, path) = from_fixture(5);
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO orders (customer_id, order_date, order_time, status, created_at, updated_at)
             VALUES (1, '0000-01-01', '00:00:00', 'paid', 'x', 'x');",
        )
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, OpenError::Migration { .. }), "{err:?}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(user_version(&conn), 5);
}

/// Version 8 (money): the version 7 shop's orders keep every figure;
/// revenue and gross sales are their totals; orders that reached paid got a
/// payment of their total when they did, and those that came back or were
/// cancelled after being paid got it back; the returned order's units are
/// recorded as returned.
#[test]
fn the_money_of_existing_orders_is_kept_on_upgrade() {
    let (_dir, path) = from_fixture(7);
    let s = Store::open(&path).unwrap();
    let c = s.conn();
    let figures: Vec<(i64, i64, i64, i64, i64, i64, i64)> = c
        .prepare("SELECT id, total, revenue, gross_sales, paid, refunded, balance FROM orders ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        figures,
        [
            (1, 2500, 2500, 2500, 2500, 0, 0),
            (2, 499, 499, 499, 0, 0, 0),
            (3, 1250, 1250, 1250, 1250, 1250, 0),
            (4, 998, 998, 998, 998, 998, 0),
        ]
    );
    let payments: Vec<(i64, String, String, i64)> = c
        .prepare("SELECT order_id, kind, paid_on, amount FROM payments ORDER BY order_id, id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let p = |o: i64, k: &str, d: &str, a: i64| (o, k.to_owned(), d.to_owned(), a);
    assert_eq!(
        payments,
        [
            p(1, "payment", "2025-02-01", 2500),
            p(3, "payment", "2025-04-01", 1250),
            p(3, "refund", "2025-04-10", 1250),
            p(4, "payment", "2025-04-02", 998),
            p(4, "refund", "2025-04-02", 998),
        ]
    );
    let returned: i64 = c
        .query_row(
            "SELECT returned FROM order_items WHERE order_id = 3",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(returned, 1);
    let spent: i64 = c
        .query_row("SELECT total_spent FROM customers WHERE id = 2", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(spent, 0, "Bea's two orders came back or were cancelled");
    assert!(store::check::run(c).unwrap().ok());
}
