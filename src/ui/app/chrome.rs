//! The window's chrome: the menu, the navigation column, the status bar and
//! the notices above the panel.

use egui::RichText;

use super::commands::{Command, Panel};
use super::{App, NoticeKind};
use crate::import::ImportKind;
use crate::ui::widgets::thousands;

impl App {
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
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
                if ui
                    .button("Open a demo shop…")
                    .on_hover_text(
                        "Makes a new file beside this one, filled with made-up customers, \
                         products and orders, and opens it. Your shop is not touched.",
                    )
                    .clicked()
                {
                    commands.push(Command::OpenDemoShop);
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

    pub(super) fn nav_ui(&mut self, ui: &mut egui::Ui) {
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

    pub(super) fn status_ui(&mut self, ui: &mut egui::Ui) {
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
            if self.has_database() && self.demo {
                ui.label(
                    RichText::new("DEMO")
                        .strong()
                        .color(ui.visuals().warn_fg_color),
                )
                .on_hover_text(
                    "A demo shop of made-up data, in its own file; your shop is not in it.",
                );
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

    pub(super) fn notices_ui(&mut self, ui: &mut egui::Ui) {
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
}
