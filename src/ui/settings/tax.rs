//! Settings > "Tax and payments": whether prices include tax, the shop's tax
//! rates (add, rename, change, archive), the rate new products get, whether
//! shipping is taxed and at which rate, and the payment methods. Read when
//! Settings opens, checked as typed, written with the other settings in the
//! one transaction of "Save".

use rusqlite::Connection;

use crate::domain::Rate;
use crate::store::orders;
use crate::store::tax::{self, TaxSettings};
use crate::store::{Result as StoreResult, StoreError};
use crate::ui::widgets::decimal_text;

/// One rate as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RateRow {
    /// None for a rate added in this dialog.
    id: Option<i64>,
    name: String,
    percent: String,
    archived: bool,
}

/// Where the row of a rate just added waits to take the keyboard.
const ADDED: &str = "settings_tax_rate_added";

/// The section's state: what the shop has, as edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxSection {
    prices_include_tax: bool,
    /// Whether prices included tax when the section was read.
    saved_include: bool,
    rates: Vec<RateRow>,
    /// Indexes into `rates`.
    default_rate: Option<usize>,
    shipping_rate: Option<usize>,
    /// The payment methods, comma-separated.
    methods: String,
    /// Why the shop's tax settings could not be read (then nothing is saved).
    unreadable: Option<String>,
    /// The shop has products, whose prices a change of "Prices include tax"
    /// reads anew (a shop without any needs no warning).
    has_products: bool,
}

impl TaxSection {
    /// The shop's tax settings and payment methods as they are.
    pub fn load(conn: &Connection) -> TaxSection {
        match Self::read(conn) {
            Ok(s) => s,
            Err(e) => TaxSection {
                prices_include_tax: false,
                saved_include: false,
                rates: Vec::new(),
                default_rate: None,
                shipping_rate: None,
                methods: String::new(),
                unreadable: Some(e.to_string()),
                has_products: true,
            },
        }
    }

    fn read(conn: &Connection) -> StoreResult<TaxSection> {
        let rates = tax::rates(conn)?;
        let s = tax::settings(conn)?;
        let index = |id: Option<i64>| id.and_then(|id| rates.iter().position(|r| r.id == id));
        Ok(TaxSection {
            prices_include_tax: s.prices_include_tax,
            saved_include: s.prices_include_tax,
            default_rate: index(s.default_rate),
            shipping_rate: index(s.shipping_rate),
            rates: rates
                .iter()
                .map(|r| RateRow {
                    id: Some(r.id),
                    name: r.name.clone(),
                    // Written the shop's way ("5,5"); either mark reads.
                    percent: decimal_text(&r.rate.percent_text()),
                    archived: r.archived,
                })
                .collect(),
            methods: orders::methods(conn)?.join(", "),
            has_products: crate::store::settings::counts(conn)?.products > 0,
            unreadable: None,
        })
    }

    fn methods(&self) -> Vec<String> {
        self.methods
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The first thing wrong with what was typed.
    pub fn check(&self) -> Result<(), String> {
        if let Some(e) = &self.unreadable {
            return Err(format!(
                "The tax settings could not be read ({e}); close Settings and try again."
            ));
        }
        for (i, r) in self.rates.iter().enumerate() {
            if r.name.trim().is_empty() {
                return Err(format!(
                    "Tax rate {}: give it a name, such as VAT, Sales tax or Reduced.",
                    i + 1
                ));
            }
            Rate::parse(&r.percent)
                .map_err(|e| format!("Tax rate {} ({}): {e}.", i + 1, r.name.trim()))?;
            let twice = self.rates[..i]
                .iter()
                .any(|o| o.name.trim().eq_ignore_ascii_case(r.name.trim()));
            if twice {
                return Err(format!(
                    "Two tax rates are named {}; rename one of them.",
                    r.name.trim()
                ));
            }
        }
        for (what, chosen) in [
            ("new products", self.default_rate),
            ("shipping", self.shipping_rate),
        ] {
            if chosen
                .and_then(|i| self.rates.get(i))
                .is_some_and(|r| r.archived)
            {
                return Err(format!(
                    "The rate for {what} is archived: choose another one, or keep it."
                ));
            }
        }
        if self.methods().is_empty() {
            return Err("Keep at least one payment method, such as Cash.".into());
        }
        Ok(())
    }

    /// Writes the section in the caller's transaction (Settings' "Save").
    pub fn save(&self, conn: &Connection) -> StoreResult<()> {
        self.check().map_err(StoreError::Refused)?;
        let mut ids = Vec::with_capacity(self.rates.len());
        for r in &self.rates {
            let rate = Rate::parse(&r.percent).map_err(StoreError::Refused)?;
            let id = match r.id {
                Some(id) => {
                    tax::update_rate(conn, id, &r.name, rate, r.archived)?;
                    id
                }
                None => {
                    let id = tax::add_rate(conn, &r.name, rate)?;
                    if r.archived {
                        tax::update_rate(conn, id, &r.name, rate, true)?;
                    }
                    id
                }
            };
            ids.push(id);
        }
        let id_of = |i: Option<usize>| i.and_then(|i| ids.get(i).copied());
        tax::save_settings(
            conn,
            &TaxSettings {
                prices_include_tax: self.prices_include_tax,
                default_rate: id_of(self.default_rate),
                shipping_rate: id_of(self.shipping_rate),
            },
        )?;
        orders::set_methods(conn, &self.methods())
    }

    /// A rate's name in a choice list.
    fn rate_label(&self, i: Option<usize>, none: &str) -> String {
        match i.and_then(|i| self.rates.get(i)) {
            Some(r) => format!("{} ({}%)", r.name.trim(), r.percent.trim()),
            None => none.to_owned(),
        }
    }

    /// A choice among the rates not archived, or `none`.
    fn rate_choice(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        salt: &str,
        none: &str,
        shipping: bool,
    ) {
        let id = ui.label(label).id;
        let current = if shipping {
            self.shipping_rate
        } else {
            self.default_rate
        };
        let mut chosen = current;
        egui::ComboBox::from_id_salt(salt)
            .selected_text(self.rate_label(current, none))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, none);
                for (i, r) in self.rates.iter().enumerate() {
                    if !r.archived && !r.name.trim().is_empty() {
                        let text = format!("{} ({}%)", r.name.trim(), r.percent.trim());
                        ui.selectable_value(&mut chosen, Some(i), text);
                    }
                }
            })
            .response
            .labelled_by(id);
        ui.end_row();
        if shipping {
            self.shipping_rate = chosen;
        } else {
            self.default_rate = chosen;
        }
    }

    /// Draws the section, folded until opened. Not in a scroll area of its
    /// own: in one, its buttons could not be clicked through the
    /// accessibility tree (as tests and screen readers click).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        egui::CollapsingHeader::new("Tax and payments")
            .id_salt("settings_tax")
            .show(ui, |ui| self.body_ui(ui));
    }

    pub(super) fn body_ui(&mut self, ui: &mut egui::Ui) {
        ui.checkbox(&mut self.prices_include_tax, "Prices include tax")
            .on_hover_text(
                "Ticked: the prices you type (and the shipping charge) already hold the tax. \
                 Orders keep the terms they were sold with.",
            );
        if self.prices_include_tax != self.saved_include && self.has_products {
            // The products' prices stay the numbers they are: say what they
            // will mean once this is saved.
            ui.colored_label(
                ui.visuals().warn_fg_color,
                // The example's amounts with the shop's decimal mark.
                if self.prices_include_tax {
                    format!(
                        "Once saved, the products' prices are read as holding the tax (a price of {} at 20 % is {} and {} of tax). Change them first if they were without tax. Orders placed before keep their terms.",
                        decimal_text("12.00"),
                        decimal_text("10.00"),
                        decimal_text("2.00")
                    )
                } else {
                    format!(
                        "Once saved, tax is added on top of the products' prices ({} at 20 % comes to {}). Change them first if they held the tax. Orders placed before keep their terms.",
                        decimal_text("12.00"),
                        decimal_text("14.40")
                    )
                },
            );
        }
        ui.add_space(4.0);
        ui.strong("Tax rates");
        if self.rates.is_empty() {
            ui.weak("No tax rates: orders taken here carry no tax (imported orders keep the tax their file gave).");
        }
        egui::Grid::new("settings_tax_rates")
            .num_columns(4)
            .spacing([8.0, 4.0])
            .show(ui, |ui| {
                for (i, r) in self.rates.iter_mut().enumerate() {
                    let n = i + 1;
                    // Sized outright: a grid's first frame would squeeze it.
                    let name = ui.add_sized(
                        [140.0, ui.spacing().interact_size.y],
                        egui::TextEdit::singleline(&mut r.name).hint_text("VAT or Sales tax"),
                    );
                    ui.ctx()
                        .accesskit_node_builder(name.id, |a| a.set_label(format!("Rate {n} name")));
                    // A rate just added takes the keyboard, to be named.
                    let added = ui.data_mut(|d| d.remove_temp::<usize>(egui::Id::unique(ADDED)));
                    match added {
                        Some(row) if row == i => name.request_focus(),
                        Some(row) => {
                            ui.data_mut(|d| d.insert_temp(egui::Id::unique(ADDED), row));
                        }
                        None => {}
                    }
                    ui.horizontal(|ui| {
                        let percent = ui.add(
                            egui::TextEdit::singleline(&mut r.percent)
                                .hint_text("20")
                                .desired_width(60.0),
                        );
                        ui.ctx().accesskit_node_builder(percent.id, |a| {
                            a.set_label(format!("Rate {n} percent"))
                        });
                        ui.label("%");
                    });
                    ui.checkbox(&mut r.archived, "Archived").on_hover_text(
                        "An archived rate is no longer offered; orders and products keep it.",
                    );
                    if r.id.is_some() {
                        ui.label("");
                    } else {
                        ui.weak("new");
                    }
                    ui.end_row();
                }
            });
        if ui.button("Add rate").clicked() {
            self.rates.push(RateRow {
                id: None,
                name: String::new(),
                percent: String::new(),
                archived: false,
            });
            let row = self.rates.len() - 1;
            ui.data_mut(|d| d.insert_temp(egui::Id::unique(ADDED), row));
            ui.ctx().request_repaint();
        }
        ui.add_space(4.0);
        egui::Grid::new("settings_tax_choices")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                self.rate_choice(
                    ui,
                    "Rate for new products",
                    "settings_default_rate",
                    "No tax",
                    false,
                );
                self.rate_choice(
                    ui,
                    "Shipping tax",
                    "settings_shipping_rate",
                    "Not taxed",
                    true,
                );
                let id = ui.label("Payment methods").id;
                ui.add(
                    egui::TextEdit::singleline(&mut self.methods)
                        .hint_text("Cash, Card, Bank transfer")
                        .desired_width(280.0),
                )
                .labelled_by(id)
                .on_hover_text(
                    "Separated by commas; payments keep the method they were recorded with.",
                );
                ui.end_row();
            });
        if let Err(e) = self.check() {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
    }
}
