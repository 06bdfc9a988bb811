//! The window. `mod.rs` holds the [`App`] and the order of a frame; the rooms
//! beside it:
//! - [`commands`]: what panels may use and ask for (the only file panels import);
//! - `run`: carrying out the commands once the frame is drawn;
//! - `logic`: what does not draw (jobs, backups, following other writers, undo),
//!   called from [`eframe::App::logic`];
//! - `chrome`: menu, navigation, status bar, the messages' toasts and their list;
//! - `modals`: the open-failure recovery (and an encrypted shop's passphrase),
//!   our own path box, the welcome;
//! - `secure`: Settings > Security's actions (private files, the passphrase).

mod chrome;
pub mod commands;
mod folders;
mod logic;
mod modals;
mod run;
mod secure;

pub use self::commands::Panel;
use self::commands::{Command, PanelCtx, View};
use self::modals::{OpenProblem, PathPrompt};
use super::backups::{BackupsAction, BackupsDialog};
use super::customers::CustomersPanel;
use super::dialogs::Dialogs;
use super::import::{ImportAction, ImportDialog};
use super::insights::InsightsPanel;
use super::orders::OrdersPanel;
use super::products::ProductsPanel;
use super::reports::ReportsPanel;
use super::settings::SettingsForm;
use super::trends::TrendsPanel;
use crate::domain::{ShopSettings, ThemePreference};
use crate::jobs::Job;
use crate::store::{self, Store, settings::Counts};

#[derive(Debug, Clone, PartialEq, Eq)]
enum NoticeKind {
    Info,
    Error,
}

#[derive(Debug, Clone)]
struct Notice {
    kind: NoticeKind,
    text: String,
    /// When an info notice goes away by itself (egui time, seconds); errors
    /// stay until dismissed.
    until: Option<f64>,
    /// When it was said (local time, for the list of messages).
    at: chrono::NaiveTime,
}

/// How many messages the status bar's list keeps.
const MESSAGES_KEPT: usize = 50;

pub struct AppOptions {
    pub store: Store,
    pub dialogs: Box<dyn Dialogs>,
    /// How long a frame waits for a search's results before drawing the
    /// previous ones ([`AppOptions::SEARCH_WAIT`]; tests wait longer, so what
    /// they typed is on screen in the next frame however busy the machine).
    pub search_wait: std::time::Duration,
    /// Add the system's fonts as fallbacks for other scripts (off in tests,
    /// so the window does not depend on the machine's fonts).
    pub system_fonts: bool,
    /// The computer's language and region, such as "de-DE" (None: asked of
    /// the system; tests give one), which the welcome's way of writing money
    /// and dates starts from.
    pub locale: Option<String>,
    /// How long an encrypted shop stays open untouched before it locks
    /// itself ([`AUTO_LOCK`]; a test waits less).
    pub auto_lock: std::time::Duration,
}

impl AppOptions {
    /// Short enough for a frame to stay well inside 4 ms; a quick search still
    /// shows in the frame it was typed in.
    pub const SEARCH_WAIT: std::time::Duration = std::time::Duration::from_millis(1);
}

/// The computer's language and region as the system gives them: the
/// formats' own setting first (LC_ALL, LC_MONETARY on Linux), then the
/// languages it prefers, the first with a region the welcome knows.
fn system_locale() -> String {
    use crate::domain::regional::Regional;
    let known = |tag: &String| Regional::suggested(tag) != 0;
    ["LC_ALL", "LC_MONETARY"]
        .into_iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(known)
        .or_else(|| sys_locale::get_locales().find(known))
        .unwrap_or_default()
}

/// How wide the navigation column is.
const NAV_WIDTH: f32 = 150.0;

/// Every page of the navigation column, in [`Panel::ALL`] order, fresh.
fn all_panels() -> Vec<Box<dyn View>> {
    let panels: Vec<Box<dyn View>> = vec![
        Box::new(CustomersPanel::default()),
        Box::new(ProductsPanel::default()),
        Box::new(OrdersPanel::default()),
        Box::new(TrendsPanel::default()),
        Box::new(ReportsPanel::default()),
        Box::new(InsightsPanel::default()),
    ];
    debug_assert!(panels.iter().map(|p| p.id()).eq(Panel::ALL));
    panels
}

pub struct App {
    store: Store,
    settings: ShopSettings,
    dialogs: Box<dyn Dialogs>,
    search_wait: std::time::Duration,
    /// The most rows a report holds on screen (`reports::SCREEN_ROWS`).
    screen_rows: usize,
    /// The page shown now.
    panel: Panel,
    panels: Vec<Box<dyn View>>,
    generation: u64,
    counts: Counts,
    /// The open database is a demo shop (the status bar says DEMO).
    demo: bool,
    /// Our own "save as" prompt, when no system dialog can open.
    path_prompt: Option<PathPrompt>,
    settings_form: Option<SettingsForm>,
    /// The widget that had the keyboard while a list (a combo box, a menu)
    /// was open at the end of the last frame: see `keep_focus_on_escape`.
    focus_under_popup: Option<egui::Id>,
    /// The widgets that held the keyboard focus, newest last, with the
    /// layer each was in: see `return_focus`.
    focus_history: Vec<(egui::Id, egui::LayerId)>,
    /// Whether a widget had the focus at the end of the last frame.
    had_focus: bool,
    /// The focus was taken by a dialog, to be given back once it closes.
    focus_taken: bool,
    /// Closing the window was asked while a form held what was typed:
    /// what it holds, until the user says whether to quit.
    closing_unsaved: Option<&'static str>,
    /// Lock was asked for while a form holds what was typed: the window
    /// asks whether to lock anyway.
    locking_unsaved: Option<&'static str>,
    /// The user said to quit anyway: the next close goes through.
    close_anyway: bool,
    /// Closing waits for the backup on closing, said on screen first: the
    /// frame it was asked in (see `closing_backup_ui`).
    closing_backup: Option<u64>,
    /// When its note was first drawn (the input's time).
    closing_backup_shown: Option<f64>,
    /// The backup on closing was written (or failed and was said): the
    /// next close goes through, and `on_exit` writes none.
    backed_up_on_close: bool,
    import: Option<ImportDialog>,
    backups: Option<BackupsDialog>,
    /// The day the daily backup was last looked after.
    daily_backup: Option<chrono::NaiveDate>,
    /// Reopen the database when the running job ends (it was a restore).
    reopen_after_job: bool,
    /// The shop being encrypted or decrypted by the running job: reopen it
    /// with the first of these keys that opens it when the job ends.
    reopen_keyed: Option<(std::path::PathBuf, Vec<Option<store::Passphrase>>)>,
    /// The file's `data_version` when last looked at, and when that was (egui time).
    seen_version: Option<(i64, f64)>,
    /// A database that could not be opened, and what the user can do about it.
    open_problem: Option<OpenProblem>,
    /// When a key, a click or the mouse last moved in the window: an
    /// encrypted shop locks itself after `AUTO_LOCK` untouched.
    last_touch: std::time::Instant,
    auto_lock: std::time::Duration,
    /// The change log's newest entry when the database was opened: Undo
    /// reaches back to the changes after it.
    session_start: i64,
    /// What Undo would reverse now, read once per data change.
    next_undo: Option<(u64, Option<String>)>,
    /// The messages shown now, as toasts in a corner (over the panel, so
    /// they never move it).
    notices: Vec<Notice>,
    /// The last [`MESSAGES_KEPT`] messages, newest last, for the status bar's list.
    messages: std::collections::VecDeque<Notice>,
    /// The list of messages is open.
    messages_open: bool,
    job: Option<Job>,
    welcome: bool,
    /// The PDF this window wrote last (set by its print job), for "Open".
    last_document: std::sync::Arc<std::sync::Mutex<Option<std::path::PathBuf>>>,
    /// An invoice asked for while the shop has no name or address on its
    /// invoices: the window asks whether to set them first.
    identity_prompt: Option<crate::jobs::documents::Print>,
    /// "Write it anyway" was answered this session: not asked again.
    identity_asked: bool,
    /// The computer's language and region (see [`AppOptions::locale`]).
    locale: String,
    /// The way of writing money and dates the welcome has chosen, in
    /// [`crate::domain::regional::REGIONALS`].
    welcome_way: usize,
    title: String,
    theme: Option<ThemePreference>,
    /// For background tasks to wake the window.
    egui_ctx: Option<egui::Context>,
    /// The folders the file dialogs last used, by kind of file.
    folders: folders::Folders,
    /// The panels were made afresh: once a frame after `panels_frame` is
    /// drawn, the lists not shown read their first rows (`View::prefetch`).
    prefetch_due: bool,
    panels_frame: u64,
}

impl App {
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> App {
        let panel = cc
            .storage
            .and_then(|s| s.get_string("panel"))
            .and_then(|s| Panel::from_label(&s))
            .unwrap_or_default();
        if options.system_fonts {
            super::fonts::load_system_fallbacks(&cc.egui_ctx);
        }
        let mut app = App::with_store(options);
        app.panel = panel;
        app.egui_ctx = Some(cc.egui_ctx.clone());
        app.folders = folders::Folders::load(cc.storage);
        app
    }

    fn with_store(options: AppOptions) -> App {
        let mut app = App {
            store: options.store,
            settings: ShopSettings::default(),
            dialogs: options.dialogs,
            search_wait: options.search_wait,
            screen_rows: crate::ui::reports::SCREEN_ROWS,
            panel: Panel::default(),
            panels: all_panels(),
            generation: 0,
            counts: Counts::default(),
            demo: false,
            path_prompt: None,
            settings_form: None,
            focus_under_popup: None,
            focus_history: Vec::new(),
            had_focus: false,
            focus_taken: false,
            closing_unsaved: None,
            locking_unsaved: None,
            close_anyway: false,
            closing_backup: None,
            closing_backup_shown: None,
            backed_up_on_close: false,
            import: None,
            backups: None,
            daily_backup: None,
            reopen_after_job: false,
            reopen_keyed: None,
            seen_version: None,
            open_problem: None,
            last_touch: std::time::Instant::now(),
            auto_lock: options.auto_lock,
            session_start: 0,
            next_undo: None,
            notices: Vec::new(),
            messages: std::collections::VecDeque::new(),
            messages_open: false,
            job: None,
            welcome: false,
            last_document: Default::default(),
            identity_prompt: None,
            identity_asked: false,
            locale: options.locale.unwrap_or_else(system_locale),
            welcome_way: 0,
            title: String::new(),
            theme: None,
            egui_ctx: None,
            folders: Default::default(),
            prefetch_due: false,
            panels_frame: 0,
        };
        app.after_open();
        app
    }

    /// The panels were just made afresh for the shop now open.
    fn panels_built(&mut self) {
        self.prefetch_due = true;
        self.panels_frame = self
            .egui_ctx
            .as_ref()
            .map_or(0, egui::Context::cumulative_frame_nr);
    }

    /// Reads what the newly opened database says about itself; every panel starts afresh.
    fn after_open(&mut self) {
        for n in self.store.take_notices() {
            self.info(n);
        }
        if let Some(n) = self.store.open_to_others_notice() {
            self.info(n);
        }
        match store::settings::load(self.store.conn()) {
            Ok(s) => self.settings = s,
            Err(e) => self.error(format!("The shop settings could not be read: {e}")),
        }
        self.panels = all_panels();
        self.panels_built();
        self.generation += 1;
        self.seen_version = None;
        self.session_start = match store::changelog::latest_id(self.store.conn()) {
            Ok(id) => id,
            Err(e) => {
                self.error(format!(
                    "The change log could not be read, so Undo is off until the database is opened again: {e}"
                ));
                i64::MAX
            }
        };
        self.refresh_counts();
        self.welcome = self.counts == Counts::default()
            && match store::settings::flag(self.store.conn(), "welcome_done") {
                Ok(done) => !done,
                Err(e) => {
                    self.error(format!("The shop settings could not be read: {e}"));
                    false
                }
            };
        if self.welcome {
            self.welcome_way = crate::domain::regional::Regional::suggested(&self.locale);
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.say(NoticeKind::Info, text.into());
    }

    fn error(&mut self, text: impl Into<String>) {
        self.say(NoticeKind::Error, text.into());
    }

    fn say(&mut self, kind: NoticeKind, text: String) {
        let notice = Notice {
            kind,
            text,
            until: None,
            at: chrono::Local::now().time(),
        };
        if self.messages.len() == MESSAGES_KEPT {
            self.messages.pop_front();
        }
        self.messages.push_back(notice.clone());
        self.notices.push(notice);
    }

    /// The panel shown now.
    pub fn panel(&self) -> Panel {
        self.panel
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The window's title as last set (the shop's name, never a customer's).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Whether a real database is open (not the empty stand-in used while
    /// the chosen file could not be opened).
    fn has_database(&self) -> bool {
        self.store.path() != std::path::Path::new(":memory:")
    }

    /// Keyboard shortcuts, each taken out of the frame's input as a whole
    /// chord (so a chord pressed and released within one frame still counts).
    fn shortcuts(&mut self, ctx: &egui::Context) {
        // Ctrl+Z undoes the last change, unless a text field is being edited
        // (there it undoes typing).
        let undo = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Z);
        if !ctx.egui_wants_keyboard_input() && ctx.input_mut(|i| i.consume_shortcut(&undo)) {
            self.undo();
        }
        // Ctrl+Q quits, as File > Quit (asking first if a form holds what
        // was typed: `close_guard_ui`).
        let quit = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Q);
        if ctx.input_mut(|i| i.consume_shortcut(&quit)) {
            self.quit(ctx);
        }
        let lock = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::L);
        if self.store.encrypted() && ctx.input_mut(|i| i.consume_shortcut(&lock)) {
            self.lock();
        }
        for panel in Panel::ALL {
            for shortcut in panel.shortcuts() {
                if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                    self.panel = panel;
                }
            }
        }
    }

    /// The settings form, the import and the backups windows, when open.
    fn dialogs_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let security = self
            .settings_form
            .as_mut()
            .and_then(SettingsForm::take_security_action);
        if let Some(action) = security {
            self.security(action);
        }
        if let Some(form) = &mut self.settings_form {
            if let Some(identity) = form.identity.as_mut()
                && std::mem::take(&mut identity.wants_logo)
            {
                let filters: &[(&str, &[&str])] =
                    &[("PNG or JPEG picture", &["png", "jpg", "jpeg"])];
                let ask = super::dialogs::Ask {
                    title: "Choose a logo",
                    filters,
                    folder: self.folders.get(folders::Folder::Pictures),
                };
                if let super::dialogs::DialogOutcome::Picked(p) = self.dialogs.open_file(ask) {
                    self.folders.used(folders::Folder::Pictures, &p);
                    identity.take_logo_file(std::fs::read(&p).map_err(|e| {
                        format!(
                            "{} could not be read ({e}); choose another file",
                            p.display()
                        )
                    }));
                }
            }
            match form.ui(ctx) {
                Some(Some(new_settings)) => {
                    let identity = form.identity.as_ref().and_then(|i| i.change().ok());
                    match self.store.write(|tx| {
                        store::settings::save(tx, &new_settings)?;
                        if let Some(c) = &identity {
                            crate::ui::shop_identity::save(tx, c)?;
                        }
                        form.save_sections(tx)
                    }) {
                        Ok(()) => {
                            self.settings = new_settings;
                            self.settings_form = None;
                            commands.push(Command::DataChanged);
                            commands.push(Command::Info("Saved the settings.".into()));
                        }
                        Err(e) => form.set_error(e.to_string()),
                    }
                }
                Some(None) => self.settings_form = None,
                None => {}
            }
        }
        if let Some(dialog) = &mut self.import
            && let Some(ImportAction::Close(done)) = dialog.ui(ctx)
        {
            self.import = None;
            if let Some(message) = done {
                self.info(message);
                commands.push(Command::DataChanged);
            }
        }
        if let Some(dialog) = &mut self.backups {
            match dialog.ui(ctx) {
                Some(BackupsAction::Close) => self.backups = None,
                Some(BackupsAction::Restore(path)) => {
                    self.backups = None;
                    self.start_restore(path);
                }
                None => {}
            }
        }
    }
}

/// How long an encrypted shop stays open untouched before it locks itself.
pub const AUTO_LOCK: std::time::Duration = std::time::Duration::from_secs(15 * 60);

impl App {
    /// Locks an encrypted shop left untouched for `AUTO_LOCK` (unless a
    /// form holds what was typed or a task runs: `lock` says so then, once),
    /// waking the window for it when nothing else does.
    fn auto_lock(&mut self, ctx: &egui::Context) {
        let touched =
            ctx.input(|i| !i.events.is_empty() || i.pointer.is_moving() || i.pointer.any_down());
        if touched || !self.store.encrypted() || self.open_problem.is_some() {
            self.last_touch = std::time::Instant::now();
        }
        if !self.store.encrypted() {
            return;
        }
        let idle = self.last_touch.elapsed();
        if idle >= self.auto_lock {
            self.last_touch = std::time::Instant::now();
            // Not over what was typed, nor a task: it waits another while.
            let busy = self.job.is_some()
                || self.import.as_ref().is_some_and(ImportDialog::busy)
                || self.unsaved_form().is_some();
            if !busy {
                self.lock();
            }
        } else {
            ctx.request_repaint_after(self.auto_lock - idle);
        }
    }
}

impl eframe::App for App {
    /// What does not draw: the running job, the daily backup, other writers.
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if self.egui_ctx.is_none() {
            self.egui_ctx = Some(ctx.clone());
        }
        self.poll_job();
        self.apply_look(ctx);
        self.daily_backup(ctx);
        self.follow_other_writers(ctx);
        self.auto_lock(ctx);
    }

    /// The frame: shortcuts, the window's chrome, the chosen panel, the open
    /// windows; then the commands they sent, in order.
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.keep_focus_on_escape(&ctx);
        self.return_focus(&ctx);
        super::widgets::use_local_format(self.settings.local_format());
        if self.settings_form.is_none() {
            self.shortcuts(&ctx);
        }
        let mut commands = Vec::new();

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        egui::Panel::left("nav")
            .resizable(false)
            .exact_size(NAV_WIDTH)
            .show(ui, |ui| self.nav_ui(ui));

        let shop_open = self.has_database() && self.open_problem.is_none();
        let mut pctx = PanelCtx {
            store: &mut self.store,
            settings: &self.settings,
            generation: self.generation,
            commands: &mut commands,
            search_wait: self.search_wait,
            screen_rows: self.screen_rows,
            last_document: self.last_document.lock().ok().and_then(|l| l.clone()),
        };
        // No shop open (a locked one waits for its passphrase, a file could
        // not be opened): no panel behind the question. Its empty stand-in
        // said "No customers yet", which read as a wiped shop to a tryout.
        if shop_open && let Some(view) = self.panels.iter_mut().find(|p| p.id() == self.panel) {
            view.ui(ui, &mut pctx);
        }
        // Once the first frame of a shop is drawn, the other lists read their
        // first rows in the background: each panel then opens with its rows.
        if self.prefetch_due && ctx.cumulative_frame_nr() > self.panels_frame {
            self.prefetch_due = false;
            let shown = self.panel;
            for view in self.panels.iter_mut().filter(|p| p.id() != shown) {
                view.prefetch(&pctx);
            }
        }

        self.close_guard_ui(&ctx);
        self.lock_guard_ui(&ctx);
        self.dialogs_ui(&ctx, &mut commands);
        self.open_problem_ui(&ctx, &mut commands);
        self.welcome_ui(&ctx, &mut commands);
        self.identity_prompt_ui(&ctx, &mut commands);
        self.path_prompt_ui(&ctx);
        self.toasts_ui(&ctx);
        self.messages_ui(&ctx);

        for command in commands {
            self.run(&ctx, command);
        }
        self.focus_under_popup = egui::Popup::is_any_open(&ctx)
            .then(|| ctx.memory(|m| m.focused()))
            .flatten();
        self.note_focus(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string("panel", self.panel.label().to_owned());
        self.folders.save(storage);
    }

    /// One backup when the window closes (when the shop holds anything).
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if !self.backup_on_close_due() {
            return;
        }
        if let Err(e) = self.back_up_on_close() {
            // The window is gone: the terminal is the only place left to say it.
            eprintln!("Shopkeeper: the backup on closing could not be written: {e}");
        }
    }
}
