//! Insights about products: ABC classes by revenue over a range, the
//! reorder list (with its export as a purchase list, through the save
//! dialog as the Reports panel's export) and dead stock, with the settings
//! they follow. The three are the reports `abc`, `reorder` and `dead-stock`,
//! read from the per-product summaries on a worker thread (ABC) and a
//! second one beside it (the two lists, read together), so a frame only
//! draws the rows it shows.

use egui::{Align, Layout, RichText};
use egui_extras::{Column, TableBuilder};

use super::Keyed;
use crate::domain::{Cell, CellKind, Currency, ReportKind, ReportSpec, ReportTable};
use crate::export::Format;
use crate::jobs::Job;
use crate::store::reorder::{self, ReorderSettings};
use crate::store::reports;
use crate::ui::app::commands::{Command, PanelCtx};
use crate::ui::widgets::{num_cell, thousands};

/// The ranges the ABC classes may be worked out over.
pub(super) fn presets(today: chrono::NaiveDate) -> Vec<(&'static str, Option<String>)> {
    let ymd = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    vec![
        (
            "Last 90 days",
            Some(ymd(today - chrono::Duration::days(89))),
        ),
        (
            "Last 12 months",
            Some(ymd(today - chrono::Duration::days(364))),
        ),
        ("All time", None),
    ]
}

/// What the view shows, worked out together.
#[derive(Debug, Clone)]
struct Tables {
    abc: ReportTable,
    reorder: ReportTable,
    dead: ReportTable,
}

type Key = (usize, u64);

pub struct ProductsView {
    /// Which of `presets` the ABC classes are over.
    range: usize,
    settings: Option<ReorderSettings>,
    figures: Keyed<Key, Tables>,
}

impl Default for ProductsView {
    fn default() -> Self {
        ProductsView {
            range: 1,
            settings: None,
            figures: Keyed::default(),
        }
    }
}

impl ProductsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let today = chrono::Local::now().date_naive();
        let presets = presets(today);
        let key: Key = (self.range, ctx.generation);
        self.load(
            ui.ctx(),
            ctx,
            key,
            presets[self.range.min(presets.len() - 1)].1.clone(),
        );
        self.settings_ui(ui, ctx);
        ui.separator();
        let currency = ctx.settings.currency.clone();
        // Drawn from a borrow (a table of 10,000 rows is not copied each frame).
        let Some((_, data)) = &self.figures.data else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Working out the products' figures…");
            });
            return;
        };
        let tables = match data {
            Ok(t) => t,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
        };
        let mut range = self.range;
        egui::ScrollArea::vertical()
            .id_salt("insights_products")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading("ABC classes by revenue");
                    egui::ComboBox::from_id_salt("abc_range")
                        .selected_text(presets[range.min(presets.len() - 1)].0)
                        .show_ui(ui, |ui| {
                            for (i, (label, _)) in presets.iter().enumerate() {
                                ui.selectable_value(&mut range, i, *label);
                            }
                        });
                });
                ui.label(abc_summary(&tables.abc, &currency));
                table_ui(ui, &tables.abc, &currency, 220.0);
                ui.add_space(12.0);
                ui.horizontal(|ui| {
                    ui.heading("What to reorder");
                    if ui
                        .add_enabled(
                            !tables.reorder.rows.is_empty(),
                            egui::Button::new("Export purchase list…"),
                        )
                        .clicked()
                    {
                        ctx.send(Command::Export(
                            ReportSpec::new(ReportKind::Reorder),
                            Format::Csv,
                        ));
                    }
                });
                if tables.reorder.rows.is_empty() {
                    ui.label("Nothing runs out within its lead time and cover days.");
                } else {
                    // How long the list is and what it comes to: a tryout
                    // saw nine rows of a box and learned the rest only
                    // from the exported file (510 products, $63,308.40).
                    ui.label(list_summary(
                        &tables.reorder,
                        "order_value",
                        "to reorder, worth",
                        "at cost",
                        &currency,
                    ));
                    table_ui(ui, &tables.reorder, &currency, 320.0);
                }
                ui.add_space(12.0);
                ui.heading("Dead stock");
                if tables.dead.rows.is_empty() {
                    ui.label("Every product in stock sold lately.");
                } else {
                    ui.label(list_summary(
                        &tables.dead,
                        "value",
                        "not sold lately, holding",
                        "of stock at cost",
                        &currency,
                    ));
                    table_ui(ui, &tables.dead, &currency, 220.0);
                }
            });
        self.range = range;
    }

    /// Starts working the tables out when the range or the data changed;
    /// takes them when done.
    fn load(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx, key: Key, from: Option<String>) {
        self.figures.load(key, || {
            let wake = ectx.clone();
            Job::spawn(
                "Working out the products' figures",
                ctx.store.location(),
                move || wake.request_repaint(),
                move |store, _| {
                    // The reorder list and dead stock (one read of the
                    // products' recent days) on a connection of their own,
                    // beside ABC: the two reads take about as long.
                    let other = store.location();
                    std::thread::scope(|scope| {
                        let lists = scope.spawn(move || {
                            let store = other.open().map_err(|e| e.to_string())?;
                            reports::stock_lists_lightly(store.conn(), 100_000)
                                .map_err(|e| e.to_string())
                        });
                        let spec = ReportSpec {
                            from,
                            ..ReportSpec::new(ReportKind::Abc)
                        };
                        let abc = reports::run_one_pass(store.conn(), &spec, 100_000)
                            .map(|(t, _)| t)
                            .map_err(|e| e.to_string());
                        let (reorder, dead) = lists
                            .join()
                            .map_err(|_| "the reorder list could not be worked out".to_owned())??;
                        Ok(Tables {
                            abc: abc?,
                            reorder,
                            dead,
                        })
                    })
                },
            )
        });
    }

    /// The settings the lists follow, saved with one button.
    fn settings_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        if self.settings.is_none() {
            self.settings = Some(reorder::settings(ctx.store.conn()).unwrap_or_default());
        }
        let Some(s) = self.settings.as_mut() else {
            return;
        };
        let mut save = false;
        ui.horizontal_wrapped(|ui| {
            let days = |ui: &mut egui::Ui, label: &str, value: &mut i64, least: i64| {
                ui.label(label);
                ui.add(egui::DragValue::new(value).range(least..=reorder::MAX_DAYS))
                    .on_hover_text("days");
            };
            days(ui, "Sales rate of the last", &mut s.rate_days, 1);
            days(ui, "days; lead time", &mut s.lead_days, 0);
            days(ui, "days; cover", &mut s.cover_days, 0);
            days(ui, "days; dead stock after", &mut s.dead_days, 1);
            ui.label("days");
            save = ui.button("Save settings").clicked();
        });
        if save {
            let s = *s;
            ctx.write(
                |tx| reorder::save_settings(tx, &s),
                |_| "The reorder settings were saved.".into(),
            );
        }
    }
}

/// How many products are in each class and what share of revenue they earn.
/// "510 products to reorder, worth $63,308.40 at cost": a list's length and
/// the sum of its `amount` column.
fn list_summary(
    t: &ReportTable,
    amount: &str,
    what: &str,
    after: &str,
    currency: &Currency,
) -> String {
    let at = col(t.kind, amount);
    let sum: i64 = t
        .rows
        .iter()
        .filter_map(|r| match r.get(at) {
            Some(Cell::Amount(m)) => Some(m.0),
            _ => None,
        })
        .fold(0i64, i64::saturating_add);
    let n = t.rows.len() as i64;
    format!(
        "{} {} {what} {} {after}.",
        thousands(n),
        crate::domain::format::noun(n, "product", "products"),
        currency.format(crate::domain::Money(sum))
    )
}

fn abc_summary(t: &ReportTable, currency: &Currency) -> String {
    let revenue = col(t.kind, "revenue");
    let class = col(t.kind, "class");
    let mut parts = Vec::new();
    for c in ["A", "B", "C"] {
        let rows = t
            .rows
            .iter()
            .filter(|r| matches!(r.get(class), Some(Cell::Text(x)) if x == c));
        let (n, sum) = rows.fold((0i64, 0i64), |(n, s), r| match r.get(revenue) {
            Some(Cell::Amount(m)) => (n + 1, s.saturating_add(m.0)),
            _ => (n + 1, s),
        });
        parts.push(format!(
            "{c}: {} {}, {}",
            thousands(n),
            crate::domain::format::noun(n, "product", "products"),
            currency.format(crate::domain::Money(sum))
        ));
    }
    parts.join("   ")
}

/// The index of a report's column (0 when it has none of that name).
pub(super) fn col(kind: ReportKind, name: &str) -> usize {
    kind.columns()
        .iter()
        .position(|(n, _)| *n == name)
        .unwrap_or(0)
}

/// A report's rows as a table that lays out only the rows in view.
pub(super) fn table_ui(ui: &mut egui::Ui, t: &ReportTable, currency: &Currency, height: f32) {
    let columns = t.kind.columns();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    // Sideways when the window is narrower than the columns (at 1024 What
    // to reorder's suggested quantity was out of reach).
    let sideways = egui::ScrollArea::horizontal().id_salt(("insights_sideways", t.kind.name()));
    sideways.show(ui, |ui| {
        ui.push_id(("insights_table", t.kind.name()), |ui| {
            let mut builder = TableBuilder::new(ui)
                .striped(true)
                .resizable(true)
                .max_scroll_height(height)
                .auto_shrink([false, true])
                .cell_layout(Layout::left_to_right(Align::Center));
            for (name, kind) in columns {
                // Wide enough for a month's revenue ("$3,977,300.12") unclipped.
                let w: f32 = match (*name, kind) {
                    ("product", _) => 180.0,
                    (_, CellKind::Amount) => 110.0,
                    _ => 80.0,
                };
                // And for its header whole ("New custo…", "Returning c…").
                let header = ReportKind::header(name).chars().count();
                let w = w.max(crate::ui::widgets::text_width(header));
                builder = builder.column(Column::initial(w).at_least(40.0).clip(true));
            }
            builder
                .header(row_height, |mut header| {
                    for (name, _) in columns {
                        header.col(|ui| {
                            ui.label(RichText::new(ReportKind::header(name)).strong());
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, t.rows.len(), |mut row| {
                        let Some(cells) = t.rows.get(row.index()) else {
                            return;
                        };
                        for (cell, (name, kind)) in cells.iter().zip(columns) {
                            row.col(|ui| cell_ui(ui, cell, name, *kind, currency));
                        }
                    });
                });
        })
    });
}

fn cell_ui(ui: &mut egui::Ui, cell: &Cell, name: &str, kind: CellKind, currency: &Currency) {
    let text = match cell {
        // Margin by month: "November 2026", as Reports and Trends name months.
        Cell::Text(month) if name == "month" => {
            crate::ui::widgets::period_text(crate::domain::Period::Month, month)
        }
        _ => crate::ui::reports::cell_text(cell, kind, currency),
    };
    if matches!(kind, CellKind::Int | CellKind::Amount | CellKind::Percent) {
        num_cell(ui, RichText::new(text));
    } else {
        ui.label(text);
    }
}
