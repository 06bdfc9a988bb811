//! Insights > Customers > New and returning: revenue by month of the
//! customers whose first sale was in that month against the others, drawn
//! as stacked bars (new below, returning on top) in the shop's money, with
//! the table below. The figures are the `new-returning` report's, read on a
//! worker thread from the cohort summary; "Export…" saves the same report.

use egui::Color32;
use egui_plot::{Bar, BarChart, GridMark, Legend, Plot};

use super::products::{col, presets, table_ui};
use super::{Keyed, read_report};
use crate::domain::{Cell, Currency, Money, ReportKind, ReportSpec, ReportTable};
use crate::export::Format;
use crate::ui::app::commands::{Command, PanelCtx};

/// (range chosen, data generation).
type Key = (usize, u64);

pub struct NewReturningView {
    range: usize,
    figures: Keyed<Key, ReportTable>,
}

impl Default for NewReturningView {
    fn default() -> Self {
        NewReturningView {
            // The last 12 months.
            range: 1,
            figures: Keyed::default(),
        }
    }
}

impl NewReturningView {
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let today = chrono::Local::now().date_naive();
        let presets = presets(today);
        let range = self.range.min(presets.len() - 1);
        let from = presets[range].1.clone();
        self.load(ui.ctx(), ctx, (range, ctx.generation), from.clone());
        ui.horizontal_wrapped(|ui| {
            ui.label(
                "Revenue after refunds by month: customers whose first sale was in that \
                 month (new) against those who bought before (returning).",
            );
            egui::ComboBox::from_id_salt("new_returning_range")
                .selected_text(presets[range].0)
                .show_ui(ui, |ui| {
                    for (i, (label, _)) in presets.iter().enumerate() {
                        ui.selectable_value(&mut self.range, i, *label);
                    }
                });
            if ui
                .button("Export…")
                .on_hover_text(
                    "Save these months (customers and revenue, new and returning) as CSV",
                )
                .clicked()
            {
                ctx.send(Command::Export(
                    ReportSpec {
                        from,
                        ..ReportSpec::new(ReportKind::NewReturning)
                    },
                    Format::Csv,
                ));
            }
        });
        let table = match &self.figures.data {
            Some((_, Ok(t))) => t,
            Some((_, Err(e))) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Adding up new and returning customers…");
                });
                return;
            }
        };
        if table.rows.is_empty() {
            ui.weak("No sales in these months.");
            return;
        }
        let currency = ctx.settings.currency.clone();
        chart_ui(ui, table, &currency);
        // The rows fill the room left below the chart (13 months stopped at
        // the 11th with the window's lower half empty).
        let room = (ui.available_height() - 48.0).max(240.0);
        table_ui(ui, table, &currency, room);
    }

    /// Takes a finished read; starts one when the range or the data changed.
    fn load(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx, key: Key, from: Option<String>) {
        let spec = ReportSpec {
            from,
            ..ReportSpec::new(ReportKind::NewReturning)
        };
        self.figures.load(key, || {
            read_report(ectx, ctx, "Adding up new and returning customers", spec)
        });
    }
}

/// New and returning revenue per month as stacked bars, the money axis in
/// the shop's currency (bars in its units: cents / 100, yen / 1).
fn chart_ui(ui: &mut egui::Ui, t: &ReportTable, currency: &Currency) {
    let scale = 10f64.powi(currency.decimals.min(3) as i32);
    let (month, new, returning) = (
        col(t.kind, "month"),
        col(t.kind, "new_revenue"),
        col(t.kind, "returning_revenue"),
    );
    let amount = |r: &Vec<Cell>, i: usize| match r.get(i) {
        Some(Cell::Amount(m)) => m.0 as f64 / scale,
        _ => 0.0,
    };
    let labels: Vec<String> = t
        .rows
        .iter()
        .map(|r| match r.get(month) {
            Some(Cell::Text(m)) => m.clone(),
            _ => String::new(),
        })
        .collect();
    let bars = |i: usize| -> Vec<Bar> {
        t.rows
            .iter()
            .enumerate()
            .map(|(x, r)| {
                Bar::new(x as f64, amount(r, i))
                    .width(0.7)
                    .name(labels.get(x).cloned().unwrap_or_default())
            })
            .collect()
    };
    let new_bars = BarChart::new("New customers", bars(new)).color(Color32::from_rgb(30, 100, 200));
    let returning_bars = BarChart::new("Returning customers", bars(returning))
        .color(Color32::from_rgb(230, 140, 40))
        .stack_on(&[&new_bars]);
    let whole = Currency {
        decimals: 0,
        ..currency.clone()
    };
    // Room above the tallest bar for the legend (it lay over the newest).
    let top = t
        .rows
        .iter()
        .map(|r| amount(r, new) + amount(r, returning))
        .fold(0.0, f64::max);
    Plot::new("new_returning_chart")
        .height(240.0)
        .legend(Legend::default())
        .include_y(top * super::LEGEND_ROOM)
        .allow_scroll(false)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() > 0.01 || i < 0.0 {
                return String::new();
            }
            labels.get(i as usize).cloned().unwrap_or_default()
        })
        .y_axis_formatter(move |mark: GridMark, _| whole.format(Money(mark.value.round() as i64)))
        .show(ui, |plot| {
            plot.bar_chart(new_bars);
            plot.bar_chart(returning_bars);
        });
}
