//! Customer insights (issue 18 item 1, item 4's new against returning):
//! every figure of the reports `customer-value`, `segments`, `cohorts`,
//! `new-returning` and Top customers over all time, on a demo shop, against
//! a computation written apart in SQL over the raw orders and payments; the
//! RFM scores at their quintile boundaries; the per-customer summary after
//! every kind of order change and after an upgrade from version 9.

use std::collections::BTreeMap;

use crate::common::*;
use rusqlite::Connection;
use shopkeeper::demo::{self, DemoSize};
use shopkeeper::domain::segments::{self, Segment};
use shopkeeper::domain::{Cell, Money, OrderStatus, ReportKind, ReportSpec};
use shopkeeper::store::orders::{self, Placement, RefundLine, RefundRequest};
use shopkeeper::store::{self, Store, customer_insights};

const SALE: &str = "o.status NOT IN ('cancelled', 'returned')";

fn demo_shop() -> (tempfile::TempDir, Store) {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let size = DemoSize {
        customers: 200,
        products: 40,
        orders: 2500,
        seed: 7,
    };
    demo::fill(&mut s, size, |_, _| true).unwrap();
    (dir, s)
}

fn report(s: &Store, spec: ReportSpec) -> Vec<Vec<Cell>> {
    store::reports::run(s.conn(), &spec, 1_000_000)
        .unwrap()
        .0
        .rows
}

fn int(c: &Cell) -> i64 {
    match c {
        Cell::Int(n) => *n,
        Cell::Amount(m) => m.0,
        Cell::Empty => 0,
        other => panic!("not a number: {other:?}"),
    }
}

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.clone(),
        Cell::Empty => String::new(),
        other => panic!("not a text: {other:?}"),
    }
}

/// Per customer with a sale, from the raw tables: (sales, revenue after
/// refunds, first sale, last sale).
fn raw_customers(conn: &Connection) -> BTreeMap<i64, (i64, i64, String, String)> {
    let sql = format!(
        "SELECT c.id,
                (SELECT count(*) FROM orders o WHERE o.customer_id = c.id AND {SALE}),
                (SELECT coalesce(sum(o.revenue), 0) FROM orders o WHERE o.customer_id = c.id AND {SALE})
                - (SELECT coalesce(sum(p.revenue), 0) FROM payments p JOIN orders o ON o.id = p.order_id
                   WHERE o.customer_id = c.id AND p.kind = 'refund' AND {SALE}),
                (SELECT min(o.order_date) FROM orders o WHERE o.customer_id = c.id AND {SALE}),
                (SELECT max(o.order_date) FROM orders o WHERE o.customer_id = c.id AND {SALE})
         FROM customers c"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .filter(|(_, n, ..)| *n > 0)
    .map(|(id, n, net, first, last)| (id, (n, net, first.unwrap(), last.unwrap())))
    .collect()
}

fn days(a: &str, b: &str) -> i64 {
    let d = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
    (d(b) - d(a)).num_days()
}

#[test]
fn customer_value_matches_the_raw_orders_and_refunds() {
    let (_dir, s) = demo_shop();
    let raw = raw_customers(s.conn());
    assert!(raw.len() > 100, "the demo has customers with sales");
    let refunded: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM payments WHERE kind = 'refund'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        refunded > 0,
        "the demo has refunds, so revenue after refunds is tested"
    );
    let rows = report(&s, ReportSpec::new(ReportKind::CustomerValue));
    assert_eq!(rows.len(), raw.len());
    let mut previous = i64::MAX;
    for row in &rows {
        let id = int(&row[0]);
        let (n, net, first, last) = &raw[&id];
        assert_eq!(int(&row[3]), *n, "customer {id}'s sales");
        assert_eq!(int(&row[4]), *net, "customer {id}'s revenue after refunds");
        assert_eq!(&text(&row[5]), first);
        assert_eq!(&text(&row[6]), last);
        // Average order to the cent, halves away from zero.
        let average = (net.abs() * 2 + n) / (2 * n) * net.signum();
        assert_eq!(int(&row[7]), average, "customer {id}'s average order");
        if *n > 1 {
            let span = days(first, last) as f64 / (n - 1) as f64;
            assert_eq!(
                int(&row[8]),
                span.round() as i64,
                "customer {id}'s days between"
            );
        } else {
            assert_eq!(row[8], Cell::Empty);
        }
        assert!(int(&row[4]) <= previous, "sorted by value");
        previous = int(&row[4]);
    }
    // The view's pages read the same figures.
    let page = customer_insights::value_page(s.conn(), 0, 5).unwrap();
    for (v, row) in page.iter().zip(&rows) {
        assert_eq!(v.id, int(&row[0]));
        assert_eq!(v.revenue, Money(int(&row[4])));
        assert_eq!(v.average, Money(int(&row[7])));
        assert_eq!(v.days_between.unwrap_or(0), int(&row[8]));
    }
    assert_eq!(customer_insights::value_count(s.conn()).unwrap(), raw.len());
    assert_checks(&s);
}

#[test]
fn top_customers_over_all_time_reads_the_summary_and_agrees_with_the_range() {
    let (_dir, s) = demo_shop();
    let all = ReportSpec {
        limit: Some(10_000),
        ..ReportSpec::new(ReportKind::TopCustomers)
    };
    assert!(store::reports::sql(&all).contains("net_revenue"));
    let wide = ReportSpec {
        from: Some("1970-01-01".into()),
        to: Some("2999-12-31".into()),
        ..all.clone()
    };
    assert!(!store::reports::sql(&wide).contains("net_revenue"));
    let mut a = report(&s, all);
    let mut b = report(&s, wide);
    assert!(a.len() > 100);
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

/// Month index of 'YYYY-MM'.
fn month(m: &str) -> i64 {
    m[..4].parse::<i64>().unwrap() * 12 + m[5..7].parse::<i64>().unwrap()
}

#[test]
fn cohorts_and_new_returning_match_the_raw_orders() {
    let (_dir, s) = demo_shop();
    let conn = s.conn();
    let events = format!(
        "firsts AS (SELECT o.customer_id, substr(min(o.order_date), 1, 7) AS cohort FROM orders o
                    WHERE {SALE} GROUP BY 1),
         ev AS (SELECT o.customer_id, substr(o.order_date, 1, 7) AS month, o.revenue AS amount, 1 AS sale
                FROM orders o WHERE {SALE}
                UNION ALL
                SELECT o.customer_id, substr(p.paid_on, 1, 7), -p.revenue, 0
                FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.kind = 'refund' AND {SALE})"
    );
    // New against returning, per month.
    let raw: Vec<(String, i64, i64, i64, i64, i64)> = conn
        .prepare(&format!(
            "WITH {events}
             SELECT ev.month,
                    count(DISTINCT CASE WHEN f.cohort = ev.month AND ev.sale = 1 THEN ev.customer_id END),
                    sum(CASE WHEN f.cohort = ev.month THEN ev.amount ELSE 0 END),
                    count(DISTINCT CASE WHEN f.cohort < ev.month AND ev.sale = 1 THEN ev.customer_id END),
                    sum(CASE WHEN f.cohort < ev.month THEN ev.amount ELSE 0 END),
                    sum(ev.amount)
             FROM ev JOIN firsts f ON f.customer_id = ev.customer_id
             GROUP BY ev.month ORDER BY ev.month"
        ))
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let rows: Vec<(String, i64, i64, i64, i64, i64)> =
        report(&s, ReportSpec::new(ReportKind::NewReturning))
            .iter()
            .map(|r| {
                (
                    text(&r[0]),
                    int(&r[1]),
                    int(&r[2]),
                    int(&r[3]),
                    int(&r[4]),
                    int(&r[5]),
                )
            })
            .collect();
    assert!(rows.len() > 24, "three years of months");
    assert_eq!(rows, raw);
    // Revenue after refunds of a month is that of sales-by-date's sales less
    // the refunds' revenue parts dated in it.
    let total: i64 = rows.iter().map(|r| r.5).sum();
    let expected: i64 = conn
        .query_row(
            &format!(
                "SELECT (SELECT sum(o.revenue) FROM orders o WHERE {SALE})
                      - (SELECT sum(p.revenue) FROM payments p JOIN orders o ON o.id = p.order_id
                         WHERE p.kind = 'refund' AND {SALE})"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(total, expected);

    // Cohorts: who of each month's new customers ordered k months later.
    let raw: BTreeMap<(String, i64), i64> = conn
        .prepare(&format!(
            "WITH {events}
             SELECT f.cohort, ev.month, count(DISTINCT ev.customer_id)
             FROM ev JOIN firsts f ON f.customer_id = ev.customer_id
             WHERE ev.sale = 1 GROUP BY 1, 2"
        ))
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .map(|(c, m, n)| ((c.clone(), month(&m) - month(&c)), n))
        .collect();
    let rows = report(&s, ReportSpec::new(ReportKind::Cohorts));
    let mut seen = 0;
    let mut sizes = BTreeMap::new();
    for r in &rows {
        let key = (text(&r[0]), int(&r[1]));
        let ordered = int(&r[3]);
        if key.1 == 0 {
            sizes.insert(key.0.clone(), int(&r[2]));
            assert_eq!(ordered, int(&r[2]), "everyone orders in their first month");
        }
        assert_eq!(ordered, raw.get(&key).copied().unwrap_or(0), "{key:?}");
        seen += usize::from(ordered > 0);
        let share = format!("{:.1}", 100.0 * ordered as f64 / int(&r[2]) as f64);
        assert_eq!(text(&r[4]), share);
    }
    assert_eq!(seen, raw.len(), "every cell with customers is in the grid");
    let customers: i64 = sizes.values().sum();
    assert_eq!(customers as usize, raw_customers(conn).len());
}

#[test]
fn segments_match_scores_worked_out_from_the_raw_orders() {
    let (_dir, s) = demo_shop();
    let raw = raw_customers(s.conn());
    let mut r: Vec<String> = raw.values().map(|v| v.3.clone()).collect();
    let mut f: Vec<i64> = raw.values().map(|v| v.0).collect();
    let mut m: Vec<i64> = raw.values().map(|v| v.1).collect();
    r.sort();
    f.sort();
    m.sort();
    let (rb, fb, mb) = (
        segments::boundaries(&r).unwrap(),
        segments::boundaries(&f).unwrap(),
        segments::boundaries(&m).unwrap(),
    );
    let rows = report(&s, ReportSpec::new(ReportKind::Segments));
    assert_eq!(rows.len(), raw.len());
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        let id = int(&row[0]);
        let (n, net, _, last) = &raw[&id];
        let scores = (
            segments::score(last, &rb),
            segments::score(n, &fb),
            segments::score(net, &mb),
        );
        assert_eq!(
            (int(&row[8]) as u8, int(&row[9]) as u8, int(&row[10]) as u8),
            scores,
            "customer {id}'s scores"
        );
        let segment = Segment::of(scores.0, scores.1, scores.2);
        assert_eq!(text(&row[3]), segment.name());
        assert_eq!(int(&row[4]), days(last, &today));
        assert_eq!((int(&row[5]), int(&row[6])), (*n, *net));
        *counts.entry(segment.name().to_owned()).or_default() += 1;
        // The customer's detail says the same.
        if id % 17 == 0 {
            let one = customer_insights::segment_of(s.conn(), id)
                .unwrap()
                .unwrap();
            assert_eq!(one.segment, segment);
        }
    }
    assert!(
        counts.len() >= 5,
        "a demo shop spreads over segments: {counts:?}"
    );
    // The view's lists and a filtered export hold the same customers.
    let lists = customer_insights::segment_lists(s.conn()).unwrap();
    for segment in Segment::ALL {
        let only = report(
            &s,
            ReportSpec {
                segment: Some(segment.name().to_lowercase()),
                ..ReportSpec::new(ReportKind::Segments)
            },
        );
        let ids: Vec<i64> = only.iter().map(|r| int(&r[0])).collect();
        assert_eq!(ids, lists.of(segment), "{}", segment.name());
        assert_eq!(ids.len(), counts.get(segment.name()).copied().unwrap_or(0));
    }
}

/// Ten customers, the i-th with i sales (two units at i x 0.50), the later
/// the more, each dearer:
/// every score is 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 (the boundaries fall on the
/// 2nd, 4th, 6th and 8th). A customer whose only order was cancelled and one
/// whose only order was returned have no segment and move no boundary.
#[test]
fn segments_at_their_quintile_boundaries() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let p = add_product(&mut s, "P-1", "Plate", "1.00", 10_000);
    let at = |date: &str| Placement {
        at: Some((date.into(), "10:00:00".into())),
        log: false,
        ..Default::default()
    };
    let mut ids = Vec::new();
    for i in 1..=10i64 {
        let c = add_customer(&mut s, &format!("C{i}"), &format!("c{i}@example.com"));
        ids.push(c);
        for j in 1..=i {
            let date = if j == i {
                format!("2025-03-{:02}", 10 + i)
            } else {
                format!("2025-01-{j:02}")
            };
            let o = order(c, vec![line(p, 2, 50 * i)]);
            s.write(|tx| orders::place(tx, &o, &at(&date))).unwrap();
        }
    }
    for (name, end) in [
        ("Cancelled", OrderStatus::Cancelled),
        ("Returned", OrderStatus::Returned),
    ] {
        let c = add_customer(&mut s, name, &format!("{name}@example.com"));
        let o = order(c, vec![line(p, 1, 1_000_000)]);
        let id = s
            .write(|tx| orders::place(tx, &o, &at("2025-04-01")))
            .unwrap();
        if end == OrderStatus::Returned {
            for st in [
                OrderStatus::Paid,
                OrderStatus::Shipped,
                OrderStatus::Delivered,
            ] {
                s.write(|tx| orders::set_status(tx, id, st)).unwrap();
            }
        }
        s.write(|tx| orders::set_status(tx, id, end)).unwrap();
        assert_eq!(customer_insights::segment_of(s.conn(), c).unwrap(), None);
    }
    let scores: Vec<(u8, u8, u8)> = ids
        .iter()
        .map(|id| {
            let x = customer_insights::segment_of(s.conn(), *id)
                .unwrap()
                .unwrap();
            (x.recency, x.frequency, x.money)
        })
        .collect();
    let expected: Vec<(u8, u8, u8)> = [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        .iter()
        .map(|k| (*k, *k, *k))
        .collect();
    assert_eq!(scores, expected);
    let names: Vec<String> = report(&s, ReportSpec::new(ReportKind::Segments))
        .iter()
        .map(|r| format!("{}={}", text(&r[1]), text(&r[3])))
        .collect();
    assert_eq!(
        names,
        [
            "C10=Champions",
            "C9=Champions",
            "C8=Champions",
            "C7=Champions",
            "C6=Loyal",
            "C5=Loyal",
            "C4=Hibernating",
            "C3=Hibernating",
            "C2=Lost",
            "C1=Lost"
        ]
    );
    // A refund of one unit of C8's last sale (4.00) leaves C8 at 60.00,
    // which is now the 4th boundary itself: ties take the lower score, so
    // C8 keeps 4 for money, and its sales and recency do not move.
    let c8 = ids[7];
    let order_id: i64 = s
        .conn()
        .query_row(
            "SELECT max(id) FROM orders WHERE customer_id = ?1",
            [c8],
            |r| r.get(0),
        )
        .unwrap();
    let item: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM order_items WHERE order_id = ?1",
            [order_id],
            |r| r.get(0),
        )
        .unwrap();
    s.write(|tx| orders::set_status(tx, order_id, OrderStatus::Paid))
        .unwrap();
    let req = RefundRequest {
        lines: vec![RefundLine {
            order_item_id: item,
            quantity: 1,
            restock: true,
        }],
        method: "Cash".into(),
        date: "2025-03-30".into(),
        ..Default::default()
    };
    s.write(|tx| orders::refund(tx, order_id, &req)).unwrap();
    assert_checks(&s);
    let net: i64 = s
        .conn()
        .query_row(
            "SELECT net_revenue FROM customers WHERE id = ?1",
            [c8],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(net, 6000);
    let after: Vec<(u8, u8, u8)> = ids
        .iter()
        .map(|id| {
            let x = customer_insights::segment_of(s.conn(), *id)
                .unwrap()
                .unwrap();
            (x.recency, x.frequency, x.money)
        })
        .collect();
    assert_eq!(after, expected);
}

/// The summary follows each order change in its own transaction: placing,
/// editing lines, paying, refunding, cancelling, returning; `check` proves it
/// equals its recomputation after each.
#[test]
fn the_summary_follows_every_order_change() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let p = add_product(&mut s, "P-1", "Plate", "12.50", 100);
    let a = add_customer(&mut s, "Ana", "ana@example.com");
    let net = |s: &Store| -> (i64, Option<String>, Option<String>) {
        s.conn()
            .query_row(
                "SELECT net_revenue, first_sale_date, last_sale_date FROM customers WHERE id = ?1",
                [a],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap()
    };
    let at = |date: &str| Placement {
        at: Some((date.into(), "10:00:00".into())),
        ..Default::default()
    };
    let o1 = s
        .write(|tx| orders::place(tx, &order(a, vec![line(p, 2, 1250)]), &at("2026-01-05")))
        .unwrap();
    let o2 = s
        .write(|tx| orders::place(tx, &order(a, vec![line(p, 1, 1250)]), &at("2026-02-07")))
        .unwrap();
    assert_checks(&s);
    assert_eq!(
        net(&s),
        (3750, Some("2026-01-05".into()), Some("2026-02-07".into()))
    );
    s.write(|tx| orders::edit_lines(tx, o2, &[line(p, 3, 1250)], None))
        .unwrap();
    assert_checks(&s);
    assert_eq!(net(&s).0, 6250);
    s.write(|tx| orders::set_status(tx, o1, OrderStatus::Paid))
        .unwrap();
    let item: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM order_items WHERE order_id = ?1",
            [o1],
            |r| r.get(0),
        )
        .unwrap();
    let req = RefundRequest {
        lines: vec![RefundLine {
            order_item_id: item,
            quantity: 1,
            restock: true,
        }],
        method: "Cash".into(),
        date: "2026-03-02".into(),
        ..Default::default()
    };
    s.write(|tx| orders::refund(tx, o1, &req)).unwrap();
    assert_checks(&s);
    assert_eq!(net(&s).0, 5000);
    let months: Vec<(String, i64, i64, i64)> = s
        .conn()
        .prepare("SELECT month, orders, revenue, refunds FROM customer_months WHERE customer_id = ?1 ORDER BY month")
        .unwrap()
        .query_map([a], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        months,
        [
            ("2026-01".to_owned(), 1, 2500, 0),
            ("2026-02".to_owned(), 1, 3750, 0),
            ("2026-03".to_owned(), 0, 0, 1250)
        ]
    );
    // The first order cancelled: the customer's first sale is now in February.
    s.write(|tx| orders::set_status(tx, o1, OrderStatus::Cancelled))
        .unwrap();
    assert_checks(&s);
    assert_eq!(
        net(&s),
        (3750, Some("2026-02-07".into()), Some("2026-02-07".into()))
    );
    for st in [
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Returned,
    ] {
        s.write(|tx| orders::set_status(tx, o2, st)).unwrap();
    }
    assert_checks(&s);
    assert_eq!(net(&s), (0, None, None));
    let left: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM cohort_months WHERE customers <> 0 OR revenue <> 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "nothing counts any more");
}

/// `check` finds a summary that no longer matches (the test fails before
/// the check exists).
#[test]
fn check_finds_a_summary_that_differs() {
    let (_dir, s) = demo_shop();
    assert_checks(&s);
    s.conn()
        .execute_batch(
            "UPDATE customers SET net_revenue = net_revenue + 1 WHERE id = (SELECT min(id) FROM customers WHERE sale_count > 0);
             UPDATE customer_months SET refunds = refunds + 5 WHERE customer_id = (SELECT max(customer_id) FROM customer_months);",
        )
        .unwrap();
    let report = store::check::run(s.conn()).unwrap();
    let failed: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| !f.ok)
        .map(|f| f.name)
        .collect();
    assert!(
        failed.iter().any(|n| n.contains("revenue after refunds")),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .any(|n| n.contains("monthly customer summary")),
        "{failed:?}"
    );
}

/// Upgrading a version 9 shop fills the summary from its orders.
#[test]
fn an_upgrade_from_version_9_fills_the_summary() {
    let (_dir, path) = temp_db();
    let sql = std::fs::read_to_string(format!(
        "{}/tests/fixtures/v9.sql",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    Connection::open(&path)
        .unwrap()
        .execute_batch(&sql)
        .unwrap();
    let s = Store::open(&path).unwrap();
    assert_checks(&s);
    let raw = raw_customers(s.conn());
    assert!(!raw.is_empty(), "the fixture has sales");
    let rows = report(&s, ReportSpec::new(ReportKind::CustomerValue));
    assert_eq!(rows.len(), raw.len());
    for row in rows {
        let (n, net, ..) = &raw[&int(&row[0])];
        assert_eq!((int(&row[3]), int(&row[4])), (*n, *net));
    }
    let cohorts: i64 = s
        .conn()
        .query_row("SELECT count(*) FROM cohort_months", [], |r| r.get(0))
        .unwrap();
    assert!(cohorts > 0);
}

/// The Insights view on a demo shop: the best customer heads the lifetime
/// value list, the segments are scored off the window's thread and a
/// segment's list exports through the save dialog (the same bytes as
/// `export segments --segment`), the cohort grid is drawn, and the
/// customer's detail names their segment.
#[test]
fn the_customers_view_lists_scores_exports_and_draws() {
    use crate::common::ui::{button, ready_store, shows, wait_for, window_with};
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    let (dir, mut s) = ready_store();
    demo::fill(
        &mut s,
        DemoSize {
            customers: 120,
            products: 30,
            orders: 1500,
            seed: 3,
        },
        |_, _| true,
    )
    .unwrap();
    let best = report(&s, ReportSpec::new(ReportKind::CustomerValue))[0].clone();
    let best_name = text(&best[1]);
    let champions = report(
        &s,
        ReportSpec {
            segment: Some("Champions".into()),
            ..ReportSpec::new(ReportKind::Segments)
        },
    );
    assert!(!champions.is_empty());
    let expected = {
        let out = dir.path().join("expected.csv");
        shopkeeper::jobs::export_report(
            s.conn(),
            &ReportSpec {
                segment: Some("Champions".into()),
                ..ReportSpec::new(ReportKind::Segments)
            },
            &out,
            shopkeeper::export::Format::Csv,
            &shopkeeper::jobs::Progress::default(),
        )
        .unwrap();
        std::fs::read(&out).unwrap()
    };
    let out = dir.path().join("champions.csv");
    let dialogs = shopkeeper::ui::ScriptedDialogs::default();
    dialogs.push(&out);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    h.run();
    assert!(shows(&h, &best_name), "the best customer is listed first");
    h.get_by_label("Segments").click();
    wait_for(&mut h, "the segments", |h| {
        h.query_all_by_label_contains("Champions (")
            .next()
            .is_some()
    });
    h.get_by_label_contains("Champions (").click();
    h.run();
    assert!(
        shows(&h, &text(&champions[0][1])),
        "the first champion is listed"
    );
    button(&h, "Export Champions…").click();
    wait_for(&mut h, "the exported segment", |_| out.exists());
    assert_eq!(std::fs::read(&out).unwrap(), expected);
    h.get_by_label("Cohorts").click();
    h.run();
    assert!(
        h.query_all_by_role_and_label(Role::Button, "Export…")
            .next()
            .is_some()
    );
    // The best customer's detail names their segment.
    h.get_by_label("Lifetime value").click();
    h.run();
    h.get_by_label(&best_name).click();
    h.run();
    assert!(
        shows(&h, "Segment"),
        "the detail shows the segment: {:?}",
        crate::common::ui::texts(&h)
    );
}

/// Insights > Customers > New and returning: the `new-returning` report drawn
/// as bars (its legend names new and returning customers), read off the
/// window's thread, with the months listed below; "Export…" saves the same
/// bytes as the report exported for the same range.
#[test]
fn the_new_and_returning_chart_shows_and_exports() {
    use crate::common::ui::{button, ready_store, shows, wait_for, window_with};
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    let (dir, mut s) = ready_store();
    demo::fill(
        &mut s,
        DemoSize {
            customers: 80,
            products: 20,
            orders: 800,
            seed: 5,
        },
        |_, _| true,
    )
    .unwrap();
    let today = chrono::Local::now().date_naive();
    let spec = ReportSpec {
        from: Some(
            (today - chrono::Duration::days(364))
                .format("%Y-%m-%d")
                .to_string(),
        ),
        ..ReportSpec::new(ReportKind::NewReturning)
    };
    let months = report(&s, spec.clone());
    assert!(!months.is_empty());
    let expected = {
        let out = dir.path().join("expected.csv");
        shopkeeper::jobs::export_report(
            s.conn(),
            &spec,
            &out,
            shopkeeper::export::Format::Csv,
            &shopkeeper::jobs::Progress::default(),
        )
        .unwrap();
        std::fs::read(&out).unwrap()
    };
    let out = dir.path().join("new-returning.csv");
    let dialogs = shopkeeper::ui::ScriptedDialogs::default();
    dialogs.push(&out);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num6);
    h.run();
    h.get_by_label("New and returning").click();
    wait_for(&mut h, "the new and returning chart", |h| {
        h.query_all_by_role_and_label(Role::CheckBox, "Returning customers")
            .next()
            .is_some()
    });
    assert!(
        h.query_all_by_role_and_label(Role::CheckBox, "New customers")
            .next()
            .is_some()
    );
    // The months are listed below the chart, in words.
    assert!(
        shows(
            &h,
            &shopkeeper::domain::Period::Month.label(&text(&months[0][0]))
        ),
        "{:?}",
        crate::common::ui::texts(&h)
    );
    button(&h, "Export…").click();
    wait_for(&mut h, "the exported months", |_| out.exists());
    assert_eq!(std::fs::read(&out).unwrap(), expected);
}

/// A bulk import adds to the summary what it wrote (it no longer
/// recomputes each customer): later orders first, then earlier ones of the
/// same customer and a new one, each file more lines than the shop holds so
/// the writer defers its summaries; the customer's kept months move to the
/// earlier cohort, and `shopkeeper check` agrees.
#[test]
fn a_bulk_import_of_earlier_orders_moves_the_cohort() {
    use shopkeeper::import::{self, ImportKind, ImportOptions};
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    add_customer(&mut s, "Ann", "ann@example.com");
    add_customer(&mut s, "Bob", "bob@example.com");
    add_product(&mut s, "A-1", "Apple", "2.00", 100);
    let head = "order_number,order_date,customer_email,status,sku,quantity,unit_price\n";
    let files = [
        "5000,2025-01-10,ann@example.com,delivered,A-1,1,2.00\n",
        "10,2024-06-11,ann@example.com,delivered,A-1,1,2.00\n\
         11,2024-07-12,ann@example.com,cancelled,A-1,2,2.00\n\
         12,2025-01-12,ann@example.com,delivered,A-1,2,2.00\n\
         13,2025-02-01,bob@example.com,paid,A-1,3,2.00\n",
    ];
    for (i, body) in files.iter().enumerate() {
        let file = dir.path().join(format!("orders-{i}.csv"));
        std::fs::write(&file, format!("{head}{body}")).unwrap();
        import::run(
            &mut s,
            ImportKind::Orders,
            &file,
            ImportOptions::default(),
            &mut |_, _| true,
        )
        .unwrap();
    }
    assert_checks(&s);
    let rows: Vec<(String, String, i64, i64)> = s
        .conn()
        .prepare("SELECT month, cohort, orders, revenue FROM customer_months ORDER BY customer_id, month")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let row = |m: &str, c: &str, o: i64, r: i64| (m.to_owned(), c.to_owned(), o, r);
    assert_eq!(
        rows,
        vec![
            row("2024-06", "2024-06", 1, 200),
            row("2025-01", "2024-06", 2, 600),
            row("2025-02", "2025-02", 1, 600),
        ]
    );
}
