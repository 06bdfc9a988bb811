//! The Reports panel: choose a report and its parameters, read the result
//! (worked out on a background thread) in a table ending in a totals row,
//! sorted by any column (the sort is part of the `ReportSpec`, so an export
//! follows it), see the SQL behind it and the values it ran with, and
//! export it (a CSV file with ',' or ';' and perhaps a byte order mark, as
//! the shop's local format suggests). Headers and sales periods read in
//! words on screen; the customer of a customer's history is picked by name.

use crate::domain::period::ymd;
use chrono::Datelike;
use egui::{Align, Layout, RichText};
use egui_extras::{Column, TableBuilder};

use super::app::commands::{Command, Panel, PanelCtx, View};
use super::widgets::date::optional_date;
use super::widgets::layout::whole;
use super::widgets::picker::CustomerPicker;
use super::widgets::{count, text_width, thousands};
use crate::domain::{
    Cell, CellKind, Currency, Period, ReportKind, ReportSort, ReportSpec, ReportTable, TotalsSum,
};
use crate::export::{CsvOptions, Format, Separator};
use crate::jobs::Job;
use crate::store::reports::{self, Resolved};

/// The most rows the screen holds; an export always has them all.
pub const SCREEN_ROWS: usize = 100_000;

/// A report read, with the values it ran with and the spec it answers.
type Result_ = (ReportTable, Resolved, ReportSpec);

pub struct ReportsPanel {
    spec: ReportSpec,
    customer: CustomerPicker,
    product: String,
    limit: usize,
    format: Format,
    /// The CSV options the user chose; None follows the shop's local format.
    csv: Option<CsvOptions>,
    /// The spec and data generation of what is shown or being worked out.
    asked: Option<(ReportSpec, u64)>,
    running: Option<Job<Result_>>,
    shown: Option<Result<Result_, String>>,
    /// A report longer than the screen: every row added up in the
    /// background (the rows shown are only its first), for the spec shown.
    whole: Option<Job<TotalsSum>>,
    whole_shown: Option<Result<TotalsSum, String>>,
    /// The totals of every row just arrived: the columns start again.
    reset_widths: bool,
    /// What the reorder list and dead stock go by (the shop's settings),
    /// read when such a report arrives.
    criteria: Option<String>,
    show_sql: bool,
}

impl Default for ReportsPanel {
    fn default() -> Self {
        ReportsPanel {
            // All time by month: by day, a shop with two years of history
            // opened on some 700 rows of mostly nothing (a tryout's 969).
            spec: ReportSpec {
                by: Period::Month,
                ..ReportSpec::new(ReportKind::SalesByDate)
            },
            customer: CustomerPicker::default(),
            product: String::new(),
            limit: 10,
            format: Format::Csv,
            csv: None,
            asked: None,
            running: None,
            shown: None,
            whole: None,
            whole_shown: None,
            reset_widths: false,
            criteria: None,
            show_sql: false,
        }
    }
}

/// Days from one 'YYYY-MM-DD' to another (0 when either cannot be read).
fn days_between(from: &str, to: &str) -> i64 {
    let day = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    match (day(from), day(to)) {
        (Some(f), Some(t)) => (t - f).num_days(),
        _ => 0,
    }
}

/// (label, from, to) for the range presets; weeks start on the shop's day,
/// and a shop whose financial year starts in month `year_start` (not
/// January: Australia's July) has it too, this one and the last.
fn presets(
    today: chrono::NaiveDate,
    week_start: crate::domain::format::WeekStart,
    year_start: Option<u32>,
) -> Vec<(&'static str, Option<String>, Option<String>)> {
    let back = (7 + today.weekday().num_days_from_sunday() as i64
        - i64::from(week_start.weekday_number()))
        % 7;
    let this_week = today - chrono::Duration::days(back);
    let last_week = this_week - chrono::Duration::days(7);
    let first_of_month = today.with_day(1).unwrap_or(today);
    let last_month_end = first_of_month - chrono::Duration::days(1);
    let last_month_start = last_month_end.with_day(1).unwrap_or(last_month_end);
    let first_of_year = today.with_ordinal(1).unwrap_or(today);
    // Calendar quarters, for a quarterly VAT return (a French tryout
    // clicked its way to 1 October).
    let quarter_start = |d: chrono::NaiveDate| {
        chrono::NaiveDate::from_ymd_opt(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap_or(d)
    };
    let this_quarter = quarter_start(today);
    let last_quarter = quarter_start(this_quarter - chrono::Duration::days(1));
    let year_ago = today - chrono::Duration::days(364);
    let mut out = vec![
        ("This week", Some(ymd(this_week)), Some(ymd(today))),
        (
            "Last week",
            Some(ymd(last_week)),
            Some(ymd(this_week - chrono::Duration::days(1))),
        ),
        ("This month", Some(ymd(first_of_month)), Some(ymd(today))),
        (
            "Last month",
            Some(ymd(last_month_start)),
            Some(ymd(last_month_end)),
        ),
        ("This quarter", Some(ymd(this_quarter)), Some(ymd(today))),
        (
            "Last quarter",
            Some(ymd(last_quarter)),
            Some(ymd(this_quarter - chrono::Duration::days(1))),
        ),
        ("This year", Some(ymd(first_of_year)), Some(ymd(today))),
        ("Last 12 months", Some(ymd(year_ago)), Some(ymd(today))),
    ];
    if let Some(month) = year_start {
        let year = if today.month() >= month {
            today.year()
        } else {
            today.year() - 1
        };
        if let (Some(this), Some(last)) = (
            chrono::NaiveDate::from_ymd_opt(year, month, 1),
            chrono::NaiveDate::from_ymd_opt(year - 1, month, 1),
        ) {
            out.push(("This financial year", Some(ymd(this)), Some(ymd(today))));
            out.push((
                "Last financial year",
                Some(ymd(last)),
                Some(ymd(this - chrono::Duration::days(1))),
            ));
        }
    }
    out.push(("All time", None, None));
    out
}

impl View for ReportsPanel {
    fn id(&self) -> Panel {
        Panel::Reports
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        self.panel_ui(ui, ctx);
    }
}

impl ReportsPanel {
    fn panel_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        self.poll(ui.ctx(), ctx);
        egui::CentralPanel::default().show(ui, |ui| {
            self.params_ui(ui, ctx);
            self.spec.customer = self.customer.chosen().map(|(id, _)| id.to_string());
            self.spec.product = Some(self.product.trim().to_owned()).filter(|p| !p.is_empty());
            self.spec.limit = Some(self.limit.max(1));
            self.start_if_changed(ui.ctx(), ctx);
            ui.separator();
            self.result_ui(ui, ctx);
        });
    }

    fn params_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("Reports");
            ui.add_space(8.0);
            whole(ui, "kind", |ui| {
                let label = ui.label("Report").id;
                egui::ComboBox::from_id_salt("report_kind")
                    .selected_text(self.spec.kind.label())
                    .width(190.0)
                    // Most of the reports in sight at once, even at 1024x600.
                    .height(440.0)
                    .show_ui(ui, |ui| {
                        for k in ReportKind::ALL {
                            if ui
                                .selectable_value(&mut self.spec.kind, k, k.label())
                                .changed()
                            {
                                // Another report has other columns.
                                self.spec.sort = None;
                            }
                        }
                    })
                    .response
                    .labelled_by(label);
            });
            if self.spec.kind.uses_period() {
                whole(ui, "by", |ui| {
                    let label = ui.label("By").id;
                    egui::ComboBox::from_id_salt("report_by")
                        .selected_text(self.spec.by.name())
                        .show_ui(ui, |ui| {
                            for p in Period::ALL {
                                ui.selectable_value(&mut self.spec.by, p, p.name());
                            }
                        })
                        .response
                        .labelled_by(label);
                });
            }
            match self.spec.kind {
                ReportKind::CustomerHistory | ReportKind::CustomerData => {
                    whole(ui, "customer", |ui| self.customer.field_ui(ui, "Customer"));
                }
                ReportKind::InventoryMovements => {
                    whole(ui, "sku", |ui| {
                        let label = ui.label("SKU").id;
                        ui.add(
                            egui::TextEdit::singleline(&mut self.product)
                                .hint_text("all products")
                                .desired_width(120.0),
                        )
                        .labelled_by(label);
                    });
                }
                ReportKind::StockLevels => {
                    ui.checkbox(&mut self.spec.low_only, "Low stock only");
                }
                ReportKind::TopProducts | ReportKind::TopCustomers => {
                    whole(ui, "limit", |ui| {
                        let label = ui.label("How many").id;
                        ui.add(egui::DragValue::new(&mut self.limit).range(1..=1000))
                            .labelled_by(label);
                    });
                }
                _ => {}
            }
        });
        if matches!(
            self.spec.kind,
            ReportKind::CustomerHistory | ReportKind::CustomerData
        ) {
            self.customer.matches_ui(ui, ctx.store.conn());
        }
        if self.spec.kind.as_of() {
            // One day's standing (or its year against the last): a start
            // date would be ignored, so none is asked for (nor kept, as the
            // report would refuse one after the day).
            self.spec.from = None;
            ui.horizontal_wrapped(|ui| {
                let today = ymd(chrono::Local::now().date_naive());
                let spec = &mut self.spec;
                whole(ui, "to", |ui| {
                    optional_date(ui, "As of", "report_to", &mut spec.to, &today)
                });
                ui.weak(if spec.kind == ReportKind::YearOverYear {
                    "The year of this day, up to it, against the year before (default: today)"
                } else {
                    "default: today"
                });
            });
        } else if self.spec.kind.uses_dates() {
            ui.horizontal_wrapped(|ui| {
                let today = chrono::Local::now().date_naive();
                let year_start =
                    crate::domain::regional::financial_year_start(&ctx.settings.country);
                for (label, from, to) in presets(today, ctx.settings.week_start, year_start) {
                    let on = self.spec.from == from && self.spec.to == to;
                    if ui.selectable_label(on, label).clicked() {
                        // A week or a month by day, longer by month (By
                        // changes it until the next range is picked); the
                        // tax report, for a return, a month by month too (a
                        // German tryout's "This month" of VAT came by day).
                        let long = if self.spec.kind == ReportKind::Tax {
                            !matches!(label, "This week" | "Last week")
                        } else {
                            from.as_deref().is_none_or(|f| {
                                to.as_deref().is_some_and(|t| days_between(f, t) > 62)
                            })
                        };
                        self.spec.by = if long { Period::Month } else { Period::Day };
                        self.spec.from = from;
                        self.spec.to = to;
                    }
                }
                ui.separator();
                let today = ymd(today);
                let spec = &mut self.spec;
                whole(ui, "from", |ui| {
                    optional_date(ui, "From", "report_from", &mut spec.from, &today)
                });
                whole(ui, "to", |ui| {
                    optional_date(ui, "To", "report_to", &mut spec.to, &today)
                });
            });
        }
        ui.horizontal_wrapped(|ui| {
            ui.toggle_value(&mut self.show_sql, "Show SQL")
                .on_hover_text("The query this report runs, exactly, and the values it ran with");
            ui.add_space(8.0);
            whole(ui, "format", |ui| {
                let label = ui.label("Export as").id;
                egui::ComboBox::from_id_salt("report_format")
                    .selected_text(match self.format {
                        Format::Csv => "CSV",
                        Format::Xlsx => "Excel (.xlsx)",
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.format, Format::Csv, "CSV");
                        ui.selectable_value(&mut self.format, Format::Xlsx, "Excel (.xlsx)");
                    })
                    .response
                    .labelled_by(label);
            });
            let mut csv = self
                .csv
                .unwrap_or_else(|| CsvOptions::for_format(ctx.settings.local_format()));
            // Greyed out for Excel rather than hidden, so that Export… stays
            // where it was (a tryout clicked beside it after choosing Excel).
            let is_csv = self.format == Format::Csv;
            ui.add_enabled_ui(is_csv, |ui| {
                let before = csv;
                whole(ui, "separator", |ui| {
                    let label = ui.label("Separator").id;
                    egui::ComboBox::from_id_salt("csv_separator")
                        .selected_text(csv.separator.label())
                        .show_ui(ui, |ui| {
                            for s in Separator::ALL {
                                ui.selectable_value(&mut csv.separator, s, s.label());
                            }
                        })
                        .response
                        .labelled_by(label);
                });
                ui.checkbox(&mut csv.bom, "BOM for Excel").on_hover_text(
                    "Starts the file with a UTF-8 byte order mark, so Excel on Windows \
                     reads accents (\"Martín\") right. Other programs may show it as a stray character.",
                );
                // Only where ';' separates: a comma in a ',' file is a field's end.
                ui.add_enabled_ui(csv.separator == Separator::Semicolon, |ui| {
                    ui.checkbox(&mut csv.decimal_comma, "Decimal comma")
                        .on_hover_text(
                            "Writes amounts and percents as 1234,50, as Excel reads them where \
                             the comma is the decimal mark (it takes 30.59 for text or a date \
                             there). Dates stay 2026-03-31. Only with the ';' separator.",
                        );
                });
                if csv != before {
                    self.csv = Some(csv);
                }
            });
            if ui.button("Export…").clicked() {
                ctx.send(match self.format {
                    Format::Csv => Command::ExportCsv(self.spec.clone(), csv),
                    Format::Xlsx => Command::Export(self.spec.clone(), self.format),
                });
            }
        });
        if self.show_sql {
            let mut sql = reports::sql(&self.spec);
            ui.add(
                egui::TextEdit::multiline(&mut sql)
                    .code_editor()
                    .interactive(true)
                    .desired_width(f32::INFINITY)
                    .desired_rows(6),
            )
            .on_hover_text("Read-only: the values below stand for the names starting with ':'");
            ui.label(self.ran_with());
        }
    }

    /// "Ran with :from = '2026-03-01', :to = '2026-03-31'": the values of
    /// the report shown, when it answers the SQL shown.
    fn ran_with(&self) -> String {
        match &self.shown {
            Some(Ok((_, resolved, spec))) if *spec == self.spec && self.running.is_none() => {
                let values: Vec<String> = resolved
                    .values(&reports::sql(spec))
                    .into_iter()
                    .map(|(name, value)| format!("{name} = {value}"))
                    .collect();
                if values.is_empty() {
                    "Ran without values.".to_owned()
                } else {
                    format!("Ran with {}", values.join(", "))
                }
            }
            _ if self.running.is_some() => "Working out the values…".to_owned(),
            _ => "Not run yet.".to_owned(),
        }
    }

    fn start_if_changed(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) {
        let wanted = (self.spec.clone(), ctx.generation);
        if self.asked.as_ref() == Some(&wanted) {
            return;
        }
        self.asked = Some(wanted);
        if let Some(old) = self.running.take() {
            old.progress.cancel();
        }
        if let Some(old) = self.whole.take() {
            old.progress.cancel();
        }
        self.whole_shown = None;
        // A customer's history waits for the customer to be picked (no
        // error before anything was typed).
        if matches!(
            self.spec.kind,
            ReportKind::CustomerHistory | ReportKind::CustomerData
        ) && self.spec.customer.is_none()
        {
            self.shown = None;
            return;
        }
        let spec = self.spec.clone();
        let ectx = ectx.clone();
        let rows = ctx.screen_rows;
        self.running = Some(Job::spawn(
            format!("Working out {}", spec.kind.label().to_lowercase()),
            ctx.store.location(),
            move || ectx.request_repaint(),
            move |store, progress| {
                // A report left behind (another range, another sort) stops.
                progress.stop_queries_on_cancel(store.conn());
                reports::run(store.conn(), &spec, rows)
                    .map(|(table, resolved)| (table, resolved, spec.clone()))
                    .map_err(|e| e.to_string())
            },
        ));
    }

    fn poll(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) {
        if let Some(job) = &self.running
            && let Some(outcome) = job.poll()
        {
            // The screen holds the first rows of a longer report: its totals
            // and row count are of every row, added up in the background.
            if let Ok((table, _, spec)) = &outcome
                && table.truncated
            {
                let spec = spec.clone();
                let ectx = ectx.clone();
                self.whole = Some(Job::spawn(
                    format!("Adding up {}", spec.kind.label().to_lowercase()),
                    ctx.store.location(),
                    move || ectx.request_repaint(),
                    move |store, progress| {
                        progress.stop_queries_on_cancel(store.conn());
                        reports::totals_lightly(store.conn(), &spec).map_err(|e| e.to_string())
                    },
                ));
            }
            self.criteria = match &outcome {
                Ok((table, ..)) => criteria(ctx.store.conn(), table.kind),
                Err(_) => None,
            };
            self.shown = Some(outcome);
            self.running = None;
        }
        if let Some(job) = &self.whole
            && let Some(outcome) = job.poll()
        {
            self.whole_shown = Some(outcome);
            self.whole = None;
            self.reset_widths = true;
        }
    }

    fn result_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        // While a report is worked out the spinner stands at the end of the
        // caption line, so the table never moves under the mouse.
        let running = self.running.is_some();
        let working = |ui: &mut egui::Ui| {
            if running {
                ui.spinner();
                ui.label("Working it out…");
            }
        };
        let currency = ctx.settings.currency.clone();
        let whole = &self.whole_shown;
        let adding = self.whole.is_some();
        let reset_widths = std::mem::take(&mut self.reset_widths);
        let Some(shown) = &mut self.shown else {
            ui.horizontal(working);
            return;
        };
        let (table, resolved, shown_spec) = match shown {
            Ok(t) => t,
            Err(e) => {
                ui.horizontal(working);
                ui.colored_label(ui.visuals().error_fg_color, e.as_str());
                return;
            }
        };
        ui.horizontal_wrapped(|ui| {
            let what = if table.kind.as_of() {
                format!("as of {}", super::widgets::date_text(&resolved.to))
            } else if table.kind.uses_dates() {
                let (from, to) = (&resolved.from, &resolved.to);
                format!(
                    "{} to {}",
                    super::widgets::date_text(from),
                    super::widgets::date_text(to)
                )
            } else {
                "now".to_owned()
            };
            ui.label(RichText::new(format!("{}, {what}", table.kind.label())).strong());
            if let Some(criteria) = &self.criteria {
                ui.weak(criteria);
            }
            if !table.truncated {
                ui.weak(count(table.rows.len() as i64, "row", "rows"));
            } else {
                let shown = thousands(table.rows.len() as i64);
                match whole {
                    Some(Ok(sum)) => {
                        ui.weak(count(sum.rows as i64, "row", "rows"));
                    }
                    _ => {
                        ui.weak(format!("more than {shown} rows"));
                    }
                }
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("showing the first {shown}; Export writes them all"),
                );
                match whole {
                    Some(Err(e)) => {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            format!("Could not add up every row: {e}"),
                        );
                    }
                    None if adding => {
                        ui.spinner();
                        ui.label("Adding up every row…");
                    }
                    _ => {}
                }
            }
            working(ui);
        });
        // A report longer than the screen totals every row, not only
        // those shown: until they are added up, the totals row says so.
        let totals = if !table.truncated {
            table.totals()
        } else {
            match whole {
                Some(Ok(sum)) => sum.clone().finish(),
                // "Total", and "…" where the sums will be.
                _ => table.totals().map(|row| {
                    row.into_iter()
                        .enumerate()
                        .map(|(i, cell)| match cell {
                            _ if i == 0 => Cell::Text("Total".into()),
                            Cell::Empty => Cell::Empty,
                            _ => Cell::Text("…".into()),
                        })
                        .collect()
                }),
            }
        };
        let columns = table.columns();
        // Sales by week or month: the first column names the period in words,
        // a period the range cuts marked as partial.
        let by = table.kind.uses_period().then_some(shown_spec.by);
        let (from, to) = (resolved.from.clone(), resolved.to.clone());
        let mut sort = self.spec.sort.map(|s| (s.column, !s.descending));
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        ui.style_mut().interaction.selectable_labels = false;
        // Starting widths; the user may resize a column (remembered per
        // report), and the totals row below takes the widths the header had.
        // Counts and percents narrower than amounts, so that Sales by week
        // (a period in words, then two counts and eight amounts) fits a
        // 1366-wide window without scrolling sideways.
        // A long header ("Revenue without a known cost") starts wide enough
        // to be read whole (about 7.5 points a letter in the header's font).
        let initial: Vec<f32> = columns
            .iter()
            .map(|(name, kind)| {
                let width: f32 = match (*name, kind) {
                    ("product" | "customer" | "email", CellKind::Text) => 220.0,
                    // "Tax as given (refunds)" whole.
                    ("rate", CellKind::Text) => 180.0,
                    // "September 2026 (partial)"; a week's start a little wider.
                    ("date", _) if by == Some(Period::Month) => 175.0,
                    // "Q1 2026 (January–March) (partial)".
                    ("date", _) if by == Some(Period::Quarter) => 240.0,
                    ("date", _) if by.is_some_and(|b| b != Period::Day) => 200.0,
                    (_, CellKind::Int | CellKind::Percent) => 72.0,
                    (_, CellKind::Amount) => 105.0,
                    _ => 110.0,
                };
                let header = column_header(name, *kind, by).chars().count();
                // And for the longest code in words ("Back from the order" was cut).
                let words = longest_in_words(name);
                width.max(text_width(header)).max(text_width(words))
            })
            .zip(columns)
            .enumerate()
            // And wide enough for its total ("$100,190,804.72" was cut).
            .map(|(i, (width, (_, kind)))| {
                let total = totals
                    .as_ref()
                    .and_then(|t| t.get(i))
                    .map_or(0, |c| cell_text(c, *kind, &currency).chars().count());
                width.max(text_width(total))
            })
            .collect();
        let footer = if totals.is_some() {
            row_height + 8.0
        } else {
            0.0
        };
        // Wider than the window (order lines): the table scrolls sideways,
        // its totals with it.
        // Its bar always shown when it scrolls: at 1024x600 Sales by date's
        // last columns (Total, Refunds) were out of sight with nothing to say so.
        // And in a room of its own below the totals: floating, it covered
        // them while the mouse was near.
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        let bar = ui.spacing().scroll.allocated_width();
        let body_height =
            (ui.available_height() - footer - bar - row_height - 8.0).max(row_height * 3.0);
        egui::ScrollArea::horizontal()
            .id_salt(("report_hscroll", table.kind.name()))
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .show(ui, |ui| {
                let mut builder = TableBuilder::new(ui)
                    .id_salt(("report_table", table.kind.name(), by.map(Period::name)))
                    .striped(true)
                    .resizable(true)
                    .max_scroll_height(body_height)
                    .auto_shrink([false, true])
                    .cell_layout(Layout::left_to_right(Align::Center));
                for w in &initial {
                    builder = builder.column(Column::initial(*w).at_least(48.0).clip(true));
                }
                // Its starting widths again once every row is added up (the
                // totals' width is known then); where it was scrolled stays.
                if reset_widths {
                    builder.reset();
                }
                let rows = &table.rows;
                let mut widths = initial.clone();
                builder
                    .header(row_height + 4.0, |mut header| {
                        for (i, (name, kind)) in columns.iter().enumerate() {
                            header.col(|ui| {
                                if let Some(w) = widths.get_mut(i) {
                                    *w = ui.max_rect().width();
                                }
                                let arrow = match sort {
                                    Some((c, true)) if c == i => " ⏶",
                                    Some((c, false)) if c == i => " ⏷",
                                    _ => "",
                                };
                                let r = ui.add(
                                    egui::Button::new(
                                        RichText::new(format!(
                                            "{}{arrow}",
                                            column_header(name, *kind, by)
                                        ))
                                        .strong(),
                                    )
                                    .frame(false),
                                );
                                let r = match column_hint(table.kind, name) {
                                    Some(hint) => r.on_hover_text(hint),
                                    None => r,
                                };
                                if r.clicked() {
                                    sort = match sort {
                                        Some((c, asc)) if c == i => Some((i, !asc)),
                                        _ => Some((i, true)),
                                    };
                                }
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(row_height, rows.len(), |mut row| {
                            let Some(cells) = rows.get(row.index()) else {
                                return;
                            };
                            for (i, (cell, (name, kind))) in cells.iter().zip(columns).enumerate() {
                                row.col(|ui| match (by, cell) {
                                    (Some(by), Cell::Text(key)) if i == 0 => {
                                        period_ui(ui, by, key, &from, &to);
                                    }
                                    // Margin by month: its months in words, as
                                    // every other report's ("2026-11" read as
                                    // a code).
                                    (None, Cell::Text(key)) if i == 0 && *name == "month" => {
                                        period_ui(ui, Period::Month, key, &from, &to);
                                    }
                                    (_, Cell::Int(n)) if is_number_name(name, *kind) => {
                                        super::widgets::num_cell(ui, RichText::new(n.to_string()));
                                    }
                                    (_, Cell::Text(code)) if in_words(name, code).is_some() => {
                                        ui.label(in_words(name, code).unwrap_or_default())
                                            .on_hover_text(format!("{code} in the file"));
                                    }
                                    _ => cell_ui(ui, cell, *kind, &currency, false),
                                });
                            }
                        });
                    });
                // The totals stay in view below the rows, however long the report.
                if let Some(totals) = &totals {
                    ui.separator();
                    let mut footer = TableBuilder::new(ui)
                        .id_salt(("report_totals", table.kind.name()))
                        .vscroll(false)
                        .cell_layout(Layout::left_to_right(Align::Center));
                    for w in &widths {
                        footer = footer.column(Column::exact(*w).clip(true));
                    }
                    footer.body(|mut body| {
                        body.row(row_height, |mut row| {
                            for (cell, (_, kind)) in totals.iter().zip(columns) {
                                row.col(|ui| cell_ui(ui, cell, *kind, &currency, true));
                            }
                        });
                    });
                }
            });
        // The sort is part of the report: the rows are read again in that
        // order (by the same query an export runs), and an export follows it.
        self.spec.sort = sort.map(|(column, asc)| ReportSort {
            column,
            descending: !asc,
        });
    }
}

/// A column's header: its name in words; sales by week or month say so,
/// and a customer given by number says it is a number (it read "Customer"
/// over "2").
fn column_header(name: &str, kind: CellKind, by: Option<Period>) -> String {
    match (name, kind, by) {
        ("date", _, Some(Period::Week)) => "Week".to_owned(),
        ("date", _, Some(Period::Month)) => "Month".to_owned(),
        ("date", _, Some(Period::Quarter)) => "Quarter".to_owned(),
        ("customer", CellKind::Int, _) => ReportKind::header("customer_number"),
        _ => ReportKind::header(name),
    }
}

/// Whether a column holds numbers that name something (a customer's
/// number), written as they are: "19774", not "19,774".
fn is_number_name(name: &str, kind: CellKind) -> bool {
    kind == CellKind::Int && matches!(name, "customer" | "customer_number")
}

/// What the reorder list and dead stock go by, in words (the shop's
/// settings, changed in Insights > Products): "sold recently" and "dead"
/// said nothing of their days.
fn criteria(conn: &rusqlite::Connection, kind: ReportKind) -> Option<String> {
    let s = crate::store::reorder::settings(conn).ok()?;
    match kind {
        ReportKind::Reorder => Some(format!(
            "sold recently: the last {} days (less refunds); listed when the stock lasts less than a product's lead time and cover days ({} and {} unless set for it)",
            s.rate_days, s.lead_days, s.cover_days
        )),
        ReportKind::DeadStock => Some(format!("in stock, no sale in {} days or more", s.dead_days)),
        _ => None,
    }
}

/// What a column holds, where its name alone leaves it open (two screens
/// call different sums "Revenue" or "Refunds").
fn column_hint(kind: ReportKind, column: &str) -> Option<&'static str> {
    match (kind, column) {
        (ReportKind::SalesByDate, "revenue") => Some(
            "Net sales of goods of the orders placed in the period: after discounts, without tax or shipping, refunds not taken off (Trends takes off their goods part)",
        ),
        (ReportKind::SalesByDate, "refunds") => Some(
            "Refunds paid in the period on orders that still count as sales (part of an order given back), as paid: goods, tax and shipping. An order cancelled or returned whole leaves its own day's sales instead; Payments by method lists every refund",
        ),
        (ReportKind::OrderLines, "quantity" | "line_total") => Some(
            "The totals row adds up the lines of orders that count as sales; cancelled and returned orders' lines are listed, not added",
        ),
        (ReportKind::YearOverYear, "last_year") => Some(
            "The same week last year; for the week still running, last year's same days so far. The totals row adds up the weeks this year has reached",
        ),
        (ReportKind::SalesByDate, "gross_sales" | "discounts") => Some(
            "At the prices as typed: an order sold with prices that include tax has its tax inside them, so gross sales less discounts is revenue plus that tax. Revenue and shipping never hold tax",
        ),
        (ReportKind::Tax, "rate") => Some(
            "The rate each sale was taxed at, as sold. \"Tax as given\": tax an imported order gave as an amount, with no rate (a platform's Taxes column). \"No tax\": sales that carried none. \"(refunds)\": what refunds dated in the period gave back at that rate",
        ),
        (ReportKind::Tax, "taxable") => Some(
            "The sales taxed at the row's rate: goods after discounts, and shipping where it is taxed, without the tax. The totals row adds up the sales that bore tax; the rows at 0% (\"No tax\") are listed, not added",
        ),
        (ReportKind::Tax, "with_tax") => Some(
            "Taxable and tax added: the sales with their tax, at every rate (a BAS's total sales, GST-free ones included)",
        ),
        (ReportKind::StockLevels, "value") => {
            Some("The stock at its cost (what it cost you), not at its price")
        }
        _ => None,
    }
}

/// A sales period in words; one the range only partly covers says so.
fn period_ui(ui: &mut egui::Ui, by: Period, key: &str, from: &str, to: &str) {
    // Days the shop's way, as every other date on screen (files keep ISO).
    let label = super::widgets::period_text(by, key);
    match by.coverage(key, from, to) {
        Some(c) if c.partial() => {
            ui.label(format!("{label} (partial)"))
                .on_hover_text(format!(
                    "Only {} of its {} days are in this report's range.",
                    c.days, c.of
                ));
        }
        _ => {
            ui.label(label);
        }
    }
}

/// The codes a report's file keeps in `column` (a movement's `reason`, an
/// order's `status`, a payment's `kind`), each with the words the rest of
/// the window uses for it ("order_returned" is "Back from the order", as
/// in a product's movements); none for a column of no codes.
fn codes_in_words(column: &str) -> Vec<(&'static str, &'static str)> {
    use crate::domain::{MovementReason, OrderStatus};
    match column {
        "reason" => MovementReason::ALL.map(|r| (r.code(), r.label())).to_vec(),
        "status" => OrderStatus::ALL.map(|s| (s.code(), s.label())).to_vec(),
        "kind" => vec![("payment", "Payment"), ("refund", "Refund")],
        _ => Vec::new(),
    }
}

/// A code of `column` in words (see `codes_in_words`).
fn in_words(column: &str, code: &str) -> Option<&'static str> {
    codes_in_words(column)
        .into_iter()
        .find_map(|(c, words)| (c == code).then_some(words))
}

/// How many letters the longest code of `column` takes in words (0: a
/// column of no codes).
fn longest_in_words(column: &str) -> usize {
    codes_in_words(column)
        .iter()
        .map(|(_, words)| words.chars().count())
        .max()
        .unwrap_or(0)
}

/// A cell's text on screen.
/// A report cell as the screen shows it (the shop's marks and dates).
pub(crate) fn cell_text(cell: &Cell, kind: CellKind, currency: &Currency) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Int(n) => thousands(*n),
        Cell::Amount(m) => currency.format(*m),
        Cell::Text(t) if kind == CellKind::Date => super::widgets::date_text(t),
        // "5,5" with a decimal comma, as amounts are written (files keep "5.5").
        Cell::Text(t) if kind == CellKind::Percent => currency.style.decimal_text(t),
        Cell::Text(t) => t.clone(),
    }
}

fn cell_ui(ui: &mut egui::Ui, cell: &Cell, kind: CellKind, currency: &Currency, bold: bool) {
    let text = cell_text(cell, kind, currency);
    let text = if bold {
        RichText::new(text).strong()
    } else {
        RichText::new(text)
    };
    if matches!(kind, CellKind::Int | CellKind::Amount | CellKind::Percent) {
        super::widgets::num_cell(ui, text);
    } else {
        ui.label(text);
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::format::WeekStart;

    /// The range of the preset `label` on `today`, as (from, to).
    fn preset(
        today: chrono::NaiveDate,
        start: WeekStart,
        year_start: Option<u32>,
        label: &str,
    ) -> Option<(String, String)> {
        super::presets(today, start, year_start)
            .into_iter()
            .find(|(l, _, _)| *l == label)
            .map(|(_, from, to)| (from.unwrap_or_default(), to.unwrap_or_default()))
    }

    /// "This week" and "Last week" start on the shop's first day of the week.
    #[test]
    fn the_week_presets_start_on_the_shops_day() {
        let wednesday = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let week = |start, label: &str| preset(wednesday, start, None, label);
        let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(
            week(WeekStart::Monday, "This week"),
            pair("2026-11-23", "2026-11-25")
        );
        assert_eq!(
            week(WeekStart::Monday, "Last week"),
            pair("2026-11-16", "2026-11-22")
        );
        assert_eq!(
            week(WeekStart::Sunday, "This week"),
            pair("2026-11-22", "2026-11-25")
        );
        assert_eq!(
            week(WeekStart::Saturday, "Last week"),
            pair("2026-11-14", "2026-11-20")
        );
        // On the week's first day, this week is that day alone.
        let monday = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let this = super::presets(monday, WeekStart::Monday, None)
            .into_iter()
            .find(|(l, _, _)| *l == "This week")
            .map(|(_, from, to)| (from, to));
        assert_eq!(
            this,
            Some((Some("2026-11-23".into()), Some("2026-11-23".into())))
        );
    }

    /// Quarters, for a quarterly return: this one so far, the last whole
    /// (across the new year too).
    #[test]
    fn the_quarter_presets_are_calendar_quarters() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let range = |today, label: &str| preset(today, WeekStart::Monday, None, label);
        let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        assert_eq!(
            range(day(2026, 11, 28), "This quarter"),
            pair("2026-10-01", "2026-11-28")
        );
        assert_eq!(
            range(day(2026, 11, 28), "Last quarter"),
            pair("2026-07-01", "2026-09-30")
        );
        assert_eq!(
            range(day(2026, 2, 3), "Last quarter"),
            pair("2025-10-01", "2025-12-31")
        );
        assert_eq!(
            range(day(2026, 4, 1), "This quarter"),
            pair("2026-04-01", "2026-04-01")
        );
    }

    /// A shop whose financial year is not the calendar's has it as a
    /// preset: Australia's from July, this one so far and the last whole.
    #[test]
    fn the_financial_year_presets_follow_the_shops_year() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let range = |today, start, label: &str| preset(today, WeekStart::Monday, start, label);
        let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        let november = day(2026, 11, 27);
        assert_eq!(
            range(november, Some(7), "This financial year"),
            pair("2026-07-01", "2026-11-27")
        );
        assert_eq!(
            range(november, Some(7), "Last financial year"),
            pair("2025-07-01", "2026-06-30")
        );
        // Before July, the year began the July before.
        assert_eq!(
            range(day(2026, 3, 2), Some(7), "This financial year"),
            pair("2025-07-01", "2026-03-02")
        );
        assert_eq!(
            range(day(2026, 4, 1), Some(4), "Last financial year"),
            pair("2025-04-01", "2026-03-31")
        );
        assert_eq!(range(november, None, "This financial year"), None);
        // All time stays last.
        let all = super::presets(november, WeekStart::Monday, Some(7));
        assert_eq!(all.last().map(|p| p.0), Some("All time"));
    }
}
