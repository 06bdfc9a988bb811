//! File > Backups…: the backups kept beside the database (when, how big, how
//! many orders they hold), and restoring one after a confirmation.

use std::path::{Path, PathBuf};

use egui::RichText;

use super::widgets::{date_text, thousands};
use crate::store::backup::{self, BackupInfo, Kind};

pub enum BackupsAction {
    Close,
    /// Restore this backup (the user confirmed).
    Restore(PathBuf),
}

pub struct BackupsDialog {
    folder: PathBuf,
    rows: Vec<(BackupInfo, Option<i64>)>,
    confirm: Option<usize>,
}

impl BackupsDialog {
    /// The backups of `db`, read with the shop's `key` when it is encrypted.
    pub fn open(db: &Path, key: Option<&crate::store::Passphrase>) -> Self {
        let rows = backup::list(db)
            .into_iter()
            .map(|b| {
                let orders = backup::orders_in(&b.path, key);
                (b, orders)
            })
            .collect();
        BackupsDialog {
            folder: backup::folder(db),
            rows,
            confirm: None,
        }
    }

    pub fn ui(&mut self, ctx: &egui::Context) -> Option<BackupsAction> {
        let mut action = None;
        crate::ui::widgets::form::modal(egui::Id::unique("backups_dialog")).show(ctx, |ui| {
            ui.set_width(640.0);
            ui.heading("Backups");
            ui.label(format!(
                "Shopkeeper backs up this database once a day while it is open and when you \
                 close it, into {}. It keeps the newest of each of the last {} days and {} weeks.",
                self.folder.display(),
                backup::KEEP_DAILY,
                backup::KEEP_WEEKLY
            ));
            ui.add_space(6.0);
            if self.rows.is_empty() {
                ui.weak("No backups yet.");
            }
            egui::ScrollArea::vertical()
                .max_height(320.0)
                .show(ui, |ui| {
                    egui::Grid::new("backups_grid")
                        .striped(true)
                        .spacing([16.0, 4.0])
                        .show(ui, |ui| {
                            ui.label(RichText::new("taken").strong());
                            ui.label(RichText::new("kind").strong());
                            ui.label(RichText::new("size").strong());
                            ui.label(RichText::new("orders").strong());
                            ui.label("");
                            ui.end_row();
                            for (i, (b, orders)) in self.rows.iter().enumerate() {
                                ui.label(date_text(&b.taken.format("%Y-%m-%d %H:%M").to_string()));
                                ui.label(match b.kind {
                                    Kind::Automatic => "automatic",
                                    Kind::BeforeRestore => "before a restore",
                                });
                                ui.label(format!("{:.1} MB", b.bytes as f64 / 1_048_576.0));
                                ui.label(orders.map_or("?".to_owned(), thousands));
                                if ui.button("Restore…").clicked() {
                                    self.confirm = Some(i);
                                }
                                ui.end_row();
                            }
                        });
                });
            ui.add_space(6.0);
            if let Some(i) = self.confirm
                && let Some((b, _)) = self.rows.get(i)
            {
                ui.separator();
                ui.label(
                    RichText::new(format!(
                        "Restore the backup taken {}? Everything in the shop goes back to how \
                         it was then. Your database as it is now is backed up first, so this \
                         can be undone by restoring that copy.",
                        date_text(&b.taken.format("%Y-%m-%d %H:%M").to_string())
                    ))
                    .strong(),
                );
                ui.horizontal(|ui| {
                    if ui.button("Restore this backup").clicked() {
                        action = Some(BackupsAction::Restore(b.path.clone()));
                    }
                    if ui.button("Keep the database as it is").clicked() {
                        self.confirm = None;
                    }
                });
            }
            if ui.button("Close").clicked() {
                action = Some(BackupsAction::Close);
            }
        });
        action
    }
}
