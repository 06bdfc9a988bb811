//! The eframe application: menu, navigation, status bar, notices, and the
//! panels. Panels send `Command`s; the app runs them after drawing the frame.

use std::path::PathBuf;

use egui::{Key, RichText};

use super::backups::{BackupsAction, BackupsDialog};
use super::customers::CustomersPanel;
use super::dialogs::{DialogOutcome, Dialogs};
use super::import::{ImportAction, ImportDialog};
use super::orders::OrdersPanel;
use super::products::ProductsPanel;
use super::reports::ReportsPanel;
use super::settings::SettingsForm;
use super::trends::TrendsPanel;
use super::widgets::thousands;
use crate::demo::{self, DemoSize};
use crate::domain::{ReportSpec, ShopSettings, ThemePreference};
use crate::export::Format;
use crate::import::ImportKind;
use crate::jobs::Job;
use crate::store::{self, OpenError, Store, settings::Counts};

/// The panels of the navigation column, in order (Ctrl+1 .. Ctrl+5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Panel {
    #[default]
    Customers,
    Products,
    Orders,
    Trends,
    Reports,
}

impl Panel {
    pub const ALL: [Panel; 5] = [
        Panel::Customers,
        Panel::Products,
        Panel::Orders,
        Panel::Trends,
        Panel::Reports,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Panel::Customers => "Customers",
            Panel::Products => "Products",
            Panel::Orders => "Orders",
            Panel::Trends => "Trends",
            Panel::Reports => "Reports",
        }
    }

    fn from_label(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.label() == s)
    }
}

/// What a panel asks the app to do once the frame is drawn.
#[derive(Debug, Clone)]
pub enum Command {
    Show(Panel),
    /// Something was written: every cached list reloads.
    DataChanged,
    Info(String),
    Error(String),
    /// Show a customer's detail in the Customers panel.
    OpenCustomer(i64),
    /// Show an order's detail in the Orders panel.
    OpenOrder(i64),
    /// Open the new-order form for this customer (id, name).
    NewOrderFor(i64, String),
    /// Ask where to save this report, then write it in the background.
    Export(ReportSpec, Format),
    /// Ask where to save a picture of a chart (RGBA pixels), then write it as PNG.
    SaveChart {
        name: String,
        width: u32,
        height: u32,
        rgba: Vec<u8>,
    },
    NewDatabase,
    OpenDatabase,
    /// Ask which CSV file to import, then show it before importing.
    Import(ImportKind),
    /// Ask where to save a backup, then write it in the background.
    BackUpNow,
    /// Show the backups kept beside the database.
    Backups,
    OpenSettings,
    /// Reverse the newest change of this session that is not undone yet.
    Undo,
    LoadDemo,
    Quit,
}

/// What a panel may use while drawing.
pub struct PanelCtx<'a> {
    pub store: &'a mut Store,
    pub settings: &'a ShopSettings,
    /// Bumped after every write; caches compare it to know they are stale.
    pub generation: u64,
    pub commands: &'a mut Vec<Command>,
    /// How long a frame waits for a list's new search before drawing the old rows.
    pub search_wait: std::time::Duration,
}

impl PanelCtx<'_> {
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum NoticeKind {
    Info,
    Error,
}

#[derive(Debug, Clone)]
struct Notice {
    kind: NoticeKind,
    text: String,
    /// When an info notice goes away by itself (egui time, seconds).
    until: Option<f64>,
}

pub struct AppOptions {
    pub store: Store,
    pub dialogs: Box<dyn Dialogs>,
    /// How long a frame waits for a search's results before drawing the
    /// previous ones ([`AppOptions::SEARCH_WAIT`]; tests wait longer, so what
    /// they typed is on screen in the next frame however busy the machine).
    pub search_wait: std::time::Duration,
}

impl AppOptions {
    /// Short enough for a frame to stay well inside 4 ms; a quick search still
    /// shows in the frame it was typed in.
    pub const SEARCH_WAIT: std::time::Duration = std::time::Duration::from_millis(1);
}

pub struct App {
    store: Store,
    settings: ShopSettings,
    dialogs: Box<dyn Dialogs>,
    search_wait: std::time::Duration,
    panel: Panel,
    generation: u64,
    counts: Counts,
    customers: CustomersPanel,
    products: ProductsPanel,
    orders: OrdersPanel,
    reports: ReportsPanel,
    trends: TrendsPanel,
    /// Our own "save as" prompt, when no system dialog can open.
    path_prompt: Option<PathPrompt>,
    settings_form: Option<SettingsForm>,
    import: Option<ImportDialog>,
    backups: Option<BackupsDialog>,
    /// The day the daily backup was last looked after.
    daily_backup: Option<chrono::NaiveDate>,
    /// Reopen the database when the running job ends (it was a restore).
    reopen_after_job: bool,
    /// The file's `data_version` when last looked at, and when that was (egui time).
    seen_version: Option<(i64, f64)>,
    /// A database that could not be opened, and what the user can do about it.
    open_problem: Option<OpenProblem>,
    /// The change log's newest entry when the database was opened: Undo
    /// reaches back to the changes after it.
    session_start: i64,
    /// What Undo would reverse now, read once per data change.
    next_undo: Option<(u64, Option<String>)>,
    notices: Vec<Notice>,
    job: Option<Job>,
    welcome: bool,
    title: String,
    theme: Option<ThemePreference>,
    /// For background tasks to wake the window.
    egui_ctx: Option<egui::Context>,
}

/// What a chosen path is for.
enum Purpose {
    NewDatabase,
    OpenDatabase,
    Export(ReportSpec, Format),
    SaveChart(u32, u32, Vec<u8>),
    Import(ImportKind),
    BackUpNow,
}

/// Why a database file could not be opened, shown until the user chooses what to do.
struct OpenProblem {
    path: PathBuf,
    message: String,
    /// The file is fine but may not be written: it can be opened read-only.
    read_only_possible: bool,
    /// The newest backup that passes its check, with when it was taken.
    backup: Option<(PathBuf, String)>,
}

/// What the user chose in the "cannot open" window.
enum ProblemChoice {
    ReadOnly,
    Recover,
    Dismiss,
}

struct PathPrompt {
    purpose: Purpose,
    path: String,
    focus_pending: bool,
}

impl App {
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> App {
        let panel = cc
            .storage
            .and_then(|s| s.get_string("panel"))
            .and_then(|s| Panel::from_label(&s))
            .unwrap_or_default();
        let mut app = App::with_store(options);
        app.panel = panel;
        app
    }

    fn with_store(options: AppOptions) -> App {
        let mut app = App {
            store: options.store,
            settings: ShopSettings::default(),
            dialogs: options.dialogs,
            search_wait: options.search_wait,
            panel: Panel::default(),
            generation: 0,
            counts: Counts::default(),
            customers: CustomersPanel::default(),
            products: ProductsPanel::default(),
            orders: OrdersPanel::default(),
            reports: ReportsPanel::default(),
            trends: TrendsPanel::default(),
            path_prompt: None,
            settings_form: None,
            import: None,
            backups: None,
            daily_backup: None,
            reopen_after_job: false,
            seen_version: None,
            open_problem: None,
            session_start: 0,
            next_undo: None,
            notices: Vec::new(),
            job: None,
            welcome: false,
            title: String::new(),
            theme: None,
            egui_ctx: None,
        };
        app.after_open();
        app
    }

    /// Reads what the newly opened database says about itself.
    fn after_open(&mut self) {
        for n in self.store.take_notices() {
            self.info(n);
        }
        match store::settings::load(self.store.conn()) {
            Ok(s) => self.settings = s,
            Err(e) => self.error(format!("The shop settings could not be read: {e}")),
        }
        self.customers = CustomersPanel::default();
        self.products = ProductsPanel::default();
        self.orders = OrdersPanel::default();
        self.reports = ReportsPanel::default();
        self.trends = TrendsPanel::default();
        self.generation += 1;
        self.seen_version = None;
        self.session_start = store::changes::latest_id(self.store.conn()).unwrap_or(i64::MAX);
        self.refresh_counts();
        self.welcome = self.counts == Counts::default()
            && !store::settings::flag(self.store.conn(), "welcome_done").unwrap_or(false);
    }

    fn refresh_counts(&mut self) {
        match store::settings::counts(self.store.conn()) {
            Ok(c) => self.counts = c,
            Err(e) => self.error(format!("Could not count the shop's records: {e}")),
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            until: None,
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            until: None,
        });
    }

    /// The panel shown now.
    pub fn panel(&self) -> Panel {
        self.panel
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// What Undo would reverse (cached until the data changes).
    fn next_undo_summary(&mut self) -> Option<String> {
        if self
            .next_undo
            .as_ref()
            .is_none_or(|(g, _)| *g != self.generation)
        {
            let next = store::changes::next_undo(self.store.conn(), self.session_start)
                .ok()
                .flatten()
                .map(|c| c.summary);
            self.next_undo = Some((self.generation, next));
        }
        self.next_undo.as_ref().and_then(|(_, n)| n.clone())
    }

    fn undo(&mut self) {
        let since = self.session_start;
        match self.store.write(|tx| store::changes::undo_last(tx, since)) {
            Ok(Some(summary)) => self.info(format!("Undone: {summary}.")),
            Ok(None) => self.info("Nothing left to undo in this session."),
            Err(e) => self.error(format!("Could not undo: {e}")),
        }
        self.generation += 1;
        self.refresh_counts();
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let keys = [Key::Num1, Key::Num2, Key::Num3, Key::Num4, Key::Num5];
        // Ctrl+Z undoes the last change, unless a text field is being edited
        // (there it undoes typing).
        if !ctx.egui_wants_keyboard_input()
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::Z))
        {
            self.undo();
        }
        ctx.input(|i| {
            if i.modifiers.ctrl || i.modifiers.command {
                for (key, panel) in keys.iter().zip(Panel::ALL) {
                    if i.key_pressed(*key) {
                        self.panel = panel;
                    }
                }
            }
        });
    }

    fn apply_look(&mut self, ctx: &egui::Context) {
        let title = if self.store.read_only() {
            format!("{} (read-only) — Shopkeeper", self.settings.shop_name)
        } else {
            format!("{} — Shopkeeper", self.settings.shop_name)
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if self.theme != Some(self.settings.theme) {
            ctx.set_theme(match self.settings.theme {
                ThemePreference::System => egui::ThemePreference::System,
                ThemePreference::Light => egui::ThemePreference::Light,
                ThemePreference::Dark => egui::ThemePreference::Dark,
            });
            self.theme = Some(self.settings.theme);
        }
    }

    fn menu_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New database…").clicked() {
                    commands.push(Command::NewDatabase);
                }
                if ui.button("Open database…").clicked() {
                    commands.push(Command::OpenDatabase);
                }
                ui.separator();
                ui.menu_button("Import", |ui| {
                    for kind in ImportKind::ALL {
                        if ui.button(format!("{}…", kind.label())).clicked() {
                            commands.push(Command::Import(kind));
                        }
                    }
                });
                ui.separator();
                if ui.button("Back up now…").clicked() {
                    commands.push(Command::BackUpNow);
                }
                if ui.button("Backups…").clicked() {
                    commands.push(Command::Backups);
                }
                ui.separator();
                if ui.button("Load demo data…").clicked() {
                    commands.push(Command::LoadDemo);
                }
                if ui.button("Settings…").clicked() {
                    commands.push(Command::OpenSettings);
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    commands.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let next = self.next_undo_summary();
                let label = match &next {
                    Some(summary) => format!("Undo: {summary}"),
                    None => "Undo".to_owned(),
                };
                if ui
                    .add_enabled(
                        next.is_some(),
                        egui::Button::new(label).shortcut_text("Ctrl+Z"),
                    )
                    .on_disabled_hover_text("Nothing changed in this session yet")
                    .clicked()
                {
                    commands.push(Command::Undo);
                }
            });
        });
    }

    fn nav_ui(&mut self, ui: &mut egui::Ui) {
        ui.add_space(8.0);
        ui.label(RichText::new(&self.settings.shop_name).heading().strong());
        ui.add_space(8.0);
        for (i, panel) in Panel::ALL.into_iter().enumerate() {
            let selected = self.panel == panel;
            let response = ui
                .add_sized(
                    [ui.available_width(), 28.0],
                    egui::Button::selectable(selected, RichText::new(panel.label()).size(15.0)),
                )
                .on_hover_text(format!("Ctrl+{}", i + 1));
            if response.clicked() {
                self.panel = panel;
            }
        }
    }

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if !self.has_database() {
                ui.label("No database open");
            } else if self.store.read_only() {
                ui.label(format!("Database: {}", self.store.path().display()));
                ui.label(
                    RichText::new("READ-ONLY")
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                )
                .on_hover_text("Opened read-only: you can look and export, not change anything.");
            } else {
                ui.label(format!("Database: {}", self.store.path().display()));
            }
            ui.separator();
            ui.label(format!(
                "{} customers · {} products · {} orders",
                thousands(self.counts.customers),
                thousands(self.counts.products),
                thousands(self.counts.orders)
            ));
            if let Some(job) = &self.job {
                ui.separator();
                ui.label(&job.name);
                if job.progress.total() > 0 {
                    ui.add(
                        egui::ProgressBar::new(job.progress.fraction())
                            .desired_width(160.0)
                            .show_percentage(),
                    );
                } else {
                    ui.spinner();
                    ui.label(format!("{} rows", thousands(job.progress.done() as i64)));
                }
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(200));
                if ui.button("Cancel").clicked() {
                    job.progress.cancel();
                }
            }
        });
    }

    fn notices_ui(&mut self, ui: &mut egui::Ui) {
        let now = ui.input(|i| i.time);
        self.notices.retain(|n| n.until.is_none_or(|t| t > now));
        let mut close = None;
        for (i, notice) in self.notices.iter_mut().enumerate() {
            if notice.kind == NoticeKind::Info && notice.until.is_none() {
                notice.until = Some(now + 10.0);
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs(10));
            }
            ui.horizontal(|ui| {
                let color = match notice.kind {
                    NoticeKind::Info => ui.visuals().text_color(),
                    NoticeKind::Error => ui.visuals().error_fg_color,
                };
                if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                    close = Some(i);
                }
                ui.colored_label(color, &notice.text);
            });
        }
        if let Some(i) = close {
            self.notices.remove(i);
        }
    }

    fn welcome_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if !self.welcome || self.open_problem.is_some() || !self.has_database() {
            return;
        }
        let mut done = false;
        egui::Modal::new(egui::Id::unique("welcome")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Welcome to Shopkeeper");
            ui.add_space(6.0);
            ui.label(
                "This shop is empty. Load demo data to look around with made-up customers and \
                 products, or start empty and add your own.",
            );
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button("Load demo data").clicked() {
                    commands.push(Command::LoadDemo);
                    done = true;
                }
                if ui.button("Start empty").clicked() {
                    done = true;
                }
            });
        });
        if done {
            self.welcome = false;
            if let Err(e) = self
                .store
                .write(|tx| store::settings::set_flag(tx, "welcome_done", true))
            {
                self.error(format!("Could not save that choice: {e}"));
            }
        }
    }

    fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        if let Some(outcome) = job.poll() {
            self.job = None;
            let restored = std::mem::take(&mut self.reopen_after_job) && outcome.is_ok();
            if restored {
                // Read the restored file afresh (an older backup is brought up to date).
                self.switch_to(self.store.path().to_path_buf());
            }
            match outcome {
                Ok(message) => self.info(message),
                Err(message) => self.error(message),
            }
            self.generation += 1;
            self.refresh_counts();
        }
    }

    fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Show(panel) => self.panel = panel,
            Command::DataChanged => {
                self.generation += 1;
                self.refresh_counts();
            }
            Command::Info(text) => self.info(text),
            Command::OpenCustomer(id) => {
                self.customers.select(id);
                self.panel = Panel::Customers;
            }
            Command::OpenOrder(id) => {
                self.orders.select(id);
                self.panel = Panel::Orders;
            }
            Command::NewOrderFor(id, name) => {
                self.orders.new_order(Some((id, name)));
                self.panel = Panel::Orders;
            }
            Command::Error(text) => self.error(text),
            Command::OpenSettings => {
                let locked = store::settings::amounts_exist(self.store.conn()).unwrap_or(true);
                self.settings_form = Some(SettingsForm::new(&self.settings, locked));
            }
            Command::NewDatabase => {
                let filters: &[(&str, &[&str])] = &[("Shopkeeper database", &["sqlite3"])];
                let outcome = self
                    .dialogs
                    .save_file("New database", "shop.sqlite3", filters);
                self.picked(outcome, Purpose::NewDatabase, "shop.sqlite3");
            }
            Command::OpenDatabase => {
                let filters: &[(&str, &[&str])] =
                    &[("Shopkeeper database", &["sqlite3", "sqlite", "db"])];
                let outcome = self.dialogs.open_file("Open database", filters);
                self.picked(outcome, Purpose::OpenDatabase, "shop.sqlite3");
            }
            Command::Import(kind) => {
                if self.job.is_some() || self.import.as_ref().is_some_and(ImportDialog::busy) {
                    self.error("A task is already running; wait for it to finish, then import.");
                    return;
                }
                let filters: &[(&str, &[&str])] = &[("CSV file", &["csv", "txt"])];
                let title = format!("Import {}", kind.name());
                let outcome = self.dialogs.open_file(&title, filters);
                let suggested = format!("{}.csv", kind.name());
                self.picked(outcome, Purpose::Import(kind), &suggested);
            }
            Command::BackUpNow => {
                if !self.on_file("Backing up") {
                    return;
                }
                let stem = self
                    .store
                    .path()
                    .file_stem()
                    .map_or("shop".into(), |s| s.to_string_lossy().into_owned());
                let name = format!(
                    "{stem}-backup-{}.sqlite3",
                    chrono::Local::now().format("%Y-%m-%d")
                );
                let filters: &[(&str, &[&str])] = &[("Shopkeeper database", &["sqlite3"])];
                let outcome = self.dialogs.save_file("Back up now", &name, filters);
                self.picked(outcome, Purpose::BackUpNow, &name);
            }
            Command::Backups => {
                if self.on_file("Backups") {
                    self.backups = Some(BackupsDialog::open(self.store.path()));
                }
            }
            Command::SaveChart {
                name,
                width,
                height,
                rgba,
            } => {
                let filters: &[(&str, &[&str])] = &[("PNG image", &["png"])];
                let outcome = self.dialogs.save_file("Save chart", &name, filters);
                self.picked(outcome, Purpose::SaveChart(width, height, rgba), &name);
            }
            Command::Export(spec, format) => {
                let (from, to) = match store::reports::resolve(self.store.conn(), &spec) {
                    Ok(r) => (r.from, r.to),
                    Err(e) => {
                        self.error(format!("Cannot export: {e}"));
                        return;
                    }
                };
                let name = spec.file_name(&from, &to, format.extension());
                let filters: &[(&str, &[&str])] = match format {
                    Format::Csv => &[("CSV", &["csv"])],
                    Format::Xlsx => &[("Excel workbook", &["xlsx"])],
                };
                let outcome = self.dialogs.save_file("Export report", &name, filters);
                self.picked(outcome, Purpose::Export(spec, format), &name);
            }
            Command::LoadDemo => self.start_demo(),
            Command::Undo => self.undo(),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    /// Acts on what a file dialog answered; opens our own prompt when there was no dialog.
    fn picked(&mut self, outcome: DialogOutcome, purpose: Purpose, suggested: &str) {
        match outcome {
            DialogOutcome::Picked(path) => self.fulfil(purpose, path),
            DialogOutcome::Cancelled => {}
            DialogOutcome::Unavailable => {
                let dir = directories::UserDirs::new()
                    .and_then(|u| {
                        u.document_dir()
                            .map(|d| d.to_path_buf())
                            .or_else(|| Some(u.home_dir().to_path_buf()))
                    })
                    .unwrap_or_default();
                self.path_prompt = Some(PathPrompt {
                    purpose,
                    path: dir.join(suggested).display().to_string(),
                    focus_pending: true,
                });
            }
        }
    }

    fn fulfil(&mut self, purpose: Purpose, path: PathBuf) {
        match purpose {
            Purpose::NewDatabase => {
                if path.exists() {
                    self.error(format!(
                        "{} already exists. To use it, choose File > Open database; to start afresh, pick a new name.",
                        path.display()
                    ));
                } else {
                    self.switch_to(path);
                }
            }
            Purpose::OpenDatabase => self.switch_to(path),
            Purpose::Export(spec, format) => self.start_export(spec, format, path),
            Purpose::BackUpNow => {
                let path = if path.extension().is_none() {
                    path.with_extension("sqlite3")
                } else {
                    path
                };
                self.start_job("Backing up", move |store, _| {
                    store::backup::write_checked(store, &path)
                        .map(|()| {
                            format!(
                                "Backed up the shop to {} and checked the copy.",
                                path.display()
                            )
                        })
                        .map_err(|e| format!("No backup was written: {e}"))
                });
            }
            Purpose::Import(kind) => {
                if self.store.path() == std::path::Path::new(":memory:") {
                    self.error("Importing needs a database file.");
                    return;
                }
                self.import = Some(ImportDialog::open(
                    kind,
                    path,
                    self.store.location(),
                    self.egui_ctx.clone(),
                ));
            }
            Purpose::SaveChart(width, height, rgba) => {
                let path = if Format::from_path(&path).is_none() && path.extension().is_none() {
                    path.with_extension("png")
                } else {
                    path
                };
                match crate::export::write_png(&path, width, height, rgba) {
                    Ok(()) => self.info(format!("Saved the chart to {}.", path.display())),
                    Err(e) => self.error(format!("The chart could not be saved: {e}")),
                }
            }
        }
    }

    /// Whether the database is a file (backups and imports need one); says why not.
    fn on_file(&mut self, what: &str) -> bool {
        if self.store.path() == std::path::Path::new(":memory:") {
            self.error(format!("{what} needs a database file."));
            return false;
        }
        true
    }

    /// Runs `work` in the background on its own connection, one task at a time.
    fn start_job(
        &mut self,
        name: &str,
        work: impl FnOnce(&mut Store, &crate::jobs::Progress) -> crate::jobs::Outcome + Send + 'static,
    ) -> bool {
        if self.job.is_some() {
            self.error("A task is already running; wait for it to finish, then try again.");
            return false;
        }
        let ctx = self.egui_ctx.clone();
        self.job = Some(Job::spawn(
            name,
            self.store.location(),
            move || {
                if let Some(c) = &ctx {
                    c.request_repaint();
                }
            },
            work,
        ));
        true
    }

    /// Twice a second, asks SQLite whether another window or program changed
    /// the file; if so, every list reads again (their pages, not the whole shop).
    fn follow_other_writers(&mut self, ctx: &egui::Context) {
        const EVERY: f64 = 0.5;
        let now = ctx.input(|i| i.time);
        if self.seen_version.is_some_and(|(_, at)| now - at < EVERY) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(EVERY));
            return;
        }
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(EVERY));
        let Ok(version) = self.store.data_version() else {
            return;
        };
        let changed = self.seen_version.is_some_and(|(v, _)| v != version);
        self.seen_version = Some((version, now));
        if changed {
            self.generation += 1;
            self.refresh_counts();
        }
    }

    /// Counts today's backup as done, so the window writes none in the
    /// background (the benchmark times frames, not a copy of the database).
    pub fn skip_todays_backup(&mut self) {
        self.daily_backup = Some(chrono::Local::now().date_naive());
    }

    /// Once a day, a while after the window opened, writes the day's backup
    /// in the background (when the shop holds anything and none was taken today).
    fn daily_backup(&mut self, ctx: &egui::Context) {
        const AFTER_SECONDS: f64 = 120.0;
        let now = ctx.input(|i| i.time);
        if now < AFTER_SECONDS {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                AFTER_SECONDS - now + 1.0,
            ));
            return;
        }
        let today = chrono::Local::now().date_naive();
        if self.daily_backup == Some(today)
            || self.job.is_some()
            || self.store.path() == std::path::Path::new(":memory:")
        {
            return;
        }
        self.daily_backup = Some(today);
        if self.counts == Counts::default() || !store::backup::due(self.store.path(), today) {
            return;
        }
        self.start_job("Daily backup", move |store, _| {
            store::backup::automatic(store, chrono::Local::now().naive_local())
                .map(|p| format!("Today's backup is written: {}.", p.display()))
                .map_err(|e| format!("Today's backup could not be written: {e}"))
        });
    }

    fn start_restore(&mut self, from: PathBuf) {
        let started = self.start_job("Restoring a backup", move |store, _| {
            store::backup::restore(store, &from, chrono::Local::now().naive_local())
                .map(|safety| {
                    format!(
                        "Restored the backup {}. The database as it was before is kept at {}.",
                        from.display(),
                        safety.display()
                    )
                })
                .map_err(|e| format!("Nothing was restored: {e}"))
        });
        if started {
            self.reopen_after_job = true;
        }
    }

    fn start_export(&mut self, spec: ReportSpec, format: Format, path: PathBuf) {
        // The file's own extension wins; a name without one gets the chosen format's.
        let (format, path) = match Format::from_path(&path) {
            Some(f) => (f, path),
            None => {
                let mut p = path.into_os_string();
                p.push(".");
                p.push(format.extension());
                (format, PathBuf::from(p))
            }
        };
        let name = format!("Exporting {}", spec.kind.label().to_lowercase());
        self.start_job(&name, move |store, progress| {
            crate::jobs::export_report(store.conn(), &spec, &path, format, progress)
                .map(|rows| format!("Saved {rows} rows to {}.", path.display()))
                .map_err(|e| format!("The export failed: {e}"))
        });
    }

    fn path_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.path_prompt else {
            return;
        };
        let mut done: Option<bool> = None;
        let title = match &prompt.purpose {
            Purpose::NewDatabase => "New database: where should it go?",
            Purpose::OpenDatabase => "Open database: which file?",
            Purpose::Export(..) => "Export report: save it where?",
            Purpose::SaveChart(..) => "Save chart: where?",
            Purpose::Import(..) => "Import: which CSV file?",
            Purpose::BackUpNow => "Back up now: save the copy where?",
        };
        egui::Modal::new(egui::Id::unique("path_prompt")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(title);
            ui.label(
                "No file dialog is available on this system, so type the full path of the file.",
            );
            let label = ui.label("File").id;
            let r = ui
                .add(egui::TextEdit::singleline(&mut prompt.path).desired_width(500.0))
                .labelled_by(label);
            if std::mem::take(&mut prompt.focus_pending) {
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                done = Some(true);
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!prompt.path.trim().is_empty(), egui::Button::new("OK"))
                    .clicked()
                {
                    done = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    done = Some(false);
                }
            });
        });
        match done {
            Some(true) => {
                if let Some(p) = self.path_prompt.take() {
                    let path = PathBuf::from(p.path.trim());
                    self.fulfil(p.purpose, path);
                }
            }
            Some(false) => self.path_prompt = None,
            None => {}
        }
    }

    fn switch_to(&mut self, path: PathBuf) {
        if self.job.is_some() || self.import.as_ref().is_some_and(ImportDialog::busy) {
            self.error("Wait for the running task to finish before opening another database.");
            return;
        }
        match Store::open(&path) {
            Ok(store) => {
                self.store = store;
                self.after_open();
                self.info(format!("Opened {}", path.display()));
            }
            Err(e) => self.cannot_open(path, &e),
        }
    }

    /// Explains why `path` could not be opened and offers what can be done:
    /// open it read-only, restore its newest good backup, or open or create
    /// another database. Nothing is written to the file.
    pub fn cannot_open(&mut self, path: PathBuf, error: &OpenError) {
        let backup = store::backup::newest_good(&path)
            .map(|b| (b.path, b.taken.format("%Y-%m-%d %H:%M").to_string()));
        self.open_problem = Some(OpenProblem {
            message: error.to_string(),
            read_only_possible: matches!(error, OpenError::ReadOnly { .. }),
            backup,
            path,
        });
    }

    /// Whether a real database is open (not the empty stand-in used while
    /// the chosen file could not be opened).
    fn has_database(&self) -> bool {
        self.store.path() != std::path::Path::new(":memory:")
    }

    fn open_problem_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let Some(problem) = &self.open_problem else {
            return;
        };
        let mut choice = None;
        let has_database = self.has_database();
        egui::Modal::new(egui::Id::unique("open_problem")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading("This database cannot be opened");
            ui.add_space(4.0);
            ui.colored_label(ui.visuals().error_fg_color, &problem.message);
            ui.label("Shopkeeper has not changed the file.");
            ui.add_space(8.0);
            if problem.read_only_possible && ui.button("Open it read-only").clicked() {
                choice = Some(ProblemChoice::ReadOnly);
            }
            if let Some((_, taken)) = &problem.backup
                && ui
                    .button(format!("Restore the newest good backup (taken {taken})"))
                    .on_hover_text(
                        "The file is moved aside under a new name, unchanged, and a copy of \
                         the backup takes its place.",
                    )
                    .clicked()
            {
                choice = Some(ProblemChoice::Recover);
            }
            ui.horizontal(|ui| {
                if ui.button("Open another database…").clicked() {
                    commands.push(Command::OpenDatabase);
                    choice = Some(ProblemChoice::Dismiss);
                }
                if ui.button("New database…").clicked() {
                    commands.push(Command::NewDatabase);
                    choice = Some(ProblemChoice::Dismiss);
                }
                if has_database && ui.button("Close").clicked() {
                    choice = Some(ProblemChoice::Dismiss);
                }
            });
        });
        let Some(choice) = choice else { return };
        let Some(problem) = self.open_problem.take() else {
            return;
        };
        match choice {
            ProblemChoice::Dismiss => {}
            ProblemChoice::ReadOnly => match Store::open_read_only(&problem.path) {
                Ok(store) => {
                    self.store = store;
                    self.after_open();
                    self.info(format!(
                        "Opened {} read-only: you can look and export, not change anything.",
                        problem.path.display()
                    ));
                }
                Err(e) => self.cannot_open(problem.path, &e),
            },
            ProblemChoice::Recover => {
                match store::backup::recover(&problem.path, chrono::Local::now().naive_local()) {
                    Ok((used, aside)) => {
                        self.switch_to(problem.path);
                        self.info(format!(
                            "Restored the backup {}. The file that could not be opened is kept, unchanged, at {}.",
                            used.display(),
                            aside.display()
                        ));
                    }
                    Err(e) => {
                        let path = problem.path;
                        self.error(format!("The backup could not be restored: {e}"));
                        if let Err(open) = Store::open(&path).map(drop) {
                            self.cannot_open(path, &open);
                        }
                    }
                }
            }
        }
    }

    fn start_demo(&mut self) {
        if !self.on_file("Demo data") {
            return;
        }
        let size = DemoSize::default();
        self.start_job("Loading demo data", move |store, progress| {
            demo::fill(store, size, |done, total| {
                progress.set(done, total);
                !progress.cancelled()
            })
            .map(|()| {
                format!(
                    "Demo data loaded: {} customers and {} products.",
                    size.customers, size.products
                )
            })
            .map_err(|e| match e {
                store::StoreError::Refused(m) if m == "cancelled" => {
                    "Demo data was cancelled; nothing was added.".to_owned()
                }
                e => format!("Demo data could not be loaded: {e}"),
            })
        });
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.egui_ctx.is_none() {
            self.egui_ctx = Some(ctx.clone());
        }
        self.poll_job();
        self.apply_look(&ctx);
        if self.settings_form.is_none() {
            self.shortcuts(&ctx);
        }
        let mut commands = Vec::new();

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui, &mut commands));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        if !self.notices.is_empty() {
            egui::Panel::top("notices").show(ui, |ui| self.notices_ui(ui));
        }
        egui::Panel::left("nav")
            .resizable(false)
            .exact_size(150.0)
            .show(ui, |ui| self.nav_ui(ui));

        let mut pctx = PanelCtx {
            store: &mut self.store,
            settings: &self.settings,
            generation: self.generation,
            commands: &mut commands,
            search_wait: self.search_wait,
        };
        match self.panel {
            Panel::Customers => self.customers.ui(ui, &mut pctx),
            Panel::Products => self.products.ui(ui, &mut pctx),
            Panel::Orders => self.orders.ui(ui, &mut pctx),
            Panel::Trends => self.trends.ui(ui, &mut pctx),
            Panel::Reports => self.reports.ui(ui, &mut pctx),
        }

        if let Some(form) = &mut self.settings_form {
            match form.ui(&ctx) {
                Some(Some(new_settings)) => {
                    match self
                        .store
                        .write(|tx| store::settings::save(tx, &new_settings))
                    {
                        Ok(()) => {
                            self.settings = new_settings;
                            self.settings_form = None;
                            commands.push(Command::DataChanged);
                        }
                        Err(e) => form.set_error(e.to_string()),
                    }
                }
                Some(None) => self.settings_form = None,
                None => {}
            }
        }
        if let Some(dialog) = &mut self.import
            && let Some(ImportAction::Close(done)) = dialog.ui(&ctx)
        {
            self.import = None;
            if let Some(message) = done {
                self.info(message);
                commands.push(Command::DataChanged);
            }
        }
        if let Some(dialog) = &mut self.backups {
            match dialog.ui(&ctx) {
                Some(BackupsAction::Close) => self.backups = None,
                Some(BackupsAction::Restore(path)) => {
                    self.backups = None;
                    self.start_restore(path);
                }
                None => {}
            }
        }
        self.daily_backup(&ctx);
        self.follow_other_writers(&ctx);
        self.open_problem_ui(&ctx, &mut commands);
        self.welcome_ui(&ctx, &mut commands);
        self.path_prompt_ui(&ctx);

        for command in commands {
            self.run(&ctx, command);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string("panel", self.panel.label().to_owned());
    }

    /// One backup when the window closes (when the shop holds anything).
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if self.store.path() == std::path::Path::new(":memory:") || self.counts == Counts::default()
        {
            return;
        }
        if let Err(e) = store::backup::automatic(&self.store, chrono::Local::now().naive_local()) {
            // The window is gone: the terminal is the only place left to say it.
            eprintln!("Shopkeeper: the backup on closing could not be written: {e}");
        }
    }
}
