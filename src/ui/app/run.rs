//! Carrying out the commands panels and menus sent during the frame: file
//! dialogs (or our own path box when none can open), opening databases,
//! exports, imports, backups and panel-to-panel navigation.

use std::path::PathBuf;

use super::App;
use super::commands::Command;
use super::modals::{PathPrompt, Purpose};
use crate::domain::ReportSpec;
use crate::export::Format;
use crate::files::Replace;
use crate::store::{self, Mode, Passphrase, Store};
use crate::ui::backups::BackupsDialog;
use crate::ui::dialogs::{Ask, DialogOutcome, Filter};
use crate::ui::import::ImportDialog;
use crate::ui::settings::SettingsForm;

impl App {
    pub(super) fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::DataChanged => {
                self.generation += 1;
                self.refresh_counts();
            }
            Command::Info(text) => self.info(text),
            Command::Open(target) => {
                for view in &mut self.panels {
                    if view.open(&target) {
                        self.panel = view.id();
                        break;
                    }
                }
            }
            Command::Error(text) => self.error(text),
            Command::OpenSettings => self.open_settings(),
            Command::OpenShopIdentity => {
                self.open_settings();
                self.settings_form = self.settings_form.take().map(|f| f.on_identity());
            }
            Command::NewDatabase => {
                let filters: &[(&str, &[&str])] = &[("Shopkeeper database", &["sqlite3"])];
                self.save_dialog(
                    "New database",
                    filters,
                    Purpose::NewDatabase,
                    "shop.sqlite3",
                );
            }
            Command::OpenDatabase => {
                let filters: &[(&str, &[&str])] =
                    &[("Shopkeeper database", &["sqlite3", "sqlite", "db"])];
                self.open_dialog(
                    "Open database",
                    filters,
                    Purpose::OpenDatabase,
                    "shop.sqlite3",
                );
            }
            Command::Import(kind) => {
                if self.job.is_some() || self.import.as_ref().is_some_and(ImportDialog::busy) {
                    self.error("A task is already running; wait for it to finish, then import.");
                    return;
                }
                let filters: &[(&str, &[&str])] = &[("CSV file", &["csv", "txt"])];
                let title = format!("Import {}", kind.name());
                let suggested = format!("{}.csv", kind.name());
                self.open_dialog(&title, filters, Purpose::Import(kind), &suggested);
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
                self.save_dialog("Back up now", filters, Purpose::BackUpNow, &name);
            }
            Command::Backups => {
                if self.on_file("Backups") {
                    let key = self.store.location().key;
                    self.backups = Some(BackupsDialog::open(self.store.path(), key.as_ref()));
                }
            }
            Command::SaveChart {
                name,
                width,
                height,
                rgba,
            } => {
                let filters: &[(&str, &[&str])] = &[("PNG image", &["png"])];
                let purpose = Purpose::SaveChart(width, height, rgba);
                self.save_dialog("Save chart", filters, purpose, &name);
            }
            Command::Export(spec, format) => {
                let csv = crate::export::CsvOptions::for_format(self.settings.local_format());
                self.export(spec, format, csv);
            }
            Command::ExportCsv(spec, csv) => self.export(spec, Format::Csv, csv),
            Command::Print(print) => {
                // Invoices name the seller: a shop that never said who it
                // is is asked first (once a session), as a number once
                // given stays on an invoice without them.
                if print.which == crate::jobs::documents::Which::Invoice
                    && !self.identity_asked
                    && store::invoices::identity(self.store.conn()).is_ok_and(|i| {
                        i.legal_name.trim().is_empty() && i.address.trim().is_empty()
                    })
                {
                    self.identity_prompt = Some(print);
                    return;
                }
                let filters: &[(&str, &[&str])] = &[("PDF document", &["pdf"])];
                let name = print.name.clone();
                self.save_dialog("Save as PDF", filters, Purpose::Print(print), &name);
            }
            Command::OpenDemoShop => self.open_demo_shop(),
            Command::Undo => self.undo(),
            Command::Quit => self.quit(ctx),
            Command::Lock => self.lock(),
        }
    }

    /// The Settings dialog, on its first page.
    fn open_settings(&mut self) {
        // Decimals may change only while no amount is stored; when that
        // cannot be read, they stay as they are.
        let locked = match store::settings::amounts_exist(self.store.conn()) {
            Ok(locked) => locked,
            Err(e) => {
                self.error(format!(
                        "Could not tell whether the shop holds amounts, so the currency's decimals stay as they are: {e}"
                    ));
                true
            }
        };
        let loose = self.store.open_to_others().len();
        let tax = crate::ui::settings::TaxSection::load(self.store.conn());
        let mut form = SettingsForm::new(&self.settings, locked)
            .with_security(self.store.encrypted(), loose)
            .with_tax(tax);
        let conn = self.store.conn();
        if let (Ok(identity), Ok(next)) = (
            store::invoices::identity(conn),
            store::invoices::next_seq(conn, store::invoices::Kind::Invoice),
        ) {
            let has_logo = matches!(store::invoices::logo(conn), Ok(Some(_)));
            form.identity = Some(crate::ui::shop_identity::IdentityForm::new(
                identity, next, has_logo,
            ));
        }
        self.settings_form = Some(form);
    }

    /// Asks where to save a report, then writes it in the background.
    fn export(&mut self, spec: ReportSpec, format: Format, csv: crate::export::CsvOptions) {
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
        self.save_dialog(
            "Export report",
            filters,
            Purpose::Export(spec, format, csv),
            &name,
        );
    }

    /// Asks where to save the file `purpose` writes, in the folder last used
    /// for its kind, offering `name`.
    fn save_dialog(&mut self, title: &str, filters: &[Filter], purpose: Purpose, name: &str) {
        let folder = self.folders.get(purpose.folder());
        let ask = Ask {
            title,
            filters,
            folder,
        };
        let outcome = self.dialogs.save_file(ask, name);
        self.picked(outcome, purpose, name);
    }

    /// Asks which file to open for `purpose`, in the folder last used for its kind.
    fn open_dialog(&mut self, title: &str, filters: &[Filter], purpose: Purpose, name: &str) {
        let folder = self.folders.get(purpose.folder());
        let ask = Ask {
            title,
            filters,
            folder,
        };
        let outcome = self.dialogs.open_file(ask);
        self.picked(outcome, purpose, name);
    }

    /// Acts on what a file dialog answered; opens our own prompt when there was no dialog.
    pub(super) fn picked(&mut self, outcome: DialogOutcome, purpose: Purpose, suggested: &str) {
        match outcome {
            DialogOutcome::Picked(path) => {
                // The system's save dialog asks before replacing the file it
                // named; a file only reached by adding an extension is asked about here.
                let file = purpose.file_to_write(path.clone());
                if file != path
                    && purpose.writes()
                    && std::fs::metadata(&file).is_ok_and(|m| m.is_file())
                {
                    self.path_prompt = Some(PathPrompt {
                        purpose,
                        path: file.display().to_string(),
                        focus_pending: false,
                        confirm_replace: Some(file),
                    });
                } else {
                    self.fulfil(purpose, path, Replace::Allowed);
                }
            }
            DialogOutcome::Cancelled => {}
            DialogOutcome::Unavailable => {
                let dir = match self.folders.get(purpose.folder()) {
                    Some(dir) => dir.to_path_buf(),
                    None => directories::UserDirs::new()
                        .and_then(|u| {
                            u.document_dir()
                                .map(|d| d.to_path_buf())
                                .or_else(|| Some(u.home_dir().to_path_buf()))
                        })
                        .unwrap_or_default(),
                };
                self.path_prompt = Some(PathPrompt {
                    purpose,
                    path: dir.join(suggested).display().to_string(),
                    focus_pending: true,
                    confirm_replace: None,
                });
            }
        }
    }

    /// Carries out `purpose` on the chosen `path`; a file to be written
    /// replaces an existing one only when `replace` allows it.
    pub(super) fn fulfil(&mut self, purpose: Purpose, path: PathBuf, replace: Replace) {
        let path = purpose.file_to_write(path);
        self.folders.used(purpose.folder(), &path);
        match purpose {
            Purpose::NewDatabase => {
                if path.exists() {
                    self.error(format!(
                        "{} already exists. To use it, choose File > Open database; to start afresh, pick a new name.",
                        path.display()
                    ));
                } else {
                    self.switch_to(path, Mode::Create);
                }
            }
            Purpose::OpenDatabase => self.switch_to(path, Mode::Existing),
            Purpose::Export(spec, format, csv) => {
                self.start_export(spec, format, csv, path, replace)
            }
            Purpose::BackUpNow => {
                self.start_job("Backing up", move |store, _| {
                    store::backup::write_checked_to(store, &path, replace)
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
                    &self.store,
                    self.egui_ctx.clone(),
                ));
            }
            Purpose::Print(print) => {
                let name = match print.which {
                    crate::jobs::documents::Which::Invoice => "Writing invoices",
                    crate::jobs::documents::Which::PackingSlip => "Writing packing slips",
                };
                let last = self.last_document.clone();
                self.start_job(name, move |store, progress| {
                    let done =
                        crate::jobs::documents::print(store, progress, &print, &path, replace);
                    if done.is_ok()
                        && let Ok(mut l) = last.lock()
                    {
                        *l = Some(path.clone());
                    }
                    done
                });
            }
            Purpose::SaveChart(width, height, rgba) => {
                match crate::export::write_png(&path, width, height, rgba, replace) {
                    Ok(()) => self.info(format!("Saved the chart to {}.", path.display())),
                    Err(e) => self.error(format!("The chart could not be saved: {e}")),
                }
            }
        }
    }

    /// Whether the database is a file (backups and imports need one); says why not.
    pub(super) fn on_file(&mut self, what: &str) -> bool {
        if self.store.path() == std::path::Path::new(":memory:") {
            self.error(format!("{what} needs a database file."));
            return false;
        }
        true
    }

    /// Opens the database at `path` in place of the current one (creating
    /// it only in `Mode::Create`); explains what is wrong if it cannot.
    pub(super) fn switch_to(&mut self, path: PathBuf, mode: Mode) {
        self.switch_to_keyed(path, mode, None);
    }

    /// `switch_to` with the passphrase of an encrypted shop.
    pub(super) fn switch_to_keyed(&mut self, path: PathBuf, mode: Mode, key: Option<&Passphrase>) {
        if self.job.is_some() || self.import.as_ref().is_some_and(ImportDialog::busy) {
            self.error("Wait for the running task to finish before opening another database.");
            return;
        }
        match Store::open_keyed(&path, mode, key) {
            Ok(store) => {
                self.store = store;
                self.after_open();
                self.info(format!("Opened {}", path.display()));
            }
            Err(e) => self.cannot_open(path, &e),
        }
    }
}
