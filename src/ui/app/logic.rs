//! What the window does without drawing: the background job (one at a
//! time), the daily backup, following other writers of the file, undo, and
//! the window's title and theme. Called from `eframe::App::logic` or by
//! commands; nothing here draws.

use std::path::PathBuf;

use super::App;
use crate::demo::{self, DemoSize};
use crate::domain::{ReportSpec, ThemePreference};
use crate::export::Format;
use crate::jobs::Job;
use crate::store::{self, Mode, Store, settings::Counts};

impl App {
    pub(super) fn refresh_counts(&mut self) {
        match store::settings::counts(self.store.conn()) {
            Ok(c) => self.counts = c,
            Err(e) => self.error(format!("Could not count the shop's records: {e}")),
        }
        self.demo = demo::is_demo_shop(&self.store);
    }

    /// What Undo would reverse (cached until the data changes).
    pub(super) fn next_undo_summary(&mut self) -> Option<String> {
        if self
            .next_undo
            .as_ref()
            .is_none_or(|(g, _)| *g != self.generation)
        {
            let next = match store::changelog::next_undo(self.store.conn(), self.session_start) {
                Ok(next) => next.map(|c| c.summary),
                Err(e) => {
                    self.error(format!("Could not read what Undo would reverse: {e}"));
                    None
                }
            };
            self.next_undo = Some((self.generation, next));
        }
        self.next_undo.as_ref().and_then(|(_, n)| n.clone())
    }

    pub(super) fn undo(&mut self) {
        let since = self.session_start;
        match self.store.write(|tx| store::undo::undo_last(tx, since)) {
            Ok(Some(summary)) => self.info(format!("Undid \"{summary}\".")),
            Ok(None) => self.info("Nothing left to undo in this session."),
            Err(store::StoreError::Irreversible(why)) => {
                // A change that can never be undone (money given back, an
                // import) ends what Undo can reach: the changes before it
                // stay (they may be what it built on), and the next Undo
                // does not stop at it again. Other refusals (too little
                // stock to undo a cancel) can be fixed and tried again.
                if let Ok(Some(blocked)) = store::changelog::next_undo(self.store.conn(), since) {
                    self.session_start = blocked.id;
                }
                self.error(format!(
                    "{why}. Undo stops there: the changes made before it stay as they are."
                ));
            }
            Err(e) => self.error(format!("Could not undo: {e}")),
        }
        self.generation += 1;
        self.refresh_counts();
    }

    pub(super) fn apply_look(&mut self, ctx: &egui::Context) {
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
            ctx.all_styles_mut(focus_ring);
            self.theme = Some(self.settings.theme);
        }
    }

    pub(super) fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        if let Some(outcome) = job.poll() {
            self.job = None;
            self.reopen_after_secret();
            let restored = std::mem::take(&mut self.reopen_after_job) && outcome.is_ok();
            if restored {
                // Read the restored file afresh (an older backup is brought up to date).
                let here = self.store.location();
                self.switch_to_keyed(here.path, store::Mode::Existing, here.key.as_ref());
            }
            match outcome {
                Ok(message) => self.info(message),
                Err(message) => self.error(message),
            }
            self.generation += 1;
            self.refresh_counts();
        }
    }

    /// Runs `work` in the background on its own connection, one task at a time.
    pub(super) fn start_job(
        &mut self,
        name: &str,
        work: impl FnOnce(&mut Store, &crate::jobs::Progress) -> crate::jobs::Outcome + Send + 'static,
    ) -> bool {
        self.start_job_at(name, self.store.location(), work)
    }

    /// `start_job` on the file at `location` (which the window may have let go of).
    pub(super) fn start_job_at(
        &mut self,
        name: &str,
        location: store::Location,
        work: impl FnOnce(&mut Store, &crate::jobs::Progress) -> crate::jobs::Outcome + Send + 'static,
    ) -> bool {
        if self.job.is_some() {
            self.error("A task is already running; wait for it to finish, then try again.");
            return false;
        }
        let ctx = self.egui_ctx.clone();
        self.job = Some(Job::spawn(
            name,
            location,
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
    pub(super) fn follow_other_writers(&mut self, ctx: &egui::Context) {
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

    /// Holds at most `rows` rows of a report on screen instead of
    /// `reports::SCREEN_ROWS` (a test's report longer than the screen).
    pub fn set_screen_rows(&mut self, rows: usize) {
        self.screen_rows = rows.max(1);
    }

    /// Once a day, a while after the window opened, writes the day's backup
    /// in the background (when the shop holds anything and none was taken today).
    pub(super) fn daily_backup(&mut self, ctx: &egui::Context) {
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

    pub(super) fn start_restore(&mut self, from: PathBuf) {
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

    pub(super) fn start_export(
        &mut self,
        spec: ReportSpec,
        format: Format,
        csv: crate::export::CsvOptions,
        path: PathBuf,
        replace: crate::files::Replace,
    ) {
        // The file's own extension wins (a name without one got the chosen format's).
        let format = Format::from_path(&path).unwrap_or(format);
        let name = format!("Exporting {}", spec.kind.label().to_lowercase());
        let number = crate::ui::widgets::local_format().number;
        self.start_job(&name, move |store, progress| {
            crate::jobs::export_report_with(
                store.conn(),
                &spec,
                &path,
                format,
                csv,
                replace,
                progress,
            )
            .map(|rows| {
                // On the worker's thread: the shop's grouping as the frame had it.
                let noun = crate::domain::format::noun(rows as i64, "row", "rows");
                let rows = format!("{} {noun}", number.count(rows as i64));
                format!("Saved {rows} to {}.", path.display())
            })
            .map_err(|e| format!("The export failed: {e}"))
        });
    }

    /// Demo data only ever goes into an empty database of its own: a new
    /// file beside this one ("shop-demo.sqlite3"), opened and filled in the
    /// background. An earlier demo shop there is opened again as it is, and
    /// an empty one left by a cancelled demo is filled.
    pub(super) fn open_demo_shop(&mut self) {
        if !self.on_file("A demo shop") {
            return;
        }
        if self.demo {
            self.info(
                "This is a demo shop already. File > Open database… takes you back to your shop.",
            );
            return;
        }
        if self.job.is_some() {
            self.error("A task is already running; wait for it to finish, then try again.");
            return;
        }
        let here = self.store.path().to_path_buf();
        let dir = here.parent().map(PathBuf::from).unwrap_or_default();
        let stem = here
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "shop".into());
        for n in 1..100 {
            let name = if n == 1 {
                format!("{stem}-demo.sqlite3")
            } else {
                format!("{stem}-demo-{n}.sqlite3")
            };
            let path = dir.join(name);
            if path.exists() {
                let earlier = Store::open(&path).ok().map(|s| {
                    let empty =
                        store::settings::counts(s.conn()).is_ok_and(|c| c == Counts::default());
                    (demo::is_demo_shop(&s), empty)
                });
                match earlier {
                    Some((true, _)) => self.switch_to(path, Mode::Existing),
                    Some((false, true)) => self.switch_and_fill(path),
                    _ => continue,
                }
                return;
            }
            // The demo writes money and dates as this shop does (its
            // prices keep their two decimals).
            let here = &self.settings;
            let made = Store::open(&path)
                .map_err(|e| e.to_string())
                .and_then(|mut s| {
                    s.write(|tx| {
                        let mut demo = store::settings::load(tx)?;
                        demo.currency.symbol.clone_from(&here.currency.symbol);
                        demo.currency.style = here.currency.style;
                        demo.date_style = here.date_style;
                        demo.week_start = here.week_start;
                        store::settings::save(tx, &demo)?;
                        store::settings::set_flag(tx, "welcome_done", true)
                    })
                    .map_err(|e| e.to_string())
                });
            if let Err(e) = made {
                self.error(format!(
                    "Could not create the demo shop {}: {e}. Check that you may write to that folder.",
                    path.display()
                ));
                return;
            }
            self.switch_and_fill(path);
            return;
        }
        self.error(format!(
            "There are too many demo shops in {} already; delete some, then try again.",
            dir.display()
        ));
    }

    /// Opens the new demo file and fills it, only once it is the one open.
    fn switch_and_fill(&mut self, path: PathBuf) {
        self.switch_to(path.clone(), Mode::Existing);
        if self.store.path() == path.as_path() {
            self.start_demo();
        }
    }

    fn start_demo(&mut self) {
        let size = DemoSize::default();
        self.start_job("Making the demo shop", move |store, progress| {
            demo::fill_new(store, size, |done, total| {
                progress.set(done, total);
                !progress.cancelled()
            })
            .map(|()| {
                format!(
                    "Demo shop ready: {} customers, {} products and {} orders, all made up.",
                    size.customers, size.products, size.orders
                )
            })
            .map_err(|e| match e {
                store::StoreError::Cancelled => {
                    "The demo shop was cancelled; its file is empty.".to_owned()
                }
                e => format!("The demo shop could not be made: {e}"),
            })
        });
    }
}

/// Where the keyboard is, drawn plainly: egui draws a focused widget as one
/// being pressed, with a one-point outline that a keyboard tryout at 150 %
/// could not see on menu items, buttons and check boxes. Two points, in the
/// selection's colour (light and dark themes alike).
fn focus_ring(style: &mut egui::Style) {
    let color = style.visuals.selection.stroke.color;
    style.visuals.widgets.active.bg_stroke = egui::Stroke::new(2.0, color);
}
