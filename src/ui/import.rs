//! File > Import…: a look at the file's first rows with, above each column,
//! which of ours it feeds (a choice per column, guessed from its name or
//! remembered from the last file with the same header), a check of every
//! row in the background (the list of problems, if any), then the import
//! itself as a background job with progress and Cancel. Nothing is written
//! until the user says Import, and then all or nothing.

use std::path::PathBuf;

use egui::RichText;

use crate::import::columns::{self, Fields, IGNORE};
use crate::import::{
    self, ImportError, ImportKind, ImportOptions, ImportSummary, Mapping, Preview,
};
use crate::jobs::Job;
use crate::ui::widgets::count;

type Checked = Result<ImportSummary, ImportError>;

/// Where the dialog is.
enum Stage {
    /// The columns do not fit (or the file cannot be read): nothing to check.
    Refused(String),
    /// Checking every row without writing.
    Checking(Job<Checked>),
    /// Checked: ready, or the problems found.
    Checked(Checked),
    /// Writing.
    Importing(Job<Checked>),
}

/// What the dialog asks the app to do.
pub enum ImportAction {
    /// Closed; `Some(message)` after a finished import (the data changed).
    Close(Option<String>),
}

pub struct ImportDialog {
    kind: ImportKind,
    path: PathBuf,
    db: crate::store::Location,
    preview: Result<Preview, String>,
    /// For each of the file's columns, the column of ours it feeds.
    fields: Fields,
    history: bool,
    stage: Stage,
    wake: Option<egui::Context>,
}

impl ImportDialog {
    /// Opens the dialog on `path` and starts checking it.
    /// Opens the dialog on `path` and starts checking it, with the columns
    /// chosen for the last file of the same header that `store` imported.
    pub fn open(
        kind: ImportKind,
        path: PathBuf,
        store: &crate::store::Store,
        wake: Option<egui::Context>,
    ) -> Self {
        let mut dialog = ImportDialog {
            kind,
            path,
            db: store.location(),
            // Read by `check`, which also runs again after the file was fixed.
            preview: Err(String::new()),
            fields: Vec::new(),
            history: false,
            stage: Stage::Refused(String::new()),
            wake,
        };
        dialog.read();
        if let Ok(p) = &dialog.preview
            && let Ok(Some(fields)) = import::remembered(store.conn(), kind, &p.headers)
        {
            dialog.fields = fields;
        }
        dialog.check_rows();
        dialog
    }

    fn options(&self, dry_run: bool) -> ImportOptions {
        ImportOptions {
            history: self.history,
            dry_run,
        }
    }

    fn spawn(&self, name: &str, options: ImportOptions) -> Job<Checked> {
        let (kind, path, fields) = (self.kind, self.path.clone(), self.fields.clone());
        let wake = self.wake.clone();
        Job::spawn(
            name,
            self.db.clone(),
            move || {
                if let Some(c) = &wake {
                    c.request_repaint();
                }
            },
            move |store, progress| {
                Ok(import::run_mapped(
                    store,
                    kind,
                    &path,
                    options,
                    import::Columns::Chosen(&fields),
                    &mut |done, total| {
                        progress.set(done, total);
                        !progress.cancelled()
                    },
                ))
            },
        )
    }

    /// Reads the file's first rows; a header other than before gets its
    /// columns guessed from their names.
    fn read(&mut self) {
        let before = self.preview.as_ref().ok().map(|p| p.headers.clone());
        self.preview = import::preview(&self.path, self.kind, 8).map_err(|e| e.to_string());
        if let Ok(p) = &self.preview
            && before.as_ref() != Some(&p.headers)
        {
            self.fields = columns::guess(self.kind, &p.headers);
        }
    }

    /// Reads the file again and checks every row, writing nothing.
    fn check(&mut self) {
        self.read();
        self.check_rows();
    }

    /// Checks every row with the columns as chosen, writing nothing.
    fn check_rows(&mut self) {
        let refused = match &self.preview {
            Err(e) => Some(e.clone()),
            // A platform's export is read as it is, whatever the choices say.
            Ok(p) if p.layout.is_some() => None,
            Ok(p) => Mapping::from_fields(self.kind, &p.headers, &self.fields)
                .err()
                .map(|e| e.to_string()),
        };
        self.stage = match refused {
            Some(why) => Stage::Refused(why),
            None => Stage::Checking(self.spawn("Checking the file", self.options(true))),
        };
    }

    fn start_import(&mut self) {
        self.stage = Stage::Importing(self.spawn("Importing", self.options(false)));
    }

    /// A task is running (the app waits before opening another database).
    pub fn busy(&self) -> bool {
        matches!(self.stage, Stage::Checking(_) | Stage::Importing(_))
    }

    fn poll(&mut self) -> Option<ImportAction> {
        let (job, writing) = match &self.stage {
            Stage::Checking(job) => (job, false),
            Stage::Importing(job) => (job, true),
            _ => return None,
        };
        let outcome = job.poll()?;
        let checked = match outcome {
            Ok(checked) => checked,
            Err(message) => Err(ImportError::Store(crate::store::StoreError::Refused(
                message,
            ))),
        };
        if writing && let Ok(summary) = &checked {
            return Some(ImportAction::Close(Some(summary.message())));
        }
        self.stage = Stage::Checked(checked);
        None
    }

    pub fn ui(&mut self, ctx: &egui::Context) -> Option<ImportAction> {
        if let Some(action) = self.poll() {
            return Some(action);
        }
        let mut action = None;
        let mut recheck = false;
        let mut remap = false;
        let mut import_now = false;
        crate::ui::widgets::form::form_modal("import_dialog").show(ctx, |ui| {
            // As wide as the window allows (a file's many columns), and its
            // lists as tall as it leaves: at 1024x600 a list of 27 problems
            // put the title and the buttons out of the window.
            let screen = ui.ctx().content_rect().size();
            ui.set_width((screen.x - 80.0).clamp(560.0, 1100.0));
            ui.heading(format!("Import {}", self.kind.name()));
            ui.label(
                RichText::new(self.path.display().to_string())
                    .small()
                    .weak(),
            );
            // A platform's export is named, and imported as it is.
            let layout = self.preview.as_ref().ok().and_then(|p| p.layout);
            if let Some(layout) = layout {
                ui.label(RichText::new(format!("Recognised as a {layout}")).strong());
            }
            ui.add_space(6.0);
            if self.preview_ui(ui) && !self.busy() {
                remap = true;
            }
            ui.add_space(6.0);
            if self.kind == ImportKind::Orders && layout.is_none() {
                let before = self.history;
                ui.add_enabled(
                    !self.busy(),
                    egui::Checkbox::new(
                        &mut self.history,
                        "Past orders: record them without taking stock",
                    ),
                )
                .on_hover_text(
                    "For order history from before you used Shopkeeper: the orders count in \
                     reports and trends, but product stock stays as it is.",
                );
                if before != self.history {
                    recheck = true;
                }
            }
            ui.separator();
            self.stage_ui(ui);
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                // Checked, and something to write: a later export whose orders
                // are all here already imports nothing (the button had stayed).
                let (ready, why) = match &self.stage {
                    Stage::Checked(Ok(s)) if s.rows == 0 && s.orders == 0 => {
                        (false, "Nothing in the file is new to this shop")
                    }
                    Stage::Checked(Ok(_)) => (true, ""),
                    _ => (false, "The file must be checked and have no problems first"),
                };
                if ui
                    .add_enabled(ready, egui::Button::new("Import"))
                    .on_disabled_hover_text(why)
                    .clicked()
                {
                    import_now = true;
                }
                if ui
                    .add_enabled(!self.busy(), egui::Button::new("Check again"))
                    .on_hover_text("Read the file again, for example after fixing it")
                    .clicked()
                {
                    recheck = true;
                }
                match &self.stage {
                    Stage::Checking(job) | Stage::Importing(job) => {
                        if ui.button("Cancel").clicked() {
                            job.progress.cancel();
                        }
                    }
                    _ => {
                        if ui.button("Close").clicked() {
                            action = Some(ImportAction::Close(None));
                        }
                    }
                }
            });
        });
        if recheck {
            self.check();
        } else if remap {
            self.check_rows();
        } else if import_now {
            self.start_import();
        }
        action
    }

    /// The first rows, with a choice above each column; true when a choice changed.
    fn preview_ui(&mut self, ui: &mut egui::Ui) -> bool {
        let mut changed = false;
        let (kind, busy) = (self.kind, self.busy());
        let fields = &mut self.fields;
        let preview = match &self.preview {
            Ok(p) => p,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return false;
            }
        };
        // A platform's export is read as it is: no choices to make.
        let platform = preview.layout.is_some();
        if platform {
            ui.label(format!(
                "First rows, separated by \"{}\":",
                preview.delimiter
            ));
        } else {
            ui.label(format!(
                "First rows, separated by \"{}\". Under each column's name, choose which of \
                 Shopkeeper's columns it fills, or ignore it:",
                preview.delimiter
            ));
        }
        // Solid scroll bars, beside the rows: a floating one lay over the
        // only row of a one-order file (a German tryout).
        ui.scope(|ui| {
            ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
            egui::ScrollArea::both()
                .id_salt("import_preview")
                .max_height(list_height(ui))
                .show(ui, |ui| {
                    // Column names stay on one line; the area scrolls sideways instead.
                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                    egui::Grid::new("import_preview_grid")
                        .striped(true)
                        .spacing([12.0, 4.0])
                        .show(ui, |ui| {
                            ui.label(RichText::new("line").weak());
                            for (i, header) in preview.headers.iter().enumerate() {
                                let Some(field) = fields.get_mut(i) else {
                                    continue;
                                };
                                ui.vertical(|ui| {
                                    let label = ui.label(RichText::new(header).strong()).id;
                                    if platform {
                                        return;
                                    }
                                    ui.add_enabled_ui(!busy, |ui| {
                                        changed |= column_choice(ui, kind, i, field, label);
                                    });
                                });
                            }
                            ui.end_row();
                            for (line, fields) in &preview.rows {
                                ui.label(RichText::new(line.to_string()).weak());
                                for f in fields {
                                    let short: String = f.chars().take(40).collect();
                                    ui.label(short);
                                }
                                ui.end_row();
                            }
                        });
                });
        });
        if preview.layout.is_some() {
            // At the body's size: what becomes of the platform's rows (a
            // tryout found them in very small type).
            for note in &preview.notes {
                ui.label(note);
            }
            return false;
        }
        let columns: Vec<String> = self
            .kind
            .columns()
            .iter()
            .map(|(c, required)| {
                if *required {
                    format!("{c}*")
                } else {
                    (*c).to_owned()
                }
            })
            .collect();
        ui.label(
            RichText::new(format!(
                "Columns Shopkeeper knows (* required): {}",
                columns.join(", ")
            ))
            .small()
            .weak(),
        );
        changed
    }

    fn stage_ui(&self, ui: &mut egui::Ui) {
        let error = ui.visuals().error_fg_color;
        match &self.stage {
            Stage::Refused(why) => {
                ui.colored_label(error, why);
            }
            Stage::Checking(job) | Stage::Importing(job) => {
                ui.horizontal(|ui| {
                    ui.label(&job.name);
                    ui.add(
                        egui::ProgressBar::new(job.progress.fraction())
                            .desired_width(320.0)
                            .show_percentage(),
                    );
                });
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100));
            }
            Stage::Checked(Ok(summary)) => {
                let (what, n) = match summary.kind {
                    ImportKind::Orders => (
                        format!(
                            "{} from {}",
                            count(summary.orders as i64, "order", "orders"),
                            count(summary.rows as i64, "row", "rows")
                        ),
                        summary.orders,
                    ),
                    ImportKind::Customers => (
                        count(summary.rows as i64, "customer", "customers"),
                        summary.rows,
                    ),
                    ImportKind::Products => (
                        count(summary.rows as i64, "product", "products"),
                        summary.rows,
                    ),
                };
                let are = crate::domain::format::noun(n as i64, "is", "are");
                ui.label(format!(
                    "Every row was checked: {what} {are} ready to import."
                ));
                for note in &summary.notes {
                    ui.label(note);
                }
            }
            Stage::Checked(Err(ImportError::Rows { problems, more })) => {
                ui.colored_label(
                    error,
                    format!(
                        "{}, so nothing can be imported yet.",
                        import::problems_message(problems.len() + more)
                    ),
                );
                ui.label("Fix these rows in the file, save it, then press Check again:");
                egui::ScrollArea::vertical()
                    .id_salt("import_problems")
                    .max_height(list_height(ui) - 20.0)
                    .show(ui, |ui| {
                        egui::Grid::new("import_problems_grid")
                            .striped(true)
                            .spacing([12.0, 3.0])
                            .show(ui, |ui| {
                                ui.label(RichText::new("line").strong());
                                ui.label(RichText::new("column").strong());
                                ui.label(RichText::new("problem").strong());
                                ui.end_row();
                                for p in problems {
                                    ui.label(p.line.to_string());
                                    ui.label(&p.column);
                                    ui.label(&p.reason);
                                    ui.end_row();
                                }
                            });
                        if *more > 0 {
                            ui.label(format!("… and {more} more"));
                        }
                    });
            }
            Stage::Checked(Err(e)) => {
                // Said once: a file that could not be previewed says why above.
                let said = self
                    .preview
                    .as_ref()
                    .err()
                    .is_some_and(|p| *p == e.to_string());
                if !said {
                    ui.colored_label(error, e.to_string());
                }
            }
        }
    }
}

/// How tall the preview and the list of problems may be: 220 points in a
/// window of 768 or more, less in a smaller one, so the dialog's title and
/// buttons stay in it.
fn list_height(ui: &egui::Ui) -> f32 {
    ((ui.ctx().content_rect().height() - 330.0) / 2.0).clamp(90.0, 220.0)
}

/// The choice above file column `i`: which of our columns it fills, or
/// "ignore"; named by the column's name (`label`). True when it changed.
fn column_choice(
    ui: &mut egui::Ui,
    kind: ImportKind,
    i: usize,
    field: &mut Option<&'static str>,
    label: egui::Id,
) -> bool {
    let before = *field;
    egui::ComboBox::from_id_salt(("import_column", i))
        .selected_text(field.unwrap_or(IGNORE))
        .show_ui(ui, |ui| {
            ui.selectable_value(field, None, IGNORE);
            for (c, required) in kind.columns() {
                let shown = ui.selectable_value(field, Some(*c), *c);
                if *required {
                    shown.on_hover_text("required");
                }
            }
        })
        .response
        .labelled_by(label);
    *field != before
}
