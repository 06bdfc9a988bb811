//! The Settings dialog: shop name, currency, default reorder level, theme,
//! the shop's local formats (decimal and thousands marks, the currency
//! symbol's place, dates, the first day of the week), and its sections, one
//! file each beside this one (`tax`: tax and payments; `ui::shop_identity`:
//! the shop's identity on its documents; `ui::security`).

mod tax;

pub use self::tax::TaxSection;

use crate::domain::format::{DateStyle, DecimalMark, Grouping, SymbolPlace, WeekStart};
use crate::domain::{Currency, Money, SettingsDraft, ShopSettings, ThemePreference};

use super::security::{SecurityAction, SecuritySection};
use super::widgets::form::{enter_pressed, text_row};

/// The width of the labels' column, the same in both grids so their fields line up.
const LABELS: f32 = 140.0;

/// The pages of the dialog.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Shop,
    Formats,
    Tax,
    Identity,
    Security,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Shop,
        Tab::Formats,
        Tab::Tax,
        Tab::Identity,
        Tab::Security,
    ];

    fn label(self) -> &'static str {
        match self {
            Tab::Shop => "Shop",
            Tab::Formats => "Formats",
            Tab::Tax => "Tax and payments",
            Tab::Identity => "Shop identity",
            Tab::Security => "Security",
        }
    }
}

pub struct SettingsForm {
    /// The page shown.
    tab: Tab,
    draft: SettingsDraft,
    touched: Vec<&'static str>,
    /// The number of decimals cannot change once amounts are stored.
    decimals_locked: bool,
    error: Option<String>,
    security: SecuritySection,
    /// "Tax and payments", when the shop's were read (see [`SettingsForm::with_tax`]).
    tax: Option<TaxSection>,
    /// The "Shop identity" section, when the shop's identity could be read.
    pub identity: Option<super::shop_identity::IdentityForm>,
    /// What the dialog held on its first frame (its sections are added
    /// after `new`), to tell whether anything was changed since.
    original: Option<Snapshot>,
    discard: crate::ui::widgets::form::DiscardGuard,
}

/// What the dialog holds that Save would keep.
#[derive(PartialEq)]
struct Snapshot {
    draft: SettingsDraft,
    tax: Option<TaxSection>,
    identity: Option<super::shop_identity::IdentityState>,
}

impl SettingsForm {
    pub fn new(current: &ShopSettings, decimals_locked: bool) -> Self {
        SettingsForm {
            tab: Tab::Shop,
            draft: SettingsDraft::from(current),
            touched: Vec::new(),
            decimals_locked,
            error: None,
            security: SecuritySection::default(),
            tax: None,
            identity: None,
            original: None,
            discard: Default::default(),
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            draft: self.draft.clone(),
            tax: self.tax.clone(),
            identity: self.identity.as_ref().map(|i| i.state()),
        }
    }

    /// Whether anything was changed since the dialog opened: Escape then
    /// asks before throwing it away, as in every form, and so does quitting.
    pub fn unsaved(&self) -> bool {
        self.original
            .as_ref()
            .is_some_and(|o| *o != self.snapshot())
    }

    /// The Security section, for a shop that is (or is not) `encrypted`
    /// and has `open_to_others` files other accounts can read.
    pub fn with_security(mut self, encrypted: bool, open_to_others: usize) -> Self {
        self.security = SecuritySection::new(encrypted, open_to_others);
        self
    }

    /// What the Security section asked for, once.
    pub fn take_security_action(&mut self) -> Option<SecurityAction> {
        self.security.take_action()
    }

    /// Adds the "Tax and payments" section (saved with the rest).
    pub fn with_tax(mut self, tax: TaxSection) -> Self {
        self.tax = Some(tax);
        self
    }

    /// Writes the sections in the caller's transaction, after the settings.
    pub fn save_sections(
        &self,
        conn: &rusqlite::Connection,
    ) -> Result<(), crate::store::StoreError> {
        if let Some(t) = &self.tax {
            t.save(conn)?;
        }
        Ok(())
    }

    pub fn set_error(&mut self, error: String) {
        self.error = Some(error);
    }

    /// Draws the dialog. `Some(Some(s))`: save `s`; `Some(None)`: closed; `None`: still open.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<Option<ShopSettings>> {
        let mut result = None;
        if self.original.is_none() {
            self.original = Some(self.snapshot());
        }
        let modal = crate::ui::widgets::form::modal(egui::Id::unique("settings")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Settings");
            ui.add_space(4.0);
            // One page at a time, so the dialog fits a small screen.
            ui.horizontal_wrapped(|ui| {
                for tab in Tab::ALL {
                    if tab == Tab::Identity && self.identity.is_none()
                        || tab == Tab::Tax && self.tax.is_none()
                    {
                        continue;
                    }
                    ui.selectable_value(&mut self.tab, tab, tab.label());
                }
            });
            ui.separator();
            let validated = self.draft.validate();
            let errors = validated.clone().err().unwrap_or_default();
            let sections_ok = self.tax.as_ref().is_none_or(|t| t.check().is_ok());
            // Every page takes the same height, so the tabs stay where they
            // are when another page is chosen.
            let page_height = (ui.ctx().content_rect().height() - 200.0).clamp(200.0, 300.0);
            ui.vertical(|ui| {
            ui.set_min_height(page_height);
            match self.tab {
                Tab::Shop => self.shop_ui(ui, &errors),
                Tab::Formats => {
                    ui.weak("How amounts, counts and dates look on screen. Files keep 2026-03-31 and 1234.50.");
                    self.formats_ui(ui, &errors);
                }
                Tab::Tax => {
                    if let Some(t) = &mut self.tax {
                        t.body_ui(ui);
                    }
                }
                Tab::Identity => {
                    if let Some(form) = &mut self.identity {
                        egui::ScrollArea::vertical()
                            .max_height(page_height)
                            .show(ui, |ui| form.ui(ui));
                    }
                }
                Tab::Security => self.security.ui(ui),
            }
            });
            ui.separator();
            if !errors.is_empty() && !matches!(self.tab, Tab::Shop | Tab::Formats) {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    "Some fields of Shop or Formats need a fix before saving.",
                );
            }
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let identity_ok = self.identity.as_ref().is_none_or(|i| i.change().is_ok());
                let sections_ok = sections_ok && identity_ok;
                let save = ui.add_enabled(validated.is_ok() && sections_ok, egui::Button::new("Save"));
                if (save.clicked() || enter_pressed(ui))
                    && sections_ok
                    && let Ok(s) = &validated
                {
                    result = Some(Some(s.clone()));
                }
                if ui.button("Cancel").clicked() {
                    result = Some(None);
                }
            });
        });
        // What changed is asked only when the dialog is asked to close.
        let wants_close = modal.should_close();
        let changed = wants_close && self.unsaved();
        if result.is_none() && self.discard.closes(ctx, wants_close, changed) {
            result = Some(None);
        }
        result
    }

    /// The shop's own settings: name, currency, reorder level, theme.
    fn shop_ui(&mut self, ui: &mut egui::Ui, errors: &crate::domain::FieldErrors) {
        let errors = errors.clone();
        egui::Grid::new("settings_grid")
                .num_columns(2)
                .min_col_width(LABELS)
                .spacing([12.0, 8.0])
                .show(ui, |ui| {
                    text_row(ui, "Shop name", "shop_name", &mut self.draft.shop_name, &errors, &mut self.touched, "My Shop");
                    text_row(ui, "Country", "country", &mut self.draft.country, &errors, &mut self.touched, "where the shop is, such as US")
                        .on_hover_text("Where the shop is. A new customer starts in it, and an address without a country is written its way (\"Dayton, OH 45402\" in the US, \"75002 Paris\" in France).");
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
    }
}

impl SettingsForm {
    /// The form on its "Shop identity" page.
    pub fn on_identity(mut self) -> Self {
        if self.identity.is_some() {
            self.tab = Tab::Identity;
        }
        self
    }

    fn formats_ui(&mut self, ui: &mut egui::Ui, errors: &crate::domain::FieldErrors) {
        let d = &mut self.draft;
        let before = d.number_style.decimal;
        egui::Grid::new("formats_grid")
            .num_columns(2)
            .min_col_width(LABELS)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let style = &mut d.number_style;
                choice(
                    ui,
                    "Decimal mark",
                    &mut style.decimal,
                    &DecimalMark::ALL,
                    DecimalMark::label,
                );
                choice(
                    ui,
                    "Thousands mark",
                    &mut style.grouping,
                    &Grouping::ALL,
                    Grouping::label,
                );
                if let Some(message) = errors.get("thousands_mark") {
                    ui.label("");
                    ui.colored_label(ui.visuals().error_fg_color, message);
                    ui.end_row();
                }
                // The examples with the shop's own symbol ("12 €").
                let symbol = match d.currency_symbol.trim() {
                    "" => "$".to_owned(),
                    s => s.to_owned(),
                };
                choice(
                    ui,
                    "Currency symbol goes",
                    &mut style.symbol,
                    &SymbolPlace::ALL,
                    |p: SymbolPlace| p.label().replace('$', &symbol),
                );
                choice(
                    ui,
                    "Dates",
                    &mut d.date_style,
                    &DateStyle::ALL,
                    DateStyle::label,
                );
                choice(
                    ui,
                    "Weeks start on",
                    &mut d.week_start,
                    &WeekStart::ALL,
                    WeekStart::label,
                );
            });
        // A decimal comma cannot also group thousands (and a point likewise):
        // switching the decimal mark takes the other one for thousands.
        let style = &mut d.number_style;
        if style.decimal != before && !style.is_clear() {
            style.grouping = match style.decimal {
                DecimalMark::Comma => Grouping::Point,
                DecimalMark::Point => Grouping::Comma,
            };
        }
        let decimals = d.currency_decimals.min(3);
        let example = Currency {
            symbol: d.currency_symbol.trim_start().to_owned(),
            decimals,
            style: d.number_style,
        };
        ui.horizontal_wrapped(|ui| {
            ui.weak("Example:");
            ui.label(format!(
                "{}  ·  {}",
                example.format(Money(
                    1_234_567 * 10i64.pow(decimals) + [0, 5, 89, 890][decimals as usize]
                )),
                d.date_style.show("2026-03-31"),
            ));
        });
    }
}

/// A labelled drop-down of the values in `all`, in a two-column grid.
fn choice<T: Copy + PartialEq, L: Into<egui::WidgetText>>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    all: &[T],
    label_of: impl Fn(T) -> L,
) {
    let label_id = ui.label(label).id;
    egui::ComboBox::from_id_salt(label)
        .selected_text(label_of(*value))
        .width(240.0)
        .show_ui(ui, |ui| {
            for v in all {
                ui.selectable_value(value, *v, label_of(*v));
            }
        })
        .response
        .labelled_by(label_id);
    ui.end_row();
}
