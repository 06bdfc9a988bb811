//! Settings > Security: who can read the shop's files (and a button that
//! lets only the owner read them), and the optional passphrase that
//! encrypts the shop: turning it on (after saying that a forgotten one cannot
//! be recovered), changing it, or turning it off. The window carries out
//! what is asked (`SecurityAction`); this only draws and checks the fields.

use crate::store::Passphrase;
use crate::store::secret::MIN_LENGTH;

/// What the Security section asks the window to do.
pub enum SecurityAction {
    MakePrivate,
    Encrypt(Passphrase),
    /// Turn encryption off; the current passphrase.
    Decrypt(Passphrase),
    /// The current passphrase, the new one.
    Change(Passphrase, Passphrase),
}

/// The section's state: what the shop is now, and what is being typed.
#[derive(Default)]
pub struct SecuritySection {
    encrypted: bool,
    open_to_others: usize,
    current: String,
    new: String,
    repeat: String,
    understood: bool,
    action: Option<SecurityAction>,
}

impl SecuritySection {
    pub fn new(encrypted: bool, open_to_others: usize) -> Self {
        SecuritySection {
            encrypted,
            open_to_others,
            ..Default::default()
        }
    }

    /// What the user asked for in the last frame, once.
    pub fn take_action(&mut self) -> Option<SecurityAction> {
        self.action.take()
    }

    /// Why the new passphrase cannot be used yet (None: it can).
    fn new_problem(&self) -> Option<String> {
        if self.new.chars().count() < MIN_LENGTH {
            return Some(format!("At least {MIN_LENGTH} characters."));
        }
        if self.new != self.repeat {
            return Some("The two passphrases differ.".into());
        }
        None
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Security");
        if self.open_to_others > 0 {
            ui.horizontal(|ui| {
                ui.label("Other accounts on this computer can read this shop's files.");
                if ui.button("Make them private").clicked() {
                    self.action = Some(SecurityAction::MakePrivate);
                }
            });
        } else {
            ui.label("Only your account on this computer can read this shop's files.");
        }
        ui.weak(
            "Exports, invoices and other files you save keep your usual permissions, as they are \
             meant to be shared: keep them in your own folders.",
        );
        ui.add_space(4.0);
        if self.encrypted {
            ui.label("This shop and its backups are encrypted with a passphrase.");
        } else {
            ui.label(
                "Encrypt the shop so that nobody can read it without a passphrase, even with \
                 the disk in hand (a lost or stolen laptop).",
            );
        }
        // In a grid, so that the fields start at one edge (each began after
        // its own label).
        egui::Grid::new("passphrase_fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                if self.encrypted {
                    password_row(ui, "Current passphrase", &mut self.current);
                }
                password_row(ui, "New passphrase", &mut self.new);
                password_row(ui, "Repeat it", &mut self.repeat);
            });
        let problem = self.new_problem();
        if let Some(p) = &problem
            && !self.new.is_empty()
        {
            ui.colored_label(ui.visuals().error_fg_color, p);
        }
        ui.checkbox(
            &mut self.understood,
            "I understand that a forgotten passphrase cannot be recovered: nobody can open \
             the shop or its backups without it.",
        );
        let ready = problem.is_none() && self.understood;
        ui.horizontal(|ui| {
            if !self.encrypted {
                if ui
                    .add_enabled(ready, egui::Button::new("Encrypt the shop"))
                    .clicked()
                {
                    self.action = Some(SecurityAction::Encrypt(Passphrase::new(self.new.clone())));
                }
                return;
            }
            let current = !self.current.is_empty();
            if ui
                .add_enabled(ready && current, egui::Button::new("Change the passphrase"))
                .clicked()
            {
                self.action = Some(SecurityAction::Change(
                    Passphrase::new(self.current.clone()),
                    Passphrase::new(self.new.clone()),
                ));
            }
            if ui
                .add_enabled(current, egui::Button::new("Turn encryption off"))
                .on_hover_text("The shop and its backups are written plain again.")
                .clicked()
            {
                self.action = Some(SecurityAction::Decrypt(Passphrase::new(
                    self.current.clone(),
                )));
            }
        });
        if self.action.is_some() {
            use zeroize::Zeroize;
            for text in [&mut self.current, &mut self.new, &mut self.repeat] {
                text.zeroize();
            }
        }
    }
}

/// A label and its passphrase field: one row of a two-column grid.
fn password_row(ui: &mut egui::Ui, label: &str, text: &mut String) {
    let id = ui.label(label).id;
    ui.add(
        egui::TextEdit::singleline(text)
            .password(true)
            .desired_width(260.0),
    )
    .labelled_by(id);
    ui.end_row();
}
