//! `cargo bench --bench perf -- --reads [REPEAT]`: only the reads the window
//! and the Reports panel make that issue 14 compares with the baseline
//! (sales by date, Trends' key figures, a customer search and the orders
//! filtered by customer per keystroke, inventory movements), each REPEAT
//! times (default 5) on the demo shop of an earlier run (or the file in
//! `SHOPKEEPER_BENCH_DB`; an encrypted one with `SHOPKEEPER_BENCH_PASSPHRASE`,
//! whose opening then includes deriving the key), with the best and the
//! median: one run of the whole bench is too noisy on a shared machine to
//! tell 10 % apart.
//! `--products [REPEAT]` times what Insights > Products reads the same way.
//! `--sql FILE FROM TO [REPEAT]` times one query from a file instead (every
//! row stepped through and every column read, nothing formatted), with
//! `:from` and `:to` bound, to compare two forms of a query (on a read-only
//! connection: an older shop is not upgraded).

use std::path::Path;
use std::time::{Duration, Instant};

use shopkeeper::domain::{Period, ReportKind, ReportSpec};
use shopkeeper::store::customers::CustomerQuery;
use shopkeeper::store::orders::{self, OrderQuery};
use shopkeeper::store::{self, Store};

/// The first run (as the whole bench times it: the query prepared, the
/// pages read), then the best and the median of all.
fn best_median(mut samples: Vec<Duration>) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let first = ms(samples[0]);
    samples.sort();
    format!(
        "first {first:.2} ms, best {:.2} ms, median {:.2} ms",
        ms(samples[0]),
        ms(samples[samples.len() / 2])
    )
}

fn timed(repeat: usize, mut f: impl FnMut()) -> String {
    let samples = (0..repeat.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    best_median(samples)
}

/// Each read, `repeat` times.
pub fn reads(db: &Path, repeat: usize) {
    let took = timed(repeat, || {
        crate::open(db);
    });
    println!("  open the shop                           {took}");
    let store = crate::open(db);
    let conn = store.conn();
    let took = timed(repeat, || {
        store::settings::counts(conn).expect("counts");
    });
    println!("  the shop's counts (window title, menus) {took}");
    let took = timed(repeat, || {
        let q = CustomerQuery::default();
        store::customers::count(conn, &q).expect("count");
        store::customers::page(conn, &q, 0, 100).expect("page");
    });
    println!("  customers: count + first page           {took}");
    for by in [Period::Day, Period::Week, Period::Month] {
        let spec = ReportSpec {
            by,
            ..ReportSpec::new(ReportKind::SalesByDate)
        };
        let took = timed(repeat, || {
            store::reports::run(conn, &spec, 100_000).expect("report");
        });
        println!(
            "  report sales-by-date, all time by {:<6} {took}",
            by.name()
        );
    }
    let (_, r) =
        store::reports::run(conn, &ReportSpec::new(ReportKind::SalesByDate), 10).expect("report");
    let took = timed(repeat, || {
        store::trends::figures(conn, &r.from, &r.to).expect("figures");
    });
    println!("  trends: key figures, all time          {took}");
    let words = [
        "m", "ma", "mar", "mart", "marti", "martin", "s", "sm", "smi", "smith", "gmail", "555",
    ];
    let took = timed(repeat, || {
        for word in words {
            let q = CustomerQuery {
                search: word.into(),
                ..Default::default()
            };
            store::customers::count(conn, &q).expect("count");
            store::customers::page(conn, &q, 0, 100).expect("page");
        }
    });
    println!("  customer search, all 12 keystrokes     {took}");
    for word in words {
        let q = CustomerQuery {
            search: word.into(),
            ..Default::default()
        };
        let count = timed(repeat, || {
            store::customers::count(conn, &q).expect("count");
        });
        let page = timed(repeat, || {
            store::customers::page(conn, &q, 0, 100).expect("page");
        });
        println!("    {word:<8} count {count}; page {page}");
    }
    let took = timed(repeat, || {
        for word in ["m", "ma", "mar", "mart", "marti", "martin"] {
            let q = OrderQuery {
                customer_search: word.into(),
                ..Default::default()
            };
            let n = orders::count(conn, &q).expect("count");
            orders::page(conn, &q, 0, 100, n).expect("page");
        }
    });
    println!("  orders by customer, all 6 keystrokes   {took}");
    let took = timed(repeat, || {
        let all = OrderQuery::default();
        let n = orders::count(conn, &all).expect("count");
        orders::page(conn, &all, 0, 100, n).expect("page");
    });
    println!("  orders: count + first page             {took}");
    for kind in [ReportKind::StockLevels, ReportKind::InventoryMovements] {
        let spec = ReportSpec::new(kind);
        let took = timed(repeat.min(3), || {
            store::reports::run(conn, &spec, 100_000).expect("report");
        });
        println!("  report {:<32} {took}", kind.name());
    }
}

/// One query from a file, `repeat` times, on a read-only connection of its
/// own (so a file of an older version is read as it is, never upgraded).
pub fn sql(db: &Path, file: &Path, from: &str, to: &str, repeat: usize) {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open read-only");
    let conn = &conn;
    let text = std::fs::read_to_string(file).expect("read the query");
    let mut rows_seen = 0;
    let took = timed(repeat, || {
        let mut stmt = conn.prepare_cached(&text).expect("prepare");
        let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
        for (name, value) in [(":from", &from), (":to", &to)] {
            if text.contains(name) {
                params.push((name, value as &dyn rusqlite::ToSql));
            }
        }
        let columns = stmt.column_count();
        let mut rows = stmt.query(params.as_slice()).expect("query");
        rows_seen = 0;
        while let Some(row) = rows.next().expect("step") {
            for i in 0..columns {
                row.get_ref(i).expect("column");
            }
            rows_seen += 1;
        }
    });
    println!("  {} ({rows_seen} rows): {took}", file.display());
}

/// `--products [REPEAT]`: what the Insights > Products view reads (ABC over
/// the last 90 days, the last twelve months and all time, the reorder list
/// and dead stock), each `repeat` times, on a read-only connection of its
/// own (as `sql`); then the three the view reads together, as its worker does.
pub fn products(db: &Path, repeat: usize) {
    let store = Store::open_read_only(db).expect("open read-only");
    let conn = store.conn();
    let today = chrono::Local::now().date_naive();
    let ago = |days: i64| {
        (today - chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    let spec = |kind, from: Option<String>| ReportSpec {
        from,
        ..ReportSpec::new(kind)
    };
    let all = [
        ("abc, last 90 days", spec(ReportKind::Abc, Some(ago(89)))),
        ("abc, last 12 months", spec(ReportKind::Abc, Some(ago(364)))),
        ("abc, all time", spec(ReportKind::Abc, None)),
        ("reorder", spec(ReportKind::Reorder, None)),
        ("dead-stock", spec(ReportKind::DeadStock, None)),
    ];
    for (what, spec) in &all {
        let mut n = 0;
        let took = timed(repeat, || {
            n = store::reports::run(conn, spec, 100_000)
                .expect("report")
                .0
                .rows
                .len();
        });
        println!("  {what:<24} ({n:>5} rows) {took}");
    }
    let took = timed(repeat, || {
        for (_, spec) in &all[1..] {
            store::reports::run(conn, spec, 100_000).expect("report");
        }
    });
    println!("  the view's three (abc 12 months)     {took}");
    // As the view reads them: ABC on one connection, both lists at once on
    // a second beside it (opened each time, as the view's worker does).
    let took = timed(repeat, || {
        std::thread::scope(|scope| {
            let lists = scope.spawn(|| {
                let other = Store::open_read_only(db).expect("open read-only");
                store::reports::stock_lists_lightly(other.conn(), 100_000).expect("lists");
            });
            store::reports::run_one_pass(conn, &all[1].1, 100_000).expect("abc");
            lists.join().expect("the lists' thread");
        });
    });
    println!("  as the view: abc beside both lists   {took}");
    // The same one after the other, each on a fresh connection.
    let took = timed(repeat, || {
        let one = Store::open_read_only(db).expect("open read-only");
        store::reports::run_one_pass(one.conn(), &all[1].1, 100_000).expect("abc");
        store::reports::stock_lists_lightly(one.conn(), 100_000).expect("lists");
    });
    println!("  abc, then both lists, fresh conn.    {took}");
    let took = timed(repeat, || {
        std::thread::scope(|scope| {
            let lists = scope.spawn(|| {
                let other = Store::open_read_only(db).expect("open read-only");
                store::reports::stock_lists_lightly(other.conn(), 100_000).expect("lists");
            });
            let one = Store::open_read_only(db).expect("open read-only");
            store::reports::run_one_pass(one.conn(), &all[1].1, 100_000).expect("abc");
            lists.join().expect("the lists' thread");
        });
    });
    println!("  abc beside both lists, fresh conns.  {took}");
}
