//! Data helpers shared by every test module: temp databases, customers,
//! products and orders, the shop's checks, and dumps of what a database
//! holds for comparing before and after. The window's helpers are in `ui`.

pub mod ui;

use std::path::{Path, PathBuf};

use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};
use shopkeeper::domain::{
    Currency, CustomerDraft, Money, NewCustomer, NewOrder, NewProduct, OrderLine, ProductDraft,
};
use shopkeeper::store::{self, Store};

pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.sqlite3");
    (dir, path)
}

/// A new shop holding a demo of `customers`, `products` and `orders` made
/// with `seed` (`demo::fill`).
pub fn demo_store(
    customers: u64,
    products: u64,
    orders: u64,
    seed: u64,
) -> (tempfile::TempDir, Store) {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let size = shopkeeper::demo::DemoSize {
        customers,
        products,
        orders,
        seed,
    };
    shopkeeper::demo::fill(&mut s, size, |_, _| true).unwrap();
    (dir, s)
}

pub fn customer(name: &str, email: &str) -> NewCustomer {
    CustomerDraft {
        name: name.into(),
        email: email.into(),
        ..Default::default()
    }
    .validate()
    .expect("valid customer")
}

pub fn product(sku: &str, name: &str, price: &str, stock: i64) -> NewProduct {
    ProductDraft {
        sku: sku.into(),
        name: name.into(),
        price: price.into(),
        stock: stock.to_string(),
        reorder_level: "2".into(),
        ..Default::default()
    }
    .validate(&Currency::default())
    .expect("valid product")
}

pub fn add_customer(store: &mut Store, name: &str, email: &str) -> i64 {
    let c = customer(name, email);
    store
        .write(|tx| store::customers::insert(tx, &c))
        .expect("insert customer")
}

/// Makes the shop write a decimal comma (and a point between thousands),
/// as Settings > Formats would: "1.234,50".
pub fn use_decimal_comma(store: &mut Store) {
    let mut settings = shopkeeper::store::settings::load(store.conn()).unwrap();
    settings.currency.style.decimal = shopkeeper::domain::format::DecimalMark::Comma;
    settings.currency.style.grouping = shopkeeper::domain::format::Grouping::Point;
    store
        .write(|tx| shopkeeper::store::settings::save(tx, &settings))
        .unwrap();
}

pub fn add_product(store: &mut Store, sku: &str, name: &str, price: &str, stock: i64) -> i64 {
    let p = product(sku, name, price, stock);
    store
        .write(|tx| store::products::insert(tx, &p))
        .expect("insert product")
}

/// One line of an order: `quantity` of `product_id` at `cents` each.
pub fn line(product_id: i64, quantity: i64, cents: i64) -> OrderLine {
    OrderLine {
        product_id,
        quantity,
        unit_price: Money(cents),
        ..Default::default()
    }
}

/// An order of `lines` for `customer_id`, without a note.
pub fn order(customer_id: i64, lines: Vec<OrderLine>) -> NewOrder {
    NewOrder {
        customer_id,
        lines,
        note: None,
        ..Default::default()
    }
}

/// Every check of `shopkeeper check` passes; names the ones that do not.
#[track_caller]
pub fn assert_checks(store: &Store) {
    let report = store::check::run(store.conn()).expect("check");
    assert!(
        report.ok(),
        "{:#?}",
        report.findings.iter().filter(|f| !f.ok).collect::<Vec<_>>()
    );
}

/// The names of the checks `shopkeeper check` finds failing on `store`.
pub fn failed_checks(store: &Store) -> Vec<&'static str> {
    store::check::run(store.conn())
        .expect("check")
        .findings
        .into_iter()
        .filter(|f| !f.ok)
        .map(|f| f.name)
        .collect()
}

/// A property test's config with `cases` cases.
///
/// Regressions are read from and written to `<test file>.proptest-regressions`
/// beside the test file. Proptest's default (`SourceParallel`) would look for
/// them under `proptest-regressions/` at the crate root, since `tests/` holds a
/// `main.rs`, and silently skip the saved cases.
pub fn proptest_config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

/// Everything in the database as text, to compare before and after a refused change.
pub fn dump(store: &Store) -> String {
    let conn = store.conn();
    let mut out = String::new();
    for table in [
        "customers",
        "products",
        "orders",
        "order_items",
        "stock_movements",
        "order_status_history",
        "payments",
        "refund_items",
        "tax_rates",
        "settings",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .expect("prepare dump");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push(format!("{v:?}"));
                }
                Ok(line.join("|"))
            })
            .expect("query dump");
        out.push_str(table);
        out.push('\n');
        for row in rows {
            out.push_str(&row.expect("row"));
            out.push('\n');
        }
    }
    out
}

/// The rows of each query, one line a row, for comparing two shops.
pub fn query_rows(store: &Store, queries: &[&str]) -> String {
    let mut out = String::new();
    for sql in queries {
        let mut stmt = store.conn().prepare(sql).expect("prepare");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .expect("query");
        for row in rows {
            out.push_str(&row.expect("row").join("|"));
            out.push('\n');
        }
    }
    out
}

/// Places `order` (as `how` says), marks it paid, then refunds it in two
/// steps as a shopkeeper would: one unit of its first line with the
/// shipping (restocked), then the rest (the first line restocked, the
/// second written off), which returns it. `agree` checks the shop after each
/// step, told what was done. Returns the order's id.
pub fn pay_then_refund_in_two_steps(
    s: &mut Store,
    order: &NewOrder,
    how: &store::orders::Placement,
    agree: impl Fn(&Store, &str),
) -> i64 {
    use store::orders::{self, RefundLine, RefundRequest};
    let d = s.write(|tx| orders::place(tx, order, how)).unwrap();
    s.write(|tx| orders::mark_paid(tx, d, "Card", "2026-03-09"))
        .unwrap();
    agree(s, "placed and paid");
    let lines: Vec<(i64, i64)> = s
        .conn()
        .prepare("SELECT id, quantity FROM order_items WHERE order_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([d], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let refund = |s: &mut Store, lines: Vec<RefundLine>| {
        let req = RefundRequest {
            lines,
            shipping: true,
            method: "Card".into(),
            date: "2026-03-12".into(),
            ..Default::default()
        };
        s.write(|tx| orders::refund(tx, d, &req)).unwrap();
    };
    refund(
        s,
        vec![RefundLine {
            order_item_id: lines[0].0,
            quantity: 1,
            restock: true,
        }],
    );
    agree(s, "refunded a unit and the shipping");
    refund(
        s,
        vec![
            RefundLine {
                order_item_id: lines[0].0,
                quantity: lines[0].1 - 1,
                restock: true,
            },
            RefundLine {
                order_item_id: lines[1].0,
                quantity: lines[1].1,
                restock: false,
            },
        ],
    );
    agree(s, "refunded in full: returned");
    d
}

/// Moves order `id` on to paid, shipped and delivered, then undoes every
/// change logged after `since`, newest first, back to how the shop was;
/// `agree` checks the shop after each step, told what was done.
pub fn deliver_then_undo_all(s: &mut Store, id: i64, since: i64, agree: impl Fn(&Store, &str)) {
    use shopkeeper::domain::OrderStatus;
    use store::{orders, undo};
    for to in [
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
    ] {
        s.write(|tx| orders::set_status(tx, id, to)).unwrap();
        agree(s, &format!("moved to {to:?}"));
    }
    let mut undone = 0;
    while s.write(|tx| undo::undo_last(tx, since)).unwrap().is_some() {
        undone += 1;
        agree(s, &format!("undo {undone}"));
    }
    assert!(undone >= 9, "every change undone ({undone})");
}

/// Refunds one unit of the order's first line, back into stock, paid by
/// card on `date`; the refund's payment id.
pub fn refund_one(s: &mut Store, id: i64, date: &str) -> i64 {
    refund_one_noted(s, id, date, None)
}

/// [`refund_one`] with the refund's note.
pub fn refund_one_noted(s: &mut Store, id: i64, date: &str, note: Option<&str>) -> i64 {
    let item: i64 = s
        .conn()
        .query_row(
            "SELECT min(id) FROM order_items WHERE order_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let req = shopkeeper::store::orders::RefundRequest {
        lines: vec![shopkeeper::store::orders::RefundLine {
            order_item_id: item,
            quantity: 1,
            restock: true,
        }],
        method: "Card".into(),
        date: date.into(),
        note: note.map(str::to_owned),
        ..Default::default()
    };
    s.write(|tx| shopkeeper::store::orders::refund(tx, id, &req))
        .unwrap()
}
