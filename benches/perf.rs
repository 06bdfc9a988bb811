//! `cargo bench --bench perf [-- --quick]`: the performance table.
//!
//! Builds a demo database once (cached under target/perf), then measures demo
//! generation, importing its orders from CSV into a fresh database, every
//! report, exporting every order line to CSV beside `sqlite3 -csv` (when the
//! sqlite3 shell is installed), search latency per keystroke, startup to the
//! first frame, and each panel's frame time while scrolling and typing in
//! search, through the real App in a headless egui_kittest harness (in a
//! process of its own, as the window runs), and that process's peak memory
//! (then Insights > Time, and the memory again).
//! `--quick` uses 10x less data. With `SHOPKEEPER_BENCH_PASSPHRASE` set, the
//! same is measured on an encrypted copy of the demo database (made once,
//! beside it; the import goes into an encrypted empty shop; SQLite's shell
//! cannot read it, so the export has no comparison).
//! `--reads` stops after the reads and the window (no imports, exports or
//! documents). `--import` measures only the imports (from the demo shop of an earlier
//! run), among them 1,000,000 order lines in random date order beside
//! `sqlite3 .import` of the same file. `--shopify [LINES]` measures only the
//! import of a Shopify orders export of LINES line items (default 1,000,000)
//! beside `sqlite3 .import`. `--documents` measures only invoices as PDF
//! (one, and 1,000 into one file, with the memory each takes) on a shop of
//! its own. `--reads [REPEAT]`, `--products [REPEAT]` and `--sql FILE FROM TO
//! [REPEAT]` repeat a few reads (see perf/reads.rs).

#[path = "perf/shopify.rs"]
mod shopify;

#[path = "perf/reads.rs"]
mod reads;

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

/// The passphrase of the encrypted run, if this is one.
fn passphrase() -> Option<store::Passphrase> {
    std::env::var(PASSPHRASE)
        .ok()
        .filter(|p| !p.is_empty())
        .map(store::Passphrase::new)
}

const PASSPHRASE: &str = "SHOPKEEPER_BENCH_PASSPHRASE";

/// Opens the database measured (encrypted in an encrypted run).
fn open(db: &std::path::Path) -> Store {
    Store::open_keyed(db, store::Mode::Create, passphrase().as_ref()).expect("open")
}

/// An encrypted copy of `db` beside it, made once.
fn encrypted_copy(db: &std::path::Path, key: &store::Passphrase) -> PathBuf {
    let copy = db.with_extension("encrypted.sqlite3");
    if copy.exists() {
        return copy;
    }
    let making = db.with_extension("encrypting.sqlite3");
    std::fs::copy(db, &making).expect("copy the database");
    let s = Store::open_existing(&making).expect("open the copy");
    let t = Instant::now();
    store::secret::encrypt(s, key).expect("encrypt the copy");
    println!(
        "  (encrypting the copy took {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    std::fs::rename(&making, &copy).expect("keep the encrypted copy");
    copy
}

fn harness(store: Store) -> Harness<'static, App> {
    harness_with(store, None)
}

/// The window as it starts on a file it cannot open yet (`problem`): an
/// encrypted shop asks for its passphrase.
fn harness_with(
    store: Store,
    problem: Option<(PathBuf, store::OpenError)>,
) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| {
            let mut app = App::new(
                cc,
                AppOptions {
                    store,
                    dialogs: Box::new(ScriptedDialogs::default()),
                    search_wait: AppOptions::SEARCH_WAIT,
                    system_fonts: false,
                    locale: Some("C".into()),
                    auto_lock: shopkeeper::ui::AUTO_LOCK,
                },
            );
            // Two minutes of frames in, the window would copy the whole
            // database as the day's backup while frames are being timed.
            app.skip_todays_backup();
            if let Some((path, e)) = problem {
                app.cannot_open(path, &e);
            }
            app
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

/// Insights > Customers: opening each tab (key or click to frame), the
/// segments scored on the worker (click to counts shown) and the frames
/// while they are scored and while a segment's list scrolls.
fn insights_customers_frames(h: &mut Harness<'static, App>, table: &mut Table) {
    use egui_kittest::kittest::Queryable;
    let t = Instant::now();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num6);
    h.step();
    h.step();
    table.row(
        "Insights > Customers: open, lifetime value (key to frame)",
        ms(t.elapsed()),
    );
    // Far down the lifetime value list (deep pages, read by OFFSET).
    h.hover_at(egui::pos2(600.0, 500.0));
    let mut scroll = Vec::new();
    for _ in 0..60 {
        wheel(h, -60_000.0);
        let t = Instant::now();
        h.step();
        scroll.push(t.elapsed());
    }
    table.row(
        "Insights > Customers: frame scrolling lifetime value far down, p50 / p99",
        format!(
            "{} / {}",
            ms(percentile(&mut scroll, 0.5)),
            ms(percentile(&mut scroll, 0.99))
        ),
    );
    memory_row(
        table,
        "memory (RSS) now / peak: after lifetime value scrolled",
    );
    let t = Instant::now();
    h.get_by_label("Segments").click();
    let mut frames = Vec::new();
    while h
        .query_all_by_label_contains("Champions (")
        .next()
        .is_none()
    {
        let f = Instant::now();
        h.step();
        frames.push(f.elapsed());
        // A window draws about 60 frames a second, not as many as it can.
        std::thread::sleep(Duration::from_millis(15));
        assert!(t.elapsed().as_secs() < 60, "the segments never came");
    }
    table.row(
        "Insights > Customers: segments scored (click to counts; frames meanwhile, max)",
        format!(
            "{} ({} frames, max {})",
            ms(t.elapsed()),
            frames.len(),
            ms(frames.iter().copied().max().unwrap_or_default())
        ),
    );
    memory_row(table, "memory (RSS) now / peak: after segments scored");
    let t = Instant::now();
    h.get_by_label_contains("Lost (").click();
    h.step();
    h.step();
    table.row(
        "Insights > Customers: list a segment (click to frame)",
        ms(t.elapsed()),
    );
    h.hover_at(egui::pos2(600.0, 500.0));
    let mut scroll = Vec::new();
    for i in 0..100 {
        wheel(h, if i % 25 == 24 { -40_000.0 } else { -400.0 });
        let t = Instant::now();
        h.step();
        scroll.push(t.elapsed());
    }
    table.row(
        "Insights > Customers: frame while scrolling a segment, p50 / p99",
        format!(
            "{} / {}",
            ms(percentile(&mut scroll, 0.5)),
            ms(percentile(&mut scroll, 0.99))
        ),
    );
    let t = Instant::now();
    h.get_by_label("Cohorts").click();
    h.step();
    h.step();
    table.row(
        "Insights > Customers: cohort heat map (click to frame)",
        ms(t.elapsed()),
    );
    memory_row(table, "memory (RSS) now / peak: after Insights > Customers");
}

/// Insights > Customers > New and returning: the click until its chart is
/// drawn (read on a worker; its legend shows with the bars).
fn insights_new_returning(h: &mut Harness<'static, App>, table: &mut Table) {
    let t = Instant::now();
    h.get_by_label("New and returning").click();
    let drawn = |h: &Harness<'static, App>| {
        h.query_all_by_role_and_label(egui::accesskit::Role::CheckBox, "Returning customers")
            .next()
            .is_some()
    };
    while !drawn(h) && t.elapsed() < Duration::from_secs(60) {
        h.step();
        std::thread::sleep(Duration::from_millis(2));
    }
    table.row(
        "Insights > Customers: new and returning drawn (click to chart)",
        ms(t.elapsed()),
    );
}

/// The process's resident memory now and at its peak, as a row.
fn memory_row(table: &mut Table, what: &str) {
    if let (Some(now), Some(peak)) = (rss_mb(), peak_rss_mb()) {
        table.row(what, format!("{now:.0} MB / {peak:.0} MB"));
    }
}

/// The process's resident memory now (VmRSS), in MB.
fn rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Where the demo shop and the files made from it are kept: `perf` in the
/// target folder (CARGO_TARGET_DIR when it is set, so worktrees that share a
/// target folder share one demo shop).
fn perf_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("perf");
    std::fs::create_dir_all(&dir).expect("create the perf folder");
    dir
}

/// Set (to the database) in the process that times the window.
const WINDOW_ONLY: &str = "SHOPKEEPER_BENCH_WINDOW";

/// Startup, every panel's frames, and the peak memory of a process that only
/// opened the window and visited every panel.
/// The Insights panel's product and margin views (issue 18): the frame
/// after the key or click, and until the worker's figures are drawn.
fn insights_frames(h: &mut Harness<'static, App>, table: &mut Table) {
    let until = |h: &mut Harness<'static, App>, label: &str| {
        let t = Instant::now();
        while h.query_by_label_contains(label).is_none() && t.elapsed() < Duration::from_secs(60) {
            h.step();
            std::thread::sleep(Duration::from_millis(2));
        }
    };
    // The panel opens on Customers; Products is its second tab (the
    // navigation column's Products comes first).
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num6);
    h.step();
    let t = Instant::now();
    if let Some(tab) = h.query_all_by_label("Products").last() {
        tab.click();
    }
    h.step();
    h.step();
    table.row("Insights products: open (click to frame)", ms(t.elapsed()));
    until(h, "What to reorder");
    table.row(
        "Insights products: ABC, reorder, dead stock drawn (click to frame)",
        ms(t.elapsed()),
    );
    let t = Instant::now();
    h.step();
    table.row("Insights products: a frame with the lists", ms(t.elapsed()));
    let t = Instant::now();
    if let Some(tab) = h.query_all_by_label("Margin").next() {
        tab.click();
    }
    h.step();
    h.step();
    table.row("Insights margin: open (click to frame)", ms(t.elapsed()));
    until(h, "where costs are known");
    table.row(
        "Insights margin: by month drawn (click to frame)",
        ms(t.elapsed()),
    );
    let t = Instant::now();
    h.step();
    table.row("Insights margin: a frame with the chart", ms(t.elapsed()));
}

/// An encrypted shop's startup as the window does it: the first frame asks
/// for the passphrase (nothing is read before it), then from Open clicked
/// (the key derived on a thread of its own, the window drawing "Unlocking…")
/// to the shop's first frame.
fn unlock_frames(
    db: &std::path::Path,
    key: &store::Passphrase,
    table: &mut Table,
) -> Harness<'static, App> {
    let t = Instant::now();
    let locked = match Store::open_keyed(db, store::Mode::Existing, None) {
        Err(e) => e,
        Ok(_) => panic!("an encrypted shop opened without its passphrase"),
    };
    let stand_in = Store::open_in_memory().expect("the stand-in");
    let mut h = harness_with(stand_in, Some((db.to_path_buf(), locked)));
    h.step();
    table.row(
        "startup: first frame, asking for the passphrase (headless)",
        ms(t.elapsed()),
    );
    let field = || h.get_by_role_and_label(egui::accesskit::Role::PasswordInput, "Passphrase");
    field().focus();
    field().type_text(std::env::var(PASSPHRASE).as_deref().unwrap_or_default());
    h.run_steps(2);
    let t = Instant::now();
    h.get_by_label("Open").click();
    let mut frames = Vec::new();
    while (!h.state().store().encrypted() || h.query_by_label("Unlocking…").is_some())
        && t.elapsed() < Duration::from_secs(60)
    {
        let f = Instant::now();
        h.step();
        frames.push(f.elapsed());
        std::thread::sleep(Duration::from_millis(1));
    }
    h.step();
    assert!(
        h.state().store().encrypted(),
        "the shop did not open with {key:?}"
    );
    table.row(
        "unlock: Open clicked to the shop's first frame",
        format!(
            "{} (frames meanwhile p50 {})",
            ms(t.elapsed()),
            ms(percentile(&mut frames, 0.5))
        ),
    );
    h
}

fn window(db: &std::path::Path) {
    // As the window's main does, before any thread starts.
    shopkeeper::memory::few_arenas();
    let mut table = Table(Vec::new());
    // Startup: open the file, build the app, draw the first frame.
    let t = Instant::now();
    let mut h = match passphrase() {
        None => {
            let mut h = harness(open(db));
            h.step();
            table.row("startup: open + first frame (headless)", ms(t.elapsed()));
            h
        }
        Some(key) => unlock_frames(db, &key, &mut table),
    };

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
    memory_row(&mut table, "memory (RSS) now / peak: before Insights");
    insights_customers_frames(&mut h, &mut table);
    insights_new_returning(&mut h, &mut table);
    insights_frames(&mut h, &mut table);

    if let Some(mb) = peak_rss_mb() {
        table.row(
            "peak memory (RSS): app open, every panel visited",
            format!("{mb:.0} MB"),
        );
    }
    memory_row(&mut table, "memory (RSS) now / peak: every panel visited");
    insights_time(&mut h, &mut table);
}

/// Insights > Time: the panel, the tab, and the two views read in the
/// background until both are drawn; then the window's memory again.
fn insights_time(h: &mut Harness<'static, App>, table: &mut Table) {
    let t = Instant::now();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num6);
    h.step();
    h.step();
    table.row("Insights: open (key to frame)", ms(t.elapsed()));
    let t = Instant::now();
    h.get_by_label("Time").click();
    h.step();
    h.step();
    table.row("Insights: Time tab (click to frame)", ms(t.elapsed()));
    let drawn = |h: &Harness<'static, App>| {
        h.query_by_label_contains("Busiest hour").is_some()
            && h.query_by_label_contains("last year").is_some()
    };
    let mut frames = Vec::new();
    while !drawn(h) && t.elapsed() < Duration::from_secs(60) {
        let f = Instant::now();
        h.step();
        frames.push(f.elapsed());
        std::thread::sleep(Duration::from_millis(2));
    }
    if frames.is_empty() {
        frames.push(Duration::ZERO);
    }
    table.row(
        "Insights: Time, both views drawn (read in the background)",
        format!(
            "{} (frames meanwhile p50 {})",
            ms(t.elapsed()),
            ms(percentile(&mut frames, 0.5))
        ),
    );
    let mut frames = Vec::new();
    for _ in 0..30 {
        let f = Instant::now();
        h.step();
        frames.push(f.elapsed());
    }
    table.row(
        "Insights: Time, frame p50 / p99",
        format!(
            "{} / {}",
            ms(percentile(&mut frames, 0.5)),
            ms(percentile(&mut frames, 0.99))
        ),
    );
    if let Some(mb) = peak_rss_mb() {
        table.row(
            "peak memory (RSS): the same, then Insights > Time",
            format!("{mb:.0} MB"),
        );
    }
}

fn main() {
    if let Some(db) = std::env::var_os(WINDOW_ONLY) {
        window(std::path::Path::new(&db));
        return;
    }
    if std::env::args().any(|a| a == "--documents") {
        let dir = perf_dir();
        documents_rate(&dir, &mut Table(Vec::new()));
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--shopify") {
        let lines = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(1_000_000);
        let dir = perf_dir();
        shopify::rate(&dir, lines, &mut Table(Vec::new()));
        return;
    }
    // Only some reads, repeated (issue 14's window figures): see perf/reads.rs.
    if let Some(at) = args.iter().position(|a| a == "--sql") {
        let arg = |i: usize| args.get(at + i).cloned().unwrap_or_default();
        let db = std::env::var_os("SHOPKEEPER_BENCH_DB").map_or_else(
            || perf_dir().join("shop-100000c-10000p-1000000o.sqlite3"),
            PathBuf::from,
        );
        let repeat = arg(4).parse().unwrap_or(7);
        reads::sql(&db, std::path::Path::new(&arg(1)), &arg(2), &arg(3), repeat);
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "--products") {
        let db = std::env::var_os("SHOPKEEPER_BENCH_DB").map_or_else(
            || perf_dir().join("shop-100000c-10000p-1000000o.sqlite3"),
            PathBuf::from,
        );
        let repeat = args.get(at + 1).and_then(|n| n.parse().ok()).unwrap_or(5);
        reads::products(&db, repeat);
        return;
    }
    if let Some(at) = args.iter().position(|a| a == "--reads") {
        let db = std::env::var_os("SHOPKEEPER_BENCH_DB").map_or_else(
            || perf_dir().join("shop-100000c-10000p-1000000o.sqlite3"),
            PathBuf::from,
        );
        let repeat = args.get(at + 1).and_then(|n| n.parse().ok()).unwrap_or(5);
        reads::reads(&db, repeat);
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    if std::env::args().any(|a| a == "--import") {
        // Only the imports, from the demo shop a full run left behind.
        let dir = perf_dir();
        let scale = if quick { 10 } else { 1 };
        let db = dir.join(format!(
            "shop-{}c-{}p-{}o.sqlite3",
            100_000 / scale,
            10_000 / scale,
            1_000_000 / scale
        ));
        assert!(
            db.exists(),
            "run the whole bench once first: {} is missing",
            db.display()
        );
        import_rate(&db, &dir, &mut Table(Vec::new()));
        return;
    }
    let scale = if quick { 10 } else { 1 };
    let size = DemoSize {
        customers: 100_000 / scale,
        products: 10_000 / scale,
        orders: 1_000_000 / scale,
        seed: 42,
    };
    let dir = perf_dir();
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
    let key = passphrase();
    let db = match &key {
        Some(key) => encrypted_copy(&db, key),
        None => db,
    };
    if key.is_some() {
        println!("Encrypted (SQLCipher): {}", db.display());
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
    let store = open(&db);
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
        use shopkeeper::domain::{Period, ReportKind, ReportSpec};
        let t = Instant::now();
        let spec = ReportSpec::new(ReportKind::SalesByDate);
        let (_, r) = store::reports::run(store.conn(), &spec, 100_000).expect("report");
        table.row("report sales-by-date, all time by day", ms(t.elapsed()));
        let t = Instant::now();
        store::trends::figures(store.conn(), &r.from, &r.to).expect("figures");
        table.row("trends: key figures, all time", ms(t.elapsed()));
        for by in [Period::Week, Period::Month] {
            let spec = ReportSpec {
                by,
                ..ReportSpec::new(ReportKind::SalesByDate)
            };
            let t = Instant::now();
            store::reports::run(store.conn(), &spec, 100_000).expect("report");
            table.row(
                format!("report sales-by-date, all time by {}", by.name()),
                ms(t.elapsed()),
            );
        }
        // What the Reports panel reads: the whole report, or its first 100,000 rows.
        for kind in ReportKind::ALL {
            if kind == ReportKind::SalesByDate {
                continue;
            }
            let spec = ReportSpec {
                customer: Some("1".into()),
                ..ReportSpec::new(kind)
            };
            let t = Instant::now();
            let (rows, _) = store::reports::run(store.conn(), &spec, 100_000).expect("report");
            table.row(
                format!(
                    "report {}, all time ({} rows{})",
                    kind.name(),
                    rows.rows.len(),
                    if rows.truncated { ", the first" } else { "" }
                ),
                ms(t.elapsed()),
            );
        }
    }
    customer_insights_reads(&store, &mut table);
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

    // The window's own peak memory: the reports above held up to 100,000
    // rows at once, which the window never does (it reads a page at a time).
    let _ = std::fs::write("/proc/self/clear_refs", "5");

    // The window runs in a process of its own, as it does for a shopkeeper:
    // its startup and peak memory are its own, not those of the reports
    // above (which held up to 100,000 rows at once).
    let status = std::process::Command::new(std::env::current_exe().expect("the bench's path"))
        .args(std::env::args().skip(1))
        .env(WINDOW_ONLY, &db)
        .status()
        .expect("run the window's part");
    assert!(status.success(), "the window's part failed");

    // `--reads`: only the reads above and the window (an encrypted run
    // beside a plain one, alternating, in a few minutes).
    if std::env::args().any(|a| a == "--reads") {
        return;
    }
    // Last, as they need far more memory than the window.
    import_rate(&db, &dir, &mut table);
    shopify::rate(&dir, 1_000_000 / scale as u64, &mut table);
    export_rate(&db, &dir, &mut table);
    documents_rate(&dir, &mut table);
}

/// What the Insights > Customers view reads: a page of lifetime value at the
/// top and the bottom, every customer scored into segments (the worker's
/// job), one customer's segment (their detail).
fn customer_insights_reads(store: &Store, table: &mut Table) {
    use shopkeeper::store::customer_insights as ci;
    let t = Instant::now();
    let n = ci::value_count(store.conn()).expect("count");
    ci::value_page(store.conn(), 0, 100).expect("page");
    table.row(
        "insights: lifetime value count + first page",
        ms(t.elapsed()),
    );
    let t = Instant::now();
    ci::value_page(store.conn(), n.saturating_sub(100), 100).expect("page");
    table.row(
        "insights: lifetime value last page (OFFSET)",
        ms(t.elapsed()),
    );
    let t = Instant::now();
    ci::segment_lists(store.conn()).expect("segments");
    table.row(
        format!("insights: score {n} customers into segments"),
        ms(t.elapsed()),
    );
    let t = Instant::now();
    ci::segment_of(store.conn(), 1).expect("segment");
    table.row("insights: one customer's segment (detail)", ms(t.elapsed()));
}

/// Exports the demo shop's customers, products and orders in the import
/// columns, then imports them into a fresh database and times the orders.
fn import_rate(db: &std::path::Path, dir: &std::path::Path, table: &mut Table) {
    use shopkeeper::domain::{ReportKind, ReportSpec};
    use shopkeeper::import::{self, ImportKind, ImportOptions};
    let source = open(db);
    let file = |name: &str| dir.join(format!("import-{name}.csv"));
    for kind in [
        ReportKind::Customers,
        ReportKind::Products,
        ReportKind::Orders,
    ] {
        let spec = ReportSpec::new(kind);
        // The files of an earlier run (in the cache folder) are replaced.
        shopkeeper::jobs::export_report_to(
            source.conn(),
            &spec,
            &file(kind.name()),
            shopkeeper::export::Format::Csv,
            shopkeeper::files::Replace::Allowed,
            &shopkeeper::jobs::Progress::default(),
        )
        .expect("export for import");
    }
    drop(source);
    // Orders name their customer by email; a few demo customers have none.
    let all = file("orders");
    let kept = file("orders-with-email");
    {
        let mut reader = csv::Reader::from_path(&all).expect("read orders csv");
        let mut writer = csv::Writer::from_path(&kept).expect("write orders csv");
        writer
            .write_record(reader.headers().expect("headers"))
            .expect("write");
        for record in reader.records() {
            let record = record.expect("record");
            if record.get(2).is_some_and(|e| !e.is_empty()) {
                writer.write_record(&record).expect("write");
            }
        }
        writer.flush().expect("flush");
    }
    let target = dir.join("import-target.sqlite3");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", target.display()));
    }
    let mut store = Store::open(&target).expect("open target");
    if let Some(key) = passphrase() {
        store = store::secret::encrypt(store, &key)
            .expect("encrypt the empty target")
            .0;
    }
    let plain = ImportOptions::default();
    import::run(
        &mut store,
        ImportKind::Customers,
        &file("customers"),
        plain,
        &mut |_, _| true,
    )
    .expect("import customers");
    import::run(
        &mut store,
        ImportKind::Products,
        &file("products"),
        plain,
        &mut |_, _| true,
    )
    .expect("import products");
    let history = ImportOptions {
        history: true,
        dry_run: false,
    };
    let t = Instant::now();
    let summary = import::run(
        &mut store,
        ImportKind::Orders,
        &kept,
        history,
        &mut |_, _| true,
    )
    .expect("import orders");
    let took = t.elapsed().as_secs_f64();
    table.row(
        format!(
            "import: {} order lines ({} orders), --history",
            summary.rows, summary.orders
        ),
        format!("{took:.1} s ({:.0} lines/s)", summary.rows as f64 / took),
    );
    drop(store);
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", target.display()));
    }
    random_order_rate(dir, &kept, &file("customers"), &file("products"), table);
}

/// Issue 16: the first 1,000,000 order lines of the demo's orders in a
/// random date order (each order's lines together), imported taking stock
/// (from products with stock enough) and with `--history`, each into a
/// fresh shop of the same customers and products, beside `sqlite3 .import`
/// of the same file into a table of text columns.
fn random_order_rate(
    dir: &std::path::Path,
    orders: &std::path::Path,
    customers: &std::path::Path,
    products: &std::path::Path,
    table: &mut Table,
) {
    use shopkeeper::import::{self, ImportKind, ImportOptions};
    let shuffled = dir.join("import-orders-random.csv");
    let stocked = dir.join("import-products-stocked.csv");
    {
        let mut reader = csv::Reader::from_path(orders).expect("read orders csv");
        let header = reader.headers().expect("headers").clone();
        let mut groups: Vec<Vec<csv::StringRecord>> = Vec::new();
        for (lines, record) in reader.records().enumerate() {
            let record = record.expect("record");
            let same = groups
                .last()
                .and_then(|g| g.last())
                .is_some_and(|last| last.get(0) == record.get(0));
            if !same {
                if lines >= 1_000_000 {
                    break;
                }
                groups.push(Vec::new());
            }
            groups.last_mut().expect("a group").push(record);
        }
        // A fixed shuffle (xorshift), so every run imports the same file.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for i in (1..groups.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            groups.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let mut writer = csv::Writer::from_path(&shuffled).expect("write orders csv");
        writer.write_record(&header).expect("write");
        for record in groups.iter().flatten() {
            writer.write_record(record).expect("write");
        }
        writer.flush().expect("flush");
        let mut reader = csv::Reader::from_path(products).expect("read products csv");
        let header = reader.headers().expect("headers").clone();
        let stock = header
            .iter()
            .position(|h| h == "stock")
            .expect("stock column");
        let mut writer = csv::Writer::from_path(&stocked).expect("write products csv");
        writer.write_record(&header).expect("write");
        for record in reader.records() {
            let record = record.expect("record");
            let row: Vec<&str> = record
                .iter()
                .enumerate()
                .map(|(i, f)| if i == stock { "100000" } else { f })
                .collect();
            writer.write_record(&row).expect("write");
        }
        writer.flush().expect("flush");
    }
    let target = dir.join("import-random-target.sqlite3");
    let remove = || {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", target.display()));
        }
    };
    // SQLite's own shell, the same file into one table of text columns.
    remove();
    let t = Instant::now();
    let shell = std::process::Command::new("sqlite3")
        .arg(&target)
        .arg(format!(".import --csv {} orders_raw", shuffled.display()))
        .status()
        .ok()
        .filter(|s| s.success());
    let theirs = shell.map(|_| t.elapsed().as_secs_f64());
    for history in [false, true] {
        remove();
        let mut store = Store::open(&target).expect("open target");
        if let Some(key) = passphrase() {
            store = store::secret::encrypt(store, &key)
                .expect("encrypt the empty target")
                .0;
        }
        let plain = ImportOptions::default();
        for (kind, path) in [
            (ImportKind::Customers, customers),
            (ImportKind::Products, stocked.as_path()),
        ] {
            import::run(&mut store, kind, path, plain, &mut |_, _| true).expect("import");
        }
        let options = ImportOptions {
            history,
            dry_run: false,
        };
        let t = Instant::now();
        let summary = import::run(
            &mut store,
            ImportKind::Orders,
            &shuffled,
            options,
            &mut |_, _| true,
        )
        .expect("import orders in random order");
        let ours = t.elapsed().as_secs_f64();
        let against = match theirs {
            Some(theirs) => format!(
                "; sqlite3 .import {theirs:.1} s (ours takes {:.1}x its time)",
                ours / theirs
            ),
            None => " (sqlite3 shell not installed, no comparison)".into(),
        };
        table.row(
            format!(
                "import: {} order lines in random date order, {}",
                summary.rows,
                if history { "--history" } else { "taking stock" }
            ),
            format!("{ours:.1} s{against}"),
        );
        drop(store);
    }
    remove();
}

/// Every order line to CSV, through the export the window and the command
/// line use, beside SQLite's own shell writing the same query's rows.
fn export_rate(db: &std::path::Path, dir: &std::path::Path, table: &mut Table) {
    use shopkeeper::domain::{ReportKind, ReportSpec};
    let store = open(db);
    let spec = ReportSpec::new(ReportKind::OrderLines);
    let out = dir.join("export-order-lines.csv");
    let t = Instant::now();
    let rows = shopkeeper::jobs::export_report_to(
        store.conn(),
        &spec,
        &out,
        shopkeeper::export::Format::Csv,
        shopkeeper::files::Replace::Allowed,
        &shopkeeper::jobs::Progress::default(),
    )
    .expect("export");
    let ours = t.elapsed().as_secs_f64();
    let resolved = store::reports::resolve(store.conn(), &spec).expect("resolve");
    drop(store);
    let sql = store::reports::sql(&spec)
        .replace(":from", &format!("'{}'", resolved.from))
        .replace(":to", &format!("'{}'", resolved.to));
    let theirs_out = dir.join("export-order-lines.sqlite3.csv");
    let t = Instant::now();
    // SQLite's shell cannot read an encrypted shop.
    let readable = passphrase().is_none();
    let shell = std::fs::File::create(&theirs_out)
        .ok()
        .filter(|_| readable)
        .and_then(|f| {
            std::process::Command::new("sqlite3")
                .arg("-csv")
                .arg("-header")
                .arg(db)
                .arg(&sql)
                .stdout(f)
                .status()
                .ok()
        });
    let theirs = t.elapsed().as_secs_f64();
    let figure = match shell {
        Some(status) if status.success() => format!(
            "{ours:.2} s; sqlite3 -csv {theirs:.2} s (ours takes {:.2}x its time)",
            ours / theirs
        ),
        _ if !readable => format!("{ours:.2} s (encrypted: no sqlite3 shell comparison)"),
        _ => format!("{ours:.2} s (sqlite3 shell not installed, no comparison)"),
    };
    table.row(format!("export: all {rows} order lines to CSV"), figure);
    let _ = std::fs::remove_file(&out);
    let _ = std::fs::remove_file(&theirs_out);
}

/// Invoices as PDF (issue 15): one invoice, then 100 and 1,000 into one
/// file, each with the peak memory it added (the high-water mark is reset
/// before each), on a demo shop of 3,000 orders of its own.
fn documents_rate(dir: &std::path::Path, table: &mut Table) {
    use shopkeeper::files::Replace;
    use shopkeeper::jobs::Progress;
    use shopkeeper::jobs::documents::{Which, write_order, write_orders};
    let db = dir.join("documents.sqlite3");
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
    }
    let mut s = Store::open(&db).expect("open");
    let size = DemoSize {
        customers: 500,
        products: 300,
        orders: 3_000,
        seed: 42,
    };
    demo::fill(&mut s, size, |_, _| true).expect("demo");
    let ids = store::invoices::orders_between(s.conn(), "0000-01-01", "9999-12-31").expect("ids");
    let out = dir.join("documents.pdf");
    let t = Instant::now();
    shopkeeper::documents::Fonts::shared();
    table.row(
        "documents: finding the system's fallback fonts (once)",
        ms(t.elapsed()),
    );
    let mut samples: Vec<Duration> = (0..20)
        .map(|i| {
            let t = Instant::now();
            write_order(&mut s, ids[i], Which::Invoice, &out, Replace::Allowed).expect("invoice");
            t.elapsed()
        })
        .collect();
    table.row(
        "documents: one invoice to PDF (issue, lay out, write), median of 20",
        ms(percentile(&mut samples, 0.5)),
    );
    for n in [100usize, 1_000] {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let before = peak_rss_mb().unwrap_or(0.0);
        let t = Instant::now();
        let written = write_orders(
            &mut s,
            &ids[..n.min(ids.len())],
            Which::Invoice,
            &out,
            Replace::Allowed,
            &Progress::default(),
        )
        .expect("invoices");
        let took = t.elapsed().as_secs_f64();
        let peak = peak_rss_mb().unwrap_or(0.0);
        let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        table.row(
            format!(
                "documents: {n} invoices into one PDF ({} pages)",
                written.pages
            ),
            format!(
                "{took:.2} s, {:.1} MB file, peak memory {peak:.0} MB (+{:.0} MB over before)",
                bytes as f64 / 1e6,
                peak - before
            ),
        );
    }
    let _ = std::fs::remove_file(&out);
}
