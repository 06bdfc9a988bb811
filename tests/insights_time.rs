//! Insights > Time on a demo shop: this year against last by week and sales
//! by weekday and hour, each figure compared with a computation written here
//! over the raw tables (orders and payments, not the daily summaries); the
//! hourly summary through every order change and `shopkeeper check`
//! catching it corrupted; the panel opened with Ctrl+6 and its Time tab drawn.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use egui_kittest::kittest::Queryable;
use shopkeeper::domain::{Cell, Money, OrderStatus, ReportKind, ReportSpec, ReportTable};
use shopkeeper::store::{self, Store};

use crate::common::ui::*;
use crate::common::*;

fn demo_shop() -> (tempfile::TempDir, Store) {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    shopkeeper::demo::fill(
        &mut s,
        shopkeeper::demo::DemoSize {
            customers: 300,
            products: 40,
            orders: 4000,
            seed: 18,
        },
        |_, _| true,
    )
    .unwrap();
    (dir, s)
}

fn run(s: &Store, spec: &ReportSpec) -> ReportTable {
    store::reports::run(s.conn(), spec, 10_000).unwrap().0
}

const SALE: &str = "status NOT IN ('cancelled', 'returned')";

/// Revenue after refunds between two days, from the orders and payments.
fn revenue_between(s: &Store, from: NaiveDate, to: NaiveDate) -> Money {
    let (from, to) = (from.to_string(), to.to_string());
    let sold: i64 = s
        .conn()
        .query_row(
            &format!(
                "SELECT coalesce(sum(revenue), 0) FROM orders WHERE {SALE} AND order_date >= ?1 AND order_date <= ?2"
            ),
            [&from, &to],
            |r| r.get(0),
        )
        .unwrap();
    let refunded: i64 = s
        .conn()
        .query_row(
            &format!(
                "SELECT coalesce(sum(p.revenue), 0) FROM payments p JOIN orders o ON o.id = p.order_id
                 WHERE p.kind = 'refund' AND o.{SALE} AND p.paid_on >= ?1 AND p.paid_on <= ?2"
            ),
            [&from, &to],
            |r| r.get(0),
        )
        .unwrap();
    Money(sold - refunded)
}

/// Week `w` of `year`: 1-7 January is week 1; week 52 runs to 31 December.
fn week(year: i32, w: u32) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap()
        + chrono::Duration::days(7 * (i64::from(w) - 1));
    let end = if w == 52 {
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap()
    } else {
        start + chrono::Duration::days(6)
    };
    (start, end)
}

fn check_year_over_year(s: &Store, to: NaiveDate) {
    let spec = ReportSpec {
        to: Some(to.to_string()),
        ..ReportSpec::new(ReportKind::YearOverYear)
    };
    let t = run(s, &spec);
    assert_eq!(t.rows.len(), 52, "every week of the year");
    let year = to.year();
    let same_day = to.with_year(year - 1).unwrap();
    let mut seen_this = Money(0);
    for (i, row) in t.rows.iter().enumerate() {
        let w = i as u32 + 1;
        let (start, end) = week(year, w);
        let this = if start <= to {
            let m = revenue_between(s, start, end.min(to));
            seen_this = Money(seen_this.0 + m.0);
            Cell::Amount(m)
        } else {
            Cell::Empty
        };
        // The week still running meets last year's same days.
        let (ls, le) = week(year - 1, w);
        let le = if start <= to && to <= end {
            le.min(same_day)
        } else {
            le
        };
        let expected = vec![
            Cell::Int(i64::from(w)),
            Cell::Text(start.to_string()),
            this,
            Cell::Amount(revenue_between(s, ls, le)),
        ];
        assert_eq!(row, &expected, "week {w} of {year} (to {to})");
    }
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
    assert_eq!(seen_this, revenue_between(s, first, to), "the year so far");
    // The totals compare the same days: last year's only as far as this
    // year has come (they compared eleven months with twelve, then a week
    // of a few days with a whole one).
    let totals = t.totals().unwrap();
    assert_eq!(totals[2], Cell::Amount(seen_this), "to {to}");
    assert_eq!(
        totals[3],
        Cell::Amount(revenue_between(
            s,
            first.with_year(year - 1).unwrap(),
            same_day
        )),
        "last year to {same_day} (to {to})"
    );
    assert!(
        t.rows
            .iter()
            .any(|r| matches!(r[3], Cell::Amount(m) if m.0 > 0)),
        "the demo shop sold something the year before {year}"
    );
}

#[test]
fn this_year_against_last_is_revenue_after_refunds_per_week() {
    let (_dir, s) = demo_shop();
    let refunds: i64 = s
        .conn()
        .query_row(
            "SELECT count(*) FROM payments WHERE kind = 'refund'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(refunds > 0, "the demo shop has refunds to take off");
    let today = chrono::Local::now().date_naive();
    check_year_over_year(&s, today);
    // A year gone by, and a leap year's last days in week 52.
    check_year_over_year(
        &s,
        NaiveDate::from_ymd_opt(today.year() - 1, 12, 31).unwrap(),
    );
    check_year_over_year(&s, NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
    check_year_over_year(&s, NaiveDate::from_ymd_opt(today.year() - 1, 3, 3).unwrap());
    // Early in a year, a week of one or three days against last year's same days.
    check_year_over_year(&s, NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap());
    check_year_over_year(&s, NaiveDate::from_ymd_opt(today.year(), 1, 3).unwrap());
}

#[test]
fn sales_by_weekday_and_hour_count_every_sale_once() {
    let (_dir, s) = demo_shop();
    let today = chrono::Local::now().date_naive();
    let from = today - chrono::Duration::days(364);
    // The orders as stored, counted here by chrono's weekday and hour.
    let mut expected: HashMap<(String, i64), (i64, i64)> = HashMap::new();
    let mut all = (0, 0);
    let mut stmt = s
        .conn()
        .prepare(&format!(
            "SELECT order_date, order_time, revenue FROM orders WHERE {SALE}"
        ))
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (date, time, revenue) = row.unwrap();
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
        let hour = i64::from(NaiveTime::parse_from_str(&time, "%H:%M:%S").unwrap().hour());
        all = (all.0 + 1, all.1 + revenue);
        if date < from || date > today {
            continue;
        }
        let e = expected
            .entry((date.format("%A").to_string(), hour))
            .or_default();
        *e = (e.0 + 1, e.1 + revenue);
    }
    let check = |t: &ReportTable, expected: &HashMap<(String, i64), (i64, i64)>, first: &str| {
        assert_eq!(t.rows.len(), 168, "every hour of the week");
        assert_eq!(t.rows[0][0], Cell::Text(first.into()));
        let mut orders = 0;
        for row in &t.rows {
            let (Cell::Text(day), Cell::Int(hour)) = (&row[0], &row[1]) else {
                panic!("{row:?}");
            };
            let (n, revenue) = expected
                .get(&(day.clone(), *hour))
                .copied()
                .unwrap_or_default();
            assert_eq!(
                row[2..],
                [Cell::Int(n), Cell::Amount(Money(revenue))],
                "{day} {hour}"
            );
            orders += n;
        }
        assert_eq!(orders, expected.values().map(|v| v.0).sum::<i64>());
    };
    let spec = ReportSpec {
        from: Some(from.to_string()),
        to: Some(today.to_string()),
        ..ReportSpec::new(ReportKind::WeekdayHour)
    };
    check(&run(&s, &spec), &expected, "Monday");
    // As the window reads it: the same rows in little memory, and the
    // connection's settings back after.
    let (light, _) = store::reports::run_lightly(s.conn(), &spec, 10_000).unwrap();
    assert_eq!(light.rows, run(&s, &spec).rows);
    let temp_store: i64 = s
        .conn()
        .query_row("PRAGMA temp_store", [], |r| r.get(0))
        .unwrap();
    assert_eq!(temp_store, 2, "temporary data in memory again");
    // All time, the week starting on Sunday as the shop says.
    s.conn()
        .execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('week_start', 'sunday')",
            [],
        )
        .unwrap();
    let t = run(&s, &ReportSpec::new(ReportKind::WeekdayHour));
    let orders: i64 = t
        .rows
        .iter()
        .map(|r| match r[2] {
            Cell::Int(n) => n,
            _ => 0,
        })
        .sum();
    let revenue: i64 = t
        .rows
        .iter()
        .map(|r| match r[3] {
            Cell::Amount(m) => m.0,
            _ => 0,
        })
        .sum();
    assert_eq!((orders, revenue), all, "all time holds every sale");
    assert_eq!(t.rows[0][0], Cell::Text("Sunday".into()));
    assert_eq!(t.rows[24][0], Cell::Text("Monday".into()));
}

#[test]
fn ctrl_6_opens_insights_and_time_draws_both_views() {
    let (_dir, s) = demo_shop();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num6);
    h.run_steps(2);
    assert_eq!(h.state().panel(), shopkeeper::ui::Panel::Insights);
    // Customers first: its lifetime value list.
    assert!(
        h.query_by_label("Lifetime value").is_some(),
        "{:?}",
        texts(&h)
    );
    h.get_by_label("Time").click();
    h.run_steps(2);
    assert!(shows(&h, "This year against last, by week"));
    assert!(shows(&h, "Sales by weekday and hour"));
    wait_for(&mut h, "the weekday and hour heat map", |h| {
        shows(h, "Monday")
    });
    wait_for(&mut h, "this year against last", |h| {
        h.query_by_label_contains("last year").is_some()
    });
    // The week still running (on most days there is one) is given against
    // last year's same days, not alone.
    let line = texts(&h)
        .into_iter()
        .find(|t| t.starts_with("Weeks 1"))
        .unwrap_or_default();
    assert!(
        !line.contains("so far") || line.contains("on the same days last year"),
        "{line}"
    );
    for day in [
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ] {
        assert!(shows(&h, day), "{day}");
    }
    assert!(
        h.query_by_label_contains("Busiest hour: ").is_some(),
        "{:?}",
        texts(&h)
    );
    // The plot's legend names both lines.
    assert!(h.query_by_label("This year").is_some(), "{:?}", texts(&h));
    assert!(h.query_by_label("Last year").is_some());
}

/// Sales by weekday and hour over all time, computed here from the orders
/// (not the hourly summary), as (weekday, hour, orders, revenue) where any.
fn raw_weekday_hours(s: &Store) -> Vec<(String, i64, i64, i64)> {
    let mut stmt = s
        .conn()
        .prepare(&format!(
            "SELECT order_date, order_time, revenue FROM orders WHERE {SALE}"
        ))
        .unwrap();
    let mut sums: HashMap<(String, i64), (i64, i64)> = HashMap::new();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap()
    {
        let (date, time, revenue) = row.unwrap();
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
        let hour = i64::from(NaiveTime::parse_from_str(&time, "%H:%M:%S").unwrap().hour());
        let e = sums
            .entry((date.format("%A").to_string(), hour))
            .or_default();
        *e = (e.0 + 1, e.1 + revenue);
    }
    let mut rows: Vec<_> = sums
        .into_iter()
        .map(|((d, h), (n, r))| (d, h, n, r))
        .collect();
    rows.sort();
    rows
}

/// The weekday-hour report's hours that hold a sale, sorted as `raw_weekday_hours`.
fn reported_weekday_hours(s: &Store) -> Vec<(String, i64, i64, i64)> {
    let spec = ReportSpec {
        from: Some("2000-01-01".into()),
        to: Some("2100-01-01".into()),
        ..ReportSpec::new(ReportKind::WeekdayHour)
    };
    let mut rows: Vec<_> = run(s, &spec)
        .rows
        .iter()
        .filter_map(|r| match (&r[0], &r[1], &r[2], &r[3]) {
            (Cell::Text(d), Cell::Int(h), Cell::Int(n), Cell::Amount(m)) if *n > 0 => {
                Some((d.clone(), *h, *n, m.0))
            }
            _ => None,
        })
        .collect();
    rows.sort();
    rows
}

#[track_caller]
fn hours_agree(s: &Store, step: &str) {
    assert_eq!(reported_weekday_hours(s), raw_weekday_hours(s), "{step}");
    assert_checks(s);
}

/// The hourly summary follows every order change through the store's own
/// paths, in the same transaction: place, edit, edit lines, pay, refund,
/// cancel, return, and undo of each, back to an empty shop.
#[test]
fn the_hourly_summary_follows_every_order_change() {
    use shopkeeper::store::changelog;
    use shopkeeper::store::orders::{self, Placement};
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 50);
    let tea = add_product(&mut s, "TEA-2", "Green tea", "4.00", 50);
    let since = changelog::latest_id(s.conn()).unwrap();
    let at = |date: &str, time: &str| Placement {
        at: Some((date.into(), time.into())),
        ..Default::default()
    };
    let first = order(ana, vec![line(mug, 2, 1250), line(tea, 1, 400)]);
    let a = s
        .write(|tx| orders::place(tx, &first, &at("2026-03-02", "09:15:00")))
        .unwrap();
    hours_agree(&s, "placed");
    let b = s
        .write(|tx| orders::place(tx, &first, &at("2026-03-02", "09:59:59")))
        .unwrap();
    hours_agree(&s, "a second order in the same hour");
    s.write(|tx| orders::edit_lines(tx, a, &[line(mug, 3, 1250)], None))
        .unwrap();
    hours_agree(&s, "lines edited");
    let edited = order(ana, vec![line(tea, 4, 400)]);
    s.write(|tx| orders::edit(tx, b, &edited)).unwrap();
    hours_agree(&s, "order edited");
    s.write(|tx| orders::mark_paid(tx, a, "Card", "2026-03-02"))
        .unwrap();
    hours_agree(&s, "paid");
    let c = s
        .write(|tx| orders::place(tx, &first, &at("2026-03-07", "23:59:59")))
        .unwrap();
    hours_agree(&s, "placed at the day's last hour");
    s.write(|tx| orders::set_status(tx, c, OrderStatus::Cancelled))
        .unwrap();
    hours_agree(&s, "cancelled");
    // Delivered, then every change undone, back to no sale at all.
    deliver_then_undo_all(&mut s, b, since, hours_agree);
    assert!(reported_weekday_hours(&s).is_empty(), "no sale left");
    // Refunds (which cannot be undone), of an order placed and paid at
    // midnight: a unit, then the rest, which returns the order.
    let d =
        pay_then_refund_in_two_steps(&mut s, &first, &at("2026-03-09", "00:00:01"), hours_agree);
    let status: String = s
        .conn()
        .query_row("SELECT status FROM orders WHERE id = ?1", [d], |r| r.get(0))
        .unwrap();
    assert_eq!(status, "returned", "refunded in full");
    hours_agree(&s, "refunded in full");
    assert!(
        reported_weekday_hours(&s).is_empty(),
        "a returned order is no sale"
    );
}

/// `shopkeeper check` names a kept hourly summary or daily product totals
/// that differ from what they sum.
#[test]
fn check_catches_a_corrupted_hourly_summary_or_product_totals() {
    let (_dir, s) = demo_shop();
    assert_checks(&s);
    for (corrupt, repair, name) in [
        (
            "UPDATE order_hourly SET revenue = revenue + 1
             WHERE (order_date, hour) = (SELECT order_date, hour FROM order_hourly ORDER BY 1 DESC, 2 DESC LIMIT 1)",
            "UPDATE order_hourly SET revenue = revenue - 1
             WHERE (order_date, hour) = (SELECT order_date, hour FROM order_hourly ORDER BY 1 DESC, 2 DESC LIMIT 1)",
            "the hourly sales summary matches the orders",
        ),
        (
            "INSERT INTO order_hourly (order_date, hour, orders, revenue) VALUES ('1999-01-01', 3, 1, 0)",
            "DELETE FROM order_hourly WHERE order_date = '1999-01-01'",
            "the hourly sales summary matches the orders",
        ),
        (
            "UPDATE product_day_totals SET lines = lines + 1 WHERE day = (SELECT max(day) FROM product_day_totals)",
            "UPDATE product_day_totals SET lines = lines - 1 WHERE day = (SELECT max(day) FROM product_day_totals)",
            "the daily totals over the products match the daily product summary",
        ),
    ] {
        assert_eq!(s.conn().execute(corrupt, []).unwrap(), 1, "{corrupt}");
        assert_eq!(failed_checks(&s), vec![name], "{corrupt}");
        s.conn().execute(repair, []).unwrap();
        assert!(failed_checks(&s).is_empty(), "{repair}");
    }
}
