//! Insights about margin: revenue and margin by product, category or month
//! where costs are known, drawn as bars with the table below, and the share
//! of revenue sold without a known cost. The figures are the `margin`
//! report's (by product, category or month), read on a worker thread from
//! the per-product summaries.

use egui_plot::{Bar, BarChart, GridMark, Legend, Plot};

use super::products::{col, presets, table_ui};
use super::{Keyed, read_report};
use crate::domain::{Cell, Currency, Money, ReportKind, ReportSpec, ReportTable};
use crate::ui::app::commands::PanelCtx;

/// How the margin is broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum By {
    Product,
    Category,
    Month,
}

impl By {
    const ALL: [By; 3] = [By::Product, By::Category, By::Month];

    fn label(self) -> &'static str {
        match self {
            By::Product => "Product",
            By::Category => "Category",
            By::Month => "Month",
        }
    }

    fn kind(self) -> ReportKind {
        match self {
            By::Product => ReportKind::Margin,
            By::Category => ReportKind::MarginByCategory,
            By::Month => ReportKind::MarginByMonth,
        }
    }
}

/// The most bars drawn (the table lists every row).
const BARS: usize = 30;

type Key = (usize, By, u64);

pub struct MarginView {
    range: usize,
    by: By,
    figures: Keyed<Key, ReportTable>,
}

impl Default for MarginView {
    fn default() -> Self {
        MarginView {
            range: 1,
            by: By::Month,
            figures: Keyed::default(),
        }
    }
}

/// Revenue, margin and the revenue without a known cost over a table's
/// rows (the last row of refunds no unit carries counts in revenue only).
pub fn totals(t: &ReportTable) -> (Money, Money, Money) {
    let get = |r: &Vec<Cell>, name: &str| match r.get(col(t.kind, name)) {
        Some(Cell::Amount(m)) => m.0,
        _ => 0,
    };
    let (mut revenue, mut margin, mut unknown) = (0i64, 0i64, 0i64);
    for r in &t.rows {
        revenue = revenue.saturating_add(get(r, "revenue"));
        margin = margin.saturating_add(get(r, "margin"));
        unknown = unknown.saturating_add(get(r, "revenue_without_cost"));
    }
    (Money(revenue), Money(margin), Money(unknown))
}

impl MarginView {
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let today = chrono::Local::now().date_naive();
        let presets = presets(today);
        let range = self.range.min(presets.len() - 1);
        let key: Key = (range, self.by, ctx.generation);
        // By month, whole months from the one the range starts in, as New
        // and returning counts them: a first month of three days read as a
        // fall, and as another figure than that tab's for the same month.
        let from = presets[range].1.clone().map(|from| match self.by {
            By::Month => month_start(&from),
            _ => from,
        });
        // The dates said: by month the range starts on its month's first
        // day, so its revenue is not Trends' or Reports' for "Last 12
        // months", and a month-end tryout could not tell why.
        let range_text = match &from {
            Some(from) => format!(
                "{} to {}",
                crate::ui::widgets::date_text(from),
                crate::ui::widgets::date_text(&today.format("%Y-%m-%d").to_string())
            ),
            None => "All time".to_owned(),
        };
        self.load(ui.ctx(), ctx, key, from);
        ui.horizontal(|ui| {
            ui.label("Margin by");
            for by in By::ALL {
                ui.selectable_value(&mut self.by, by, by.label());
            }
            ui.separator();
            egui::ComboBox::from_id_salt("margin_range")
                .selected_text(presets[range].0)
                .show_ui(ui, |ui| {
                    for (i, (label, _)) in presets.iter().enumerate() {
                        ui.selectable_value(&mut self.range, i, *label);
                    }
                });
        });
        let currency = ctx.settings.currency.clone();
        // Drawn from a borrow (not copied each frame).
        let table = match &self.figures.data {
            Some((_, Ok(t))) => t,
            Some((_, Err(e))) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
            None => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Working out the margin…");
                });
                return;
            }
        };
        let (revenue, margin, unknown) = totals(table);
        let share = if revenue.0 > 0 {
            crate::ui::widgets::decimal_text(&format!(
                "{:.1}%",
                100.0 * unknown.0 as f64 / revenue.0 as f64
            ))
        } else {
            "none".to_owned()
        };
        ui.label(format!(
            "{range_text}: revenue {}, margin {} where costs are known; revenue without a known cost: {} ({share} of revenue).",
            currency.format(revenue),
            currency.format(margin),
            currency.format(unknown),
        ));
        chart_ui(ui, table, self.by, &currency);
        // The rows fill the room left below the chart (13 months stopped at
        // the 11th with the window's lower half empty).
        let room = (ui.available_height() - 48.0).max(260.0);
        table_ui(ui, table, &currency, room);
    }

    /// Takes a finished read; starts one when the range or the data changed.
    fn load(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx, key: Key, from: Option<String>) {
        let spec = ReportSpec {
            from,
            ..ReportSpec::new(key.1.kind())
        };
        self.figures.load(key, || {
            read_report(ectx, ctx, "Working out the margin", spec)
        });
    }
}

/// Revenue and margin as bars: every month in order, or the products or
/// categories that earned most (the first `BARS`).
fn chart_ui(ui: &mut egui::Ui, t: &ReportTable, by: By, currency: &Currency) {
    let name = col(
        t.kind,
        if by == By::Product {
            "product"
        } else {
            t.kind.columns()[0].0
        },
    );
    let (revenue, margin) = (col(t.kind, "revenue"), col(t.kind, "margin"));
    // Bars in the currency's units (cents / 100, yen / 1), the axis in its format.
    let scale = 10f64.powi(currency.decimals.min(3) as i32);
    let amount = |r: &Vec<Cell>, i: usize| match r.get(i) {
        Some(Cell::Amount(m)) => m.0 as f64 / scale,
        _ => 0.0,
    };
    let whole = Currency {
        decimals: 0,
        ..currency.clone()
    };
    // Only the rows of products, categories or months (not the refunds no unit carries).
    let rows: Vec<&Vec<Cell>> = t
        .rows
        .iter()
        .filter(
            |r| !matches!(r.get(name), Some(Cell::Text(x)) if x == "Refunds not tied to a product"),
        )
        .take(BARS)
        .collect();
    let labels: Vec<String> = rows
        .iter()
        .map(|r| match r.get(name) {
            Some(Cell::Text(x)) => x.clone(),
            _ => String::new(),
        })
        .collect();
    let bars = |i: usize, offset: f64| -> Vec<Bar> {
        rows.iter()
            .enumerate()
            .map(|(x, r)| {
                Bar::new(x as f64 + offset, amount(r, i))
                    .width(0.4)
                    .name(labels.get(x).cloned().unwrap_or_default())
            })
            .collect()
    };
    // Room above the tallest bar for the legend (it lay over the newest).
    let top = rows
        .iter()
        .map(|r| amount(r, revenue).max(amount(r, margin)))
        .fold(0.0, f64::max);
    let revenue_bars = BarChart::new("Revenue", bars(revenue, -0.2));
    let margin_bars = BarChart::new("Margin", bars(margin, 0.2));
    Plot::new(("margin_chart", by.label()))
        .height(220.0)
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
            plot.bar_chart(revenue_bars);
            plot.bar_chart(margin_bars);
        });
}

/// The first day of the month of `day` ('YYYY-MM-DD').
fn month_start(day: &str) -> String {
    match day.get(..7) {
        Some(month) => format!("{month}-01"),
        None => day.to_owned(),
    }
}
