//! A customer found by name: a search field whose matches (a word-prefix
//! search, as in the order form) are listed below it to pick from; Enter
//! takes the first. Nothing typed is no error, only nothing picked yet.

use rusqlite::Connection;

use crate::store::customers::{self, CustomerPick};

/// Said under a customer search that found no one.
pub const NO_MATCH: &str = "No customer matches: type the start of a word of their name, \
     email or phone (archived customers are left out), or add them in Customers first.";

#[derive(Default)]
pub struct CustomerPicker {
    search: String,
    /// The matches of `search` (or why they could not be read).
    matches: Option<(String, Result<Vec<CustomerPick>, String>)>,
    /// The customer picked: (id, name and email).
    chosen: Option<(i64, String)>,
}

impl CustomerPicker {
    pub fn chosen(&self) -> Option<&(i64, String)> {
        self.chosen.as_ref()
    }

    /// The field labelled `label` in a row of controls, or the name of the
    /// customer picked with a button to change it.
    pub fn field_ui(&mut self, ui: &mut egui::Ui, label: &str) {
        let label_id = ui.label(label).id;
        if let Some((_, name)) = &self.chosen {
            ui.strong(name.as_str());
            if ui.small_button("Change").clicked() {
                self.chosen = None;
            }
            return;
        }
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut self.search)
                    .id_salt(("customer_picker", label))
                    .hint_text("type a name, email or phone")
                    .desired_width(220.0),
            )
            .labelled_by(label_id);
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            self.chosen = self.first();
        }
    }

    fn first(&self) -> Option<(i64, String)> {
        match &self.matches {
            Some((_, Ok(found))) => found.first().map(|c| (c.id, pick_text(c))),
            _ => None,
        }
    }

    /// The matches of what was typed, one per line, below the row of the
    /// field (searched again only when the text changed).
    pub fn matches_ui(&mut self, ui: &mut egui::Ui, conn: &Connection) {
        if self.chosen.is_some() {
            return;
        }
        let search = self.search.trim().to_owned();
        if search.is_empty() {
            ui.weak("Type a customer's name, email or phone above, then pick them.");
            return;
        }
        if self.matches.as_ref().is_none_or(|(s, _)| *s != search) {
            let found = customers::pick_customers(conn, &search, 8).map_err(|e| e.to_string());
            self.matches = Some((search, found));
        }
        let Some((_, found)) = &self.matches else {
            return;
        };
        let found = match found {
            Ok(found) => found,
            Err(e) => {
                let text = format!("Could not search the customers: {e}");
                ui.colored_label(ui.visuals().error_fg_color, text);
                return;
            }
        };
        if found.is_empty() {
            ui.weak(NO_MATCH);
        }
        let mut chosen = None;
        ui.horizontal_wrapped(|ui| {
            for c in found {
                let text = pick_text(c);
                if ui.selectable_label(false, text.clone()).clicked() {
                    chosen = Some((c.id, text));
                }
            }
        });
        if chosen.is_some() {
            self.chosen = chosen;
        }
    }
}

/// A customer as the picker lists and shows them: the name and the email,
/// which tells apart the shop's four Isla Thomases (a tryout could not
/// tell which one Reports showed).
fn pick_text(c: &customers::CustomerPick) -> String {
    match &c.email {
        Some(e) => format!("{}  ·  {e}", c.name),
        None => c.name.clone(),
    }
}
