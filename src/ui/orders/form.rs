//! The order form: a new order, or the lines of a pending one, each line
//! with its discount; the order's discount, shipping, address and date and
//! the breakdown as typed are in `terms`.

use super::terms::{breakdown_ui, date_error, name_field, order_time, terms_ui};
use crate::domain::{Money, OrderDraft, OrderLineDraft};
use crate::store::customers;
use crate::store::orders::{self, OrderDetail, Placement, order_number};
use crate::store::products::{self, ProductQuery};
use crate::ui::app::commands::PanelCtx;
use crate::ui::widgets::form::{DiscardGuard, FormResult, enter_pressed, select_number_on_focus};
use crate::ui::widgets::form::{form_modal, form_top};

/// The new-order form (or the lines of a pending order).
/// What a line may ask of a product that does not track stock (a gift card): no limit.
const UNLIMITED: i64 = i64::MAX;

/// Whether a product can go on an order: it is in stock, or does not track stock.
/// A line's total as typed: its quantity times its price, less its own
/// discount (the order discount is shared out in the breakdown below).
fn line_total(l: &crate::domain::OrderLineDraft, currency: &crate::domain::Currency) -> String {
    let line = crate::domain::OrderLine {
        quantity: crate::domain::parse_count(&l.quantity, false).unwrap_or(0),
        unit_price: match currency.parse(&l.unit_price) {
            Ok(p) => p,
            Err(_) => return String::new(),
        },
        discount: match crate::domain::order::parse_discount(&l.discount, currency) {
            Ok(d) => d,
            Err(_) => return String::new(),
        },
        ..Default::default()
    };
    match crate::domain::pricing::figures(&[line], &Default::default()) {
        Ok(f) if line.quantity > 0 => f
            .lines
            .first()
            .map(|lf| currency.format(Money(lf.gross - lf.discount)))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn sellable(p: &crate::domain::Product) -> bool {
    !p.track_stock || p.stock > 0
}

pub(super) struct OrderForm {
    /// The order being edited; None for a new one.
    editing: Option<i64>,
    draft: OrderDraft,
    customer_name: String,
    customer_search: String,
    /// The customers matching the search (or why they could not be read).
    customer_matches: Option<(String, Result<Vec<customers::CustomerPick>, String>)>,
    product_search: String,
    /// The products matching the search (or why they could not be read).
    product_matches: Option<(String, Result<Vec<crate::domain::Product>, String>)>,
    error: Option<String>,
    focus_pending: bool,
    /// Put the focus in "Add product" next frame (after a customer or a
    /// product was taken with Enter, ready for the next scan).
    product_focus_pending: bool,
    /// Whether Enter was taken this frame by Customer or Add product (it
    /// picks there, and does not place the order).
    enter_taken: bool,
    /// Whether the pointer was over the list of matches last frame (it
    /// stays open for the click that picks one, which takes the keyboard
    /// from the field).
    matches_hovered: bool,
    /// The match Up and Down in "Add product" chose (Enter adds it).
    product_pick: Option<usize>,
    /// The draft as the form opened (None until the first frame: an edited
    /// order's lines are filled in after `new`).
    original: Option<OrderDraft>,
    discard: DiscardGuard,
    /// The tax terms the order is priced on: the shop's for a new order
    /// (read on the first frame), the order's own when editing.
    base: Option<crate::domain::Terms>,
    /// The day a new order was taken (an order taken by phone); None: now.
    date: Option<String>,
    /// Its time that day, 'HH:MM' (empty: the time it is placed).
    time: String,
    /// The chosen customer's address (read once per customer), shown in
    /// "Ship to" as where the order goes unless another address is typed.
    customer_address: Option<(i64, String)>,
}

impl OrderForm {
    pub(super) fn new(customer: Option<(i64, String)>) -> Self {
        let (customer_id, customer_name) = match customer {
            Some((id, name)) => (Some(id), name),
            None => (None, String::new()),
        };
        OrderForm {
            editing: None,
            draft: OrderDraft {
                customer_id,
                ..Default::default()
            },
            customer_name,
            customer_search: String::new(),
            customer_matches: None,
            product_search: String::new(),
            product_matches: None,
            error: None,
            focus_pending: true,
            product_focus_pending: false,
            enter_taken: false,
            matches_hovered: false,
            product_pick: None,
            original: None,
            discard: DiscardGuard::default(),
            base: None,
            date: None,
            time: String::new(),
            customer_address: None,
        }
    }

    pub(super) fn edit(d: &OrderDetail, currency: &crate::domain::Currency) -> Self {
        let mut form = OrderForm::new(Some((
            d.summary.customer_id,
            d.summary.customer_name.clone(),
        )));
        form.editing = Some(d.summary.id);
        form.draft.note = d.note.clone().unwrap_or_default();
        form.base = Some(d.money.terms.clone());
        form.draft.discount = crate::domain::order::discount_text(d.money.terms.discount, currency);
        form.draft.discount_code = d.money.discount_code.clone().unwrap_or_default();
        form.draft.ship_to = d.money.own_ship_to.clone().unwrap_or_default();
        if d.money.terms.shipping.0 > 0 {
            form.draft.shipping = currency.format_input(d.money.terms.shipping);
        }
        for l in &d.lines {
            let held: i64 = d
                .lines
                .iter()
                .filter(|x| x.product_id == l.product_id)
                .map(|x| x.quantity)
                .sum();
            form.draft.lines.push(OrderLineDraft {
                product_id: l.product_id,
                sku: l.sku.clone(),
                name: l.name.clone(),
                quantity: l.quantity.to_string(),
                unit_price: currency.format_input(l.unit_price),
                discount: crate::domain::order::discount_text(l.discount, currency),
                tax_rate: l.tax_rate,
                unit_cost: l.unit_cost,
                available: if l.track_stock {
                    l.stock + held
                } else {
                    UNLIMITED
                },
            });
        }
        form
    }

    pub(super) fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> FormResult {
        let mut result = FormResult::Open;
        let currency = ctx.settings.currency.clone();
        let title = match self.editing {
            Some(id) => format!("Edit order {}", order_number(id)),
            None => "New order".to_owned(),
        };
        let modal = form_modal("order_form").show(ectx, |ui| {
            ui.set_width(700.0);
            ui.heading(title);
            ui.add_space(6.0);
            let base = self
                .base
                .get_or_insert_with(|| crate::store::tax::base_terms(ctx.store.conn()).unwrap_or_default())
                .clone();
            let validated = self.draft.validate(&currency, &base);
            let errors = validated.clone().err().unwrap_or_default();
            self.enter_taken = false;
            self.customer_ui(ui, ctx);
            ui.add_space(6.0);
            self.add_product_ui(ui, ctx);
            ui.add_space(6.0);
            let mut remove = None;
            // The lines scroll once they are taller than the window leaves
            // them (an order of many lines at 1024x600), the line just added
            // in sight, so the product search above, the total and "Place
            // order" below always stay in sight.
            let room = (ui.ctx().content_rect().height() - 430.0 - form_top()).max(120.0);
            egui::ScrollArea::vertical().max_height(room).stick_to_bottom(true).show(ui, |ui| {
            egui::Grid::new("order_form_lines").num_columns(6).spacing([10.0, 6.0]).show(ui, |ui| {
                ui.weak("Product");
                ui.weak("Quantity");
                ui.weak(format!("Unit price ({})", currency.symbol.trim()));
                ui.weak("Discount").on_hover_text("A percent such as 10% or an amount such as 2.00 off this line");
                ui.weak("Line total");
                ui.label("");
                ui.end_row();
                for (i, l) in self.draft.lines.iter_mut().enumerate() {
                    let name_id = ui.label(format!("{} {}", l.sku, l.name)).id;
                    ui.vertical(|ui| {
                        ui.set_width(100.0);
                        let field = egui::TextEdit::singleline(&mut l.quantity).desired_width(60.0).show(ui);
                        select_number_on_focus(ui.ctx(), field, &l.quantity, true).labelled_by(name_id);
                        if let Some(e) = errors.line(i, "quantity") {
                            line_error(ui, e);
                        }
                    });
                    ui.vertical(|ui| {
                        ui.set_width(120.0);
                        let field = egui::TextEdit::singleline(&mut l.unit_price).desired_width(80.0).show(ui);
                        select_number_on_focus(ui.ctx(), field, &l.unit_price, true)
                            .on_hover_text("The price this customer pays; changing it never changes the product's price.");
                        if let Some(e) = errors.line(i, "unit_price") {
                            line_error(ui, e);
                        }
                    });
                    ui.vertical(|ui| {
                        ui.set_width(120.0);
                        let field = ui.add(
                            egui::TextEdit::singleline(&mut l.discount).hint_text("none").desired_width(80.0),
                        );
                        name_field(ui, &field, &format!("Discount on {}", l.sku));
                        if let Some(e) = errors.line(i, "discount") {
                            line_error(ui, e);
                        }
                    });
                    ui.label(line_total(l, &currency));
                    if ui.small_button("×").on_hover_text("Remove this line").clicked() {
                        remove = Some(i);
                    }
                    ui.end_row();
                }
            });
            });
            if let Some(i) = remove {
                self.draft.lines.remove(i);
            }
            if self.draft.lines.is_empty() {
                ui.weak("No products yet: search above and click one to add it.");
            }
            ui.horizontal(|ui| {
                let label = ui.label("Note").id;
                ui.add(egui::TextEdit::singleline(&mut self.draft.note).hint_text("optional").desired_width(420.0))
                    .labelled_by(label);
            });
            let address = self.customer_address(ctx);
            terms_ui(ui, &mut self.draft, self.editing.is_none().then_some((&mut self.date, &mut self.time)), &address, &currency);
            let time = order_time(&self.time, self.date.as_deref());
            let date_problem = date_error(self.date.as_ref())
                .or_else(|| time.as_ref().err().filter(|_| self.date.is_some()).cloned());
            // Before it can be placed (no customer yet, too little stock),
            // the figures of what is typed so far, tax and shipping included.
            let figures = match &validated {
                Ok(order) => order.figures().ok(),
                Err(_) => self.draft.preview(&currency, &base),
            };
            ui.add_space(4.0);
            breakdown_ui(ui, figures.as_ref(), base.tax_included, &currency);
            if let Some(e) = &date_problem {
                ui.colored_label(ui.visuals().error_fg_color, format!("The order date: {e}"));
            }
            if let Some(g) = &errors.general
                && !self.draft.lines.is_empty()
            {
                ui.colored_label(ui.visuals().error_fg_color, g);
            }
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let label = if self.editing.is_some() { "Save changes" } else { "Place order" };
                let place = ui
                    .add_enabled(validated.is_ok() && date_problem.is_none(), egui::Button::new(label))
                    .on_disabled_hover_text("Choose a customer and add products first.");
                // Enter in a field places it, as the button does (not in
                // Customer or Add product, whose Enter picks; nor on a
                // focused button, whose Enter is its own).
                let enter = !self.enter_taken && enter_pressed(ui);
                if (place.clicked() || enter)
                    && date_problem.is_none()
                    && let Ok(order) = &validated
                {
                    let editing = self.editing;
                    // An order taken on another day: that day, at the time
                    // typed (else at this time).
                    let at_time = time.clone().unwrap_or_else(|_| chrono::Local::now().format("%H:%M:%S").to_string());
                    let how = Placement {
                        at: self.date.clone().map(|d| (d, at_time)),
                        ..Placement::default()
                    };
                    let saved = ctx.write_or_return(
                        |tx| match editing {
                            Some(id) => orders::edit(tx, id, order).map(|()| id),
                            None => orders::place(tx, order, &how),
                        },
                        |&id| match editing {
                            Some(_) => format!("Order {} saved.", order_number(id)),
                            None => format!("Order {} placed for {}.", order_number(id), currency.format(order.total())),
                        },
                    );
                    match saved {
                        Ok(id) => result = FormResult::Saved(id),
                        Err(e) => self.error = Some(e.to_string()),
                    }
                }
                if ui.button("Cancel").clicked() {
                    result = FormResult::Cancelled;
                }
            });
        });
        self.original.get_or_insert_with(|| self.draft.clone());
        let changed = self.unsaved();
        if matches!(result, FormResult::Open)
            && self.discard.closes(ectx, modal.should_close(), changed)
        {
            result = FormResult::Cancelled;
        }
        result
    }

    /// Whether anything was typed into the form since it opened.
    pub fn unsaved(&self) -> bool {
        self.original.as_ref().is_some_and(|o| self.draft != *o)
    }

    /// What the form holds, in words.
    pub fn what(&self) -> &'static str {
        if self.editing.is_some() {
            "the order you are changing"
        } else {
            "the new order"
        }
    }

    /// The chosen customer's address, as one text ("the customer's address"
    /// when there is none or it cannot be read).
    fn customer_address(&mut self, ctx: &PanelCtx) -> String {
        let fallback = "the customer's address".to_owned();
        let Some(id) = self.draft.customer_id else {
            return fallback;
        };
        if self.customer_address.as_ref().is_none_or(|(i, _)| *i != id) {
            let text = customers::get(ctx.store.conn(), id)
                .map(|c| {
                    let part = |t: Option<String>| t.unwrap_or_default();
                    crate::domain::address::lines(
                        "",
                        &part(c.address),
                        &part(c.postal_code),
                        &part(c.city),
                        &part(c.country),
                        &ctx.settings.country,
                    )
                    .join("\n")
                })
                .unwrap_or_default();
            self.customer_address = Some((id, text));
        }
        match &self.customer_address {
            Some((_, text)) if !text.is_empty() => text.clone(),
            _ => fallback,
        }
    }

    fn customer_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let mut entered = false;
        ui.horizontal(|ui| {
            let label = ui.label("Customer").id;
            if self.draft.customer_id.is_some() {
                ui.strong(&self.customer_name);
                if self.editing.is_none() && ui.small_button("Change").clicked() {
                    self.draft.customer_id = None;
                    self.focus_pending = true;
                }
                return;
            }
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.customer_search)
                        .hint_text("type a name, email or phone, then Enter")
                        .desired_width(300.0),
                )
                .labelled_by(label);
            if std::mem::take(&mut self.focus_pending) {
                r.request_focus();
            }
            entered = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        });
        self.enter_taken |= entered;
        if self.draft.customer_id.is_some() {
            return;
        }
        let search = self.customer_search.trim().to_owned();
        if self
            .customer_matches
            .as_ref()
            .is_none_or(|(s, _)| *s != search)
        {
            let found =
                customers::pick_customers(ctx.store.conn(), &search, 8).map_err(|e| e.to_string());
            self.customer_matches = Some((search, found));
        }
        if let Some((_, found)) = &self.customer_matches {
            let found = match found {
                Ok(found) => found,
                Err(e) => {
                    let text = format!("Could not search the customers: {e}");
                    ui.colored_label(ui.visuals().error_fg_color, text);
                    return;
                }
            };
            if found.is_empty() && !self.customer_search.trim().is_empty() {
                ui.weak(crate::ui::widgets::picker::NO_MATCH);
            }
            // Enter takes the first match (the only one, after a precise search).
            let mut chosen = found
                .first()
                .filter(|_| entered)
                .map(|c| (c.id, c.name.clone()));
            for c in found {
                let text = match &c.email {
                    Some(e) => format!("{}  ·  {e}", c.name),
                    None => c.name.clone(),
                };
                if ui.selectable_label(false, text).clicked() {
                    chosen = Some((c.id, c.name.clone()));
                }
            }
            if let Some((id, name)) = chosen {
                self.draft.customer_id = Some(id);
                self.customer_name = name;
                self.product_focus_pending = true;
            }
        }
    }

    fn add_product_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let entered = ui
            .horizontal(|ui| {
                let label = ui.label("Add product").id;
                let r = ui
                    .add(
                        // A steady id: the customer row above changes its widgets
                        // when one is chosen, and the focus must stay here.
                        egui::TextEdit::singleline(&mut self.product_search)
                            .id_salt("order_form_product_search")
                            .hint_text("SKU or name, then Enter")
                            .desired_width(300.0),
                    )
                    .labelled_by(label);
                if std::mem::take(&mut self.product_focus_pending) {
                    r.request_focus();
                }
                let entered = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let step = crate::ui::widgets::list::arrows(ui, &r);
                (entered, r.rect, r.has_focus(), step)
            })
            .inner;
        let (entered, field, focused, step) = entered;
        self.enter_taken |= entered;
        let search = self.product_search.trim().to_owned();
        if search.is_empty() {
            self.product_focus_pending |= entered;
            self.matches_hovered = false;
            return;
        }
        if self
            .product_matches
            .as_ref()
            .is_none_or(|(s, _)| *s != search)
        {
            let q = ProductQuery {
                search: search.clone(),
                ..Default::default()
            };
            // One more than is shown, to say that more match.
            let found =
                products::page(ctx.store.conn(), &q, 0, MATCHES + 1).map_err(|e| e.to_string());
            self.product_matches = Some((search.clone(), found));
            self.product_pick = None;
        }
        let currency = &ctx.settings.currency;
        let mut add = None;
        if let Some((_, found)) = &self.product_matches {
            let found = match found {
                Ok(found) => found,
                Err(e) => {
                    let text = format!("Could not search the products: {e}");
                    ui.colored_label(ui.visuals().error_fg_color, text);
                    return;
                }
            };
            let more = found.len() > MATCHES;
            let found = &found[..found.len().min(MATCHES)];
            // Up and Down choose among the matches (a keyboard tryout could
            // only take the first); Up from the first chooses none again.
            if step != 0 && !found.is_empty() {
                self.product_pick = match self.product_pick {
                    None if step > 0 => Some(0),
                    Some(0) if step < 0 => None,
                    Some(i) => Some(i.saturating_add_signed(step).min(found.len() - 1)),
                    None => None,
                };
            }
            let picked = self.product_pick.and_then(|i| found.get(i));
            if entered {
                // The match chosen with Up and Down; else, as a scanner types
                // the SKU then Enter: the product with that SKU, else the
                // first match in stock.
                let sku = search.to_lowercase();
                add = picked
                    .filter(|p| sellable(p))
                    .or_else(|| {
                        found
                            .iter()
                            .filter(|p| sellable(p))
                            .find(|p| p.sku.to_lowercase() == sku)
                    })
                    .or_else(|| found.iter().find(|p| sellable(p)))
                    .cloned();
                self.product_focus_pending = true;
            }
            // The matches drop down over the form below the field, as a
            // list box's do, while the field has the keyboard (or the
            // pointer is on them): listed in the form, they pushed the lines,
            // note, discount and Place order down and back as one typed.
            if focused || self.matches_hovered {
                let shown = egui::Area::new(egui::Id::unique("order_form_product_matches"))
                    .order(egui::Order::Foreground)
                    .fixed_pos(field.left_bottom() + egui::vec2(0.0, 2.0))
                    .show(ui.ctx(), |ui| {
                        egui::Frame::popup(ui.style()).show(ui, |ui| {
                            ui.set_min_width(field.width());
                            if found.is_empty() {
                                ui.weak("No product matches.");
                            }
                            for (i, p) in found.iter().enumerate() {
                                let stock = if p.track_stock {
                                    format!("{} in stock", p.stock)
                                } else {
                                    "stock not tracked".to_owned()
                                };
                                let text = format!(
                                    "{}  {}  ·  {}  ·  {stock}",
                                    p.sku,
                                    p.name,
                                    currency.format(p.price),
                                );
                                let r = ui.add_enabled(
                                    sellable(p),
                                    egui::Button::selectable(self.product_pick == Some(i), text),
                                );
                                if r.on_disabled_hover_text("Out of stock").clicked() {
                                    add = Some(p.clone());
                                }
                            }
                            if more {
                                ui.weak(format!(
                                    "More than {MATCHES} match: type more of the SKU or name."
                                ));
                            }
                        });
                    });
                self.matches_hovered = shown.response.contains_pointer();
            }
        }
        if let Some(p) = add {
            match self.draft.lines.iter_mut().find(|l| l.product_id == p.id) {
                Some(line) => {
                    let q = crate::domain::parse_count(&line.quantity, false).unwrap_or(0);
                    line.quantity = (q + 1).to_string();
                }
                None => {
                    let (tax_rate, unit_cost) =
                        crate::store::tax::line_terms(ctx.store.conn(), p.id)
                            .unwrap_or((crate::domain::Rate::ZERO, p.cost));
                    self.draft.lines.push(OrderLineDraft {
                        product_id: p.id,
                        sku: p.sku.clone(),
                        name: p.name.clone(),
                        quantity: "1".into(),
                        unit_price: currency.format_input(p.price),
                        discount: String::new(),
                        tax_rate,
                        unit_cost,
                        available: if p.track_stock { p.stock } else { UNLIMITED },
                    });
                }
            }
            self.product_search.clear();
            self.product_pick = None;
            // Back to the field for the next product, however it was picked.
            self.product_focus_pending = true;
            self.matches_hovered = false;
        }
    }
}

/// How many products "Add product" lists as one types.
const MATCHES: usize = 8;

/// A line field's message, under the field, wrapped to its column. The
/// columns of the fields are wider than the fields themselves, so that a
/// message reads on a line or two ("only 96 in stock") rather than a word
/// a line, and the same width with or without one, so that a message does
/// not move the fields beside it.
fn line_error(ui: &mut egui::Ui, message: &str) {
    ui.add(
        egui::Label::new(egui::RichText::new(message).color(ui.visuals().error_fg_color)).wrap(),
    );
}
