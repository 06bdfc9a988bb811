//! The product forms: create/edit with inline field errors, the
//! product's tax rate, whether it tracks stock, its own lead time and cover
//! days for the reorder list, and "Adjust stock".

use crate::domain::{FieldErrors, MovementReason, NewProduct, Product, ProductDraft, parse_count};
use crate::store::tax::{self, TaxRate};
use crate::store::{StoreError, products};
use crate::store::{reorder, stock};
use crate::ui::app::commands::PanelCtx;
use crate::ui::widgets::form::{DiscardGuard, FormResult, UniqueCheck, enter_pressed, text_row};

/// The create/edit form with inline field errors.
pub(super) struct ProductForm {
    id: Option<i64>,
    draft: ProductDraft,
    touched: Vec<&'static str>,
    sku_check: UniqueCheck,
    store_errors: FieldErrors,
    error: Option<String>,
    focus_pending: bool,
    /// The draft as the form opened (to know whether anything changed).
    original: ProductDraft,
    discard: DiscardGuard,
    /// The shop's rates and the product's (read on the first frame; for a
    /// new product the shop's default), and the rate as the form opened.
    tax: Option<TaxChoice>,
    /// Its own lead time and cover days (read on the first frame).
    days: Option<ReorderDays>,
    /// Whether it tracks stock (read on the first frame).
    tracking: Option<Tracking>,
}

/// "Tracks stock": a gift card, a download or a service does not. Fixed
/// once the product was ordered (its orders moved stock, or did not, by it).
struct Tracking {
    on: bool,
    original: bool,
    ordered: bool,
    /// Its stock: one with stock keeps tracking it until adjusted to 0.
    stock: i64,
}

impl Tracking {
    fn read(conn: &rusqlite::Connection, id: Option<i64>) -> Result<Tracking, StoreError> {
        let (on, ordered, stock) = match id {
            Some(id) => {
                let p = products::get(conn, id)?;
                (p.track_stock, products::was_ordered(conn, id)?, p.stock)
            }
            None => (true, false, 0),
        };
        Ok(Tracking {
            on,
            original: on,
            ordered,
            stock,
        })
    }

    fn ui(&mut self, ui: &mut egui::Ui) {
        ui.label("");
        let why_fixed = if self.ordered {
            "This product was ordered: whether it tracks stock stays as it was.".to_owned()
        } else {
            format!(
                "It has {} in stock: adjust its stock to 0 first.",
                self.stock
            )
        };
        // A new product, or one with no stock (or not tracking it), that was never ordered.
        let free = !self.ordered && (self.stock == 0 || !self.original);
        ui.add_enabled(free, egui::Checkbox::new(&mut self.on, "Tracks stock"))
            .on_hover_text(
                "Untick for a gift card, a download or a service: its orders take no stock.",
            )
            .on_disabled_hover_text(why_fixed);
        ui.end_row();
    }
}

/// A product's own lead time and cover days as typed (empty: the shop's).
struct ReorderDays {
    lead: String,
    cover: String,
    original: (String, String),
    shop: reorder::ReorderSettings,
}

impl ReorderDays {
    fn read(conn: &rusqlite::Connection, id: Option<i64>) -> Result<ReorderDays, StoreError> {
        let (lead, cover) = match id {
            Some(id) => reorder::product_days(conn, id)?,
            None => (None, None),
        };
        let text = |d: Option<i64>| d.map(|d| d.to_string()).unwrap_or_default();
        Ok(ReorderDays {
            lead: text(lead),
            cover: text(cover),
            original: (text(lead), text(cover)),
            shop: reorder::settings(conn)?,
        })
    }

    fn changed(&self) -> bool {
        (self.lead.clone(), self.cover.clone()) != self.original
    }

    fn ui(&mut self, ui: &mut egui::Ui) {
        for (label, value, shop) in [
            ("Lead time (days)", &mut self.lead, self.shop.lead_days),
            ("Cover (days)", &mut self.cover, self.shop.cover_days),
        ] {
            let id = ui.label(label).id;
            ui.add(
                egui::TextEdit::singleline(value)
                    .hint_text(format!("the shop's: {shop}"))
                    .desired_width(120.0),
            )
            .labelled_by(id)
            .on_hover_text("For the reorder list (Insights); empty: the shop's, set in Insights.");
            ui.end_row();
        }
    }

    /// The days typed, or a sentence saying which is wrong.
    fn parse(&self) -> Result<(Option<i64>, Option<i64>), String> {
        let one = |what: &str, text: &str| -> Result<Option<i64>, String> {
            let t = text.trim();
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<i64>() {
                Ok(d) if (0..=reorder::MAX_DAYS).contains(&d) => Ok(Some(d)),
                _ => Err(format!(
                    "The {what} \"{t}\" is not a number of days from 0 to {}; leave it empty for the shop's.",
                    reorder::MAX_DAYS
                )),
            }
        };
        Ok((one("lead time", &self.lead)?, one("cover", &self.cover)?))
    }
}

/// The "Tax rate" choice: the shop's rates, or "No tax".
struct TaxChoice {
    rates: Vec<TaxRate>,
    chosen: Option<i64>,
    original: Option<i64>,
}

impl TaxChoice {
    fn read(conn: &rusqlite::Connection, id: Option<i64>) -> Result<TaxChoice, StoreError> {
        let chosen = match id {
            Some(id) => tax::product_rate(conn, id)?,
            None => tax::settings(conn)?.default_rate,
        };
        Ok(TaxChoice {
            rates: tax::rates(conn)?,
            chosen,
            original: chosen,
        })
    }

    fn label(&self, id: Option<i64>) -> String {
        match id.and_then(|id| self.rates.iter().find(|r| r.id == id)) {
            Some(r) => crate::ui::widgets::decimal_text(&r.label()),
            None => "No tax".to_owned(),
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui) {
        let label = ui.label("Tax rate").id;
        let mut chosen = self.chosen;
        egui::ComboBox::from_id_salt("product_tax_rate")
            .selected_text(self.label(chosen))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, "No tax");
                for r in &self.rates {
                    if !r.archived || Some(r.id) == self.chosen {
                        ui.selectable_value(
                            &mut chosen,
                            Some(r.id),
                            crate::ui::widgets::decimal_text(&r.label()),
                        );
                    }
                }
            })
            .response
            .labelled_by(label)
            .on_hover_text("Orders take the rate as sold; change the rates in Settings.");
        self.chosen = chosen;
        ui.end_row();
    }
}

impl ProductForm {
    /// Whether anything was typed into the form since it opened.
    pub fn unsaved(&self) -> bool {
        self.draft != self.original
            || self.tax.as_ref().is_some_and(|t| t.chosen != t.original)
            || self.days.as_ref().is_some_and(ReorderDays::changed)
            || self.tracking.as_ref().is_some_and(|t| t.on != t.original)
    }

    pub(super) fn new(id: Option<i64>, draft: ProductDraft) -> Self {
        ProductForm {
            id,
            original: draft.clone(),
            draft,
            touched: Vec::new(),
            sku_check: UniqueCheck::default(),
            store_errors: FieldErrors::default(),
            error: None,
            focus_pending: true,
            discard: DiscardGuard::default(),
            tax: None,
            days: None,
            tracking: None,
        }
    }

    fn errors(&mut self, ctx: &PanelCtx) -> (Result<NewProduct, FieldErrors>, FieldErrors) {
        let validated = self.draft.validate(&ctx.settings.currency);
        let mut errors = validated.clone().err().unwrap_or_default();
        self.sku_check.check(
            &mut errors,
            "sku",
            &self.draft.sku,
            "another product already has this SKU",
            |sku| products::sku_taken(ctx.store.conn(), sku, self.id),
        );
        for (field, message) in &self.store_errors.0 {
            if errors.get(field).is_none() {
                errors.add(field, message.clone());
            }
        }
        (validated, errors)
    }

    pub(super) fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> FormResult {
        let mut result = FormResult::Open;
        let title = if self.id.is_some() {
            "Edit product"
        } else {
            "New product"
        };
        let symbol = ctx.settings.currency.symbol.clone();
        if self.tax.is_none() {
            match TaxChoice::read(ctx.store.conn(), self.id) {
                Ok(t) => self.tax = Some(t),
                Err(e) => {
                    self.error = Some(format!("The tax rates could not be read: {e}"));
                    self.tax = Some(TaxChoice {
                        rates: Vec::new(),
                        chosen: None,
                        original: None,
                    });
                }
            }
        }
        if self.tracking.is_none() {
            match Tracking::read(ctx.store.conn(), self.id) {
                Ok(t) => self.tracking = Some(t),
                Err(e) => self.error = Some(format!("The product could not be read: {e}")),
            }
        }
        if self.days.is_none() {
            match ReorderDays::read(ctx.store.conn(), self.id) {
                Ok(d) => self.days = Some(d),
                Err(e) => self.error = Some(format!("The reorder days could not be read: {e}")),
            }
        }
        let modal = crate::ui::widgets::form::form_modal("product_form").show(ectx, |ui| {
            ui.set_width(480.0);
            ui.heading(title);
            ui.add_space(8.0);
            let (validated, errors) = self.errors(ctx);
            let before = self.draft.clone();
            egui::Grid::new("product_form_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let t = &mut self.touched;
                    let d = &mut self.draft;
                    let sku = text_row(ui, "SKU", "sku", &mut d.sku, &errors, t, "MUG-001");
                    if std::mem::take(&mut self.focus_pending) {
                        sku.request_focus();
                    }
                    text_row(ui, "Name", "name", &mut d.name, &errors, t, "Blue mug");
                    text_row(
                        ui,
                        "Category",
                        "category",
                        &mut d.category,
                        &errors,
                        t,
                        "Kitchen",
                    );
                    text_row(
                        ui,
                        &format!("Price ({symbol})"),
                        "price",
                        &mut d.price,
                        &errors,
                        t,
                        &crate::ui::widgets::decimal_text("12.50"),
                    );
                    text_row(
                        ui,
                        &format!("Cost ({symbol})"),
                        "cost",
                        &mut d.cost,
                        &errors,
                        t,
                        "what you pay; optional",
                    );
                    if let Some(t) = &mut self.tax {
                        t.ui(ui);
                    }
                    let tracked = self.tracking.as_ref().is_none_or(|t| t.on);
                    if let Some(tracking) = &mut self.tracking {
                        tracking.ui(ui);
                    }
                    if !tracked {
                        ui.label("Stock");
                        ui.weak("not tracked");
                        ui.end_row();
                    } else if self.id.is_none() {
                        text_row(ui, "Opening stock", "stock", &mut d.stock, &errors, t, "0");
                    } else {
                        ui.label("Stock");
                        ui.weak(format!("{} (change it with Adjust stock)", d.stock));
                        ui.end_row();
                    }
                    text_row(
                        ui,
                        "Reorder level",
                        "reorder_level",
                        &mut d.reorder_level,
                        &errors,
                        t,
                        "5",
                    );
                    if let Some(days) = &mut self.days {
                        days.ui(ui);
                    }
                    text_row(
                        ui,
                        "Description",
                        "description",
                        &mut d.description,
                        &errors,
                        t,
                        "optional",
                    );
                });
            if self.draft != before {
                self.store_errors = FieldErrors::default();
                self.error = None;
            }
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(8.0);
            let valid = validated.is_ok() && errors.is_empty();
            ui.horizontal(|ui| {
                let save = ui
                    .add_enabled(valid, egui::Button::new("Save"))
                    .on_disabled_hover_text("Fix the fields marked in red first.");
                let enter = enter_pressed(ui);
                if enter && !valid {
                    self.touched.extend(errors.0.iter().map(|(f, _)| *f));
                }
                if (save.clicked() || enter)
                    && valid
                    && let Ok(new) = &validated
                {
                    let id = self.id;
                    let rate = self.tax.as_ref().and_then(|t| t.chosen);
                    let track = self.tracking.as_ref().map(|t| t.on);
                    // A new product that does not track stock opens with none.
                    let mut new = new.clone();
                    if id.is_none() && track == Some(false) {
                        new.stock = 0;
                    }
                    let new = &new;
                    let days = match self.days.as_ref().map(ReorderDays::parse) {
                        Some(Ok(days)) => Some(days),
                        Some(Err(e)) => {
                            self.error = Some(e);
                            return;
                        }
                        None => None,
                    };
                    let saved = ctx.write_or_return(
                        |tx| {
                            let id = match id {
                                Some(id) => products::update(tx, id, new).map(|()| id)?,
                                None => products::insert(tx, new)?,
                            };
                            tax::set_product_rate(tx, id, rate)?;
                            if let Some(track) = track {
                                products::set_track_stock(tx, id, track)?;
                            }
                            if let Some((lead, cover)) = days {
                                reorder::set_product_days(tx, id, lead, cover)?;
                            }
                            Ok(id)
                        },
                        |_| format!("Saved {} ({}).", new.name, new.sku),
                    );
                    match saved {
                        Ok(id) => result = FormResult::Saved(id),
                        Err(StoreError::Invalid(e)) => {
                            self.touched.extend(e.0.iter().map(|(f, _)| *f));
                            self.store_errors = e;
                        }
                        Err(e) => self.error = Some(e.to_string()),
                    }
                }
                if ui.button("Cancel").clicked() {
                    result = FormResult::Cancelled;
                }
            });
        });
        let changed = self.unsaved();
        if matches!(result, FormResult::Open)
            && self.discard.closes(ectx, modal.should_close(), changed)
        {
            result = FormResult::Cancelled;
        }
        result
    }
}

/// "Adjust stock": a signed quantity, a reason and a note.
pub(super) struct AdjustForm {
    product_id: i64,
    name: String,
    stock: i64,
    quantity: String,
    reason: MovementReason,
    /// Whether the user picked the reason (else it follows the quantity's sign).
    reason_picked: bool,
    note: String,
    touched: bool,
    error: Option<String>,
    focus_pending: bool,
}

impl AdjustForm {
    pub(super) fn new(p: &Product) -> Self {
        AdjustForm {
            product_id: p.id,
            name: p.name.clone(),
            stock: p.stock,
            quantity: String::new(),
            reason: MovementReason::Received,
            reason_picked: false,
            note: String::new(),
            touched: false,
            error: None,
            focus_pending: true,
        }
    }

    fn check(&self) -> Result<i64, String> {
        let change = parse_count(&self.quantity, true)?;
        if change == 0 {
            return Err("enter how many came in (12) or went out (-3)".into());
        }
        if self.stock + change < 0 {
            return Err(format!(
                "only {} in stock; cannot take out {}",
                self.stock, -change
            ));
        }
        self.reason.fits(change)?;
        Ok(change)
    }

    /// Returns true when the dialog is done (saved or cancelled).
    pub(super) fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> bool {
        let mut done = false;
        let modal = crate::ui::widgets::form::form_modal("adjust_stock").show(ectx, |ui| {
            ui.set_width(420.0);
            ui.heading(format!("Adjust stock: {}", self.name));
            ui.add_space(8.0);
            let checked = self.check();
            egui::Grid::new("adjust_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let label_id = ui.label("Quantity").id;
                    ui.vertical(|ui| {
                        let r = ui.add(
                            egui::TextEdit::singleline(&mut self.quantity)
                                .hint_text("12 in, or -3 out")
                                .desired_width(120.0),
                        );
                        let r = r.labelled_by(label_id);
                        if std::mem::take(&mut self.focus_pending) {
                            r.request_focus();
                        }
                        if r.changed() {
                            self.touched = true;
                            self.error = None;
                            // Until a reason is picked, units taken out are a
                            // correction and units in were received.
                            if !self.reason_picked {
                                self.reason = match parse_count(&self.quantity, true) {
                                    Ok(n) if n < 0 => MovementReason::Correction,
                                    _ => MovementReason::Received,
                                };
                            }
                        }
                        if self.touched
                            && let Err(e) = &checked
                        {
                            ui.colored_label(ui.visuals().error_fg_color, e);
                        }
                    });
                    ui.end_row();
                    let label_id = ui.label("Reason").id;
                    egui::ComboBox::from_id_salt("adjust_reason")
                        .selected_text(self.reason.label())
                        // "Returned by a customer" whole.
                        .width(190.0)
                        .show_ui(ui, |ui| {
                            for r in MovementReason::MANUAL {
                                if ui
                                    .selectable_value(&mut self.reason, r, r.label())
                                    .clicked()
                                {
                                    self.reason_picked = true;
                                    self.error = None;
                                }
                            }
                        })
                        .response
                        .labelled_by(label_id);
                    ui.end_row();
                    let label_id = ui.label("Note").id;
                    ui.add(
                        egui::TextEdit::singleline(&mut self.note)
                            .hint_text("optional")
                            .desired_width(240.0),
                    )
                    .labelled_by(label_id);
                    ui.end_row();
                    ui.label("Stock");
                    match &checked {
                        Ok(change) => ui.label(format!(
                            "New stock: {} (was {})",
                            self.stock + change,
                            self.stock
                        )),
                        Err(_) => ui.label(self.stock.to_string()),
                    };
                    ui.end_row();
                });
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let save = ui.add_enabled(checked.is_ok(), egui::Button::new("Save"));
                let enter = enter_pressed(ui);
                if enter {
                    self.touched = true;
                }
                if (save.clicked() || enter)
                    && let Ok(change) = checked
                {
                    let note = self.note.trim();
                    let note = (!note.is_empty()).then_some(note);
                    let (id, reason, name) = (self.product_id, self.reason, &self.name);
                    match ctx.write_or_return(
                        |tx| stock::adjust(tx, id, change, reason, note),
                        |after| format!("Stock of {name} is now {after}."),
                    ) {
                        Ok(_) => done = true,
                        Err(e) => self.error = Some(e.to_string()),
                    }
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
        done || modal.should_close()
    }
}
