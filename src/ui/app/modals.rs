//! The window's own modal windows: what to do when a database cannot be
//! opened (or is missing or empty: start a new shop there, after asking),
//! the path box that stands in for a file dialog (it asks before replacing a
//! file), the passphrase of an encrypted shop (asked before anything reads
//! it; the key is then derived on a thread of its own, slow on purpose,
//! while the window shows "Unlocking…" instead of freezing), and the welcome.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::Key;

use super::App;
use super::commands::Command;
use crate::domain::ReportSpec;
use crate::export::Format;
use crate::files::Replace;
use crate::import::ImportKind;
use crate::store::{self, Mode, OpenError, Passphrase, Store};

/// What a chosen path is for.
pub(super) enum Purpose {
    NewDatabase,
    OpenDatabase,
    Export(ReportSpec, Format, crate::export::CsvOptions),
    SaveChart(u32, u32, Vec<u8>),
    Import(ImportKind),
    BackUpNow,
    Print(crate::jobs::documents::Print),
}

impl Purpose {
    /// Whether the path names a file the app writes (and may replace).
    pub(super) fn writes(&self) -> bool {
        matches!(
            self,
            Purpose::Export(..) | Purpose::SaveChart(..) | Purpose::BackUpNow | Purpose::Print(..)
        )
    }

    /// The file that will be written for `path`: a name without an
    /// extension gets the one of what is saved.
    pub(super) fn file_to_write(&self, path: PathBuf) -> PathBuf {
        let extension = match self {
            Purpose::Export(_, format, _) => format.extension(),
            Purpose::SaveChart(..) => "png",
            Purpose::BackUpNow => "sqlite3",
            Purpose::Print(..) => "pdf",
            _ => return path,
        };
        match self {
            Purpose::Export(..) if Format::from_path(&path).is_some() => path,
            _ if path.extension().is_some() => path,
            _ => {
                let mut p = path.into_os_string();
                p.push(".");
                p.push(extension);
                PathBuf::from(p)
            }
        }
    }
}

/// Why a database file could not be opened, shown until the user chooses what to do.
pub(super) struct OpenProblem {
    path: PathBuf,
    message: String,
    /// The file is fine but may not be written: it can be opened read-only.
    read_only_possible: bool,
    /// There is no shop in it yet (missing or empty): one can be started there.
    create_possible: bool,
    /// Another program has the whole file for a while (a command-line import
    /// or demo): opening it again once that has finished works.
    retry_possible: bool,
    /// The newest backup that passes its check, with when it was taken.
    backup: Option<(PathBuf, String)>,
    /// The file is encrypted: what is typed as its passphrase.
    passphrase: Option<String>,
    /// The passphrase that opened the file before this problem (read-only, recover).
    key: Option<Passphrase>,
    /// The passphrase typed, while the shop is being opened with it.
    unlocking: Option<(Passphrase, Receiver<Result<Store, OpenError>>)>,
}

/// What the user chose in the "cannot open" window.
enum ProblemChoice {
    Unlock,
    ReadOnly,
    Create,
    Recover,
    Retry,
    Dismiss,
}

pub(super) struct PathPrompt {
    pub(super) purpose: Purpose,
    pub(super) path: String,
    pub(super) focus_pending: bool,
    /// The typed file exists: asking whether to replace it.
    pub(super) confirm_replace: Option<PathBuf>,
}

/// Opens the encrypted shop at `path` with `key` on a thread of its own:
/// deriving the key takes a fraction of a second on purpose, and the window
/// goes on drawing meanwhile. The answer comes on the returned channel.
fn unlock_in_background(
    ctx: &egui::Context,
    path: PathBuf,
    key: Passphrase,
) -> Receiver<Result<Store, OpenError>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("shopkeeper-unlock".into())
        .spawn({
            let tx = tx.clone();
            let path = path.clone();
            move || {
                // The receiver is gone only if the window closed meanwhile.
                let _ = tx.send(Store::open_keyed(&path, Mode::Existing, Some(&key)));
                ctx.request_repaint();
            }
        });
    if let Err(e) = spawned {
        let _ = tx.send(Err(OpenError::Io {
            path,
            detail: format!("could not start opening it: {e}"),
        }));
    }
    rx
}

impl App {
    pub(super) fn path_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(prompt) = &mut self.path_prompt else {
            return;
        };
        let mut done: Option<bool> = None;
        let mut replace = false;
        let title = match &prompt.purpose {
            Purpose::NewDatabase => "New database: where should it go?",
            Purpose::OpenDatabase => "Open database: which file?",
            Purpose::Export(..) => "Export report: save it where?",
            Purpose::SaveChart(..) => "Save chart: where?",
            Purpose::Import(..) => "Import: which CSV file?",
            Purpose::BackUpNow => "Back up now: save the copy where?",
            Purpose::Print(..) => "Save as PDF: where?",
        };
        crate::ui::widgets::form::modal(egui::Id::unique("path_prompt")).show(ctx, |ui| {
            ui.set_width(520.0);
            ui.heading(title);
            if let Some(existing) = &prompt.confirm_replace {
                ui.label(format!(
                    "{} already exists. Replace it? What it holds now will be lost.",
                    existing.display()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Replace it").clicked() {
                        replace = true;
                        done = Some(true);
                    }
                    if ui.button("Choose another name").clicked() {
                        prompt.confirm_replace = None;
                        prompt.focus_pending = true;
                    }
                });
                return;
            }
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
                let path = PathBuf::from(prompt.path.trim());
                if !replace && prompt.purpose.writes() {
                    let file = prompt.purpose.file_to_write(path.clone());
                    // Only an ordinary file (or a link to one) can be replaced;
                    // anything else is refused with its reason when written.
                    if std::fs::metadata(&file).is_ok_and(|m| m.is_file()) {
                        prompt.confirm_replace = Some(file);
                        return;
                    }
                }
                if let Some(p) = self.path_prompt.take() {
                    let replace = if replace {
                        Replace::Allowed
                    } else {
                        Replace::Never
                    };
                    self.fulfil(p.purpose, path, replace);
                }
            }
            Some(false) => self.path_prompt = None,
            None => {}
        }
    }

    /// Explains why `path` could not be opened and offers what can be done:
    /// open it read-only, restore its newest good backup, or open or create
    /// another database. Nothing is written to the file.
    pub fn cannot_open(&mut self, path: PathBuf, error: &OpenError) {
        let locked = matches!(
            error,
            OpenError::Locked { .. } | OpenError::WrongPassphrase { .. }
        );
        let busy = matches!(error, OpenError::Busy { .. });
        // The backups of an encrypted shop cannot be read without its
        // passphrase; a busy shop is whole, and needs none.
        let backup = if locked || busy {
            None
        } else {
            store::backup::newest_good(&path, None)
                .map(|b| (b.path, b.taken.format("%Y-%m-%d %H:%M").to_string()))
        };
        let message = match error {
            OpenError::Locked { path } => format!(
                "{} is encrypted. Type its passphrase to open it.",
                path.display()
            ),
            // Not an error in the window: a new shop is one click away (the
            // command line's message names commands instead).
            OpenError::Missing { path } => format!(
                "There is no database at {}. Start a new shop there, or open another (check the path if it was typed by mistake).",
                path.display()
            ),
            e => e.to_string(),
        };
        self.open_problem = Some(OpenProblem {
            passphrase: locked.then(String::new),
            key: None,
            unlocking: None,
            message,
            read_only_possible: matches!(error, OpenError::ReadOnly { .. }),
            create_possible: matches!(error, OpenError::Missing { .. } | OpenError::Empty { .. }),
            retry_possible: busy,
            backup,
            path,
        });
    }

    pub(super) fn open_problem_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let has_database = self.has_database();
        let Some(problem) = &mut self.open_problem else {
            return;
        };
        if let Some((_, opening)) = &problem.unlocking {
            let opened = match opening.try_recv() {
                Ok(opened) => opened,
                Err(TryRecvError::Empty) => {
                    crate::ui::widgets::form::modal(egui::Id::unique("open_problem")).show(
                        ctx,
                        |ui| {
                            ui.set_width(560.0);
                            ui.heading("This shop is encrypted");
                            ui.add_space(4.0);
                            ui.horizontal(|ui| {
                                ui.spinner();
                                ui.label("Unlocking…");
                            });
                        },
                    );
                    return;
                }
                Err(TryRecvError::Disconnected) => Err(OpenError::Io {
                    path: problem.path.clone(),
                    detail: "opening it stopped unexpectedly".into(),
                }),
            };
            if let Some(problem) = self.open_problem.take()
                && let Some((key, _)) = problem.unlocking
            {
                self.unlocked(problem.path, key, opened);
            }
            return;
        }
        let mut choice = None;
        crate::ui::widgets::form::modal(egui::Id::unique("open_problem")).show(ctx, |ui| {
            ui.set_width(560.0);
            if let Some(typed) = &mut problem.passphrase {
                ui.heading("This shop is encrypted");
                ui.add_space(4.0);
                ui.label(crate::ui::widgets::sentence(&problem.message));
                let label = ui.label("Passphrase").id;
                let field = ui
                    .add(egui::TextEdit::singleline(typed).password(true).desired_width(360.0))
                    .labelled_by(label);
                // Asked once, while nothing has the focus: asking on every
                // frame it lacks the focus kept the window repainting and
                // took every click and key from the dialog.
                if typed.is_empty() && ui.memory(|m| m.focused().is_none()) {
                    field.request_focus();
                }
                let entered = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                if (ui.add_enabled(!typed.is_empty(), egui::Button::new("Open")).clicked()
                    || entered)
                    && !typed.is_empty()
                {
                    choice = Some(ProblemChoice::Unlock);
                }
                // Said once (a wrong passphrase's message says it already).
                if !problem.message.contains("cannot be recovered") {
                    ui.weak(
                        "A forgotten passphrase cannot be recovered: nobody can open the shop without it.",
                    );
                }
                ui.add_space(8.0);
            } else if problem.create_possible {
                // A missing or empty file: nothing is wrong, there is no shop yet.
                ui.heading("No shop here yet");
                ui.add_space(4.0);
                ui.label(&problem.message);
                ui.weak("Nothing is written until you choose.");
                ui.add_space(8.0);
            } else {
                ui.heading("This database cannot be opened");
                ui.add_space(4.0);
                ui.colored_label(ui.visuals().error_fg_color, &problem.message);
                ui.label("Shopkeeper has not changed the file.");
                ui.add_space(8.0);
            }
            if problem.read_only_possible && ui.button("Open it read-only").clicked() {
                choice = Some(ProblemChoice::ReadOnly);
            }
            if problem.create_possible && ui.button("Start a new shop in this file").clicked() {
                choice = Some(ProblemChoice::Create);
            }
            if problem.retry_possible && ui.button("Try again").clicked() {
                choice = Some(ProblemChoice::Retry);
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
            ProblemChoice::Unlock => {
                let key = Passphrase::new(problem.passphrase.clone().unwrap_or_default());
                let opening = unlock_in_background(ctx, problem.path.clone(), key.clone());
                self.open_problem = Some(OpenProblem {
                    unlocking: Some((key, opening)),
                    ..problem
                });
            }
            ProblemChoice::Create => self.switch_to(problem.path, Mode::Create),
            ProblemChoice::Retry => {
                self.switch_to_keyed(problem.path, Mode::Existing, problem.key.as_ref());
            }
            ProblemChoice::ReadOnly => {
                match Store::open_read_only_keyed(&problem.path, problem.key.as_ref()) {
                    Ok(store) => {
                        self.store = store;
                        self.after_open();
                        self.info(format!(
                            "Opened {} read-only: you can look and export, not change anything.",
                            problem.path.display()
                        ));
                    }
                    Err(e) => self.cannot_open(problem.path, &e),
                }
            }
            ProblemChoice::Recover => {
                let at = chrono::Local::now().naive_local();
                match store::backup::recover(&problem.path, at, problem.key.as_ref()) {
                    Ok((used, aside)) => {
                        self.switch_to_keyed(problem.path, Mode::Existing, problem.key.as_ref());
                        self.info(format!(
                            "Restored the backup {}. The file that could not be opened is kept, unchanged, at {}.",
                            used.display(),
                            aside.display()
                        ));
                    }
                    Err(e) => {
                        let path = problem.path;
                        self.error(format!("The backup could not be restored: {e}"));
                        let key = problem.key.as_ref();
                        if let Err(open) = Store::open_keyed(&path, Mode::Existing, key).map(drop) {
                            self.cannot_open(path, &open);
                        }
                    }
                }
            }
        }
    }

    /// The shop opened (or not) with the passphrase typed.
    fn unlocked(&mut self, path: PathBuf, key: Passphrase, opened: Result<Store, OpenError>) {
        // The file was refused without a byte written; so is a wrong passphrase.
        match opened {
            Ok(store) => {
                self.store = store;
                self.after_open();
                self.info(format!("Opened {}", path.display()));
            }
            Err(e) => {
                self.cannot_open(path, &e);
                if let Some(p) = &mut self.open_problem
                    && p.passphrase.is_none()
                {
                    p.key = Some(key);
                    let key = p.key.as_ref();
                    p.backup = store::backup::newest_good(&p.path, key)
                        .map(|b| (b.path, b.taken.format("%Y-%m-%d %H:%M").to_string()));
                }
            }
        }
    }

    /// Before an invoice of a shop that never said who it is: set its
    /// name, address and tax number first, or write it anyway.
    pub(super) fn identity_prompt_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if self.identity_prompt.is_none() {
            return;
        }
        let mut answer = None;
        let mut cancel = false;
        let modal =
            crate::ui::widgets::form::modal(egui::Id::unique("identity_prompt")).show(ctx, |ui| {
                ui.set_width(440.0);
                ui.heading("Your shop's details are not on invoices yet");
                ui.add_space(6.0);
                ui.label(format!(
                    "An invoice names who sells: your shop's legal name, address and tax number, \
                 which File > Settings… > Shop identity holds. None are set, so it would name \
                 \"{}\" alone. An invoice keeps its number once written.",
                    self.settings.shop_name
                ));
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    if ui.button("Set up shop identity…").clicked() {
                        answer = Some(false);
                    }
                    if ui.button("Write it anyway").clicked() {
                        answer = Some(true);
                    }
                    if ui.button("Cancel").clicked() {
                        cancel = true;
                    }
                });
            });
        if cancel || modal.should_close() {
            self.identity_prompt = None;
        }
        match (answer, self.identity_prompt.take()) {
            (Some(true), Some(print)) => {
                self.identity_asked = true;
                commands.push(Command::Print(print));
            }
            (Some(false), Some(_)) => commands.push(Command::OpenShopIdentity),
            (None, print) => self.identity_prompt = print,
            _ => {}
        }
    }

    pub(super) fn welcome_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        if !self.welcome || self.open_problem.is_some() || !self.has_database() {
            return;
        }
        let mut done = false;
        crate::ui::widgets::form::modal(egui::Id::unique("welcome")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Welcome to Shopkeeper");
            ui.add_space(6.0);
            ui.label(
                "This shop is empty. Open a demo shop to look around with made-up customers and \
                 products (in a file of its own, beside this one), or start empty and add your own.",
            );
            ui.add_space(10.0);
            // How money and dates are written, chosen before anything is
            // priced (the decimals cannot change once prices are kept).
            let ways = &crate::domain::regional::REGIONALS;
            let way = &mut self.welcome_way;
            let label = ui.label("Money and dates are written as in").id;
            egui::ComboBox::from_id_salt("welcome_way")
                .selected_text(ways.get(*way).map_or("", |g| g.name))
                .width(ui.available_width())
                // Short enough to open below the box (or above it on a low
                // screen), scrolling: as tall as the whole list, it found no
                // room either side and opened at the window's top right.
                .height(260.0)
                .show_ui(ui, |ui| {
                    for (i, g) in ways.iter().enumerate() {
                        ui.selectable_value(way, i, g.name);
                    }
                })
                .response
                .labelled_by(label);
            if let Some(g) = ways.get(*way) {
                ui.weak(format!("{}  ·  File > Settings… changes it later", g.example()));
            }
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button("Open a demo shop").clicked() {
                    commands.push(Command::OpenDemoShop);
                    done = true;
                }
                if ui.button("Start empty").clicked() {
                    done = true;
                }
            });
        });
        if done {
            self.welcome = false;
            // The shop is empty: no price is kept, so its decimals may change.
            let mut settings = self.settings.clone();
            if let Some(g) = crate::domain::regional::REGIONALS.get(self.welcome_way) {
                g.apply(&mut settings, true);
                // Where the shop is: its customers' country to start with,
                // and its paper (a US tryout found its invoices set to A4).
                if settings.country.trim().is_empty() {
                    settings.country = g.country(&self.locale).to_owned();
                }
            }
            let letter = crate::domain::regional::uses_letter(&settings.country);
            let changed = settings != self.settings;
            match self.store.write(|tx| {
                if changed {
                    store::settings::save(tx, &settings)?;
                }
                if letter {
                    let mut identity = store::invoices::identity(tx)?;
                    identity.paper = crate::domain::invoice::Paper::Letter;
                    store::invoices::save_identity(tx, &identity)?;
                }
                store::settings::set_flag(tx, "welcome_done", true)
            }) {
                Ok(()) => {
                    self.settings = settings;
                    if changed {
                        commands.push(Command::DataChanged);
                    }
                }
                Err(e) => self.error(format!("Could not save that choice: {e}")),
            }
        }
    }

    /// Quit (File > Quit, Ctrl+Q): closes the window, or first asks when a
    /// form holds what was typed.
    /// Locks an encrypted shop (File > Lock, Ctrl+L, or a quarter of an
    /// hour untouched): the window lets go of the file, of every list and
    /// detail read from it and of the messages (they name orders and
    /// customers), and asks for the passphrase again, as when it opens.
    /// A French tryout's shop on a family laptop stayed open to anyone.
    /// Not while a form holds what was typed, nor while a task runs.
    pub(super) fn lock(&mut self) {
        if !self.store.encrypted() {
            return;
        }
        if self.job.is_some() || self.import.as_ref().is_some_and(|i| i.busy()) {
            self.error("Wait for the running task to finish, then lock the shop.");
            return;
        }
        if let Some(what) = self.unsaved_form() {
            // Asked first (`lock_guard_ui`): a tryout's Ctrl+L over an open
            // form left every customer on screen with a red message.
            self.locking_unsaved = Some(what);
            return;
        }
        self.lock_now();
    }

    /// Lock without saving? (Lock asked for over a form holding what was typed.)
    pub(super) fn lock_guard_ui(&mut self, ctx: &egui::Context) {
        let Some(what) = self.locking_unsaved else {
            return;
        };
        match crate::ui::widgets::form::confirm(
            ctx,
            "lock_unsaved",
            "Lock without saving?",
            &format!(
                "What you typed into {what} has not been saved and will be lost when the shop locks."
            ),
            "Lock anyway",
            "Keep editing",
        ) {
            Some(true) => {
                self.locking_unsaved = None;
                self.lock_now();
            }
            Some(false) => self.locking_unsaved = None,
            None => {}
        }
    }

    /// Locks at once: see `lock`.
    fn lock_now(&mut self) {
        let stand_in = match Store::open_in_memory() {
            Ok(s) => s,
            Err(e) => {
                self.error(format!("The shop could not be locked: {e}"));
                return;
            }
        };
        let path = self.store.path().to_path_buf();
        self.settings_form = None;
        self.import = None;
        self.backups = None;
        self.store = stand_in;
        self.panels = super::all_panels();
        self.panels_built();
        self.generation += 1;
        self.notices.clear();
        self.messages.clear();
        self.cannot_open(path.clone(), &OpenError::Locked { path: path.clone() });
        // Said as a lock, not as an opening (they had read the same).
        if let Some(problem) = &mut self.open_problem {
            problem.message = format!(
                "The shop was locked, and nothing of it is shown. Type its passphrase to open {} again.",
                path.display()
            );
        }
    }

    pub(super) fn quit(&mut self, ctx: &egui::Context) {
        if !self.asks_before_closing() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Escape closes an open list (a combo box's, a menu) and egui drops the
    /// keyboard focus with it: the next Tab then started again at the
    /// dialog's first field, and a keyboard tryout typed a stock into a
    /// product's name. The focus goes back to where it was (the combo box).
    pub(super) fn keep_focus_on_escape(&mut self, ctx: &egui::Context) {
        if let Some(id) = self.focus_under_popup.take()
            && ctx.input(|i| i.key_pressed(egui::Key::Escape))
            && ctx.memory(|m| m.focused().is_none())
        {
            ctx.memory_mut(|m| m.request_focus(id));
        }
    }

    /// Notes the widget holding the keyboard focus at the end of a frame.
    pub(super) fn note_focus(&mut self, ctx: &egui::Context) {
        let Some(id) = self.focus_seen(ctx) else {
            return;
        };
        // Reading a focused widget's response in a frame with a click lets
        // go of its focus when it is not under the pointer (egui's "clicked
        // elsewhere"): the field a dialog had just focused lost it.
        let pressed = ctx.input(|i| i.pointer.any_pressed() || i.pointer.any_click());
        if pressed
            || self
                .focus_history
                .last()
                .is_some_and(|(last, _)| *last == id)
        {
            return;
        }
        let Some(layer) = ctx.read_response(id).map(|r| r.layer_id) else {
            return;
        };
        self.focus_history.push((id, layer));
        if self.focus_history.len() > FOCUS_HISTORY {
            self.focus_history.remove(0);
        }
    }

    /// The widget with the focus now; when the focus went since it was last
    /// looked at, notes whether it was taken (its widget gone with its
    /// window, covered by a modal one, or Escape pressed in a dialog) or
    /// let go of.
    fn focus_seen(&mut self, ctx: &egui::Context) -> Option<egui::Id> {
        let focused = ctx.memory(|m| m.focused());
        if focused.is_some() {
            self.focus_taken = false;
        } else if self.had_focus
            && let Some(&(last, layer)) = self.focus_history.last()
        {
            let covered = !ctx.memory(|m| m.is_above_modal_layer(layer));
            let gone = layer.order != egui::Order::Background && ctx.read_response(last).is_none();
            // Escape in a dialog's field is the dialog's (it closes, or
            // asks first), though egui lets go of the field's focus.
            let escape = ctx.input(|i| i.key_pressed(egui::Key::Escape))
                && ctx.memory(|m| m.top_modal_layer().is_some());
            self.focus_taken = gone || covered || escape;
        }
        self.had_focus = focused.is_some();
        focused
    }

    /// A dialog or question takes the keyboard focus (egui drops the focus
    /// of a widget behind a modal window, or no longer drawn) and did not
    /// give it back: the next Tab started again at the File menu, and a
    /// keyboard tryout lost its place after every dialog. Once nothing
    /// covers it, the focus goes back to the newest widget that had it and
    /// is still drawn: the button or field the dialog was opened from, or a
    /// dialog's own field under a question it asked. The focus let go of (a
    /// click beside a field, Escape in a field, another panel chosen) stays
    /// nowhere, as egui leaves it.
    pub(super) fn return_focus(&mut self, ctx: &egui::Context) {
        if self.focus_seen(ctx).is_some() || !self.focus_taken {
            return;
        }
        while let Some(&(id, layer)) = self.focus_history.last() {
            if ctx.read_response(id).is_none() {
                self.focus_history.pop();
                continue;
            }
            // Still under a dialog: it waits until that closes.
            if ctx.memory(|m| m.is_above_modal_layer(layer)) {
                ctx.memory_mut(|m| m.request_focus(id));
                self.focus_taken = false;
            }
            return;
        }
        self.focus_taken = false;
    }

    /// Whether closing writes a backup (a shop holding anything, not yet
    /// backed up on this close).
    pub(super) fn backup_on_close_due(&self) -> bool {
        !self.backed_up_on_close && self.has_database() && self.counts != Default::default()
    }

    /// The backup written when the window closes.
    pub(super) fn back_up_on_close(&self) -> Result<(), crate::store::StoreError> {
        crate::store::backup::automatic(&self.store, chrono::Local::now().naive_local()).map(drop)
    }

    /// The backup on closing, said first: a big shop's takes seconds, and
    /// the window had stood still until it went (a tryout on a 1M-order
    /// shop thought Quit had failed). The note is shown, the copy written
    /// in the frame after, then the window closes. A failed backup is
    /// said, and the window stays until closed again.
    fn closing_backup_ui(&mut self, ctx: &egui::Context) {
        let Some(asked) = self.closing_backup else {
            return;
        };
        let folder = crate::store::backup::folder(self.store.path());
        crate::ui::widgets::form::modal(egui::Id::unique("closing_backup")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading("Backing up before closing…");
            ui.label(format!(
                "A copy of the shop goes to {}; the window closes once it is written.",
                folder.display()
            ));
            ui.spinner();
        });
        // Its first frame only sizes it (egui draws a new window unseen),
        // then it fades in: once it is whole, that frame stays on screen
        // while the copy is written (written sooner, it stood half faded).
        let (frame, now) = (ctx.cumulative_frame_nr(), ctx.input(|i| i.time));
        let shown = *self.closing_backup_shown.get_or_insert(now);
        if frame <= asked + 1 || now - shown < 2.0 * f64::from(ctx.global_style().animation_time) {
            ctx.request_repaint();
            return;
        }
        self.closing_backup = None;
        self.closing_backup_shown = None;
        self.backed_up_on_close = true;
        match self.back_up_on_close() {
            Ok(()) => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Err(e) => self.error(format!(
                "The backup on closing could not be written ({e}). Close the window again to quit without it."
            )),
        }
    }

    /// Whether a form holds what was typed: then the question is asked.
    /// The form holding what was typed and not saved ("the new order",
    /// "Settings"), which closing or locking would lose; None when none.
    pub(super) fn unsaved_form(&self) -> Option<&'static str> {
        self.panels.iter().find_map(|p| p.unsaved()).or_else(|| {
            self.settings_form
                .as_ref()
                .is_some_and(|f| f.unsaved())
                .then_some("Settings")
        })
    }

    fn asks_before_closing(&mut self) -> bool {
        let unsaved = self.unsaved_form();
        if unsaved.is_some() {
            self.closing_unsaved = unsaved;
        }
        unsaved.is_some()
    }

    /// Closing the window (its close button, Quit, the system's shortcut)
    /// while a form holds what was typed asks first, as Escape in the form
    /// does: a tryout lost an order it was typing by quitting.
    pub(super) fn close_guard_ui(&mut self, ctx: &egui::Context) {
        let requested = ctx.input(|i| i.viewport().close_requested());
        if requested && !self.close_anyway && self.asks_before_closing() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        } else if requested && self.closing_backup.is_none() && self.backup_on_close_due() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.closing_backup = Some(ctx.cumulative_frame_nr());
        }
        self.closing_backup_ui(ctx);
        let Some(what) = self.closing_unsaved else {
            return;
        };
        match crate::ui::widgets::form::confirm(
            ctx,
            "close_unsaved",
            "Quit without saving?",
            &format!("What you typed into {what} has not been saved and will be lost."),
            "Quit anyway",
            "Keep editing",
        ) {
            Some(true) => {
                self.closing_unsaved = None;
                self.close_anyway = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Some(false) => self.closing_unsaved = None,
            None => {}
        }
    }
}

/// How many widgets that held the focus are remembered.
const FOCUS_HISTORY: usize = 16;
