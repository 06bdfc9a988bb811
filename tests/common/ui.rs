//! The window in a test: the one way to build it (`window`), waiting for
//! background work (`wait_for`), and finding what it shows by exact labels,
//! scoped to the widget they belong to (a form field, a table row, a figure).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, NodeT, Queryable};
use shopkeeper::store::{self, OpenError, Store};
use shopkeeper::ui::{App, AppOptions, ScriptedDialogs};

/// The window under test.
pub type Window = Harness<'static, App>;

/// How a test's window is set up; `WindowOptions::default()` is the window as
/// `shopkeeper --db shop.sqlite3` opens it, with no file dialog answered.
pub struct WindowOptions {
    /// What the file dialogs answer (paths to pick, or "no dialog available").
    pub dialogs: ScriptedDialogs,
    /// The window's size in points.
    pub size: egui::Vec2,
    /// Start explaining why this file could not be opened (the window then
    /// runs on the store it was given, as `main` runs it on an empty one).
    pub cannot_open: Option<(PathBuf, OpenError)>,
    /// How long a frame waits for a search's results. Generous, so that what
    /// a test typed is on screen in the next frame however busy the machine.
    pub search_wait: Duration,
    /// The computer's language and region ("C": none the welcome knows).
    pub locale: &'static str,
    /// How long an encrypted shop stays open untouched.
    pub auto_lock: Duration,
}

impl Default for WindowOptions {
    fn default() -> Self {
        Self {
            dialogs: ScriptedDialogs::default(),
            size: egui::vec2(1280.0, 800.0),
            cannot_open: None,
            search_wait: Duration::from_secs(20),
            locale: "C",
            auto_lock: shopkeeper::ui::AUTO_LOCK,
        }
    }
}

/// The real App on `store`, in a headless harness: the one place a test
/// builds a window.
pub fn window(store: Store, options: WindowOptions) -> Window {
    let WindowOptions {
        dialogs,
        size,
        cannot_open,
        search_wait,
        locale,
        auto_lock,
    } = options;
    // `run` steps until no repaint is asked for at once; a background
    // read or job finishing (a thread's repaint) during it adds a frame or
    // two, so a few more than kittest's 4 are allowed: once in a full
    // parallel run `desktop::each_panel_of_an_empty_shop_says_what_to_do_next`
    // exceeded 4 after typing. A window that never stops repainting still
    // fails.
    Harness::builder()
        .with_size(size)
        .with_max_steps(12)
        .build_eframe(move |cc| {
            let mut app = App::new(
                cc,
                AppOptions {
                    store,
                    dialogs: Box::new(dialogs),
                    search_wait,
                    system_fonts: false,
                    locale: Some(locale.into()),
                    auto_lock,
                },
            );
            if let Some((path, error)) = cannot_open {
                app.cannot_open(path, &error);
            }
            app
        })
}

/// The window with its default options.
pub fn open_window(store: Store) -> Window {
    window(store, WindowOptions::default())
}

/// The window with the file dialogs answering as `dialogs` says.
pub fn window_with(store: Store, dialogs: ScriptedDialogs) -> Window {
    window(
        store,
        WindowOptions {
            dialogs,
            ..Default::default()
        },
    )
}

/// A store on a temp file whose welcome message was already answered.
pub fn ready_store() -> (tempfile::TempDir, Store) {
    let (dir, path) = super::temp_db();
    let mut s = Store::open(&path).unwrap();
    s.write(|tx| store::settings::set_flag(tx, "welcome_done", true))
        .unwrap();
    (dir, s)
}

/// How long `wait_for` waits for background work: generous, as CI machines
/// can be slow, but a test that waits in vain fails instead of carrying on.
pub const WAIT: Duration = Duration::from_secs(60);

/// Steps the app until `done` holds (a background task finished), then two
/// frames more. Panics, naming `what`, if it does not hold within [`WAIT`].
#[track_caller]
pub fn wait_for(h: &mut Window, what: &str, done: impl Fn(&Window) -> bool) {
    let start = Instant::now();
    loop {
        h.step();
        if done(h) {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "waited {WAIT:?} for {what}, in vain; the window shows {:?}",
            texts(h)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(2);
}

/// The text field labelled exactly `label`.
pub fn text_input<'a>(h: &'a Window, label: &'a str) -> egui_kittest::Node<'a> {
    h.get_by_role_and_label(Role::TextInput, label)
}

/// The button labelled exactly `label`.
pub fn button<'a>(h: &'a Window, label: &'a str) -> egui_kittest::Node<'a> {
    h.get_by_role_and_label(Role::Button, label)
}

/// Whether a text (a label, not a button or field) reads exactly `text`.
pub fn shows(h: &Window, text: &str) -> bool {
    h.query_all_by_role_and_label(Role::Label, text)
        .next()
        .is_some()
}

pub fn customer_count(h: &Window) -> i64 {
    store::settings::counts(h.state().store().conn())
        .unwrap()
        .customers
}

/// What a node shows: a label's text (AccessKit keeps it in `value`), else
/// its label.
fn text_of(node: &AccessKitNode<'_>) -> Option<String> {
    let text = if node.role() == Role::Label {
        node.value()
    } else {
        node.label()
    };
    text.filter(|t| !t.is_empty())
}

/// The texts in the table row (or grid row) holding a text that reads
/// exactly `key`, left to right: one list per such row on screen.
///
/// A row is what lies level with `key` in the same panel (or dialog), so a
/// number in the row cannot be confused with the same number elsewhere on
/// screen, and the detail panel beside a table is not part of its rows.
///
/// Of that panel, only the nearest part holding more of the row counts: a
/// table's rows drawn under its clip (hidden behind the totals row below
/// them, but still in the tree) are not part of the totals row.
pub fn rows_with(h: &Window, key: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for found in h.query_all_by_label(key) {
        let Some(band) = found.accesskit_node().bounding_box() else {
            continue;
        };
        let id = found.accesskit_node().id();
        let level_texts = |scope: &egui_kittest::Node<'_>| -> Vec<(f64, String, bool)> {
            scope
                .children_recursive()
                .filter_map(|n| {
                    let a = n.accesskit_node();
                    if a.role() == Role::GenericContainer {
                        return None;
                    }
                    let b = a.bounding_box()?;
                    let mid = (b.y0 + b.y1) / 2.0;
                    let level = mid > band.y0 && mid < band.y1;
                    level
                        .then(|| text_of(&a).map(|t| (b.x0, t, a.id() == id)))
                        .flatten()
                })
                .collect()
        };
        let mut scope = found;
        let mut row = Vec::new();
        while let Some(parent) = scope.parent() {
            scope = parent;
            row = level_texts(&scope);
            let more = row.iter().any(|(_, _, key)| !key);
            let panel = matches!(
                scope.accesskit_node().role(),
                Role::Pane | Role::Dialog | Role::Window
            );
            if more || panel {
                break;
            }
        }
        row.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows.push(row.into_iter().map(|(_, t, _)| t).collect());
    }
    rows
}

/// Whether some row on screen reads exactly `cells`, left to right.
pub fn has_row(h: &Window, cells: &[&str]) -> bool {
    rows_with(h, cells[0]).iter().any(|row| row == cells)
}

/// The text that follows `node` among its siblings, if any.
fn next_text(node: &egui_kittest::Node<'_>) -> Option<String> {
    let id = node.accesskit_node().id();
    node.parent()?
        .children()
        .map(|n| n.accesskit_node())
        .skip_while(|n| n.id() != id)
        .skip(1)
        .find_map(|n| text_of(&n))
}

/// The error shown under the text field labelled exactly `label`, if any.
pub fn field_error(h: &Window, label: &str) -> Option<String> {
    next_text(&text_input(h, label))
}

/// The text beside the text reading exactly `title` in a grid of facts
/// ("In stock", "6 (reorder level 2)"). Panics unless `title` is shown once
/// and something follows it.
#[track_caller]
pub fn beside(h: &Window, title: &str) -> String {
    let titles: Vec<_> = h.query_all_by_role_and_label(Role::Label, title).collect();
    assert_eq!(titles.len(), 1, "{title:?} is shown {} times", titles.len());
    next_text(&titles[0]).unwrap_or_else(|| panic!("nothing is shown beside {title:?}"))
}

/// The value of the key figure titled exactly `title` (its title, the value
/// beneath it, and the change against the previous period). Panics unless
/// exactly one such figure is shown.
#[track_caller]
pub fn figure(h: &Window, title: &str) -> String {
    let values: Vec<String> = h
        .query_all_by_role_and_label(Role::Label, title)
        .filter_map(|t| {
            let texts: Vec<String> = t
                .parent()?
                .children()
                .filter_map(|n| text_of(&n.accesskit_node()))
                .collect();
            (texts.len() == 3 && texts[0] == title).then(|| texts[1].clone())
        })
        .collect();
    assert_eq!(values.len(), 1, "figures titled {title:?}: {values:?}");
    values[0].clone()
}

/// Every text on screen, in tree order: for failure messages.
pub fn texts(h: &Window) -> Vec<String> {
    h.root()
        .children_recursive()
        .filter_map(|n| text_of(&n.accesskit_node()))
        .collect()
}

/// Empties the text field labelled `label`.
pub fn clear(h: &mut Window, label: &str) {
    text_input(h, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
}

/// Reports: picks `report` from the list of reports (through AccessKit, as a
/// screen reader would: the last ones are below the list's fold), then
/// closes the list so that it covers no row.
pub fn pick_report(h: &mut Window, report: &str) {
    h.get_by_role_and_label(Role::ComboBox, "Report").click();
    h.run_steps(2);
    h.get_by(|n| n.label().as_deref() == Some(report) && n.role() != Role::Label)
        .click_accesskit();
    h.run_steps(2);
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
}

/// Shows the report by `by` ("day", "week" or "month"): the window opens
/// Sales by date over all time by month.
pub fn report_by(h: &mut Window, by: &str) {
    h.get_by_role_and_label(Role::ComboBox, "By").click();
    h.run_steps(2);
    h.get_by_label(by).click();
    h.run_steps(3);
}

/// The window on `store`, on Products with the product named `name` open.
pub fn product_detail(store: Store, name: &str) -> Window {
    let mut h = open_window(store);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num2);
    h.run();
    h.get_by_label(name).click();
    h.run();
    h
}
