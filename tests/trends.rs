//! Trends on a small shop worked out by hand: key figures against the
//! previous period, empty periods, and the same amounts as sales-by-date.

use crate::common::*;
use shopkeeper::domain::trends::{self, Figures};
use shopkeeper::domain::{Money, NewOrder, OrderLine, OrderStatus, Period, ReportKind, ReportSpec};
use shopkeeper::store::orders::{self, Placement};
use shopkeeper::store::{self, Store};

fn shop() -> (tempfile::TempDir, Store) {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let bea = add_customer(&mut s, "Bea Souza", "bea@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "10.00", 20);
    let mut place = |c, qty, cents, date: &str| {
        let o = NewOrder {
            customer_id: c,
            lines: vec![OrderLine {
                product_id: mug,
                quantity: qty,
                unit_price: Money(cents),
                ..Default::default()
            }],
            note: None,
            ..Default::default()
        };
        let how = Placement {
            at: Some((date.into(), "10:00:00".into())),
            log: false,
            ..Default::default()
        };
        s.write(|tx| orders::place(tx, &o, &how)).unwrap()
    };
    place(ana, 2, 1000, "2026-01-28");
    place(bea, 1, 500, "2026-01-30");
    let cancelled = place(ana, 1, 1000, "2026-02-01");
    place(ana, 1, 1200, "2026-02-03");
    s.write(|tx| orders::set_status(tx, cancelled, OrderStatus::Cancelled))
        .unwrap();
    (dir, s)
}

#[test]
fn key_figures_and_the_previous_period() {
    let (_d, s) = shop();
    let now = store::trends::figures(s.conn(), "2026-02-01", "2026-02-03").unwrap();
    assert_eq!(
        now,
        Figures {
            revenue: Money(1200),
            tax: Money(0),
            orders: 1,
            items: 1,
            new_customers: 0
        }
    );
    let d = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
    let (pf, pt) = trends::previous_range(d("2026-02-01"), d("2026-02-03"));
    assert_eq!((pf, pt), (d("2026-01-29"), d("2026-01-31")));
    let before = store::trends::figures(s.conn(), "2026-01-29", "2026-01-31").unwrap();
    assert_eq!(
        before,
        Figures {
            revenue: Money(500),
            tax: Money(0),
            orders: 1,
            items: 1,
            new_customers: 1
        }
    );
    assert_eq!(trends::change(now.revenue.0, before.revenue.0), Some(140.0));
    assert_eq!(trends::change(now.orders, before.orders), Some(0.0));
    assert_eq!(
        trends::change(now.new_customers, before.new_customers),
        Some(-100.0)
    );
    assert_eq!(now.average_order(), Money(1200));
}

#[test]
fn the_series_is_sales_by_date_with_empty_periods_and_matches_the_figures() {
    let (_d, s) = shop();
    let spec = ReportSpec {
        from: Some("2026-01-28".into()),
        to: Some("2026-02-03".into()),
        ..ReportSpec::new(ReportKind::SalesByDate)
    };
    let (table, _) = store::reports::run(s.conn(), &spec, 1000).unwrap();
    let series = trends::series(&table, &[]);
    let revenue: Vec<i64> = series.iter().map(|p| p.revenue.0).collect();
    assert_eq!(revenue, [2000, 0, 500, 0, 0, 0, 1200]);
    let total: i64 = revenue.iter().sum();
    let f = store::trends::figures(s.conn(), "2026-01-28", "2026-02-03").unwrap();
    assert_eq!(
        Money(total),
        f.revenue,
        "the plot and the figures agree with the report"
    );
    let ma = trends::moving_average(&revenue.iter().map(|v| *v as f64).collect::<Vec<_>>(), 7);
    assert_eq!(ma[6], Some(3700.0 / 7.0));
    let by_month = ReportSpec {
        by: Period::Month,
        ..spec
    };
    let (table, _) = store::reports::run(s.conn(), &by_month, 1000).unwrap();
    let months: Vec<(String, i64)> = trends::series(&table, &[])
        .into_iter()
        .map(|p| (p.period, p.revenue.0))
        .collect();
    assert_eq!(
        months,
        [("2026-01".to_owned(), 2500), ("2026-02".to_owned(), 1200)]
    );
}

/// Trends count money as the reports do: revenue and tax after the refunds
/// dated in the range, per period in the series too.
#[test]
fn revenue_and_tax_are_after_refunds_in_the_figures_and_the_series() {
    let m = crate::numbers::money_shop();
    let f = store::trends::figures(m.s.conn(), "2026-03-01", "2026-03-31").unwrap();
    // A 3500 + B 1000 - 852 back; tax 643 + 200 - 170; items A's 5 and B's
    // 1 less the mug back (as top products and margin count them).
    assert_eq!(
        f,
        Figures {
            revenue: Money(3648),
            tax: Money(673),
            orders: 2,
            items: 5,
            new_customers: 2
        }
    );
    let before = store::trends::figures(m.s.conn(), "2026-03-01", "2026-03-09").unwrap();
    assert_eq!((before.revenue, before.items), (Money(4500), 6));
    let spec = ReportSpec {
        from: Some("2026-03-01".into()),
        to: Some("2026-03-31".into()),
        by: Period::Week,
        ..ReportSpec::new(ReportKind::SalesByDate)
    };
    let (table, _) = store::reports::run(m.s.conn(), &spec, 1000).unwrap();
    let refunds =
        store::trends::refunds_by_period(m.s.conn(), "2026-03-01", "2026-03-31", Period::Week)
            .unwrap();
    assert_eq!(refunds, vec![("2026-03-09".to_owned(), Money(852))]);
    let weeks: Vec<(String, i64)> = trends::series(&table, &refunds)
        .into_iter()
        .map(|p| (p.period, p.revenue.0))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-02-23".to_owned(), 0),
            ("2026-03-02".to_owned(), 4500),
            ("2026-03-09".to_owned(), -852),
            ("2026-03-16".to_owned(), 0),
            ("2026-03-23".to_owned(), 0),
            ("2026-03-30".to_owned(), 0),
        ]
    );
    let total: i64 = weeks.iter().map(|(_, v)| v).sum();
    assert_eq!(Money(total), f.revenue, "the plot and the figures agree");
}

/// A reading job that is cancelled stops its query at once instead of
/// finishing it for nobody: clicking through Trends' ranges runs one
/// breakdown at a time, not one per range clicked (each holding a core and
/// its memory).
#[test]
fn a_cancelled_reading_job_stops_its_query() {
    use shopkeeper::jobs::Job;
    use std::time::{Duration, Instant};
    let (_dir, path) = temp_db();
    let location = Store::open(&path).unwrap().location();
    let job = Job::spawn(
        "count",
        location,
        || {},
        |store, progress| {
            progress.stop_queries_on_cancel(store.conn());
            store
            .conn()
            .query_row(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)
                 SELECT count(*) FROM n",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| e.to_string())
        },
    );
    std::thread::sleep(Duration::from_millis(200));
    job.progress.cancel();
    let start = Instant::now();
    let outcome = loop {
        if let Some(outcome) = job.poll() {
            break outcome;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the cancelled query is still running"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(outcome.is_err(), "{outcome:?}");
}

/// Trends reads the figures of its first range ahead, once the window has
/// drawn its first frame (`View::prefetch`): a sale another window makes
/// after that is in them all the same when the panel opens.
#[test]
fn figures_read_ahead_take_in_a_later_change() {
    use crate::common::ui::*;
    let (_dir, mut s) = ready_store();
    let path = s.path().to_path_buf();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "10.00", 20);
    let sell = |s: &mut Store, quantity| {
        let o = order(ana, vec![line(mug, quantity, 1000)]);
        let id = s
            .write(|tx| orders::place(tx, &o, &Placement::default()))
            .unwrap();
        s.write(|tx| orders::set_status(tx, id, OrderStatus::Paid))
            .unwrap();
    };
    sell(&mut s, 2);
    let mut h = open_window(s);
    h.run();
    // The read-ahead has its answer by now.
    std::thread::sleep(std::time::Duration::from_millis(500));
    h.step();
    let mut other = Store::open(&path).unwrap();
    sell(&mut other, 1);
    // The window looks for other writers twice a second (60 frames: 1 s).
    h.run_steps(60);
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num4);
    h.run_steps(2);
    assert_eq!(
        figure(&h, "Revenue after refunds"),
        "$30.00",
        "{:?}",
        texts(&h)
    );
    assert_eq!(figure(&h, "Items sold"), "3");
}

/// In the window's first size (1024 x 600), the six key figures stand in
/// whole rows inside the window, and the chart's title comes right under
/// them: wrapped one widget at a time, the last figures were squeezed into
/// slivers past the window's edge, hundreds of points tall, and the chart
/// started below the bottom of the window.
#[test]
fn the_key_figures_fit_a_small_window() {
    use crate::common::ui::*;
    use egui_kittest::kittest::Queryable;
    let (_dir, mut s) = ready_store();
    let ana = add_customer(&mut s, "Ana Lima", "ana@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "10.00", 20);
    let o = order(ana, vec![line(mug, 2, 1000)]);
    s.write(|tx| orders::place(tx, &o, &Placement::default()))
        .unwrap();
    let mut h = window(
        s,
        WindowOptions {
            size: egui::vec2(1024.0, 600.0),
            ..Default::default()
        },
    );
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num4);
    h.run_steps(3);
    let mut lowest: f32 = 0.0;
    for title in [
        "Revenue after refunds",
        "Tax",
        "Orders",
        "Average order",
        "Items sold",
        "New customers",
    ] {
        let value = figure(&h, title);
        for label in [title, value.as_str()] {
            let node = h
                .query_all_by_label(label)
                .find(|n| n.rect().min.x > 150.0 && n.rect().min.y < 250.0)
                .unwrap_or_else(|| panic!("{label:?} is not among the figures"));
            let r = node.rect();
            assert!(
                r.max.x <= 1024.0,
                "{label:?} reaches past the window: {r:?}"
            );
            assert!(r.height() <= 30.0, "{label:?} is squeezed: {r:?}");
            lowest = lowest.max(r.max.y);
        }
    }
    let title = texts(&h)
        .into_iter()
        .find(|t| t.starts_with("Sales, "))
        .expect("the chart's title");
    let top = h.get_by_label(&title).rect().min.y;
    assert!(
        top > lowest && top < lowest + 100.0,
        "the chart's title at {top}, the figures end at {lowest}"
    );
    // The revenue chart ends, its dates below it, above the status bar: the
    // title of the orders chart under it is in the window (280 points tall,
    // the chart put its dates under the status bar).
    let orders_chart = h
        .query_all_by_label("Orders")
        .map(|n| n.rect())
        .max_by(|a, b| a.min.y.total_cmp(&b.min.y))
        .expect("the orders chart's title");
    assert!(
        orders_chart.max.y <= 600.0 - 24.0,
        "the orders chart's title at {orders_chart:?}"
    );
}

/// A customer is new on Trends when they make their first sale, as in
/// Insights: Hélène's first order was returned, so she is new with her
/// second (she was counted new at the returned one).
#[test]
fn a_customer_is_new_at_their_first_sale_not_a_returned_order() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let helene = add_customer(&mut s, "Hélène Roux", "helene@example.com");
    let mug = add_product(&mut s, "MUG-1", "Blue mug", "12.50", 20);
    let at = |date: &str| Placement {
        at: Some((date.into(), "10:00:00".into())),
        ..Default::default()
    };
    let first = s
        .write(|tx| {
            orders::place(
                tx,
                &order(helene, vec![line(mug, 1, 1250)]),
                &at("2026-10-12"),
            )
        })
        .unwrap();
    for to in [
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Returned,
    ] {
        s.write(|tx| orders::set_status(tx, first, to)).unwrap();
    }
    s.write(|tx| {
        orders::place(
            tx,
            &order(helene, vec![line(mug, 2, 1250)]),
            &at("2026-11-20"),
        )
    })
    .unwrap();
    let new = |from: &str, to: &str| {
        store::trends::figures(s.conn(), from, to)
            .unwrap()
            .new_customers
    };
    assert_eq!(
        new("2026-10-01", "2026-10-31"),
        0,
        "her returned order is no sale"
    );
    assert_eq!(new("2026-11-01", "2026-11-30"), 1);
    assert_checks(&s);
}
