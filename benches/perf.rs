//! `cargo bench --bench perf [-- --quick]`: the performance table.
//!
//! Builds a demo database once (cached under target/perf), then measures demo
//! generation, search latency per keystroke, startup to the first frame, and
//! each panel's frame time while scrolling and typing in search, through the
//! real App in a headless egui_kittest harness. `--quick` uses 10x less data.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use shopkeeper::demo::{self, DemoSize};
use shopkeeper::store::customers::CustomerQuery;
use shopkeeper::store::products::ProductQuery;
use shopkeeper::store::{self, Store};
use shopkeeper::ui::{App, AppOptions, ScriptedDialogs};

struct Table(Vec<(String, String)>);

impl Table {
    fn row(&mut self, what: impl Into<String>, value: impl Into<String>) {
        let (what, value) = (what.into(), value.into());
        println!("  {what:<52} {value}");
        self.0.push((what, value));
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i.min(samples.len() - 1)]
}

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn harness(store: Store) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            App::new(
                cc,
                AppOptions {
                    store,
                    dialogs: Box::new(ScriptedDialogs::default()),
                },
            )
        })
}

fn wheel(h: &Harness<'static, App>, dy: f32) {
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
}

/// Frame times while scrolling down through the table and while typing a search.
fn panel_frames(
    h: &mut Harness<'static, App>,
    table: &mut Table,
    panel: &str,
    search_label: &str,
    typed: &str,
) {
    h.hover_at(egui::pos2(600.0, 400.0));
    h.run_steps(2);
    let mut scroll = Vec::new();
    for i in 0..300 {
        // Long jumps now and then, as a user dragging the scroll bar would.
        wheel(h, if i % 50 == 49 { -40_000.0 } else { -400.0 });
        let t = Instant::now();
        h.step();
        scroll.push(t.elapsed());
    }
    table.row(
        format!("{panel}: frame while scrolling, p50 / p99"),
        format!(
            "{} / {}",
            ms(percentile(&mut scroll, 0.5)),
            ms(percentile(&mut scroll, 0.99))
        ),
    );
    let search = h.get_by_role_and_label(egui::accesskit::Role::TextInput, search_label);
    search.focus();
    h.step();
    let mut typing = Vec::new();
    for ch in typed.chars() {
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, search_label)
            .type_text(&ch.to_string());
        let t = Instant::now();
        h.step();
        typing.push(t.elapsed());
        for _ in 0..3 {
            let t = Instant::now();
            h.step();
            typing.push(t.elapsed());
        }
    }
    for _ in typed.chars() {
        h.key_press(egui::Key::Backspace);
        let t = Instant::now();
        h.step();
        typing.push(t.elapsed());
    }
    table.row(
        format!("{panel}: frame while typing a search, p50 / p99"),
        format!(
            "{} / {}",
            ms(percentile(&mut typing, 0.5)),
            ms(percentile(&mut typing, 0.99))
        ),
    );
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let scale = if quick { 10 } else { 1 };
    let size = DemoSize {
        customers: 100_000 / scale,
        products: 10_000 / scale,
        orders: 1_000_000 / scale,
        seed: 42,
    };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/perf");
    std::fs::create_dir_all(&dir).expect("create target/perf");
    let name = format!(
        "shop-{}c-{}p-{}o",
        size.customers, size.products, size.orders
    );
    let db = dir.join(format!("{name}.sqlite3"));
    let timing = dir.join(format!("{name}.demo-seconds"));
    println!(
        "Shopkeeper performance ({}), database {}",
        if quick { "quick" } else { "full" },
        db.display()
    );
    let mut table = Table(Vec::new());

    // The database is built once and kept; its build time is kept beside it.
    if !db.exists() || !timing.exists() {
        let building = dir.join(format!("{name}.building.sqlite3"));
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", building.display()));
        }
        let mut s = Store::open(&building).expect("open");
        let t = Instant::now();
        demo::fill(&mut s, size, |_, _| true).expect("demo");
        let took = t.elapsed().as_secs_f64();
        drop(s);
        std::fs::rename(&building, &db).expect("keep the database");
        std::fs::write(&timing, format!("{took}")).expect("keep the timing");
    }
    let took: f64 = std::fs::read_to_string(&timing)
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(f64::NAN);
    table.row(
        format!(
            "demo: {} customers + {} products + {} orders",
            size.customers, size.products, size.orders
        ),
        format!("{took:.1} s ({:.0} orders/s)", size.orders as f64 / took),
    );

    // Search latency per keystroke: the count and first page the panel asks for.
    let store = Store::open(&db).expect("open");
    let mut lat = Vec::new();
    for word in [
        "m", "ma", "mar", "mart", "marti", "martin", "s", "sm", "smi", "smith", "gmail", "555",
    ] {
        let q = CustomerQuery {
            search: word.into(),
            ..Default::default()
        };
        let t = Instant::now();
        store::customers::count(store.conn(), &q).expect("count");
        store::customers::page(store.conn(), &q, 0, 100).expect("page");
        lat.push(t.elapsed());
    }
    table.row(
        "customer search per keystroke (count + first page), p50 / max",
        format!(
            "{} / {}",
            ms(percentile(&mut lat, 0.5)),
            ms(*lat.iter().max().expect("samples"))
        ),
    );
    let mut lat = Vec::new();
    for word in ["b", "bl", "blu", "blue", "m", "mu", "mug", "kit", "kit-0"] {
        let q = ProductQuery {
            search: word.into(),
            ..Default::default()
        };
        let t = Instant::now();
        store::products::count(store.conn(), &q).expect("count");
        store::products::page(store.conn(), &q, 0, 100).expect("page");
        lat.push(t.elapsed());
    }
    table.row(
        "product search per keystroke (count + first page), p50 / max",
        format!(
            "{} / {}",
            ms(percentile(&mut lat, 0.5)),
            ms(*lat.iter().max().expect("samples"))
        ),
    );
    {
        use shopkeeper::domain::OrderStatus;
        use shopkeeper::store::orders::{self, OrderQuery};
        let all = OrderQuery::default();
        let t = Instant::now();
        let total = orders::count(store.conn(), &all).expect("count");
        table.row("orders: count all (daily summary)", ms(t.elapsed()));
        for (what, offset) in [
            ("first", 0),
            ("middle", total / 2),
            ("last", total.saturating_sub(100)),
        ] {
            let t = Instant::now();
            orders::page(store.conn(), &all, offset, 100, total).expect("page");
            table.row(
                format!("orders: {what} page of 100, newest first"),
                ms(t.elapsed()),
            );
        }
        let q = OrderQuery {
            status: Some(OrderStatus::Returned),
            ..Default::default()
        };
        let t = Instant::now();
        let n = orders::count(store.conn(), &q).expect("count");
        orders::page(store.conn(), &q, 0, 100, n).expect("page");
        table.row(
            "orders: filter by status (count + first page)",
            ms(t.elapsed()),
        );
        let mut lat = Vec::new();
        for word in ["m", "ma", "mar", "mart", "marti", "martin"] {
            let q = OrderQuery {
                customer_search: word.into(),
                ..Default::default()
            };
            let t = Instant::now();
            let n = orders::count(store.conn(), &q).expect("count");
            orders::page(store.conn(), &q, 0, 100, n).expect("page");
            lat.push(t.elapsed());
        }
        table.row(
            "orders: filter by customer per keystroke, p50 / max",
            format!(
                "{} / {}",
                ms(percentile(&mut lat, 0.5)),
                ms(*lat.iter().max().expect("samples"))
            ),
        );
    }
    {
        use shopkeeper::domain::{ReportKind, ReportSpec};
        let t = Instant::now();
        let spec = ReportSpec::new(ReportKind::SalesByDate);
        let (_, r) = store::reports::run(store.conn(), &spec, 100_000).expect("report");
        table.row("report sales-by-date, all time by day", ms(t.elapsed()));
        let t = Instant::now();
        store::trends::figures(store.conn(), &r.from, &r.to).expect("figures");
        table.row("trends: key figures, all time", ms(t.elapsed()));
        for kind in [
            ReportKind::TopProducts,
            ReportKind::TopCustomers,
            ReportKind::StockLevels,
        ] {
            let t = Instant::now();
            store::reports::run(store.conn(), &ReportSpec::new(kind), 100_000).expect("report");
            table.row(format!("report {}, all time", kind.name()), ms(t.elapsed()));
        }
    }
    let deep = CustomerQuery::default();
    let t = Instant::now();
    store::customers::page(
        store.conn(),
        &deep,
        (size.customers as usize).saturating_sub(200),
        100,
    )
    .expect("page");
    table.row(
        "customer page at the end of the list (OFFSET)",
        ms(t.elapsed()),
    );
    drop(store);

    // Startup: open the file, build the app, draw the first frame.
    let t = Instant::now();
    let store = Store::open(&db).expect("open");
    let mut h = harness(store);
    h.step();
    table.row("startup: open + first frame (headless)", ms(t.elapsed()));

    panel_frames(&mut h, &mut table, "Customers", "Search", "martin");
    let t = Instant::now();
    h.get_by_label("Total spent").click();
    h.step();
    h.step();
    table.row(
        "Customers: sort by total spent (click to frame)",
        ms(t.elapsed()),
    );
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run_steps(2);
    panel_frames(&mut h, &mut table, "Products", "Search", "blue");
    let t = Instant::now();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.step();
    h.step();
    table.row("Orders: open the panel (key to frame)", ms(t.elapsed()));
    panel_frames(&mut h, &mut table, "Orders", "For customer", "martin");
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Status")
        .click();
    h.run_steps(2);
    let t = Instant::now();
    h.get_by(|n| {
        n.label().as_deref() == Some("Cancelled") && n.role() != egui::accesskit::Role::Label
    })
    .click();
    h.step();
    h.step();
    table.row("Orders: filter by status (click to frame)", ms(t.elapsed()));

    let t = Instant::now();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num4);
    h.step();
    h.step();
    table.row("Trends: open (last 90 days; key to frame)", ms(t.elapsed()));
    for preset in ["All time", "Last 12 months", "This year"] {
        let t = Instant::now();
        h.get_by_label(preset).click();
        h.step();
        h.step();
        table.row(
            format!("Trends: switch to {preset} (click to frame)"),
            ms(t.elapsed()),
        );
    }
    let t = Instant::now();
    h.get_by_label("Weekly").click();
    h.step();
    h.step();
    table.row("Trends: switch to weekly (click to frame)", ms(t.elapsed()));
    let t = Instant::now();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num5);
    h.step();
    h.step();
    table.row("Reports: open (key to frame)", ms(t.elapsed()));

    if let Some(mb) = peak_rss_mb() {
        table.row(
            "peak memory (RSS) after all of the above",
            format!("{mb:.0} MB"),
        );
    }
}
