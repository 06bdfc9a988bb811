//! The order detail: its facts (date, customer, ship-to, carrier and
//! tracking), the actions its status allows (pay, ship, refund, cancel), its
//! money (gross sales to balance, cost and margin), lines with what came
//! back, payments and refunds, status history and stock movements.

use super::OrdersPanel;
use super::form::OrderForm;
use super::money::{EndDialog, MoneyDialog, PayDialog, RefundDialog, ShipDialog};
use crate::domain::{Currency, Money, OrderStatus};
use crate::store::changelog::Entity;
use crate::store::orders::{self, OrderDetail, order_number};
use crate::ui::app::commands::{Command, Open, PanelCtx};
use crate::ui::widgets::list::detail_heading;
use crate::ui::widgets::{date_text, status_label, thousands};

impl OrdersPanel {
    pub(super) fn detail_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some(d) = self.list.detail(ui, ctx, orders::detail) else {
            return;
        };
        let o = &d.summary;
        let currency = ctx.settings.currency.clone();
        let title = format!("Order {}", order_number(o.id));
        if detail_heading(ui, title, |ui| status_label(ui, o.status)) {
            self.list.close();
        }
        // The actions first, under the heading: below the facts they moved
        // with them (an order without an email had Ship… a line higher, and
        // a month-end tryout's click for it landed on Invoice…).
        self.actions_ui(ui, ctx, &d);
        super::documents::buttons_ui(ui, ctx, &d);
        ui.add_space(6.0);
        egui::Grid::new("order_facts")
            .num_columns(2)
            .max_col_width(crate::ui::widgets::layout::facts_width(ui))
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                ui.weak("Placed");
                // To the minute, as the list writes it.
                ui.label(format!(
                    "{} {}",
                    date_text(&o.order_date),
                    o.order_time.get(..5).unwrap_or(&o.order_time)
                ));
                ui.end_row();
                ui.weak("Customer");
                if ui
                    .link(&o.customer_name)
                    .on_hover_text("Show this customer")
                    .clicked()
                {
                    ctx.send(Command::Open(Open::Customer(o.customer_id)));
                }
                ui.end_row();
                if let Some(e) = &d.customer_email {
                    ui.weak("Email");
                    ui.label(e);
                    ui.end_row();
                }
                if let Some(r) = &o.external_ref {
                    ui.weak("Reference");
                    ui.label(r);
                    ui.end_row();
                }
                if !d.ship_to.trim().is_empty() {
                    ui.weak("Ship to");
                    ui.label(&d.ship_to);
                    ui.end_row();
                }
                if d.carrier.is_some() || d.tracking.is_some() {
                    ui.weak("Shipped with");
                    let parts: Vec<&str> = [d.carrier.as_deref(), d.tracking.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect();
                    ui.label(parts.join(", tracking "));
                    ui.end_row();
                }
                // Said before one is given too, so that the buttons below do
                // not move down a row when it is (a tryout clicked the
                // wrong one).
                match &d.invoice {
                    Some((number, day)) => {
                        ui.weak("Invoice");
                        ui.label(format!("{number}, {}", date_text(day)));
                        ui.end_row();
                    }
                    None if o.status != crate::domain::OrderStatus::Cancelled => {
                        ui.weak("Invoice");
                        ui.weak("none yet");
                        ui.end_row();
                    }
                    None => {}
                }
                if let Some(n) = &d.note {
                    ui.weak("Note");
                    ui.label(n);
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        self.changes
            .ui(ui, ctx.store, Entity::Order, o.id, ctx.generation);
        ui.separator();
        money_ui(ui, &d, &currency);
        ui.separator();
        lines_ui(ui, &d, &currency);
        payments_ui(ui, &d, &currency);
        ui.separator();
        ui.strong("Status history");
        // Orders placed here start their history at pending; imported ones
        // (with a reference or a number alone) at the status their file
        // gave them.
        if d.history.first().is_none_or(|h| h.from.is_some()) {
            let first = d.history.first().and_then(|h| h.from).unwrap_or(o.status);
            ui.weak(format!(
                "Imported as {}; the file said nothing of its earlier steps.",
                first.label().to_lowercase()
            ));
        }
        for h in &d.history {
            ui.label(format!(
                "{}  {}",
                date_text(h.at.get(..16).unwrap_or(&h.at)),
                h.to.label()
            ));
        }
        ui.separator();
        ui.strong("Stock movements");
        if d.movements.is_empty() {
            ui.weak("This order did not move stock.");
        }
        for m in &d.movements {
            ui.label(format!(
                "{}  {}  {:+}  ({}, stock after {})",
                date_text(m.at.get(..16).unwrap_or(&m.at)),
                m.sku,
                m.change,
                m.reason.label(),
                m.stock_after
            ));
        }
    }

    /// The buttons the order's status allows.
    fn actions_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx, d: &OrderDetail) {
        let o = &d.summary;
        let refundable = matches!(
            o.status,
            OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Delivered
        ) && d.money.paid > d.money.refunded;
        // Opened from Find order: the first of Mark paid…, Ship… and
        // Record payment… takes the keyboard. Never one that changes the
        // order at once (a second Enter after Find marked a shipped order
        // delivered) nor one that undoes a sale (Cancel order…, Mark
        // returned…, Refund…): with none of the three, none does.
        let mut focus = std::mem::take(&mut self.focus_actions);
        let mut focusing = |ui: &mut egui::Ui, text: &str| {
            let r = ui.button(text);
            if std::mem::take(&mut focus) {
                r.request_focus();
            }
            r
        };
        ui.horizontal_wrapped(|ui| {
            for &next in o.status.next() {
                match next {
                    OrderStatus::Paid => {
                        if focusing(ui, "Mark paid…")
                            .on_hover_text(
                                "The customer paid everything left to pay: one payment of the \
                                 whole balance, and the order becomes Paid",
                            )
                            .clicked()
                        {
                            self.dialog = Some(MoneyDialog::Pay(PayDialog::new(d, true, ctx)));
                        }
                    }
                    OrderStatus::Shipped => {
                        if focusing(ui, "Ship…").clicked() {
                            let last = orders::last_carrier(ctx.store.conn()).ok().flatten();
                            self.dialog = Some(MoneyDialog::Ship(ShipDialog::new(d, last)));
                        }
                    }
                    OrderStatus::Delivered => {
                        if ui.button("Mark delivered").clicked() {
                            change_status(ctx, o.id, next);
                        }
                    }
                    OrderStatus::Cancelled => {
                        if ui.button("Cancel order…").clicked() {
                            let end = EndDialog::new(d, next, &ctx.settings.currency);
                            self.dialog = Some(MoneyDialog::End(end));
                        }
                    }
                    OrderStatus::Returned => {
                        if ui.button("Mark returned…").clicked() {
                            let end = EndDialog::new(d, next, &ctx.settings.currency);
                            self.dialog = Some(MoneyDialog::End(end));
                        }
                    }
                    OrderStatus::Pending => {}
                }
            }
            if o.status.is_sale()
                && d.money.balance.0 > 0
                && focusing(ui, "Record payment…")
                    .on_hover_text(
                        "The customer paid part of it (a deposit, an instalment): any amount \
                         up to the balance; the order becomes Paid once nothing is left to pay",
                    )
                    .clicked()
            {
                self.dialog = Some(MoneyDialog::Pay(PayDialog::new(d, false, ctx)));
            }
            // A typo in a tracking number, a parcel sent again: corrected
            // (the Ship dialog's "CorreosCorreos" could not be).
            if matches!(o.status, OrderStatus::Shipped | OrderStatus::Delivered)
                && ui
                    .button("Edit shipping…")
                    .on_hover_text("Correct the carrier or tracking number")
                    .clicked()
            {
                self.dialog = Some(MoneyDialog::Ship(ShipDialog::new(d, None)));
            }
            if refundable && ui.button("Refund…").clicked() {
                self.dialog = Some(MoneyDialog::Refund(Box::new(RefundDialog::new(d, ctx))));
            }
            // An issued invoice keeps its figures: its order's lines stay.
            if o.status == OrderStatus::Pending && !d.invoiced && ui.button("Edit lines…").clicked()
            {
                self.form = Some(OrderForm::edit(d, &ctx.settings.currency));
            }
        });
    }
}

/// A row of the money grid: its title and amount.
fn money_row(ui: &mut egui::Ui, title: &str, amount: String, strong: bool) {
    ui.weak(title);
    let text = egui::RichText::new(amount);
    ui.label(if strong { text.strong() } else { text });
    ui.end_row();
}

/// The order's money, from gross sales to the balance.
fn money_ui(ui: &mut egui::Ui, d: &OrderDetail, currency: &Currency) {
    let m = &d.money;
    let f = |x: Money| currency.format(x);
    let minus = |x: Money| format!("−{}", currency.format(x));
    ui.strong("Money");
    egui::Grid::new("order_money")
        .num_columns(2)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            // With prices that include tax, gross sales and discounts hold
            // the tax and revenue and shipping do not (total = revenue +
            // shipping + tax): the titles say which.
            let included = m.terms.tax_included;
            let (with, without) = if included {
                (" (with tax)", " (without tax)")
            } else {
                ("", "")
            };
            money_row(ui, &format!("Gross sales{with}"), f(m.gross_sales), false);
            if m.discounts.0 > 0 {
                // One bracket: "Discounts (with tax; code SPRING)".
                let title = match (&m.discount_code, included) {
                    (Some(code), true) => format!("Discounts (with tax; code {code})"),
                    (Some(code), false) => format!("Discounts (code {code})"),
                    (None, _) => format!("Discounts{with}"),
                };
                money_row(ui, &title, minus(m.discounts), false);
            }
            money_row(ui, &format!("Revenue{without}"), f(m.revenue), false);
            if m.shipping.0 > 0 {
                money_row(ui, &format!("Shipping{without}"), f(m.shipping), false);
            }
            if m.tax.0 > 0 || m.terms.tax_included {
                let title = if m.terms.tax_included {
                    "Tax (included)"
                } else {
                    "Tax"
                };
                money_row(ui, title, f(m.tax), false);
                // The lines below show their own tax; what the shipping
                // carried is the rest (as the invoice's tax rows have it).
                let lines: i64 = d.lines.iter().map(|l| l.tax.0).sum();
                let on_shipping = m.tax.0 - lines;
                if on_shipping > 0 {
                    money_row(ui, "    of it on shipping", f(Money(on_shipping)), false);
                }
            }
            money_row(ui, "Total", f(m.total), true);
            // A cancelled or returned order sold nothing, so it has no
            // margin; one partly refunded shows its margin as sold (the
            // Margin report takes its refunds off, at their dates).
            let refunded = d.payments.iter().any(|p| p.refund);
            let (cost_title, margin_title) = if refunded {
                ("Cost as sold", "Margin as sold")
            } else {
                ("Cost", "Margin")
            };
            if m.cost.0 > 0 && d.summary.status.is_sale() {
                money_row(ui, cost_title, f(m.cost), false);
                // Over the lines of a known cost, as the Margin report and
                // Trends count it: a gift card of no cost is no profit.
                let known: i64 = d
                    .lines
                    .iter()
                    .filter(|l| l.unit_cost.0 > 0)
                    .map(|l| l.revenue.0)
                    .sum();
                let margin = known - m.cost.0;
                let percent = if known > 0 {
                    currency
                        .style
                        .decimal_text(&format!(" ({:.1}%)", margin as f64 * 100.0 / known as f64))
                } else {
                    String::new()
                };
                let text = if margin < 0 {
                    format!("−{}{percent}", currency.format(Money(-margin)))
                } else {
                    format!("{}{percent}", currency.format(Money(margin)))
                };
                if known == m.revenue.0 {
                    money_row(ui, margin_title, text, false);
                } else {
                    // Some lines' cost is unknown: say which sales it is of.
                    ui.weak(margin_title)
                        .on_hover_text("Of the lines with a known cost; the others are left out, as in the Margin report");
                    ui.label(format!("{text} of {}", f(Money(known))));
                    ui.end_row();
                }
            }
            money_row(ui, "Amount paid", f(m.paid), false);
            if m.refunded.0 > 0 {
                money_row(ui, "Refunded", f(m.refunded), false);
                // What the shop kept: the balance is of the total less what
                // was given back, so "Total", "Amount paid" and "Refunded"
                // alone read as if the refund were still owed.
                money_row(
                    ui,
                    "Net paid",
                    f(Money(m.paid.0.saturating_sub(m.refunded.0))),
                    false,
                );
            }
            let balance = if m.balance.0 < 0 {
                format!("{} to give back", f(Money(-m.balance.0)))
            } else {
                f(m.balance)
            };
            money_row(ui, "Balance", balance, true);
        });
}

/// The lines: quantity, price, its own discount, tax, what the line comes
/// to after that discount, units returned; then the order's discount, and
/// the last row adds them up (the goods; the order's total, with shipping
/// and tax, is in the breakdown above), as the invoice reads. Scrolls
/// sideways in a narrow window.
fn lines_ui(ui: &mut egui::Ui, d: &OrderDetail, currency: &Currency) {
    let returned = d.lines.iter().any(|l| l.returned > 0);
    let discounted = d.lines.iter().any(|l| l.line_discount.0 > 0);
    let taxed = d.lines.iter().any(|l| l.tax.0 > 0);
    ui.strong("Lines");
    let columns = 4 + usize::from(discounted) + usize::from(taxed) + usize::from(returned);
    egui::ScrollArea::horizontal()
        .id_salt("order_lines_sideways")
        .show(ui, |ui| lines_grid(ui, d, currency, columns));
}

fn lines_grid(ui: &mut egui::Ui, d: &OrderDetail, currency: &Currency, columns: usize) {
    let returned = d.lines.iter().any(|l| l.returned > 0);
    let discounted = d.lines.iter().any(|l| l.line_discount.0 > 0);
    let taxed = d.lines.iter().any(|l| l.tax.0 > 0);
    egui::Grid::new("order_lines")
        .num_columns(columns)
        .striped(true)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            ui.weak("Product");
            ui.weak("Qty");
            ui.weak("Price");
            if discounted {
                ui.weak("Discount");
            }
            if taxed {
                ui.weak("Tax");
            }
            // Short headers, the rate in the tax's hover: the whole table
            // fits the detail's width (it used to put its last columns,
            // Amount and Returned, out of sight).
            let amount = ui.weak("Amount");
            if discounted {
                amount.on_hover_text("Each line after its own discount, as the invoice shows it");
            }
            if returned {
                ui.weak("Returned");
            }
            ui.end_row();
            // At most 110 points, cut short (the whole in its hover), and
            // the room of the columns this order does not need (at 130 with
            // all seven, "Returned" was cut at 1280).
            let absent = 3 - usize::from(discounted) - usize::from(taxed) - usize::from(returned);
            let product_width = 110.0 + 60.0 * absent as f32;
            for l in &d.lines {
                let product = format!("{} {}", l.sku, l.name);
                ui.scope(|ui| {
                    ui.set_max_width(product_width);
                    ui.add(egui::Label::new(&product).truncate())
                        .on_hover_text(&product);
                });
                ui.label(l.quantity.to_string());
                ui.label(currency.format(l.unit_price));
                if discounted {
                    ui.label(if l.line_discount.0 > 0 {
                        format!("−{}", currency.format(l.line_discount))
                    } else {
                        String::new()
                    });
                }
                if taxed {
                    ui.label(currency.format(l.tax))
                        .on_hover_text(format!("at {}", l.tax_rate));
                }
                ui.label(currency.format(Money(l.line_total.0 - l.line_discount.0)));
                if returned {
                    ui.label(if l.returned > 0 {
                        l.returned.to_string()
                    } else {
                        String::new()
                    });
                }
                ui.end_row();
            }
            // The order's discount once, below the lines, as the invoice
            // takes it (it is spread over the lines only for their tax).
            let order_discount: i64 = d
                .lines
                .iter()
                .map(|l| l.discount_amount.0 - l.line_discount.0)
                .sum();
            if order_discount > 0 {
                let title = match &d.money.discount_code {
                    Some(code) => format!("Order discount ({code})"),
                    None => "Order discount".to_owned(),
                };
                ui.label(title);
                for _ in 0..2 + usize::from(discounted) + usize::from(taxed) {
                    ui.label("");
                }
                ui.label(format!("−{}", currency.format(Money(order_discount))));
                ui.end_row();
            }
            ui.strong("Goods");
            ui.strong(thousands(d.summary.item_count));
            ui.label("");
            if discounted {
                ui.label("");
            }
            if taxed {
                ui.label("");
            }
            let goods: i64 = d
                .lines
                .iter()
                .map(|l| l.line_total.0 - l.discount_amount.0)
                .sum();
            ui.strong(currency.format(Money(goods)));
            ui.end_row();
        });
}

/// Payments and refunds, oldest first.
fn payments_ui(ui: &mut egui::Ui, d: &OrderDetail, currency: &Currency) {
    if d.payments.is_empty() {
        return;
    }
    ui.separator();
    ui.strong("Payments and refunds");
    egui::Grid::new("order_payments")
        .num_columns(4)
        .striped(true)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for p in &d.payments {
                ui.label(date_text(&p.date));
                ui.label(if p.refund { "Refund" } else { "Payment" });
                ui.label(&p.method);
                let amount = if p.refund {
                    format!("−{}", currency.format(p.amount))
                } else {
                    currency.format(p.amount)
                };
                ui.label(amount);
                ui.end_row();
                if let Some(n) = &p.note {
                    ui.label("");
                    ui.weak(n);
                    ui.end_row();
                }
            }
        });
}

pub(super) fn change_status(ctx: &mut PanelCtx, id: i64, to: OrderStatus) {
    ctx.write(
        |tx| orders::set_status(tx, id, to),
        |()| {
            format!(
                "Order {} is now {}.",
                order_number(id),
                to.label().to_lowercase()
            )
        },
    );
}
