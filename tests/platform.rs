//! Issue 16 items 1 and 4: Shopify's and WooCommerce's exports read as they
//! are (fixtures in tests/fixtures/platform, written by make.py there from
//! the platforms' published column lists). After an import, sales by date
//! and stock are compared with a computation written here from the
//! fixtures' figures, not with the importer's own arithmetic.

use std::path::{Path, PathBuf};

use crate::common::*;
use shopkeeper::domain::report::Cell;
use shopkeeper::domain::{Money, ReportKind, ReportSpec};
use shopkeeper::import::{self, Format, ImportError, ImportKind, ImportOptions, ImportSummary};
use shopkeeper::store::{self, Store};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/platform")
        .join(name)
}

fn run(store: &mut Store, kind: ImportKind, name: &str) -> Result<ImportSummary, ImportError> {
    import::run(
        store,
        kind,
        &fixture(name),
        ImportOptions::default(),
        &mut |_, _| true,
    )
}

fn fresh() -> (tempfile::TempDir, Store) {
    let (dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    (dir, store)
}

fn one<T: rusqlite::types::FromSql>(store: &Store, sql: &str) -> T {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Runs an import that must be refused; nothing may change.
fn refused(store: &mut Store, kind: ImportKind, name: &str) -> Vec<(u64, String, String)> {
    let before = dump(store);
    let err = run(store, kind, name).expect_err("the import should be refused");
    assert_eq!(dump(store), before, "a refused import changed the database");
    match err {
        ImportError::Rows { problems, .. } => problems
            .into_iter()
            .map(|p| (p.line, p.column, p.reason))
            .collect(),
        other => panic!("expected row problems, got: {other}"),
    }
}

/// The orders of shopify_orders.csv as the fixture writes them: (day,
/// whether it counts as a sale, Subtotal, Shipping, Taxes, Total, prices
/// include tax, Refunded Amount of a sale).
type Order = (&'static str, bool, i64, i64, i64, i64, bool, i64);

const ORDERS: [Order; 7] = [
    ("2024-03-05", true, 6750, 500, 1450, 8700, false, 0),
    ("2024-03-05", true, 3500, 0, 0, 3500, false, 0),
    ("2024-03-06", true, 5000, 0, 0, 5000, false, 0),
    ("2024-03-06", true, 5400, 0, 900, 5400, true, 1000),
    // Refunded in full: returned; voided: cancelled. Neither counts.
    ("2024-03-07", false, 3500, 0, 0, 3500, false, 0),
    ("2024-03-07", false, 2000, 0, 0, 2000, false, 0),
    ("2024-03-08", true, 7900, 650, 1710, 10260, false, 0),
];

/// A day of sales: (day, orders, revenue, shipping, tax, total, refunds).
type Day = (String, i64, i64, i64, i64, i64, i64);

/// Sales by date (orders, revenue, shipping, tax, total, refunds) worked
/// out from `ORDERS`: revenue is Subtotal without the tax it includes.
fn expected_days() -> Vec<Day> {
    let mut days: Vec<Day> = Vec::new();
    for (day, sale, subtotal, shipping, taxes, total, included, refunded) in ORDERS {
        if days.last().is_none_or(|d| d.0 != day) {
            days.push((day.to_owned(), 0, 0, 0, 0, 0, 0));
        }
        if !sale {
            continue;
        }
        let d = days.last_mut().unwrap();
        d.1 += 1;
        d.2 += if included { subtotal - taxes } else { subtotal };
        d.3 += shipping;
        d.4 += taxes;
        d.5 += total;
        d.6 += refunded;
    }
    days
}

fn sales_by_date(store: &Store) -> Vec<Day> {
    let spec = ReportSpec {
        from: Some("2024-03-05".into()),
        to: Some("2024-03-08".into()),
        ..ReportSpec::new(ReportKind::SalesByDate)
    };
    let (t, _) = store::reports::run(store.conn(), &spec, 10_000).unwrap();
    let at = |name: &str| t.columns().iter().position(|c| c.0 == name).unwrap();
    let (orders, revenue, shipping, tax, total, refunds) = (
        at("orders"),
        at("revenue"),
        at("shipping"),
        at("tax"),
        at("total"),
        at("refunds"),
    );
    let money = |c: &Cell| match c {
        Cell::Amount(Money(m)) => *m,
        other => panic!("not an amount: {other:?}"),
    };
    t.rows
        .iter()
        .map(|r| {
            let day = match &r[0] {
                Cell::Text(t) => t.clone(),
                other => panic!("{other:?}"),
            };
            let n = match &r[orders] {
                Cell::Int(n) => *n,
                other => panic!("{other:?}"),
            };
            (
                day,
                n,
                money(&r[revenue]),
                money(&r[shipping]),
                money(&r[tax]),
                money(&r[total]),
                money(&r[refunds]),
            )
        })
        .collect()
}

fn stock(store: &Store) -> Vec<(String, i64, i64)> {
    let mut stmt = store
        .conn()
        .prepare("SELECT sku, stock, track_stock FROM products ORDER BY sku")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn the_layout_is_told_from_the_header_and_named_in_the_preview() {
    for (file, name) in [
        ("shopify_orders.csv", "Shopify orders export"),
        ("shopify_products.csv", "Shopify products export"),
        ("shopify_customers_old.csv", "Shopify customers export"),
        ("shopify_customers_new.csv", "Shopify customers export"),
        ("woocommerce_products.csv", "WooCommerce products export"),
    ] {
        let p = import::preview(&fixture(file), ImportKind::Orders, 8).unwrap();
        assert_eq!(p.layout, Some(name), "{file}");
        assert_eq!(p.column_problem, None, "{file}");
    }
    let p = import::preview(&fixture("shopify_orders.csv"), ImportKind::Orders, 20).unwrap();
    let notes = p.notes.join("\n");
    for shown in [
        "paid / fulfilled -> Shipped",
        "pending / unfulfilled -> Pending",
        "refunded / fulfilled -> Returned",
        "voided / unfulfilled, cancelled -> Cancelled",
        "partially_refunded / fulfilled -> Shipped",
        "The orders are in EUR",
    ] {
        assert!(notes.contains(shown), "{shown} missing from:\n{notes}");
    }
    let column = |p: &import::Preview, h: &str| {
        let i = p.headers.iter().position(|x| x == h).unwrap();
        p.fields[i]
    };
    assert_eq!(column(&p, "Lineitem sku"), Some("sku"));
    assert_eq!(column(&p, "Device ID"), None);
    let p = import::preview(&fixture("shopify_products.csv"), ImportKind::Products, 8).unwrap();
    let notes = p.notes.join("\n");
    assert!(
        notes.contains("line 2: no Variant SKU, so its SKU will be classic-tee-red-m"),
        "{notes}"
    );
    assert!(notes.contains("SKU will be gift-card-50"), "{notes}");
}

#[test]
fn a_shopify_orders_export_alone_fills_an_empty_shop() {
    let (_dir, mut s) = fresh();
    let summary = run(&mut s, ImportKind::Orders, "shopify_orders.csv").unwrap();
    let message = summary.message();
    assert!(
        message.contains("Imported 7 orders (9 order lines) from a Shopify orders export"),
        "{message}"
    );
    assert!(message.contains("7 new, 0 already here"), "{message}");
    assert!(
        message.contains("5 customers and 4 products (2 do not track stock)"),
        "{message}"
    );
    assert!(
        message.contains("takes the file's currency: EUR (€)"),
        "{message}"
    );
    assert_eq!(store::settings::currency(s.conn()).unwrap().symbol, "€");
    assert_eq!(sales_by_date(&s), expected_days());
    // Past orders: stock is untouched (every product made from a line item starts at 0).
    assert_eq!(
        stock(&s),
        vec![
            ("MUG-01".to_owned(), 0, 1),
            ("TEE-BLU-L".to_owned(), 0, 1),
            ("classic-tee-red-m".to_owned(), 0, 0),
            ("gift-card-50".to_owned(), 0, 0),
        ]
    );
    assert_eq!(one::<i64>(&s, "SELECT count(*) FROM stock_movements"), 0);
    // Customers: by email (Alice twice, in two cases), a guest by billing
    // name, one "Guest" for the order with neither.
    let names: String = one(
        &s,
        "SELECT group_concat(name, '|') FROM (SELECT name FROM customers ORDER BY name)",
    );
    assert_eq!(names, "Alice Martin|Bob Guest|Carol Smith|Dave Jones|Guest");
    let address: String = one(
        &s,
        "SELECT address FROM customers WHERE email = 'alice@example.com'",
    );
    assert_eq!(address, "12 Rue de la Paix\nBâtiment B");
    let zip: String = one(
        &s,
        "SELECT postal_code FROM customers WHERE email = 'alice@example.com'",
    );
    assert_eq!(zip, "75002");
    // The ship-to keeps the export's lines, its country by name ("FR").
    let ship_to: String = one(
        &s,
        "SELECT ship_to FROM orders WHERE external_ref = '#1001'",
    );
    assert_eq!(
        ship_to,
        "Alice Martin\n12 Rue de la Paix\nBâtiment B\n75002 Paris\nFrance"
    );
    // Statuses, references, money.
    let statuses: String = one(
        &s,
        "SELECT group_concat(external_ref || '=' || status, ' ') FROM (SELECT * FROM orders ORDER BY external_ref)",
    );
    assert_eq!(
        statuses,
        "#1001=shipped #1002=pending #1003=paid #1004=shipped #1005=returned #1006=cancelled #1007=shipped"
    );
    let (paid, refunded, code): (i64, i64, String) = s
        .conn()
        .query_row(
            "SELECT paid, refunded, discount_code FROM orders WHERE external_ref = '#1001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((paid, refunded, code.as_str()), (8700, 0, "WELCOME10"));
    let refund: (i64, i64) = s
        .conn()
        .query_row(
            "SELECT paid, refunded FROM orders WHERE external_ref = '#1004'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(refund, (5400, 1000));
    let pending: i64 = one(&s, "SELECT paid FROM orders WHERE external_ref = '#1002'");
    assert_eq!(pending, 0);
    let when: String = one(
        &s,
        "SELECT order_date || ' ' || order_time FROM orders WHERE external_ref = '#1002'",
    );
    assert_eq!(
        when, "2024-03-05 22:10:00",
        "the day and time as Shopify wrote them"
    );
    assert_checks(&s);
}

#[test]
fn products_then_orders_leave_the_stock_shopify_had() {
    let (_dir, mut s) = fresh();
    let summary = run(&mut s, ImportKind::Products, "shopify_products.csv").unwrap();
    let message = summary.message();
    assert!(
        message.contains("Imported 5 products from a Shopify products export"),
        "{message}"
    );
    assert!(
        message.contains("1 variant had stock below zero"),
        "{message}"
    );
    let names: String = one(
        &s,
        "SELECT group_concat(name, '|') FROM (SELECT name FROM products ORDER BY sku)",
    );
    assert_eq!(
        names,
        "Coffee Mug|Old Poster|Classic Tee - Blue / L|Classic Tee - Red / M|Gift Card - $50"
    );
    let text: String = one(
        &s,
        "SELECT description FROM products WHERE sku = 'TEE-BLU-L'",
    );
    assert_eq!(
        text,
        "Soft organic cotton & a relaxed fit.\n- Machine wash cold\n- Made in Portugal"
    );
    let (price, cost): (i64, i64) = s
        .conn()
        .query_row(
            "SELECT price, cost FROM products WHERE sku = 'classic-tee-red-m'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((price, cost), (2000, 800));
    let archived: i64 = one(&s, "SELECT archived FROM products WHERE sku = 'POSTER-1'");
    assert_eq!(archived, 1);
    let shopify_stock = vec![
        ("MUG-01".to_owned(), 12, 1),
        ("POSTER-1".to_owned(), 0, 1),
        ("TEE-BLU-L".to_owned(), 5, 1),
        ("classic-tee-red-m".to_owned(), 10, 1),
        ("gift-card-50".to_owned(), 0, 0),
    ];
    assert_eq!(stock(&s), shopify_stock);
    let summary = run(&mut s, ImportKind::Orders, "shopify_orders.csv").unwrap();
    assert!(
        summary.message().contains("5 customers and 0 products"),
        "every line item found its product: {}",
        summary.message()
    );
    assert_eq!(stock(&s), shopify_stock, "past orders leave stock as it is");
    assert_eq!(sales_by_date(&s), expected_days());
    // Costs come from the products: margin has something to go by.
    let cost: i64 = one(&s, "SELECT cost FROM orders WHERE external_ref = '#1004'");
    assert_eq!(cost, 3 * 850);
    // The same products file again changes nothing.
    let before = dump(&s);
    let again = run(&mut s, ImportKind::Products, "shopify_products.csv").unwrap();
    assert!(
        again.message().contains("0 new, 5 already here"),
        "{}",
        again.message()
    );
    assert_eq!(
        dump(&s),
        before,
        "an import with nothing new writes nothing"
    );
    assert_checks(&s);
}

#[test]
fn a_later_export_adds_only_the_new_orders() {
    let (_dir, mut s) = fresh();
    run(&mut s, ImportKind::Orders, "shopify_orders.csv").unwrap();
    let orders_before = query_rows(
        &s,
        &[
            "SELECT * FROM orders ORDER BY id",
            "SELECT * FROM customers ORDER BY id",
        ],
    );
    let summary = run(&mut s, ImportKind::Orders, "shopify_orders_later.csv").unwrap();
    let message = summary.message();
    assert!(message.contains("1 new, 1 already here"), "{message}");
    assert!(
        message.contains("Imported 1 order (1 order line)"),
        "{message}"
    );
    let after = query_rows(
        &s,
        &[
            "SELECT * FROM orders WHERE external_ref <> '#1008' ORDER BY id",
            "SELECT * FROM customers WHERE email IS NULL OR email <> 'erin@example.com' ORDER BY id",
        ],
    );
    // Alice's figures grow only by new orders of hers: there are none.
    assert_eq!(
        after, orders_before,
        "orders already here are left as they were"
    );
    let total: i64 = one(&s, "SELECT total FROM orders WHERE external_ref = '#1008'");
    assert_eq!(total, 3500);
    // The same file once more: nothing new.
    let before = query_rows(&s, &["SELECT * FROM orders ORDER BY id"]);
    let again = run(&mut s, ImportKind::Orders, "shopify_orders_later.csv").unwrap();
    assert!(
        again.message().contains("0 new, 2 already here"),
        "{}",
        again.message()
    );
    assert_eq!(
        query_rows(&s, &["SELECT * FROM orders ORDER BY id"]),
        before
    );
    assert_checks(&s);
}

#[test]
fn refusals_name_the_line_and_column_and_write_nothing() {
    let (_dir, mut s) = fresh();
    let problems = refused(&mut s, ImportKind::Orders, "shopify_orders_bad.csv");
    let find = |line: u64, column: &str| {
        problems
            .iter()
            .find(|p| p.0 == line && p.1 == column)
            .unwrap_or_else(|| panic!("no problem at line {line}, {column}: {problems:?}"))
            .2
            .clone()
    };
    let subtotal = find(2, "Subtotal");
    assert!(
        subtotal.contains("#2001") && subtotal.contains("1.00"),
        "{subtotal}"
    );
    assert!(find(3, "Created at").contains("01/04/2024"));
    // The value is quoted, as every other refusal quotes its value.
    let quantity = find(4, "Lineitem quantity");
    assert!(
        quantity.starts_with("\"two\" is not a quantity"),
        "{quantity}"
    );
    // Another currency than the shop's, once the shop has orders.
    run(&mut s, ImportKind::Orders, "shopify_orders.csv").unwrap();
    let problems = refused(&mut s, ImportKind::Orders, "shopify_orders_usd.csv");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].0, problems[0].1.as_str()), (2, "Currency"));
    assert!(
        problems[0].2.contains("USD") && problems[0].2.contains("€"),
        "{problems:?}"
    );
}

#[test]
fn a_check_writes_nothing_and_says_what_an_import_would_do() {
    let (_dir, mut s) = fresh();
    let before = dump(&s);
    let options = ImportOptions {
        dry_run: true,
        ..ImportOptions::default()
    };
    let summary = import::run(
        &mut s,
        ImportKind::Orders,
        &fixture("shopify_orders.csv"),
        options,
        &mut |_, _| true,
    )
    .unwrap();
    assert!(
        summary.message().contains("7 new, 0 already here"),
        "{}",
        summary.message()
    );
    assert!(
        summary.message().contains("Nothing was written"),
        "{}",
        summary.message()
    );
    assert_eq!(dump(&s), before);
}

#[test]
fn shopify_customers_old_and_new_layouts() {
    let (_dir, mut s) = fresh();
    let summary = run(&mut s, ImportKind::Customers, "shopify_customers_old.csv").unwrap();
    assert!(
        summary
            .message()
            .contains("Imported 2 customers from a Shopify customers export"),
        "{}",
        summary.message()
    );
    let alice: (String, String, String, String, String, String) = s
        .conn()
        .query_row(
            "SELECT name, phone, address, city, postal_code, notes FROM customers WHERE email = 'alice@example.com'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    assert_eq!(
        alice,
        (
            "Alice Martin".to_owned(),
            "+33 1 23 45 67 89".to_owned(),
            "12 Rue de la Paix\nBâtiment B".to_owned(),
            "Paris".to_owned(),
            "75002".to_owned(),
            "Prefers email\nTags: vip".to_owned()
        )
    );
    // A phone the form would refuse is kept in the notes instead.
    let acme: (String, String, Option<String>, String) = s
        .conn()
        .query_row(
            "SELECT address, city, phone, notes FROM customers WHERE name = 'Acme Ltd'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        acme,
        (
            "Acme Ltd\n1 Main St\nUnit 4".to_owned(),
            "Leeds, England".to_owned(),
            None,
            "Phone: 0113 496 0000 ext. 12".to_owned()
        )
    );
    // The newer layout; Alice is already here (her email in another case).
    let summary = run(&mut s, ImportKind::Customers, "shopify_customers_new.csv").unwrap();
    assert!(
        summary.message().contains("1 new, 1 already here"),
        "{}",
        summary.message()
    );
    let carol: (String, String, String) = s
        .conn()
        .query_row(
            "SELECT city, postal_code, phone FROM customers WHERE email = 'carol@example.com'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        carol,
        (
            "Austin, TX".to_owned(),
            "07030".to_owned(),
            "+1 555-0100".to_owned()
        )
    );
    assert_eq!(one::<i64>(&s, "SELECT count(*) FROM customers"), 3);
}

#[test]
fn woocommerce_products_with_variations() {
    let (_dir, mut s) = fresh();
    let summary = run(&mut s, ImportKind::Products, "woocommerce_products.csv").unwrap();
    let message = summary.message();
    assert!(
        message.contains("Imported 4 products from a WooCommerce products export"),
        "{message}"
    );
    assert!(message.contains("1 row has a sale price"), "{message}");
    assert_eq!(
        stock(&s),
        vec![
            ("HOODIE-BLUE".to_owned(), 4, 1),
            ("WOO-BEANIE".to_owned(), 7, 1),
            ("WOO-EBOOK".to_owned(), 0, 0),
            ("woo-22".to_owned(), 2, 1),
        ]
    );
    let green: (String, i64, String, String) = s
        .conn()
        .query_row(
            "SELECT name, price, category, description FROM products WHERE sku = 'woo-22'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        green,
        (
            "Hoodie - Green".to_owned(),
            4500,
            "Clothing > Hoodies".to_owned(),
            "Fleece hoodie".to_owned()
        )
    );
    let beanie: (i64, String, String) = s
        .conn()
        .query_row(
            "SELECT price, category, description FROM products WHERE sku = 'WOO-BEANIE'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        beanie,
        (
            1800,
            "Clothing > Accessories".to_owned(),
            "Warm wool beanie.\nOne size.".to_owned()
        )
    );
    assert_checks(&s);
}

#[test]
fn format_overrides_detection() {
    let (_dir, mut s) = fresh();
    // As our own layout, a Shopify file's columns do not fit.
    let options = ImportOptions::default();
    let err = import::run_as(
        &mut s,
        ImportKind::Orders,
        &fixture("shopify_orders.csv"),
        options,
        Some(Format::Shopkeeper),
        &mut |_, _| true,
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::Columns { .. }), "{err}");
    // A Shopify file is not WooCommerce's.
    let err = import::run_as(
        &mut s,
        ImportKind::Products,
        &fixture("shopify_products.csv"),
        options,
        Some(Format::WooCommerce),
        &mut |_, _| true,
    )
    .unwrap_err();
    assert!(err.to_string().contains("WooCommerce"), "{err}");
    assert_eq!(one::<i64>(&s, "SELECT count(*) FROM products"), 0);
}

/// A product that does not track stock (a gift card from an export) sells
/// in the window without stock, and moves none when the order is cancelled.
#[test]
fn a_product_that_does_not_track_stock_sells_without_stock() {
    use shopkeeper::domain::OrderStatus;
    use shopkeeper::store::orders::{self, Placement};
    let (_dir, mut s) = fresh();
    run(&mut s, ImportKind::Products, "shopify_products.csv").unwrap();
    let gift: i64 = one(&s, "SELECT id FROM products WHERE sku = 'gift-card-50'");
    let mug: i64 = one(&s, "SELECT id FROM products WHERE sku = 'MUG-01'");
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let o = order(ana, vec![line(gift, 3, 5000), line(mug, 2, 3500)]);
    let id = s
        .write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    assert_eq!(
        stock(&s),
        vec![
            ("MUG-01".to_owned(), 10, 1),
            ("POSTER-1".to_owned(), 0, 1),
            ("TEE-BLU-L".to_owned(), 5, 1),
            ("classic-tee-red-m".to_owned(), 10, 1),
            ("gift-card-50".to_owned(), 0, 0),
        ]
    );
    assert_checks(&s);
    s.write(|tx| orders::set_status(tx, id, OrderStatus::Cancelled))
        .unwrap();
    let gift_moves: i64 = one(
        &s,
        &format!("SELECT count(*) FROM stock_movements WHERE product_id = {gift}"),
    );
    assert_eq!(gift_moves, 0);
    let mug_stock: i64 = one(&s, "SELECT stock FROM products WHERE sku = 'MUG-01'");
    assert_eq!(mug_stock, 12);
    assert_checks(&s);
}

/// `shopkeeper import` reads a Shopify export as it is; `--format` insists
/// on a layout; a bad format is refused with the choices.
#[test]
fn the_command_line_imports_an_export_and_takes_format() {
    let (_dir, path) = temp_db();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_shopkeeper"))
            .env_remove("SHOPKEEPER_DB")
            .arg("--db")
            .arg(&path)
            .arg("import")
            .args(args)
            .output()
            .unwrap()
    };
    let orders = fixture("shopify_orders.csv");
    let orders = orders.to_str().unwrap();
    let out = run(&["orders", orders, "--format", "woocommerce"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("WooCommerce"), "{err}");
    // Not "export it again": WooCommerce has no orders export of its own.
    assert!(
        err.contains("WooCommerce itself exports only its products")
            && !err.contains("Export the file again"),
        "{err}"
    );
    let out = run(&["orders", orders, "--format", "amazon"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("shopify, woocommerce or shopkeeper"), "{err}");
    let out = run(&["orders", orders, "--format", "shopify"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("Imported 7 orders (9 order lines) from a Shopify orders export."),
        "{said}"
    );
    let out = run(&[
        "orders",
        fixture("shopify_orders_later.csv").to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Orders: 1 new, 1 already here."), "{said}");
}

/// A cent per line item is allowed between the lines and Subtotal (the
/// order discount takes it); more is refused with the order's name.
#[test]
fn a_cent_per_line_is_allowed_between_the_lines_and_the_subtotal() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("shopify_orders_later.csv")).unwrap();
    let off = |subtotal: &str| {
        let file = dir.path().join(format!("orders-{subtotal}.csv"));
        let edited = text.replace(
            "#1008,erin@example.com,paid,,,,no,EUR,35.00,0.00,0.00,35.00,",
            &format!("#1008,erin@example.com,paid,,,,no,EUR,{subtotal},0.00,0.00,{subtotal},"),
        );
        assert_ne!(edited, text, "the fixture's row for #1008 changed");
        std::fs::write(&file, edited).unwrap();
        file
    };
    let (_d, mut s) = fresh();
    let file = off("34.97");
    let before = dump(&s);
    let err = import::run(
        &mut s,
        ImportKind::Orders,
        &file,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap_err();
    assert_eq!(dump(&s), before);
    let text_of = err.full();
    assert!(
        text_of.contains("line 4, Subtotal: order #1008") && text_of.contains("0.03"),
        "{text_of}"
    );
    let file = off("34.99");
    import::run(
        &mut s,
        ImportKind::Orders,
        &file,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap();
    let (revenue, total): (i64, i64) = s
        .conn()
        .query_row(
            "SELECT revenue, total FROM orders WHERE external_ref = '#1008'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((revenue, total), (3499, 3499));
}

/// A big Shopify orders export (newest order first, as Shopify writes it)
/// whose last order does not add up is refused with that order's line and
/// name, and writes nothing: not its customers, products or other orders.
#[test]
fn a_refusal_on_the_last_order_of_a_big_export_writes_nothing() {
    use std::io::Write;
    let (dir, mut s) = fresh();
    let path = dir.path().join("orders_export.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        out,
        "Name,Email,Financial Status,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,\
         Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name"
    )
    .unwrap();
    let orders = 3000u32;
    let mut line = 1u64;
    for n in (0..orders).rev() {
        let last = n == 0;
        // Two line items of 10.00 and 5.00; the last order's Subtotal is a euro short.
        let subtotal = if last { "14.00" } else { "15.00" };
        let day = 1 + n % 28;
        writeln!(
            out,
            "#{},c{}@example.com,paid,fulfilled,EUR,{subtotal},0.00,0.00,{subtotal},\
             2024-02-{day:02} 10:{:02}:00 +0100,1,Tee {},10.00,TEE-{},Customer {}",
            1000 + n,
            n % 500,
            n % 60,
            n % 40,
            n % 40,
            n % 500
        )
        .unwrap();
        writeln!(
            out,
            "#{},c{}@example.com,,,,,,,,2024-02-{day:02} 10:{:02}:00 +0100,1,Mug,5.00,MUG,",
            1000 + n,
            n % 500,
            n % 60
        )
        .unwrap();
        line += 2;
    }
    drop(out);
    let last_line = line - 1;
    let before = dump(&s);
    let err = import::run(
        &mut s,
        ImportKind::Orders,
        &path,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .expect_err("the last order does not add up");
    assert_eq!(dump(&s), before, "a refused import changed the database");
    match err {
        ImportError::Rows { problems, .. } => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(
                (problems[0].line, problems[0].column.as_str()),
                (last_line, "Subtotal")
            );
            assert!(problems[0].reason.contains("#1000"), "{problems:?}");
        }
        other => panic!("expected row problems, got: {other}"),
    }
    assert_eq!(one::<i64>(&s, "SELECT count(*) FROM orders"), 0);
}

/// An order whose tax names give a rate ("VAT 20%", "VAT 20% (included)")
/// that comes to its Taxes has its taxable line items, and its shipping when
/// the rate comes to the Taxes with it, at that rate: the tax report gives
/// VAT at 20% where it said "Tax as given" with no percent (a French
/// tryout's VAT return), each order's tax stays as given to the cent, and an
/// order whose names give no rate, or a rate that does not come to its
/// Taxes, keeps tax as given.
#[test]
fn a_rate_in_the_tax_names_is_the_lines_rate_when_it_comes_to_the_taxes() {
    let (dir, mut s) = fresh();
    run(&mut s, ImportKind::Orders, "shopify_orders.csv").unwrap();
    let rates = |s: &Store, name: &str| -> (Vec<i64>, i64, i64) {
        let lines = s
            .conn()
            .prepare(
                "SELECT i.tax_rate FROM order_items i JOIN orders o ON o.id = i.order_id
                 WHERE o.external_ref = ?1 ORDER BY i.id",
            )
            .unwrap()
            .query_map([name], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let (shipping, tax) = s
            .conn()
            .query_row(
                "SELECT shipping_rate, tax FROM orders WHERE external_ref = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        (lines, shipping, tax)
    };
    // 67.50 of goods and 5.00 of shipping at 20%: 14.50.
    assert_eq!(rates(&s, "#1001"), (vec![20_000, 20_000], 20_000, 1450));
    // Prices include tax, no shipping: 9.00 of 54.00.
    assert_eq!(rates(&s, "#1004"), (vec![20_000], 0, 900));
    assert_eq!(rates(&s, "#1007"), (vec![20_000, 20_000], 20_000, 1710));
    // No tax named, none charged.
    assert_eq!(rates(&s, "#1002"), (vec![0], 0, 0));
    let spec = ReportSpec {
        from: Some("2024-01-01".into()),
        to: Some("2024-12-31".into()),
        by: shopkeeper::domain::Period::Month,
        ..ReportSpec::new(ReportKind::Tax)
    };
    let table = store::reports::run(s.conn(), &spec, 1000).unwrap().0;
    let names: Vec<String> = table
        .rows
        .iter()
        .filter_map(|r| match (&r[1], &r[2]) {
            (Cell::Text(n), Cell::Text(p)) => Some(format!("{n} {p}")),
            _ => None,
        })
        .collect();
    assert!(names.contains(&"Tax 20".to_owned()), "{names:?}");
    assert!(
        !names.iter().any(|n| n.starts_with("Tax as given")),
        "{names:?}"
    );
    assert_checks(&s);

    // A rate that does not come to the Taxes (two rates on different
    // goods, which the export does not tell apart): tax as given.
    let text = std::fs::read_to_string(fixture("shopify_orders.csv")).unwrap();
    let edited = text.replace(",VAT 20%,17.10,", ",VAT 5.5%,17.10,");
    assert_ne!(edited, text);
    let file = dir.path().join("orders.csv");
    std::fs::write(&file, edited).unwrap();
    let (_d, mut s) = fresh();
    import::run(
        &mut s,
        ImportKind::Orders,
        &file,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .unwrap();
    assert_eq!(rates(&s, "#1007"), (vec![0, 0], 0, 1710));
    assert_eq!(rates(&s, "#1001").1, 20_000);
}

/// A shop with "MwSt 19%" as the rate new products get.
fn shop_with_a_default_rate() -> (tempfile::TempDir, Store) {
    let (dir, mut s) = fresh();
    s.write(|tx| {
        let rate = store::tax::add_rate(tx, "MwSt", shopkeeper::domain::Rate(19_000))?;
        store::tax::add_rate(tx, "ermäßigt", shopkeeper::domain::Rate(7_000))?;
        store::tax::save_settings(
            tx,
            &store::tax::TaxSettings {
                prices_include_tax: true,
                default_rate: Some(rate),
                shipping_rate: Some(rate),
            },
        )
    })
    .unwrap();
    (dir, s)
}

fn rate_of(s: &Store, sku: &str) -> Option<i64> {
    let id: i64 = s
        .conn()
        .query_row("SELECT id FROM products WHERE sku = ?1", [sku], |r| {
            r.get(0)
        })
        .unwrap();
    store::tax::product_rate(s.conn(), id).unwrap()
}

/// A German tryout's gift card came in at 19 % and nothing said which rate
/// the products got: what the platform does not tax (a gift card,
/// Shopify's "Variant Taxable" false, WooCommerce's "Tax status" none, a
/// variation through its parent) gets no rate, the others the shop's
/// default, and the summary names it.
#[test]
fn imported_products_get_the_default_rate_but_what_the_platform_does_not_tax() {
    let (_dir, mut s) = shop_with_a_default_rate();
    let default = store::tax::settings(s.conn()).unwrap().default_rate;
    let summary = run(&mut s, ImportKind::Products, "shopify_products.csv").unwrap();
    let message = summary.message();
    assert!(
        message.contains("New products get the shop's default tax rate, MwSt (19%), but 1 product gets no rate (Shopify does not tax them)"),
        "{message}"
    );
    assert_eq!(rate_of(&s, "gift-card-50"), None);
    assert_eq!(rate_of(&s, "TEE-BLU-L"), default);
    let preview =
        import::preview(&fixture("shopify_products.csv"), ImportKind::Products, 8).unwrap();
    assert!(
        preview
            .notes
            .iter()
            .any(|n| n.contains("Products get the shop's default tax rate")),
        "{:?}",
        preview.notes
    );

    let dir = tempfile::tempdir().unwrap();
    let summary = woo_products(
        &mut s,
        &dir,
        "ID,Type,SKU,Name,Tax status,Tax class,Stock,Regular price,Parent,Attribute 1 value(s)\n\
         1,simple,W-BOOK,Book,taxable,reduced-rate,3,12.00,,\n\
         2,simple,W-VOUCHER,Voucher,none,,,25.00,,\n\
         3,variable,W-CARD,Card,none,,,,,\n\
         4,variation,W-CARD-RED,,parent,,2,3.00,W-CARD,Red\n",
    );
    let message = summary.message();
    assert!(message.contains("2 products get no rate"), "{message}");
    // WooCommerce's "reduced-rate" class is the shop's one reduced rate
    // (it had got the default, 19 %, as every product did).
    let reduced = store::tax::rates(s.conn())
        .unwrap()
        .into_iter()
        .find(|r| r.name == "ermäßigt")
        .map(|r| r.id);
    assert_eq!(rate_of(&s, "W-BOOK"), reduced);
    assert_eq!(rate_of(&s, "W-VOUCHER"), None);
    assert_eq!(rate_of(&s, "W-CARD-RED"), None);
    assert_checks(&s);
}

/// WooCommerce's tax classes come in at the shop's rates (a French
/// tryout's five teas, "reduced-rate", came in at 20 % and nothing named
/// them): "reduced-rate" is the one rate below the default, "zero-rate" a
/// 0 % rate (else none), a class of the shop's own the rate of that name;
/// a class no one rate fits keeps the default, and the summary names the
/// products to set.
#[test]
fn woocommerce_tax_classes_come_in_at_the_shops_rates() {
    let (_dir, mut s) = fresh();
    let (normal, reduced, particular) = s
        .write(|tx| {
            let normal = store::tax::add_rate(tx, "TVA normale", shopkeeper::domain::Rate(20_000))?;
            let reduced = store::tax::add_rate(tx, "TVA réduite", shopkeeper::domain::Rate(5_500))?;
            let particular =
                store::tax::add_rate(tx, "Taux particulier", shopkeeper::domain::Rate(20_000))?;
            store::tax::save_settings(
                tx,
                &store::tax::TaxSettings {
                    prices_include_tax: true,
                    default_rate: Some(normal),
                    shipping_rate: Some(normal),
                },
            )?;
            Ok((normal, reduced, particular))
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let summary = woo_products(
        &mut s,
        &dir,
        "ID,Type,SKU,Name,Tax status,Tax class,Stock,Regular price,Parent,Attribute 1 value(s)\n\
         1,simple,THE-1,Thé vert Sencha,taxable,reduced-rate,30,8.90,,\n\
         2,simple,POT-1,Théière en fonte,taxable,,5,49.00,,\n\
         3,simple,GIFT-0,Carte offerte,taxable,zero-rate,,10.00,,\n\
         4,simple,SPE-1,Coffret,taxable,taux-particulier,4,30.00,,\n\
         5,simple,LUX-1,Samovar,taxable,luxe,1,300.00,,\n\
         6,variable,THE-2,Thé noir,taxable,reduced-rate,,,,\n\
         7,variation,THE-2-100,,taxable,parent,12,6.50,THE-2,100 g\n",
    );
    assert_eq!(rate_of(&s, "THE-1"), Some(reduced));
    assert_eq!(rate_of(&s, "THE-2-100"), Some(reduced));
    assert_eq!(rate_of(&s, "POT-1"), Some(normal));
    assert_eq!(rate_of(&s, "GIFT-0"), None);
    assert_eq!(rate_of(&s, "SPE-1"), Some(particular));
    assert_eq!(rate_of(&s, "LUX-1"), Some(normal));
    let message = summary.message();
    assert!(
        message.contains("1 product in WooCommerce's tax class \"luxe\" got the default rate")
            && message.contains(": LUX-1."),
        "{message}"
    );
    assert!(
        message.contains("4 products were put at the rate of WooCommerce's tax class"),
        "{message}"
    );
    assert_checks(&s);
}

/// WooCommerce's "Low stock amount" is the product's reorder level (a
/// variation without its own takes its parent's; none, the shop's
/// default); a bad one is refused with its line and column.
#[test]
fn woocommerce_low_stock_amount_is_the_reorder_level() {
    let (_dir, mut s) = fresh();
    let dir = tempfile::tempdir().unwrap();
    woo_products(
        &mut s,
        &dir,
        "ID,Type,SKU,Name,Stock,Low stock amount,Regular price,Parent,Attribute 1 value(s)\n\
         1,simple,THE-1,Sencha,30,10,8.90,,\n\
         2,simple,POT-1,Teapot,5,,49.00,,\n\
         3,variable,THE-2,Black tea,,4,,,\n\
         4,variation,THE-2-100,,12,,6.50,THE-2,100 g\n",
    );
    let level = |sku: &str| -> i64 {
        s.conn()
            .query_row(
                "SELECT reorder_level FROM products WHERE sku = ?1",
                [sku],
                |r| r.get(0),
            )
            .unwrap()
    };
    let default = store::settings::load(s.conn())
        .unwrap()
        .default_reorder_level;
    assert_eq!(level("THE-1"), 10);
    assert_eq!(level("THE-2-100"), 4);
    assert_eq!(level("POT-1"), default);

    let err = try_woo_products(
        &mut s,
        &dir,
        "ID,Type,SKU,Name,Stock,Low stock amount,Regular price\n1,simple,X-1,X,3,lots,2.00\n",
    )
    .unwrap_err()
    .full();
    assert!(err.contains("line 2, Low stock amount"), "{err}");
}

/// Imports `csv`, a WooCommerce products export, written into `dir`.
fn try_woo_products(
    s: &mut Store,
    dir: &tempfile::TempDir,
    csv: &str,
) -> Result<import::ImportSummary, ImportError> {
    let file = dir.path().join("woo.csv");
    std::fs::write(&file, csv).unwrap();
    import::run(
        s,
        ImportKind::Products,
        &file,
        ImportOptions::default(),
        &mut |_, _| true,
    )
}

/// `try_woo_products`, which must succeed.
fn woo_products(s: &mut Store, dir: &tempfile::TempDir, csv: &str) -> import::ImportSummary {
    try_woo_products(s, dir, csv).unwrap()
}
