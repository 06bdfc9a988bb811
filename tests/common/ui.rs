//! The window in a test: the one way to build it (`window`), waiting for
//! background work (`wait_for`), and the helpers every window test uses.

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
}

impl Default for WindowOptions {
    fn default() -> Self {
        Self {
            dialogs: ScriptedDialogs::default(),
            size: egui::vec2(1280.0, 800.0),
            cannot_open: None,
            search_wait: Duration::from_secs(20),
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
    } = options;
    Harness::builder().with_size(size).build_eframe(move |cc| {
        let mut app = App::new(
            cc,
            AppOptions {
                store,
                dialogs: Box::new(dialogs),
                search_wait,
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

/// Every text on screen, in tree order: for failure messages.
pub fn texts(h: &Window) -> Vec<String> {
    h.root()
        .children_recursive()
        .filter_map(|n| text_of(&n.accesskit_node()))
        .collect()
}
