//! The order form's money below its lines: the order discount and its code,
//! shipping, the shipping address, the day an order taken by phone was
//! taken, and the breakdown (gross, discounts, shipping, tax, total) worked
//! out by `domain::pricing` from the draft as the user types (what is typed
//! so far, before the order can be placed).

use egui::RichText;

use crate::domain::pricing::Figures;
use crate::domain::{Currency, Money, OrderDraft};
use crate::ui::widgets::date::{optional_date, today};

/// Names a text field for screen readers (and tests) when no label beside
/// it can: a line's discount sits in a grid row under a shared header.
pub(super) fn name_field(ui: &egui::Ui, response: &egui::Response, name: &str) {
    ui.ctx()
        .accesskit_node_builder(response.id, |node| node.set_label(name));
}

/// The order discount, its code, shipping, where it goes and (for a new
/// order) the day it was taken.
pub(super) fn terms_ui(
    ui: &mut egui::Ui,
    draft: &mut OrderDraft,
    date: Option<(&mut Option<String>, &mut String)>,
    address: &str,
    currency: &Currency,
) {
    egui::Grid::new("order_form_terms")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("Order discount").id;
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut draft.discount)
                        .hint_text(format!("10% or {}", currency.format_input(Money(500))))
                        .desired_width(90.0),
                )
                .labelled_by(label);
                let code = ui.label("Code").id;
                ui.add(
                    egui::TextEdit::singleline(&mut draft.discount_code)
                        .hint_text("optional")
                        .desired_width(110.0),
                )
                .labelled_by(code);
            });
            ui.end_row();
            let label = ui
                .label(format!("Shipping ({})", currency.symbol.trim()))
                .id;
            ui.add(
                egui::TextEdit::singleline(&mut draft.shipping)
                    .hint_text("none")
                    .desired_width(90.0),
            )
            .labelled_by(label);
            ui.end_row();
            let label = ui.label("Ship to").id;
            ui.add(
                egui::TextEdit::multiline(&mut draft.ship_to)
                    .hint_text(address)
                    .desired_rows(2)
                    .desired_width(320.0),
            )
            .labelled_by(label)
            .on_hover_text("Empty: the customer's address, shown faintly. Type another address to send this order elsewhere.");
            ui.end_row();
            if let Some((date, time)) = date {
                ui.label("Order date");
                ui.horizontal(|ui| {
                    optional_date(
                        ui,
                        "Taken earlier (set its day and time)",
                        "order_form_date",
                        date,
                        &today(),
                    );
                    if date.is_none() {
                        ui.weak("now");
                    } else {
                        // When it was taken, so the hours of the day it
                        // counts in (Insights > Time) are its own; empty: now.
                        let label = ui.label("at").id;
                        ui.add(
                            egui::TextEdit::singleline(time)
                                .hint_text(chrono::Local::now().format("%H:%M").to_string())
                                .desired_width(60.0),
                        )
                        .labelled_by(label);
                    }
                });
                ui.end_row();
            }
        });
}

/// Whether the day typed for an order is one it can have (not in the future).
pub(super) fn date_error(date: Option<&String>) -> Option<String> {
    let d = date?;
    if d.parse::<jiff::civil::Date>().is_err() {
        return Some(format!("\"{d}\" is not a date"));
    }
    (*d > today()).then(|| "an order cannot be dated after today".to_owned())
}

/// The time typed for an order taken on another day (`date`), as
/// 'HH:MM:SS' (empty: the time now), or what is wrong with it: not a time,
/// or later than now on today's date (an order is not taken in the future).
pub(super) fn order_time(typed: &str, date: Option<&str>) -> Result<String, String> {
    let t = typed.trim();
    let now = chrono::Local::now();
    if t.is_empty() {
        return Ok(now.format("%H:%M:%S").to_string());
    }
    let time = chrono::NaiveTime::parse_from_str(t, "%H:%M")
        .map_err(|_| format!("\"{t}\" is not a time; write it as 14:30"))?;
    if date == Some(today().as_str()) && time > now.time() {
        return Err(format!(
            "{t} today is later than now ({}); an order cannot be taken in the future",
            now.format("%H:%M")
        ));
    }
    Ok(time.format("%H:%M:00").to_string())
}

/// Gross, discounts, shipping, tax and total of the checked order; while the
/// form has an error, the total of the lines that can be read.
pub(super) fn breakdown_ui(
    ui: &mut egui::Ui,
    figures: Option<&Figures>,
    included: bool,
    currency: &Currency,
) {
    let Some(f) = figures else {
        // A line, the discount or the shipping does not read yet: no total
        // that would leave something out.
        ui.label(RichText::new("Total: —").strong().size(16.0));
        return;
    };
    egui::Grid::new("order_form_breakdown")
        .num_columns(2)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            let row = |ui: &mut egui::Ui, title: &str, text: String| {
                ui.weak(title);
                ui.label(text);
                ui.end_row();
            };
            // As the invoice has them ("Gross" read as with tax to a
            // tryout whose prices were without it): the lines after their
            // own discounts, then the order's discount once. The form's
            // "Subtotal" had been before any discount, the invoice's after
            // the lines' (a tryout found two subtotals for one order).
            let lines_discount = f.discounts - f.order_discount;
            row(
                ui,
                "Subtotal",
                currency.format(Money(f.gross_sales - lines_discount)),
            );
            if f.order_discount > 0 {
                row(
                    ui,
                    "Discount on the order",
                    format!("−{}", currency.format(Money(f.order_discount))),
                );
            }
            // With prices including tax the shipping is shown as charged,
            // its tax inside it like the goods', so the rows add up to the total.
            if f.shipping > 0 {
                let shipping = if included {
                    f.shipping + f.shipping_tax
                } else {
                    f.shipping
                };
                row(ui, "Shipping", currency.format(Money(shipping)));
            }
            if f.tax > 0 || included {
                let title = if included { "Tax (included)" } else { "Tax" };
                row(ui, title, currency.format(Money(f.tax)));
            }
        });
    ui.label(
        RichText::new(format!("Total: {}", currency.format(Money(f.total))))
            .strong()
            .size(16.0),
    );
}
