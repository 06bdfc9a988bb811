//! The key figures above the chart, the margin and the bar lists of the
//! breakdowns.

use egui::{Color32, RichText};

use super::Data;
use crate::domain::trends;
use crate::domain::{Currency, Money};
use crate::ui::widgets::{date_text, local_format, thousands};

fn figure(ui: &mut egui::Ui, title: &str, now: String, change: Option<f64>) {
    ui.vertical(|ui| {
        ui.set_width(FIGURE_WIDTH);
        let t = ui.weak(title);
        // What revenue holds, said where it is read (a tryout took it for
        // what the customers paid).
        if title == REVENUE {
            t.on_hover_text(
                "Net sales of goods: after discounts, less the refunds made in the range; \
                 without tax or shipping (Tax is beside it)",
            );
        }
        ui.label(RichText::new(now).size(20.0).strong());
        match change {
            Some(c) => {
                let color = if c >= 0.0 {
                    if ui.visuals().dark_mode {
                        Color32::from_rgb(110, 200, 120)
                    } else {
                        Color32::from_rgb(30, 130, 50)
                    }
                } else {
                    ui.visuals().error_fg_color
                };
                // A percentage with the shop's decimal mark ("+23,4 %" needs no more).
                let percent = format!("{c:+.1}")
                    .replace('.', &local_format().number.decimal.char().to_string());
                ui.colored_label(color, format!("{percent}% vs previous period"));
            }
            None => {
                ui.weak("no previous period to compare");
            }
        }
    });
}

/// A key figure's column: its widest line ("no previous period to
/// compare") fits, so no figure's lines wrap.
const FIGURE_WIDTH: f32 = 190.0;
const FIGURE_GAP: f32 = 24.0;
const REVENUE: &str = "Revenue after refunds";

pub(super) fn figures_ui(ui: &mut egui::Ui, d: &Data, currency: &Currency) {
    ui.label(format!("{} to {}", date_text(&d.from), date_text(&d.to)));
    let (f, b) = (&d.figures, &d.before);
    let figures = [
        // Refunds in the range taken off (Sales by date keeps them in a
        // column of their own).
        (
            REVENUE,
            currency.format(f.revenue),
            trends::change(f.revenue.0, b.revenue.0),
        ),
        (
            "Tax",
            currency.format(f.tax),
            trends::change(f.tax.0, b.tax.0),
        ),
        (
            "Orders",
            thousands(f.orders),
            trends::change(f.orders, b.orders),
        ),
        (
            "Average order",
            currency.format(f.average_order()),
            trends::change(f.average_order().0, b.average_order().0),
        ),
        (
            "Items sold",
            thousands(f.items),
            trends::change(f.items, b.items),
        ),
        (
            "New customers",
            thousands(f.new_customers),
            trends::change(f.new_customers, b.new_customers),
        ),
    ];
    // As many whole figures a row as fit, the others on the rows below
    // (wrapped one widget at a time, the last ones were squeezed into
    // slivers past the window's edge, hundreds of points tall).
    let per_row = ((ui.available_width() + FIGURE_GAP) / (FIGURE_WIDTH + FIGURE_GAP))
        .floor()
        .max(1.0) as usize;
    for row in figures.chunks(per_row) {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = FIGURE_GAP;
            for (title, now, change) in row {
                figure(ui, title, now.clone(), *change);
            }
        });
        ui.add_space(4.0);
    }
}

/// A titled list of horizontal bars, longest first, with names and amounts.
pub(super) fn bar_list(
    ui: &mut egui::Ui,
    title: &str,
    items: &[(String, Money)],
    currency: &Currency,
) {
    ui.strong(title);
    if items.is_empty() {
        ui.weak("No sales in this range.");
        return;
    }
    let max = items.iter().map(|(_, m)| m.0).max().unwrap_or(1).max(1) as f32;
    let fill = ui.visuals().selection.bg_fill;
    for (name, amount) in items {
        let width = ui.available_width();
        let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 22.0), egui::Sense::hover());
        let bar = egui::Rect::from_min_size(
            rect.min,
            egui::vec2(width * amount.0 as f32 / max, rect.height() - 4.0),
        );
        ui.painter().rect_filled(bar, 3.0, fill.gamma_multiply(0.7));
        let text_color = ui.visuals().text_color();
        ui.painter().text(
            rect.left_center() + egui::vec2(4.0, -2.0),
            egui::Align2::LEFT_CENTER,
            name,
            egui::TextStyle::Body.resolve(ui.style()),
            text_color,
        );
        ui.painter().text(
            rect.right_center() + egui::vec2(-4.0, -2.0),
            egui::Align2::RIGHT_CENTER,
            currency.format(*amount),
            egui::TextStyle::Body.resolve(ui.style()),
            text_color,
        );
    }
}

/// The margin on the sales with a known cost, and the revenue it is on.
pub(super) fn margin_ui(ui: &mut egui::Ui, margin: Option<(Money, Money)>, currency: &Currency) {
    match margin {
        Some((margin, on)) => {
            let percent = if on.0 == 0 {
                String::new()
            } else {
                crate::ui::widgets::decimal_text(&format!(
                    " ({:.1}%)",
                    margin.0 as f64 * 100.0 / on.0 as f64
                ))
            };
            ui.label(format!(
                "Margin {}{percent} on {} of sales with a known cost",
                currency.format(margin),
                currency.format(on)
            ));
        }
        None => {
            ui.weak("Margin: no sale in this range has a known cost (set the products' cost).");
        }
    }
}
