//! The window's chrome: the menu, the navigation column, the status bar, the
//! messages as toasts in the panel's bottom-left corner (drawn over it, so
//! they never move what is under the mouse) and the list of the last ones,
//! opened from the status bar.

use egui::RichText;

use super::commands::{Command, Panel};
use super::{App, NAV_WIDTH, NoticeKind};
use crate::import::ImportKind;
use crate::ui::widgets::count;

impl App {
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if item(ui, egui::Button::new("New database…")) {
                    commands.push(Command::NewDatabase);
                }
                if item(ui, egui::Button::new("Open database…")) {
                    commands.push(Command::OpenDatabase);
                }
                ui.separator();
                ui.menu_button("Import", |ui| {
                    for kind in ImportKind::ALL {
                        if item(ui, egui::Button::new(format!("{}…", kind.label()))) {
                            commands.push(Command::Import(kind));
                        }
                    }
                });
                ui.separator();
                if item(ui, egui::Button::new("Back up now…")) {
                    commands.push(Command::BackUpNow);
                }
                if item(ui, egui::Button::new("Backups…")) {
                    commands.push(Command::Backups);
                }
                ui.separator();
                let demo = ui.button("Open a demo shop…").on_hover_text(
                    "Makes a new file beside this one, filled with made-up customers, \
                     products and orders, and opens it. Your shop is not touched.",
                );
                if chosen(ui, demo) {
                    commands.push(Command::OpenDemoShop);
                }
                if item(ui, egui::Button::new("Settings…")) {
                    commands.push(Command::OpenSettings);
                }
                ui.separator();
                let lock = ui
                    .add_enabled(
                        self.store.encrypted(),
                        egui::Button::new("Lock").shortcut_text("Ctrl+L"),
                    )
                    .on_hover_text(
                        "Close the shop and ask for its passphrase again, for a laptop others use",
                    )
                    .on_disabled_hover_text(
                        "Only an encrypted shop locks: Settings > Security sets a passphrase",
                    );
                if chosen(ui, lock) {
                    commands.push(Command::Lock);
                }
                if item(ui, egui::Button::new("Quit").shortcut_text("Ctrl+Q")) {
                    commands.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let next = self.next_undo_summary();
                let label = match &next {
                    Some(summary) => format!("Undo: {summary}"),
                    None => "Undo".to_owned(),
                };
                let undo = ui
                    .add_enabled(
                        next.is_some(),
                        egui::Button::new(label).shortcut_text("Ctrl+Z"),
                    )
                    .on_disabled_hover_text("Nothing changed in this session yet");
                if chosen(ui, undo) {
                    commands.push(Command::Undo);
                }
            });
            // The panels with their shortcuts, where a keyboard user looks
            // for them (they were on the navigation's hover text alone).
            ui.menu_button("Go", |ui| {
                for (i, panel) in Panel::ALL.into_iter().enumerate() {
                    let button =
                        egui::Button::new(panel.label()).shortcut_text(format!("Ctrl+{}", i + 1));
                    if item(ui, button) {
                        self.panel = panel;
                    }
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
                "{} · {} · {}",
                count(self.counts.customers, "customer", "customers"),
                count(self.counts.products, "product", "products"),
                count(self.counts.orders, "order", "orders")
            ));
            let errors = self
                .messages
                .iter()
                .filter(|n| n.kind == NoticeKind::Error)
                .count();
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let label = match errors {
                    0 => format!("Messages ({})", self.messages.len()),
                    n => format!(
                        "Messages ({}, {n} {})",
                        self.messages.len(),
                        if n == 1 { "error" } else { "errors" }
                    ),
                };
                if ui
                    .selectable_label(self.messages_open, label)
                    .on_hover_text("The last messages of this session")
                    .clicked()
                {
                    self.messages_open = !self.messages_open;
                }
                // Apart from a running job's Cancel, which it touched.
                ui.separator();
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    self.job_ui(ui);
                });
            });
        });
    }

    /// The running job in the status bar: its name, progress and Cancel.
    fn job_ui(&mut self, ui: &mut egui::Ui) {
        {
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
                    // A job that counts nothing (a backup) said "0 rows".
                    if job.progress.done() > 0 {
                        ui.label(count(job.progress.done() as i64, "row", "rows"));
                    }
                }
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(200));
                if ui.button("Cancel").clicked() {
                    job.progress.cancel();
                }
            }
        }
    }

    /// The messages shown now, newest at the bottom, above the status bar.
    /// Information goes after 10 seconds (not while the mouse is on it);
    /// an error stays until its × is pressed. Hidden while the list is open.
    pub(super) fn toasts_ui(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        self.notices.retain(|n| n.until.is_none_or(|t| t > now));
        // The open list shows them all; toasts would lie over it.
        if self.notices.is_empty() || self.messages_open {
            return;
        }
        // While a dialog is open, information waits (its 10 seconds start
        // once the dialog closes): at 1024x600 a note lay over the Settings
        // dialog's Save and Cancel. Errors still show. (A dialog makes the
        // background layer lose its interaction.)
        let dialog_open = !ctx.memory(|m| m.is_above_modal_layer(egui::LayerId::background()));
        if dialog_open {
            for n in &mut self.notices {
                if n.kind == NoticeKind::Info {
                    n.until = None;
                }
            }
            if self.notices.iter().all(|n| n.kind == NoticeKind::Info) {
                return;
            }
        }
        let mut close = None;
        egui::Area::new(egui::Id::unique("toasts"))
            // Bottom left of the panel, past the navigation column: the
            // detail of what was just changed (its payments, its stock) is on
            // the right, and a note over its figures hid them for 10 seconds.
            .anchor(
                egui::Align2::LEFT_BOTTOM,
                egui::vec2(NAV_WIDTH + 12.0, -36.0),
            )
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                ui.set_max_width(420.0);
                for (i, notice) in self.notices.iter_mut().enumerate() {
                    if dialog_open && notice.kind == NoticeKind::Info {
                        continue;
                    }
                    let (color, stroke) = match notice.kind {
                        NoticeKind::Info => (
                            ui.visuals().text_color(),
                            ui.visuals().widgets.noninteractive.bg_stroke,
                        ),
                        NoticeKind::Error => (
                            ui.visuals().error_fg_color,
                            egui::Stroke::new(1.5, ui.visuals().error_fg_color),
                        ),
                    };
                    let frame = egui::Frame::popup(ui.style())
                        .stroke(stroke)
                        .show(ui, |ui| {
                            ui.horizontal(|ui| {
                                if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                                    close = Some(i);
                                }
                                ui.add(
                                    egui::Label::new(RichText::new(&notice.text).color(color))
                                        .wrap(),
                                );
                            });
                        });
                    if notice.kind == NoticeKind::Info
                        && (notice.until.is_none() || frame.response.contains_pointer())
                    {
                        notice.until = Some(now + 10.0);
                        ctx.request_repaint_after(std::time::Duration::from_secs(10));
                    }
                    ui.add_space(4.0);
                }
            });
        if let Some(i) = close {
            self.notices.remove(i);
        }
    }

    /// The last messages, newest first, opened from the status bar.
    pub(super) fn messages_ui(&mut self, ctx: &egui::Context) {
        if !self.messages_open {
            return;
        }
        let mut open = true;
        let mut clear = false;
        egui::Window::new("Messages")
            .open(&mut open)
            .default_width(520.0)
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -36.0))
            .collapsible(false)
            .show(ctx, |ui| {
                if self.messages.is_empty() {
                    ui.label("No messages in this session.");
                    return;
                }
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for notice in self.messages.iter().rev() {
                            let color = match notice.kind {
                                NoticeKind::Info => ui.visuals().text_color(),
                                NoticeKind::Error => ui.visuals().error_fg_color,
                            };
                            ui.horizontal_top(|ui| {
                                ui.weak(notice.at.format("%H:%M:%S").to_string());
                                ui.add(
                                    egui::Label::new(RichText::new(&notice.text).color(color))
                                        .wrap(),
                                );
                            });
                        }
                    });
                ui.separator();
                if ui.button("Clear").clicked() {
                    clear = true;
                }
            });
        if clear {
            self.messages.clear();
        }
        self.messages_open = open;
    }
}

/// A menu item: whether it was chosen (clicked, or Enter or Space on it).
fn item(ui: &mut egui::Ui, button: egui::Button<'_>) -> bool {
    let response = ui.add(button);
    chosen(ui, response)
}

/// Whether a menu item was chosen; the menu closes then. egui closes a menu
/// on a pointer click only: an item chosen from the keyboard left it open
/// behind what it opened (Settings), where Tab then reached "Quit" and Enter
/// quit.
fn chosen(ui: &egui::Ui, response: egui::Response) -> bool {
    let clicked = response.clicked();
    if clicked {
        ui.close();
    }
    clicked
}
