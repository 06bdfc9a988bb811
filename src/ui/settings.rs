//! The Settings dialog: shop name, currency, default reorder level, theme;
//! the shop's identity on its documents (`shop_identity`).

use crate::domain::{SettingsDraft, ShopSettings, ThemePreference};

use super::widgets::form::{enter_pressed, text_row};

pub struct SettingsForm {
    draft: SettingsDraft,
    touched: Vec<&'static str>,
    /// The number of decimals cannot change once amounts are stored.
    decimals_locked: bool,
    error: Option<String>,
    /// The "Shop identity" section, when the shop's identity could be read.
    pub identity: Option<super::shop_identity::IdentityForm>,
}

impl SettingsForm {
    pub fn new(current: &ShopSettings, decimals_locked: bool) -> Self {
        SettingsForm {
            draft: SettingsDraft::from(current),
            touched: Vec::new(),
            decimals_locked,
            error: None,
            identity: None,
        }
    }

    pub fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }

    /// Draws the dialog. `Some(Some(s))`: save `s`; `Some(None)`: closed; `None`: still open.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Option<ShopSettings>> {
        let mut result = None;
        let modal = egui::Modal::new(egui::Id::unique("settings")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Settings");
            ui.add_space(8.0);
            let validated = self.draft.validate();
            let errors = validated.clone().err().unwrap_or_default();
            egui::Grid::new("settings_grid")
                .num_columns(2)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    text_row(ui, "Shop name", "shop_name", &mut self.draft.shop_name, &errors, &mut self.touched, "My Shop");
                    text_row(ui, "Currency symbol", "currency_symbol", &mut self.draft.currency_symbol, &errors, &mut self.touched, "$");
                    let label_id = ui.label("Decimals").id;
                    ui.add_enabled_ui(!self.decimals_locked, |ui| {
                        egui::ComboBox::from_id_salt("decimals")
                            .selected_text(self.draft.currency_decimals.to_string())
                            .show_ui(ui, |ui| {
                                for d in 0..=3 {
                                    ui.selectable_value(&mut self.draft.currency_decimals, d, d.to_string());
                                }
                            })
                            .response
                            .labelled_by(label_id)
                            .on_disabled_hover_text(
                                "Prices and orders are already stored with this number of decimals, so it cannot change.",
                            );
                    });
                    ui.end_row();
                    text_row(ui, "Default reorder level", "default_reorder_level", &mut self.draft.default_reorder_level, &errors, &mut self.touched, "5");
                    ui.label("Theme");
                    ui.horizontal(|ui| {
                        for t in ThemePreference::ALL {
                            ui.radio_value(&mut self.draft.theme, t, t.label());
                        }
                    });
                    ui.end_row();
                });
            identity_section_ui(ui, &mut self.identity);
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let identity_ok = self.identity.as_ref().is_none_or(|i| i.change().is_ok());
                let save = ui.add_enabled(validated.is_ok() && identity_ok, egui::Button::new("Save"));
                if (save.clicked() || enter_pressed(ui))
                    && let Ok(s) = &validated
                {
                    result = Some(Some(s.clone()));
                }
                if ui.button("Cancel").clicked() {
                    result = Some(None);
                }
            });
        });
        if modal.should_close() && result.is_none() {
            result = Some(None);
        }
        result
    }
}

/// The "Shop identity" section: what invoices and packing slips print.
fn identity_section_ui(
    ui: &mut egui::Ui,
    identity: &mut Option<super::shop_identity::IdentityForm>,
) {
    if let Some(form) = identity {
        ui.add_space(6.0);
        egui::CollapsingHeader::new("Shop identity")
            .id_salt("shop_identity")
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| form.ui(ui));
            });
    }
}
