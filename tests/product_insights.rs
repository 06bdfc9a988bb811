//! Issue 18 items 2 and 3: the product reports (top products, margin by
//! product, category and month, ABC classes, the reorder list, dead stock)
//! read the per-product summaries; each figure is compared here with a
//! computation written separately over the raw tables (orders, lines,
//! payments, refunds) on a demo shop and on a hand-made one, over ranges
//! that start and end inside months and on their edges.

use rusqlite::types::Value;
use shopkeeper::domain::{Cell, NewOrder, OrderStatus, ReportKind, ReportSpec};
use shopkeeper::store::{self, Store};

use crate::common::{add_customer, add_product, assert_checks, failed_checks, line, temp_db};

/// The lines that count by the money rule over :from..:to, written apart
/// from the app's own queries: each sale's lines at its date, each refund's
/// units at the refund's date with their share of its revenue part (the
/// units' worth, rounded per line) and their cost when restocked.
const RAW_LINES: &str = "
sold AS (
    SELECT i.product_id, o.order_date AS day, i.unit_cost, i.quantity, i.revenue,
           i.quantity * i.unit_cost AS cost, 0 AS share
    FROM order_items i JOIN orders o ON o.id = i.order_id
    WHERE o.order_date BETWEEN :from AND :to AND o.status NOT IN ('cancelled', 'returned')),
worths AS (
    SELECT p.id AS payment, p.paid_on AS day, p.revenue AS paid_back, i.product_id, i.unit_cost,
           r.quantity, r.restocked, (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth
    FROM payments p
    JOIN orders o ON o.id = p.order_id
    JOIN refund_items r ON r.payment_id = p.id
    JOIN order_items i ON i.id = r.order_item_id
    WHERE p.kind = 'refund' AND p.paid_on BETWEEN :from AND :to AND o.status NOT IN ('cancelled', 'returned')),
shares AS (
    SELECT w.*, (SELECT sum(x.worth) FROM worths x WHERE x.payment = w.payment) AS whole FROM worths w),
back AS (
    SELECT product_id, day, unit_cost, -quantity AS quantity,
           -CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS revenue,
           CASE WHEN restocked = 1 THEN -quantity * unit_cost ELSE 0 END AS cost,
           CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
    FROM shares),
lines AS (SELECT * FROM sold UNION ALL SELECT * FROM back),
loose AS (
    SELECT coalesce((SELECT sum(share) FROM lines), 0)
           - coalesce((SELECT sum(p.revenue) FROM payments p JOIN orders o ON o.id = p.order_id
                       WHERE p.kind = 'refund' AND p.paid_on BETWEEN :from AND :to
                         AND o.status NOT IN ('cancelled', 'returned')), 0) AS revenue)";

/// The margin per `key` (an expression over `l` and `p`) as the report
/// gives it, from `RAW_LINES`.
fn raw_margin(key: &str, shown: &str, loose_label: &str) -> String {
    format!(
        "WITH {RAW_LINES},
per AS (
    SELECT {key} AS k1, sum(l.quantity) AS quantity, sum(l.revenue) AS revenue,
           sum(CASE WHEN l.unit_cost > 0 THEN l.revenue ELSE 0 END) AS known,
           sum(CASE WHEN l.unit_cost > 0 THEN l.cost ELSE 0 END) AS cost,
           sum(CASE WHEN l.unit_cost > 0 THEN 0 ELSE l.revenue END) AS unknown,
           max(l.unit_cost > 0) AS any_known
    FROM lines l JOIN products p ON p.id = l.product_id GROUP BY 1)
SELECT * FROM (
    SELECT 0 AS k, {shown}, quantity, revenue, cost,
           CASE WHEN any_known THEN known - cost END,
           CASE WHEN any_known AND known > 0 THEN printf('%.1f', 100.0 * (known - cost) / known) END, unknown
    FROM per
    UNION ALL
    SELECT 1, {loose_label}, 0, revenue, 0, revenue, NULL, 0 FROM loose WHERE revenue <> 0)
ORDER BY 1, 4 DESC"
    )
}

/// A value as the comparison writes it: amounts and counts as integers.
fn text(v: Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::Integer(n) => n.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(t) => t,
        Value::Blob(_) => "blob".into(),
    }
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Empty => "-".into(),
        Cell::Int(n) => n.to_string(),
        Cell::Amount(m) => m.0.to_string(),
        Cell::Text(t) => t.clone(),
    }
}

/// The rows of `sql` over :from..:to (and :limit), `skip` leading columns left out.
fn raw(s: &Store, sql: &str, from: &str, to: &str, skip: usize) -> Vec<Vec<String>> {
    let mut stmt = s.conn().prepare(sql).unwrap();
    let n = stmt.column_count();
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":from", &from), (":to", &to)];
    if sql.contains(":limit") {
        params.push((":limit", &1_000_000));
    }
    stmt.query_map(params.as_slice(), |r| {
        (skip..n).map(|i| r.get::<_, Value>(i).map(text)).collect()
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn report(s: &Store, kind: ReportKind, from: &str, to: &str) -> Vec<Vec<String>> {
    let spec = ReportSpec {
        from: Some(from.into()),
        to: Some(to.into()),
        limit: Some(1_000_000),
        ..ReportSpec::new(kind)
    };
    let (table, _) = store::reports::run(s.conn(), &spec, usize::MAX).unwrap();
    table
        .rows
        .iter()
        .map(|r| r.iter().map(cell).collect())
        .collect()
}

/// Rows compared as sets of rows sorted the same way (ties may come in
/// another order from another query).
fn sorted(mut rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.sort();
    rows
}

/// Every product report against the raw tables over `from..to`.
fn compare_all(s: &Store, from: &str, to: &str) {
    let top = format!(
        "WITH {RAW_LINES}
SELECT p.sku, p.name, sum(l.quantity), sum(l.revenue)
FROM lines l JOIN products p ON p.id = l.product_id
GROUP BY l.product_id ORDER BY 4 DESC, 3 DESC, p.sku LIMIT :limit"
    );
    let got = report(s, ReportKind::TopProducts, from, to);
    assert_eq!(got, raw(s, &top, from, to, 0), "top products {from}..{to}");
    for (kind, key, shown, label) in [
        (
            ReportKind::Margin,
            "l.product_id",
            "(SELECT sku FROM products WHERE id = k1), (SELECT name FROM products WHERE id = k1)",
            "'', 'Refunds not tied to a product'",
        ),
        (
            ReportKind::MarginByCategory,
            "coalesce(p.category, 'No category')",
            "k1",
            "'Refunds not tied to a product'",
        ),
        (
            ReportKind::MarginByMonth,
            "substr(l.day, 1, 7)",
            "k1",
            "'Refunds not tied to a product'",
        ),
    ] {
        let got = report(s, kind, from, to);
        let want = raw(s, &raw_margin(key, shown, label), from, to, 1);
        assert_eq!(sorted(got), sorted(want), "{} {from}..{to}", kind.name());
    }
    // ABC: the classes worked out here from the products' revenue.
    let per = raw(
        s,
        &format!(
            "WITH {RAW_LINES}
SELECT p.sku, p.name, coalesce(p.category, ''), sum(l.quantity), sum(l.revenue)
FROM lines l JOIN products p ON p.id = l.product_id
GROUP BY l.product_id ORDER BY sum(l.revenue) DESC, p.sku"
        ),
        from,
        to,
        0,
    );
    let total: i64 = per.iter().map(|r| r[4].parse::<i64>().unwrap()).sum();
    let mut before = 0i64;
    let want: Vec<Vec<String>> = per
        .into_iter()
        .map(|mut r| {
            let revenue: i64 = r[4].parse().unwrap();
            let class = if total <= 0 || revenue <= 0 {
                "C"
            } else if before * 100 < total * 80 {
                "A"
            } else if before * 100 < total * 95 {
                "B"
            } else {
                "C"
            };
            before += revenue;
            r.push(class.into());
            r
        })
        .collect();
    let got: Vec<Vec<String>> = report(s, ReportKind::Abc, from, to)
        .into_iter()
        .map(|r| [&r[..5], &r[7..]].concat())
        .collect();
    assert_eq!(got, want, "abc {from}..{to}");
}

/// Places `order` on `day` (paid, so that it counts and may be refunded).
fn place(s: &mut Store, order: &NewOrder, day: &str) -> i64 {
    let how = store::orders::Placement {
        at: Some((day.to_owned(), "12:00:00".to_owned())),
        status: OrderStatus::Paid,
        ..Default::default()
    };
    s.write(|tx| store::orders::place(tx, order, &how)).unwrap()
}

fn demo_shop() -> (tempfile::TempDir, Store) {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let now =
        chrono::NaiveDateTime::parse_from_str("2026-03-11 15:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let size = shopkeeper::demo::DemoSize {
        customers: 200,
        products: 30,
        orders: 4_000,
        seed: 11,
    };
    shopkeeper::demo::fill_until(&mut s, size, now, |_, _| true).unwrap();
    (dir, s)
}

#[test]
fn product_reports_equal_a_computation_over_the_raw_tables() {
    let (_d, mut s) = demo_shop();
    assert_checks(&s);
    let refunds: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM refund_items", [], |r| r.get(0))
        .unwrap();
    assert!(refunds > 0, "the demo shop has refunds of units");
    let ranges = [
        ("2020-01-01", "2026-12-31"),
        ("2025-02-10", "2025-02-20"),
        ("2025-02-10", "2025-06-20"),
        ("2025-03-01", "2025-05-31"),
        ("2024-12-31", "2026-03-11"),
    ];
    for (from, to) in ranges {
        compare_all(&s, from, to);
    }
    // Lines without a known cost, and changes through the window's paths:
    // a cancel takes an order's lines out, a free line counts its units.
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let free = add_product(&mut s, "FREE-1", "Free sample", "1.00", 50);
    let order = crate::common::order(ana, vec![line(free, 2, 0), line(free, 1, 700)]);
    let o = place(&mut s, &order, "2026-03-11");
    assert_checks(&s);
    compare_all(&s, "2020-01-01", "2030-12-31");
    s.write(|tx| store::orders::set_status(tx, o, OrderStatus::Cancelled))
        .unwrap();
    assert_checks(&s);
    compare_all(&s, "2020-01-01", "2030-12-31");
}

/// The hand-made shop of the money tests: a refund of units and one of an
/// amount alone, a line without a cost, a returned order. The reports
/// worked out in Rust give their queries' rows, the refund no unit carries
/// a row of its own, last.
#[test]
fn product_reports_on_the_money_shop_equal_the_raw_tables() {
    let mut m = crate::numbers::money_shop();
    assert_checks(&m.s);
    for (from, to) in [("2020-01-01", "2030-12-31"), ("2026-01-01", "2026-12-31")] {
        compare_all(&m.s, from, to);
        assert_both_ways(&m.s, from, to);
    }
    let request = store::orders::RefundRequest {
        amount: Some(shopkeeper::domain::Money(300)),
        method: "Card".into(),
        date: "2026-03-15".into(),
        ..Default::default()
    };
    m.s.write(|tx| store::orders::refund(tx, m.a, &request))
        .unwrap();
    assert_checks(&m.s);
    for (from, to) in [
        ("2020-01-01", "2030-12-31"),
        ("2026-03-15", "2026-03-15"),
        ("2026-03-12", "2026-04-02"),
        ("2026-03-16", "2026-12-31"),
    ] {
        compare_all(&m.s, from, to);
        assert_both_ways(&m.s, from, to);
    }
    for kind in [ReportKind::Margin, ReportKind::MarginByCategory] {
        let rows = report(&m.s, kind, "2026-03-01", "2026-03-31");
        let last = rows.last().unwrap();
        assert!(
            last.contains(&"Refunds not tied to a product".to_owned()),
            "{last:?}"
        );
    }
}

fn shop_with_revenues(revenues: &[i64]) -> (tempfile::TempDir, Store, Vec<i64>) {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mut ids = Vec::new();
    for (i, cents) in revenues.iter().enumerate() {
        let p = add_product(
            &mut s,
            &format!("P-{i}"),
            &format!("Product {i}"),
            "1.00",
            100,
        );
        ids.push(p);
        let order: NewOrder = crate::common::order(c, vec![line(p, 1, *cents)]);
        place(&mut s, &order, "2026-01-01");
    }
    (dir, s, ids)
}

fn classes(s: &Store) -> Vec<(String, String)> {
    report(s, ReportKind::Abc, "2000-01-01", "2100-01-01")
        .into_iter()
        .map(|r| (r[0].clone(), r[7].clone()))
        .collect()
}

/// A: the first 80% of revenue (the product that reaches exactly 80% is
/// the last in A); B: the next 15% (exactly 95% is the last in B); C: the rest.
#[test]
fn abc_classes_at_their_boundaries() {
    let (_d, s, _) = shop_with_revenues(&[8000, 1500, 500]);
    assert_eq!(
        classes(&s),
        [("P-0", "A"), ("P-1", "B"), ("P-2", "C")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let (_d, s, _) = shop_with_revenues(&[5000, 3000, 1500, 400, 100]);
    assert_eq!(
        classes(&s),
        [
            ("P-0", "A"),
            ("P-1", "A"),
            ("P-2", "B"),
            ("P-3", "C"),
            ("P-4", "C")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    // Just under the boundary: the product that crosses 80% is still A.
    let (_d, s, _) = shop_with_revenues(&[7999, 1500, 501]);
    assert_eq!(
        classes(&s),
        [("P-0", "A"), ("P-1", "A"), ("P-2", "B")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    // One product earns everything: it is A.
    let (_d, s, _) = shop_with_revenues(&[100]);
    assert_eq!(classes(&s), vec![("P-0".to_owned(), "A".to_owned())]);
}

/// A report over a range exactly as its query gives it (`reports::sql`,
/// which the app runs when the rows are sorted another way): the app works
/// the unsorted `abc`, `top-products` and `margin` (by product, by
/// category) out in Rust instead (`store::abc`, `store::product_rows`).
fn range_by_its_query(s: &Store, kind: ReportKind, from: &str, to: &str) -> Vec<Vec<String>> {
    let spec = ReportSpec {
        from: Some(from.into()),
        to: Some(to.into()),
        ..ReportSpec::new(kind)
    };
    raw(s, &store::reports::sql(&spec), from, to, 0)
}

/// `abc`, `top-products`, `margin` and `margin` by category, each worked
/// out in Rust and by its query.
fn assert_both_ways(s: &Store, from: &str, to: &str) {
    for kind in [
        ReportKind::Abc,
        ReportKind::TopProducts,
        ReportKind::Margin,
        ReportKind::MarginByCategory,
    ] {
        assert_eq!(
            report(s, kind, from, to),
            range_by_its_query(s, kind, from, to),
            "{} {from}..{to}",
            kind.name()
        );
    }
}

/// ABC, top products and margin (by product, by category) worked out in
/// Rust give their queries' rows byte for byte: over ranges
/// that start and end on a month's first or last day or inside it, within
/// one month or one day, before the first sale and after the last (today,
/// with nothing after it), on a leap day; after a sale back-dated into a
/// month and a cancelled one (rows of zeros left in the summaries).
#[test]
fn abc_worked_out_in_rust_equals_its_query() {
    let (_d, mut s) = demo_shop();
    let first: String = s
        .conn()
        .query_row("SELECT min(order_date) FROM orders", [], |r| r.get(0))
        .unwrap();
    let mut days = vec![
        "2020-01-01".to_owned(),
        first.clone(),
        "2024-02-29".into(),
        "2025-01-31".into(),
        "2025-02-01".into(),
        "2025-02-10".into(),
        "2025-02-28".into(),
        "2025-03-01".into(),
        "2025-12-31".into(),
        "2026-02-15".into(),
        "2026-03-01".into(),
        "2026-03-10".into(),
        "2026-03-11".into(),
        "2026-03-31".into(),
        "2027-01-01".into(),
    ];
    days.sort();
    for from in &days {
        for to in days.iter().filter(|to| *to >= from) {
            assert_both_ways(&s, from, to);
        }
    }
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let late = add_product(&mut s, "LATE-1", "Back-dated", "1.00", 50);
    add_product(&mut s, "NONE-1", "Never sold", "1.00", 50);
    let order = crate::common::order(ana, vec![line(late, 3, 900)]);
    place(&mut s, &order, "2025-02-12");
    let o = place(&mut s, &order, "2025-02-27");
    s.write(|tx| store::orders::set_status(tx, o, OrderStatus::Cancelled))
        .unwrap();
    assert_checks(&s);
    for (from, to) in [
        ("2025-02-10", "2025-02-20"),
        ("2025-02-13", "2025-03-05"),
        ("2025-01-15", "2025-02-27"),
        ("2025-02-27", "2025-02-27"),
        (first.as_str(), "2026-03-11"),
    ] {
        assert_both_ways(&s, from, to);
    }
}

/// Ties of revenue go by SKU as SQLite compares text (bytes: upper case
/// first); a product that earned nothing is in C; one that never sold is
/// not listed; shares that fall halfway between tenths are written as
/// SQLite writes them. Top products and margin the same both ways.
#[test]
fn abc_ties_and_products_without_sales_both_ways() {
    let (_d, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana Lima", "ana@example.com");
    for (sku, cents) in [
        ("b-1", 4900),
        ("B-2", 4900),
        ("a-3", 4900),
        ("Z-4", 24_900),
        ("free", 0),
    ] {
        let p = add_product(&mut s, sku, &format!("Product {sku}"), "1.00", 10);
        let order: NewOrder = crate::common::order(c, vec![line(p, 1, cents)]);
        place(&mut s, &order, "2026-01-15");
    }
    add_product(&mut s, "UNSOLD", "Never sold", "1.00", 10);
    assert_checks(&s);
    let got = report(&s, ReportKind::Abc, "2026-01-01", "2026-01-31");
    let skus: Vec<&str> = got.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(skus, ["Z-4", "B-2", "a-3", "b-1", "free"]);
    // 4900 of 39,600 is 12.3737...%; 24,900 of it 62.878...%.
    assert_eq!(got[0][5..], ["62.9", "62.9", "A"].map(String::from));
    assert_eq!(got[4][5..], ["0.0", "100.0", "C"].map(String::from));
    for (from, to) in [
        ("2026-01-01", "2026-01-31"),
        ("2026-01-15", "2026-01-15"),
        ("2025-12-20", "2026-02-02"),
    ] {
        assert_both_ways(&s, from, to);
    }
}

/// A report as of `to` exactly as its query gives it (`reports::sql`); the
/// app works `reorder` and `dead-stock` out in Rust (`store::stock_lists`).
fn by_its_query(s: &Store, kind: ReportKind, to: &str) -> Vec<Vec<String>> {
    let sql = store::reports::sql(&ReportSpec::new(kind));
    let mut stmt = s.conn().prepare(&sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map(&[(":to", &to)], |r| {
        (0..n).map(|i| r.get::<_, Value>(i).map(text)).collect()
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The reorder list and dead stock worked out in Rust give their queries'
/// rows byte for byte: as of days before the first sale, inside and after
/// the demo's history, with the shop's settings at their defaults, at their
/// smallest and at others; an archived product, one that does not track
/// stock, one with its own lead time and cover days. Also as the view reads
/// them, both at once.
#[test]
fn reorder_and_dead_stock_worked_out_in_rust_equal_their_queries() {
    let (_d, mut s) = demo_shop();
    let first: String = s
        .conn()
        .query_row("SELECT min(order_date) FROM orders", [], |r| r.get(0))
        .unwrap();
    s.write(|tx| store::products::set_archived(tx, 2, true))
        .unwrap();
    s.write(|tx| store::reorder::set_product_days(tx, 4, Some(40), Some(3)))
        .unwrap();
    s.write(|tx| store::reorder::set_product_days(tx, 5, None, Some(0)))
        .unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let late = add_product(&mut s, "LATE-1", "Back-dated", "1.00", 50);
    add_product(&mut s, "NONE-1", "Never sold", "1.00", 50);
    let gift = add_product(&mut s, "GIFT-1", "Gift card", "1.00", 0);
    s.write(|tx| store::products::set_track_stock(tx, gift, false))
        .unwrap();
    let order = crate::common::order(ana, vec![line(late, 3, 900), line(gift, 1, 500)]);
    place(&mut s, &order, "2025-02-12");
    place(&mut s, &order, "2026-03-10");
    assert_checks(&s);
    let mut seen = (0, 0);
    for (rate, lead, cover, dead) in [
        (30, 7, 14, 90),
        (1, 0, 0, 1),
        (10, 3, 30, 20),
        (365, 60, 60, 400),
        (90, 200, 200, 30),
    ] {
        let settings = store::reorder::ReorderSettings {
            rate_days: rate,
            lead_days: lead,
            cover_days: cover,
            dead_days: dead,
        };
        s.write(|tx| store::reorder::save_settings(tx, &settings))
            .unwrap();
        for to in [
            "2020-01-01",
            first.as_str(),
            "2025-02-12",
            "2025-03-13",
            "2025-06-15",
            "2026-03-10",
            "2026-03-11",
            "2027-01-01",
        ] {
            let reorder = report(&s, ReportKind::Reorder, to, to);
            let dead = report(&s, ReportKind::DeadStock, to, to);
            assert_eq!(
                reorder,
                by_its_query(&s, ReportKind::Reorder, to),
                "reorder as of {to}, {settings:?}"
            );
            assert_eq!(
                dead,
                by_its_query(&s, ReportKind::DeadStock, to),
                "dead stock as of {to}, {settings:?}"
            );
            seen.0 += reorder.len();
            seen.1 += dead.len();
        }
    }
    assert!(seen.0 > 0 && seen.1 > 0, "both lists had rows: {seen:?}");
    // As the view reads them: as of today, both at once.
    let (reorder, dead) = store::reports::stock_lists_lightly(s.conn(), 100_000).unwrap();
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let rows = |t: &shopkeeper::domain::ReportTable| -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| r.iter().map(cell).collect())
            .collect()
    };
    assert_eq!(
        rows(&reorder),
        by_its_query(&s, ReportKind::Reorder, &today)
    );
    assert_eq!(rows(&dead), by_its_query(&s, ReportKind::DeadStock, &today));
}

/// A product that sold 30 units in the last 30 days (one a day) with 10 in
/// stock runs out in 10 days: it is on the list when lead time plus cover
/// days are more than 10, with the units that cover them less its stock.
/// Its own lead time and cover days replace the shop's.
#[test]
fn the_reorder_list_follows_the_settings_and_a_products_own_days() {
    let (_d, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let p = add_product(&mut s, "KEEP-1", "Kept product", "2.00", 40);
    let q = add_product(&mut s, "SLOW-1", "Slow product", "2.00", 40);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    for back in 0..30 {
        let day = (today - chrono::Days::new(back))
            .format("%Y-%m-%d")
            .to_string();
        let order: NewOrder = crate::common::order(c, vec![line(p, 1, 200)]);
        place(&mut s, &order, &day);
    }
    let slow: NewOrder = crate::common::order(c, vec![line(q, 1, 200)]);
    place(&mut s, &slow, "2026-06-01");
    assert_checks(&s);
    let list = |s: &Store| report(s, ReportKind::Reorder, "2026-06-30", "2026-06-30");
    // Stock 10, 30 sold in 30 days: 10 days left, under 7 + 14: 21 - 10 = 11.
    assert_eq!(
        list(&s),
        vec![
            vec![
                "KEEP-1",
                "Kept product",
                "",
                "10",
                "30",
                "10",
                "7",
                "14",
                "11",
                "0",
                "0"
            ]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
        ]
    );
    // Its own days: 3 + 6 = 9 is under 10 days left: not on the list.
    s.write(|tx| store::reorder::set_product_days(tx, p, Some(3), Some(6)))
        .unwrap();
    assert!(list(&s).is_empty());
    // 5 + 14 = 19 is over: on it again, 19 - 10 = 9 to order; 5 + 6 = 11:
    // 11 - 10 = 1.
    s.write(|tx| store::reorder::set_product_days(tx, p, Some(5), None))
        .unwrap();
    assert_eq!(list(&s)[0][6..9], ["5", "14", "9"].map(String::from));
    s.write(|tx| store::reorder::set_product_days(tx, p, Some(5), Some(6)))
        .unwrap();
    assert_eq!(list(&s)[0][6..9], ["5", "6", "1"].map(String::from));
    // The shop's settings: a 10-day window sees 10 sold, 1 a day as well;
    // the slow product sold none in it.
    let mut settings = store::reorder::settings(s.conn()).unwrap();
    settings.rate_days = 10;
    s.write(|tx| store::reorder::save_settings(tx, &settings))
        .unwrap();
    assert_eq!(
        list(&s)[0][3..9],
        ["10", "10", "10", "5", "6", "1"].map(String::from)
    );
    // Bad values are refused and nothing changes.
    settings.rate_days = 0;
    assert!(
        s.write(|tx| store::reorder::save_settings(tx, &settings))
            .is_err()
    );
    assert!(
        s.write(|tx| store::reorder::set_product_days(tx, p, Some(-1), None))
            .is_err()
    );
    assert_eq!(store::reorder::settings(s.conn()).unwrap().rate_days, 10);
    assert_eq!(
        store::reorder::product_days(s.conn(), p).unwrap(),
        (Some(5), Some(6))
    );
}

/// Dead stock: in stock, and its last sale (of an order that still counts)
/// is the setting's days or more before the day asked about.
#[test]
fn dead_stock_is_what_did_not_sell_for_the_settings_days() {
    let (_d, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let sold = add_product(&mut s, "SOLD-1", "Sold lately", "2.00", 10);
    let old = add_product(&mut s, "OLD-1", "Sold long ago", "2.00", 10);
    add_product(&mut s, "NEVER-1", "Never sold", "3.00", 10);
    let cancelled = add_product(&mut s, "CANC-1", "Sale cancelled", "2.00", 10);
    for (p, day) in [
        (sold, "2026-06-01"),
        (old, "2026-04-01"),
        (cancelled, "2026-06-01"),
    ] {
        let order: NewOrder = crate::common::order(c, vec![line(p, 1, 200)]);
        let id = place(&mut s, &order, day);
        if p == cancelled {
            s.write(|tx| store::orders::set_status(tx, id, OrderStatus::Cancelled))
                .unwrap();
        }
    }
    assert_checks(&s);
    let dead = |s: &Store| -> Vec<(String, String, String)> {
        report(s, ReportKind::DeadStock, "2026-06-30", "2026-06-30")
            .into_iter()
            .map(|r| (r[0].clone(), r[4].clone(), r[5].clone()))
            .collect()
    };
    // 2026-04-01 is 90 days before 2026-06-30. No stock value (no cost): by SKU.
    let own = |v: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        v.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    };
    assert_eq!(
        dead(&s),
        own(&[
            ("CANC-1", "-", "-"),
            ("NEVER-1", "-", "-"),
            ("OLD-1", "2026-04-01", "90")
        ])
    );
    let mut settings = store::reorder::settings(s.conn()).unwrap();
    settings.dead_days = 91;
    s.write(|tx| store::reorder::save_settings(tx, &settings))
        .unwrap();
    assert_eq!(
        dead(&s),
        own(&[("CANC-1", "-", "-"), ("NEVER-1", "-", "-")])
    );
}

/// An older shop gets the summaries from its orders when it is upgraded.
#[test]
fn an_upgraded_shop_gets_its_product_summaries() {
    let (_d, path) = temp_db();
    let fixture = format!("{}/tests/fixtures/v9.sql", env!("CARGO_MANIFEST_DIR"));
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&std::fs::read_to_string(fixture).unwrap())
        .unwrap();
    let s = Store::open(&path).unwrap();
    assert_checks(&s);
    let kept: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM product_daily", [], |r| r.get(0))
        .unwrap();
    let sales: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id
             WHERE o.status NOT IN ('cancelled', 'returned')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sales == 0 || kept > 0);
    compare_all(&s, "2000-01-01", "2100-01-01");
}

/// The Insights panel's product and margin views (Ctrl+6): the reorder
/// list on screen and exported through the save dialog as the command line
/// writes it, the ABC classes, dead stock, and the margin by month.
#[test]
fn the_insights_views_show_and_export_the_product_reports() {
    use crate::common::ui::{ready_store, shows, wait_for, window_with};
    use egui_kittest::kittest::Queryable;
    use shopkeeper::ui::ScriptedDialogs;
    let (dir, mut s) = ready_store();
    let c = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let p = add_product(&mut s, "KEEP-1", "Kept product", "2.00", 12);
    add_product(&mut s, "DUST-1", "Dusty product", "2.00", 5);
    let today = chrono::Local::now().date_naive();
    for back in 0..10 {
        let day = (today - chrono::Days::new(back))
            .format("%Y-%m-%d")
            .to_string();
        let order: NewOrder = crate::common::order(c, vec![line(p, 1, 200)]);
        place(&mut s, &order, &day);
    }
    let db = s.path().to_path_buf();
    let dialogs = ScriptedDialogs::default();
    let out = dir.path().join("purchase.csv");
    dialogs.push(&out);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num6);
    h.run_steps(3);
    // The panel opens on Customers; Products is its second tab (the
    // navigation column's Products comes first).
    h.query_all_by_label("Products").last().unwrap().click();
    h.run_steps(3);
    wait_for(&mut h, "the product insights", |h| {
        shows(h, "What to reorder")
    });
    // 10 sold in the last 30 days, 2 left: on the list; the other never sold.
    assert!(shows(&h, "KEEP-1"), "{:?}", crate::common::ui::texts(&h));
    assert!(shows(&h, "DUST-1"));
    let texts = crate::common::ui::texts(&h);
    assert!(
        texts.iter().any(|t| t.starts_with("A: 1 product, ")),
        "{texts:?}"
    );
    // Each list says how long it is and what it comes to.
    for said in [
        "1 product to reorder, worth ",
        "1 product not sold lately, holding ",
    ] {
        assert!(
            texts.iter().any(|t| t.starts_with(said)),
            "{said}: {texts:?}"
        );
    }
    h.get_by_label("Export purchase list…").click();
    wait_for(&mut h, "the purchase list", |_| out.exists());
    let cli = dir.path().join("from-cli.csv");
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_shopkeeper"))
        .arg("--db")
        .arg(&db)
        .args(["export", "reorder", "--out"])
        .arg(&cli)
        .status()
        .unwrap();
    assert!(ok.success());
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&cli).unwrap());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("KEEP-1,Kept product,,2,10,6,7,14,5,")
    );
    // The tab (drawn before anything else of that name).
    h.query_all_by_label("Margin").next().unwrap().click();
    h.run_steps(2);
    let month = shopkeeper::domain::Period::Month.label(&today.format("%Y-%m").to_string());
    wait_for(&mut h, "the margin by month", |h| shows(h, &month));
}

/// A product's own lead time and cover days are typed in its form (empty:
/// the shop's); a wrong number is refused with a sentence and nothing saved.
#[test]
fn the_product_form_keeps_its_own_lead_time_and_cover_days() {
    use crate::common::ui::{button, open_window, ready_store, text_input};
    let (_dir, s) = ready_store();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    egui_kittest::kittest::Queryable::get_by_label(&h, "New product").click();
    h.run();
    let type_into = |h: &mut crate::common::ui::Window, label: &str, text: &str| {
        text_input(h, label).focus();
        text_input(h, label).type_text(text);
        h.run();
    };
    type_into(&mut h, "SKU", "TEA-1");
    type_into(&mut h, "Name", "Green tea");
    type_into(&mut h, "Price ($)", "10");
    type_into(&mut h, "Lead time (days)", "many");
    button(&h, "Save").click();
    h.run();
    let texts = crate::common::ui::texts(&h);
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("The lead time \"many\" is not a number of days")),
        "{texts:?}"
    );
    assert!(
        store::products::find_by_sku(h.state().store().conn(), "TEA-1")
            .unwrap()
            .is_none()
    );
    text_input(&h, "Lead time (days)").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    type_into(&mut h, "Lead time (days)", "3");
    type_into(&mut h, "Cover (days)", "6");
    button(&h, "Save").click();
    h.run();
    let conn = h.state().store().conn();
    let tea = store::products::find_by_sku(conn, "TEA-1")
        .unwrap()
        .expect("saved");
    assert_eq!(
        store::reorder::product_days(conn, tea.id).unwrap(),
        (Some(3), Some(6))
    );
}

/// Each product's sums over all time (`product_totals`, migration 17) are
/// kept by the demo's bulk write and by every change after it;
/// `shopkeeper check` names a kept row that differs from the monthly
/// summary, one too many, and one missing. A range outside which nothing
/// counted reads them: the reports equal their queries and the raw tables
/// over all time, before and after a change.
#[test]
fn product_totals_over_all_time_are_kept_and_checked() {
    let (_d, mut s) = demo_shop();
    assert_checks(&s);
    let first: String = s
        .conn()
        .query_row("SELECT min(order_date) FROM orders", [], |r| r.get(0))
        .unwrap();
    for (from, to) in [(first.as_str(), "2026-03-11"), ("2000-01-01", "2100-12-31")] {
        assert_both_ways(&s, from, to);
        compare_all(&s, from, to);
    }
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let new = add_product(&mut s, "NEW-1", "New product", "1.00", 50);
    let order = crate::common::order(ana, vec![line(new, 4, 1200), line(1, 1, 500)]);
    let o = place(&mut s, &order, "2026-03-11");
    assert_checks(&s);
    assert_both_ways(&s, &first, "2026-03-11");
    compare_all(&s, "2000-01-01", "2100-12-31");
    s.write(|tx| store::orders::set_status(tx, o, OrderStatus::Cancelled))
        .unwrap();
    assert_checks(&s);
    assert_both_ways(&s, &first, "2026-03-11");
    compare_all(&s, "2000-01-01", "2100-12-31");
    let name = "each product's totals over all time match the monthly product summary";
    for (corrupt, repair) in [
        (
            "UPDATE product_totals SET revenue = revenue + 1 WHERE product_id = 1",
            "UPDATE product_totals SET revenue = revenue - 1 WHERE product_id = 1",
        ),
        (
            "INSERT INTO product_totals (product_id, lines) VALUES (999999, 1)",
            "DELETE FROM product_totals WHERE product_id = 999999",
        ),
        (
            "DELETE FROM product_totals WHERE product_id = 2",
            "INSERT INTO product_totals SELECT product_id, sum(sold), sum(refunded), sum(revenue),
                 sum(known_revenue), sum(cost), sum(refund_revenue), sum(known_lines), sum(lines)
             FROM product_monthly WHERE product_id = 2 GROUP BY product_id",
        ),
    ] {
        assert_eq!(s.conn().execute(corrupt, []).unwrap(), 1, "{corrupt}");
        assert_eq!(failed_checks(&s), vec![name], "{corrupt}");
        s.conn().execute(repair, []).unwrap();
        assert!(failed_checks(&s).is_empty(), "{repair}");
    }
}

/// Dead stock's last sale (each product's days looked up one by one in the
/// daily summary, which is kept in day order) is the last day on or before
/// the day asked about with a sale of an order that counts, as the raw
/// orders say: as of days with sales later in their month, a month's first
/// and last day, before the first sale and after the last.
#[test]
fn dead_stock_last_sale_equals_the_raw_orders_on_any_day() {
    let (_d, mut s) = demo_shop();
    // A window of one day: every product not sold on the day asked about is
    // looked up for its last sale before it.
    let mut settings = store::reorder::settings(s.conn()).unwrap();
    settings.dead_days = 1;
    settings.rate_days = 1;
    s.write(|tx| store::reorder::save_settings(tx, &settings))
        .unwrap();
    let days: Vec<String> = s
        .conn()
        .prepare("SELECT DISTINCT order_date FROM orders ORDER BY 1")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut tos = vec!["2000-01-01".to_owned(), "2100-12-31".to_owned()];
    for i in [
        0,
        days.len() / 7,
        days.len() / 3,
        days.len() / 2,
        days.len() - 1,
    ] {
        let day = &days[i];
        tos.push(day.clone());
        tos.push(format!("{}-01", &day[..7]));
        tos.push(format!("{}-28", &day[..7]));
    }
    let mut listed_any = 0;
    for to in &tos {
        let raw: std::collections::BTreeMap<String, String> = s
            .conn()
            .prepare(
                "SELECT sku, coalesce(last, '-') FROM (
                     SELECT p.sku,
                            (SELECT max(o.order_date) FROM order_items i JOIN orders o ON o.id = i.order_id
                             WHERE i.product_id = p.id AND o.status NOT IN ('cancelled', 'returned')
                               AND o.order_date <= :to) AS last
                     FROM products p WHERE p.archived = 0 AND p.stock > 0)
                 WHERE last IS NULL OR last <= date(:to, '-1 days')",
            )
            .unwrap()
            .query_map(&[(":to", to)], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let listed: std::collections::BTreeMap<String, String> =
            report(&s, ReportKind::DeadStock, to, to)
                .into_iter()
                .map(|r| (r[0].clone(), r[4].clone()))
                .collect();
        assert_eq!(listed, raw, "as of {to}");
        let by_query: std::collections::BTreeMap<String, String> =
            by_its_query(&s, ReportKind::DeadStock, to)
                .into_iter()
                .map(|r| (r[0].clone(), r[4].clone()))
                .collect();
        assert_eq!(by_query, raw, "as of {to}, by its query");
        listed_any += listed.len();
    }
    assert!(listed_any > 20, "the days asked about list products");
}

/// Insights > Margin by month over the last 12 months counts whole months
/// from the one the range starts in, as New and returning does: a sale on
/// the first of that month is in its row (a tryout read the first month as
/// three days here and whole there, and its bar as a fall). Its months are
/// in words and its percents take the shop's decimal mark, as in Reports (a
/// German tryout read "2026-11" and "62.2" beside "1.234,56 €").
#[test]
fn margin_by_month_counts_the_first_month_whole() {
    use crate::common::ui::{open_window, ready_store, shows, texts, wait_for};
    use egui_kittest::kittest::Queryable;
    let (_dir, mut s) = ready_store();
    crate::common::use_decimal_comma(&mut s);
    let c = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let p = add_product(&mut s, "KEEP-1", "Kept product", "2.00", 12);
    let today = chrono::Local::now().date_naive();
    // The range starts 364 days back; its month's first day is before it
    // (unless that day is the first).
    let first = (today - chrono::Days::new(364))
        .format("%Y-%m-01")
        .to_string();
    // Sold at 2.00 and bought at 0.50: a margin of 75 %.
    let mut sold = line(p, 1, 200);
    sold.unit_cost = shopkeeper::domain::Money(50);
    place(&mut s, &crate::common::order(c, vec![sold]), &first);
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num6);
    h.run_steps(3);
    h.query_all_by_label("Margin").next().unwrap().click();
    h.run_steps(2);
    let month = shopkeeper::domain::Period::Month.label(first.get(..7).unwrap());
    wait_for(&mut h, "the margin by month", |h| shows(h, &month));
    assert!(shows(&h, "$2,00"), "{:?}", texts(&h));
    assert!(shows(&h, "75,0"), "{:?}", texts(&h));
    // And it says the dates it counts, from that month's first day.
    let said = format!("{first} to {}: revenue $2,00", today.format("%Y-%m-%d"));
    assert!(
        texts(&h).iter().any(|t| t.starts_with(&said)),
        "{said}: {:?}",
        texts(&h)
    );
}
