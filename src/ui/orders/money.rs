//! The order detail's money dialogs: "Mark paid…" (method and date),
//! "Record payment…" (amount, method, date, note), "Ship…" (carrier and
//! tracking), "Refund…" (units per line back into stock or written off,
//! shipping, an amount defaulting to those units' share) and the cancel
//! confirmation that says what happens to the stock and the money. Each
//! checks what was typed first (nothing is written while a field is wrong)
//! and writes in one transaction through `PanelCtx::write_or_return`.

use crate::domain::pricing::RefundParts;
use crate::domain::{Currency, Money, OrderStatus};
use crate::store::orders::{
    self, NewPayment, OrderDetail, RefundLine, RefundRequest, order_number,
};
use crate::ui::app::commands::PanelCtx;
use crate::ui::widgets::date::{date_field, today};
use crate::ui::widgets::form::{
    confirm, enter_pressed, entered_in, focus_all, select_number_on_focus,
};

/// The dialog the detail has open, if any.
pub(super) enum MoneyDialog {
    Pay(PayDialog),
    Ship(ShipDialog),
    Refund(Box<RefundDialog>),
    End(EndDialog),
}

impl MoneyDialog {
    /// Draws the dialog; true when it is done (written or closed).
    pub(super) fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> bool {
        match self {
            MoneyDialog::Pay(d) => d.ui(ectx, ctx),
            MoneyDialog::Ship(d) => d.ui(ectx, ctx),
            MoneyDialog::Refund(d) => d.ui(ectx, ctx),
            MoneyDialog::End(d) => d.ui(ectx, ctx),
        }
    }
}

/// A labelled row of a dialog's grid holding a one-line text field.
fn field(ui: &mut egui::Ui, label: &str, text: &mut String, hint: &str) -> egui::Response {
    let id = ui.label(label).id;
    let r = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(220.0),
        )
        .labelled_by(id);
    ui.end_row();
    r
}

/// The payment method's row: the shop's methods in a list.
fn method_row(ui: &mut egui::Ui, salt: &str, method: &mut String, methods: &[String]) {
    let id = ui.label("Method").id;
    egui::ComboBox::from_id_salt(salt)
        .selected_text(method.as_str())
        .show_ui(ui, |ui| {
            for m in methods {
                ui.selectable_value(method, m.clone(), m);
            }
        })
        .response
        .labelled_by(id);
    ui.end_row();
}

fn date_row(ui: &mut egui::Ui, salt: &'static str, date: &mut String) {
    ui.label("Date");
    date_field(ui, salt, date, &today());
    ui.end_row();
}

fn error_line(ui: &mut egui::Ui, error: Option<&str>) {
    if let Some(e) = error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
}

/// The shop's payment methods, or the defaults when they cannot be read.
fn shop_methods(ctx: &PanelCtx) -> Vec<String> {
    orders::methods(ctx.store.conn()).unwrap_or_else(|_| vec!["Other".to_owned()])
}

/// Reads an amount typed into a money dialog: at least a cent, at most `most`.
fn amount_of(
    text: &str,
    currency: &Currency,
    most: Money,
    too_much: impl FnOnce(&str) -> String,
) -> Result<Money, String> {
    let m = currency.parse(text).map_err(|e| e.to_string())?;
    if m.0 <= 0 {
        return Err("enter an amount more than 0".into());
    }
    if m > most {
        return Err(too_much(&currency.format(most)));
    }
    Ok(m)
}

/// "Mark paid…" (the whole balance) or "Record payment…" (any part of it).
pub(super) struct PayDialog {
    order_id: i64,
    /// Mark paid: one payment of the balance, and the order becomes paid.
    whole: bool,
    balance: Money,
    amount: String,
    method: String,
    date: String,
    note: String,
    methods: Vec<String>,
    error: Option<String>,
    /// The amount takes the keyboard when the dialog opens.
    focus: bool,
}

impl PayDialog {
    pub(super) fn new(d: &OrderDetail, whole: bool, ctx: &PanelCtx) -> Self {
        let methods = shop_methods(ctx);
        let balance = d.money.balance.max(Money(0));
        PayDialog {
            order_id: d.summary.id,
            whole,
            balance,
            amount: ctx.settings.currency.format_input(balance),
            method: methods.first().cloned().unwrap_or_default(),
            date: today(),
            note: String::new(),
            methods,
            error: None,
            focus: true,
        }
    }

    fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> bool {
        let currency = ctx.settings.currency.clone();
        let mut done = false;
        let number = order_number(self.order_id);
        let modal = crate::ui::widgets::form::form_modal("order_pay").show(ectx, |ui| {
            ui.set_width(420.0);
            let checked = if self.whole {
                Ok(self.balance)
            } else {
                amount_of(&self.amount, &currency, self.balance, |left| {
                    format!("only {left} is left to pay on this order")
                })
            };
            if self.whole {
                ui.heading(format!("Mark order {number} paid"));
                ui.label(format!(
                    "Records one payment of {}, what is left to pay.",
                    currency.format(self.balance)
                ));
            } else {
                ui.heading(format!("Record a payment on order {number}"));
                ui.label(format!("Left to pay: {}", currency.format(self.balance)));
            }
            ui.add_space(6.0);
            // Enter in a field saves, as the button does.
            let mut entered = false;
            egui::Grid::new("order_pay_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    if !self.whole {
                        let id = ui.label("Amount").id;
                        ui.vertical(|ui| {
                            let r = egui::TextEdit::singleline(&mut self.amount)
                                .desired_width(120.0)
                                .show(ui);
                            let r = select_number_on_focus(ui.ctx(), r, &self.amount, true)
                                .labelled_by(id);
                            if std::mem::take(&mut self.focus) {
                                focus_all(ui.ctx(), &r, &self.amount);
                            }
                            entered |= entered_in(ui, &r);
                            if let Err(e) = &checked {
                                ui.colored_label(ui.visuals().error_fg_color, e);
                            }
                        });
                        ui.end_row();
                    }
                    method_row(ui, "order_pay_method", &mut self.method, &self.methods);
                    date_row(ui, "order_pay_date", &mut self.date);
                    if !self.whole {
                        let r = field(ui, "Note", &mut self.note, "optional");
                        entered |= entered_in(ui, &r);
                    }
                });
            // Mark paid has no field to type in: Enter with nothing
            // focused saves it.
            if self.whole {
                entered |= enter_pressed(ui);
            }
            error_line(ui, self.error.as_deref());
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let label = if self.whole {
                    "Mark paid"
                } else {
                    "Record payment"
                };
                let ok = ui.add_enabled(checked.is_ok(), egui::Button::new(label));
                if (ok.clicked() || entered)
                    && let Ok(amount) = checked
                {
                    let (id, whole) = (self.order_id, self.whole);
                    let payment = NewPayment {
                        amount,
                        method: self.method.clone(),
                        date: self.date.clone(),
                        note: Some(self.note.clone()).filter(|n| !n.trim().is_empty()),
                    };
                    let shown = currency.format(amount);
                    let written = ctx.write_or_return(
                        |tx| match whole {
                            true => orders::mark_paid(tx, id, &payment.method, &payment.date),
                            false => orders::record_payment(tx, id, &payment).map(|_| ()),
                        },
                        |()| format!("Payment of {shown} recorded on order {number}."),
                    );
                    match written {
                        Ok(()) => done = true,
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

/// "Ship…": the carrier and tracking number (both optional).
pub(super) struct ShipDialog {
    order_id: i64,
    carrier: String,
    tracking: String,
    error: Option<String>,
    /// The first frame gives the carrier field the keyboard.
    focus_pending: bool,
    /// The carrier the dialog offered (the order's, or the last shipment's).
    offered: String,
    /// A shipped order's carrier and tracking corrected, its status kept.
    correcting: bool,
}

impl ShipDialog {
    /// `last_carrier`: the shop's last shipment's, offered when the order
    /// names none.
    pub(super) fn new(d: &OrderDetail, last_carrier: Option<String>) -> Self {
        let carrier = d.carrier.clone().or(last_carrier).unwrap_or_default();
        ShipDialog {
            order_id: d.summary.id,
            offered: carrier.clone(),
            correcting: !matches!(
                d.summary.status,
                crate::domain::OrderStatus::Pending | crate::domain::OrderStatus::Paid
            ),
            carrier,
            tracking: d.tracking.clone().unwrap_or_default(),
            error: None,
            focus_pending: true,
        }
    }

    fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> bool {
        let mut done = false;
        let number = order_number(self.order_id);
        // Enter in a field saves, as the button does.
        let mut entered = false;
        let modal = crate::ui::widgets::form::form_modal("order_ship").show(ectx, |ui| {
            ui.set_width(400.0);
            ui.heading(if self.correcting {
                format!("Shipping of order {number}")
            } else {
                format!("Ship order {number}")
            });
            ui.add_space(6.0);
            egui::Grid::new("order_ship_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    // The carrier offered is chosen whole whenever the field
                    // gets the keyboard (as the dialog opens, a click, Tab),
                    // so typing replaces it: a tryout typed the carrier it
                    // offered after it, and shipped with "CorreosCorreos".
                    let fresh = self.carrier == self.offered;
                    let id = ui.label("Carrier").id;
                    let output = egui::TextEdit::singleline(&mut self.carrier)
                        // Whole in the field ("…the post or a co…" was cut).
                        .hint_text("optional: the post, a courier")
                        .desired_width(220.0)
                        .show(ui);
                    let carrier = crate::ui::widgets::form::select_all_on_focus(
                        ui.ctx(),
                        output,
                        &self.offered,
                        fresh,
                    )
                    .labelled_by(id);
                    ui.end_row();
                    // The keyboard goes to the first field as the dialog opens.
                    if std::mem::take(&mut self.focus_pending) {
                        crate::ui::widgets::form::focus_all(ui.ctx(), &carrier, &self.carrier);
                    }
                    let tracking = field(ui, "Tracking number", &mut self.tracking, "optional");
                    entered = entered_in(ui, &carrier) || entered_in(ui, &tracking);
                });
            error_line(ui, self.error.as_deref());
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let button = if self.correcting {
                    "Save"
                } else {
                    "Mark shipped"
                };
                if ui.button(button).clicked() || entered {
                    let id = self.order_id;
                    let (carrier, tracking) = (self.carrier.trim(), self.tracking.trim());
                    let (carrier, tracking) = (
                        Some(carrier).filter(|c| !c.is_empty()),
                        Some(tracking).filter(|t| !t.is_empty()),
                    );
                    let correcting = self.correcting;
                    let written = ctx.write_or_return(
                        |tx| {
                            if correcting {
                                orders::set_shipping(tx, id, carrier, tracking)
                            } else {
                                orders::ship(tx, id, carrier, tracking)
                            }
                        },
                        |()| {
                            if correcting {
                                format!(
                                    "Order {number}: its carrier and tracking number are saved."
                                )
                            } else {
                                format!("Order {number} is now shipped.")
                            }
                        },
                    );
                    match written {
                        Ok(()) => done = true,
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

/// The units (line id, count) and shipping a default amount was read for, and
/// the parts it gave (or why it could not be read).
type RefundDefault = (Vec<(i64, i64)>, bool, Result<RefundParts, String>);

/// One line of the refund dialog.
struct RefundRow {
    item_id: i64,
    label: String,
    left: i64,
    units: String,
    restock: bool,
    /// Whether its product tracks stock (a gift card does not: no choice
    /// of where its units go).
    tracks: bool,
}

/// "Refund…": some units of some lines, the shipping, an amount.
pub(super) struct RefundDialog {
    order_id: i64,
    rows: Vec<RefundRow>,
    has_shipping: bool,
    shipping: bool,
    /// Paid and not yet refunded: no refund may be more.
    can: Money,
    amount: String,
    /// The amount as the default gave it (typed over when different).
    amount_default: Option<Money>,
    method: String,
    date: String,
    note: String,
    methods: Vec<String>,
    /// The default parts for the units and shipping chosen (read when they change).
    default: Option<RefundDefault>,
    error: Option<String>,
}

impl RefundDialog {
    pub(super) fn new(d: &OrderDetail, ctx: &PanelCtx) -> Self {
        let methods = shop_methods(ctx);
        let last = d
            .payments
            .iter()
            .rev()
            .find(|p| !p.refund)
            .map(|p| p.method.clone());
        RefundDialog {
            order_id: d.summary.id,
            rows: d
                .lines
                .iter()
                .map(|l| RefundRow {
                    item_id: l.item_id,
                    label: format!("{} {}", l.sku, l.name),
                    left: l.quantity - l.returned,
                    units: "0".into(),
                    restock: true,
                    tracks: l.track_stock,
                })
                .collect(),
            // Shipping already given back is not offered again.
            has_shipping: d.money.shipping.0
                > d.payments
                    .iter()
                    .filter(|p| p.refund)
                    .map(|p| p.parts.shipping)
                    .sum::<i64>(),
            shipping: false,
            can: Money(d.money.paid.0 - d.money.refunded.0),
            amount: String::new(),
            amount_default: None,
            method: last
                .or_else(|| methods.first().cloned())
                .unwrap_or_default(),
            date: today(),
            note: String::new(),
            methods,
            default: None,
            error: None,
        }
    }

    /// The units asked per line, or the first line's error.
    fn units(&self) -> Result<Vec<RefundLine>, String> {
        let mut lines = Vec::new();
        for r in &self.rows {
            let n = crate::domain::parse_count(&r.units, false)
                .map_err(|e| format!("{}: {e}", r.label))?;
            if n > r.left {
                return Err(format!(
                    "{}: only {} left to refund, {n} asked",
                    r.label, r.left
                ));
            }
            if n > 0 {
                lines.push(RefundLine {
                    order_item_id: r.item_id,
                    quantity: n,
                    restock: r.restock,
                });
            }
        }
        Ok(lines)
    }

    fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> bool {
        let currency = ctx.settings.currency.clone();
        let mut done = false;
        let number = order_number(self.order_id);
        let units = self.units();
        // The default amount, read again only when the units or shipping change.
        if let Ok(lines) = &units {
            let key: Vec<(i64, i64)> = lines
                .iter()
                .map(|l| (l.order_item_id, l.quantity))
                .collect();
            let stale = self
                .default
                .as_ref()
                .is_none_or(|(k, s, _)| *k != key || *s != self.shipping);
            if stale {
                let req = RefundRequest {
                    lines: lines.clone(),
                    shipping: self.shipping,
                    ..RefundRequest::default()
                };
                let parts = orders::refund_default(ctx.store.conn(), self.order_id, &req)
                    .map_err(|e| e.to_string());
                if let Ok(p) = &parts {
                    let amount = Money(p.amount());
                    let untouched = self.amount_default.is_none_or(|d| {
                        currency.parse(&self.amount).ok() == Some(d) || self.amount.is_empty()
                    });
                    if untouched {
                        self.amount = currency.format_input(amount);
                    }
                    self.amount_default = Some(amount);
                }
                self.default = Some((key, self.shipping, parts));
            }
        }
        let can = self.can;
        let amount = currency
            .parse(&self.amount)
            .map_err(|e| e.to_string())
            .and_then(|m| {
                if m > can {
                    Err(format!(
                        "{} was paid and not yet refunded; a refund cannot be more",
                        currency.format(can)
                    ))
                } else {
                    Ok(m)
                }
            });
        let checked = match (&units, &amount) {
            (Err(e), _) => Err(e.clone()),
            (Ok(lines), Ok(m)) if lines.is_empty() && !self.shipping && m.0 == 0 => {
                Err(if self.has_shipping {
                    "choose the units to refund, the shipping, or an amount"
                } else {
                    "choose the units to refund, or an amount"
                }
                .to_owned())
            }
            (Ok(lines), Ok(m)) => Ok(RefundRequest {
                lines: lines.clone(),
                shipping: self.shipping,
                amount: Some(*m),
                method: self.method.clone(),
                date: self.date.clone(),
                note: Some(self.note.clone()).filter(|n| !n.trim().is_empty()),
            }),
            (Ok(_), Err(_)) => Err("fix the amount".to_owned()),
        };
        let modal = crate::ui::widgets::form::form_modal("order_refund").show(ectx, |ui| {
            ui.set_width(560.0);
            ui.heading(format!("Refund order {number}"));
            ui.label(format!(
                "Paid and not yet refunded: {}",
                currency.format(can)
            ));
            ui.add_space(6.0);
            // Enter in a field (units, the amount, the note) saves, as the
            // button does.
            let mut entered = false;
            egui::Grid::new("order_refund_lines")
                .num_columns(4)
                .spacing([10.0, 6.0])
                .show(ui, |ui| {
                    ui.weak("Product");
                    ui.weak("Units to refund");
                    ui.weak("Not yet refunded")
                        .on_hover_text("Units of the line sold and not refunded before");
                    ui.weak("The units");
                    ui.end_row();
                    for r in &mut self.rows {
                        let id = ui.label(&r.label).id;
                        let field = egui::TextEdit::singleline(&mut r.units)
                            .desired_width(50.0)
                            .show(ui);
                        let field = select_number_on_focus(ui.ctx(), field, &r.units, true).labelled_by(id);
                        entered |= entered_in(ui, &field);
                        ui.label(r.left.to_string());
                        if r.tracks {
                            ui.horizontal(|ui| {
                                ui.radio_value(&mut r.restock, true, "Back into stock");
                                ui.radio_value(&mut r.restock, false, "Damaged");
                            });
                        } else {
                            ui.weak("No stock kept");
                        }
                        ui.end_row();
                    }
                });
            if self.has_shipping {
                ui.checkbox(&mut self.shipping, "Refund the shipping too");
            }
            if let Err(e) = &units {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            if let Some((_, _, Err(e))) = &self.default {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(4.0);
            egui::Grid::new("order_refund_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let id = ui.label("Refund amount").id;
                    ui.vertical(|ui| {
                        let r = egui::TextEdit::singleline(&mut self.amount)
                            .desired_width(120.0)
                            .show(ui);
                        let r = select_number_on_focus(ui.ctx(), r, &self.amount, true)
                            .labelled_by(id);
                        entered |= entered_in(ui, &r);
                        r.on_hover_text("By default those units' share of what was paid for goods and tax (and the shipping when ticked); change it if you give back another amount. With units chosen, an amount over that gives back the shipping first.");
                        if let Err(e) = &amount {
                            ui.colored_label(ui.visuals().error_fg_color, e);
                        }
                        // What the default holds, as its credit note will say.
                        if let (Ok(m), Some((_, _, Ok(p)))) = (&amount, &self.default)
                            && m.0 == p.amount()
                            && m.0 > 0
                        {
                            let mut parts = format!("Goods {}", currency.format(Money(p.revenue)));
                            if p.shipping != 0 {
                                parts.push_str(&format!(
                                    ", shipping {}",
                                    currency.format(Money(p.shipping))
                                ));
                            }
                            parts.push_str(&format!(", tax {}", currency.format(Money(p.tax))));
                            ui.weak(parts);
                        } else if amount.is_ok() {
                            // Its room kept: the note below had moved down
                            // under the mouse as units were typed.
                            ui.weak(" ");
                        }
                    });
                    ui.end_row();
                    method_row(ui, "order_refund_method", &mut self.method, &self.methods);
                    date_row(ui, "order_refund_date", &mut self.date);
                    let r = field(ui, "Note", &mut self.note, "optional, such as the reason");
                    entered |= entered_in(ui, &r);
                });
            error_line(ui, self.error.as_deref());
            if let (Err(e), Ok(_), Ok(_)) = (&checked, &units, &amount) {
                // Nothing chosen yet: a hint, not an error.
                ui.weak(e);
            } else {
                // Its room kept, so Refund stays under the mouse.
                ui.weak(" ");
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let ok = ui.add_enabled(checked.is_ok(), egui::Button::new("Refund"));
                if (ok.clicked() || entered)
                    && let Ok(req) = &checked
                {
                    let id = self.order_id;
                    let shown = currency.format(req.amount.unwrap_or_default());
                    match ctx.write_or_return(
                        |tx| orders::refund(tx, id, req),
                        |_| format!("Refund of {shown} recorded on order {number}."),
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

/// "Cancel order…" and "Mark returned…": say what happens to the stock,
/// the money and the sale's figures first.
pub(super) struct EndDialog {
    order_id: i64,
    to: OrderStatus,
    text: String,
}

impl EndDialog {
    /// Ending order `d` as `to` (cancelled or returned).
    pub(super) fn new(d: &OrderDetail, to: OrderStatus, currency: &Currency) -> Self {
        let out: i64 = d.lines.iter().map(|l| l.quantity - l.returned).sum();
        let back = Money(d.money.paid.0 - d.money.refunded.0);
        let units = crate::domain::format::count(out, "unit", "units");
        let (are, go) = if out == 1 {
            ("is", "goes")
        } else {
            ("are", "go")
        };
        let mut text = match (d.summary.status, to) {
            (OrderStatus::Shipped, OrderStatus::Cancelled) => format!(
                "It was shipped: its {units} {are} taken back into stock when it is cancelled (record damaged ones with Refund… first)."
            ),
            (_, OrderStatus::Returned) => format!(
                "Its {units} {go} back into stock (record damaged ones with Refund… first)."
            ),
            _ => format!("Its {units} {go} back into stock."),
        };
        if back.0 > 0 {
            text.push_str(&format!(
                " The {} paid is recorded as refunded today (on the method it was paid with).",
                currency.format(back)
            ));
        } else {
            text.push_str(" Nothing was paid, so no money moves.");
        }
        // Reports count a sale at its date: ending it changes that day's
        // figures, however long ago (a part refund counts on its own day).
        text.push_str(&format!(
            " It no longer counts as a sale, so the figures of its order date ({}) change.",
            crate::ui::widgets::date_text(&d.summary.order_date)
        ));
        if to == OrderStatus::Cancelled {
            text.push_str(" A cancelled order cannot be reopened.");
        } else {
            text.push_str(" To give back only some of it, use Refund… instead.");
        }
        EndDialog {
            order_id: d.summary.id,
            to,
            text,
        }
    }

    fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> bool {
        let number = order_number(self.order_id);
        let (title, yes, done) = match self.to {
            OrderStatus::Cancelled => (
                format!("Cancel order {number}?"),
                "Cancel the order",
                "cancelled",
            ),
            _ => (
                format!("Mark order {number} as returned?"),
                "Mark returned",
                "returned",
            ),
        };
        let answer = confirm(
            ectx,
            "confirm_order_cancel",
            &title,
            &self.text,
            yes,
            "Keep it",
        );
        if answer == Some(true) {
            let (id, to) = (self.order_id, self.to);
            ctx.write(
                |tx| orders::set_status(tx, id, to),
                |()| format!("Order {number} is now {done}."),
            );
        }
        answer.is_some()
    }
}
