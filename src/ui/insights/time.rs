//! Insights > Time: this year against last by week (two lines over the
//! weeks of the year) and sales by weekday and hour (a heat map). Each is a
//! report (`year-over-year`, `weekday-hour`, see `store::insights_time`),
//! read in the background on a connection of its own and in little memory,
//! so the window never waits on a million orders; a view shows its last
//! answer until the new one comes.

use chrono::Datelike;
use egui::{Color32, RichText};
use egui_plot::{GridMark, Legend, Line, Plot, PlotPoints};

use crate::domain::{Cell, Currency, Money, ReportKind, ReportSpec, ReportTable};
use crate::export::Format;
use crate::jobs::Job;
use crate::store::reports;
use crate::ui::app::commands::{Command, PanelCtx};
use crate::ui::widgets::thousands;

type Key = (Option<String>, Option<String>, u64);

/// One report read in the background: the newest answer and the question
/// being worked on.
#[derive(Default)]
struct Fetch {
    asked: Option<Key>,
    running: Option<Job<ReportTable>>,
    table: Option<Result<ReportTable, String>>,
}

impl Fetch {
    /// Polls the running read, and starts one when `spec` (or the data)
    /// changed since the last question. A read left behind is cancelled.
    fn update(&mut self, ectx: &egui::Context, ctx: &PanelCtx, spec: &ReportSpec) {
        if let Some(job) = &self.running
            && let Some(outcome) = job.poll()
        {
            self.table = Some(outcome);
            self.running = None;
        }
        let key: Key = (spec.from.clone(), spec.to.clone(), ctx.generation);
        if self.asked.as_ref() == Some(&key) {
            return;
        }
        if let Some(old) = self.running.take() {
            old.progress.cancel();
        }
        let wake = ectx.clone();
        let spec = spec.clone();
        self.running = Some(Job::spawn(
            spec.kind.label(),
            ctx.store.location(),
            move || wake.request_repaint(),
            move |store, progress| {
                progress.stop_queries_on_cancel(store.conn());
                reports::run_lightly(store.conn(), &spec, 10_000)
                    .map(|(table, _)| table)
                    .map_err(|e| e.to_string())
            },
        ));
        self.asked = Some(key);
    }

    /// The newest answer, or a spinner or the error in its place.
    fn table_ui(&self, ui: &mut egui::Ui) -> Option<&ReportTable> {
        if self.running.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("Working it out…");
            });
        }
        match &self.table {
            Some(Ok(t)) => Some(t),
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                None
            }
            None => None,
        }
    }
}

#[derive(Default)]
pub(super) struct TimeView {
    years: Fetch,
    hours: Fetch,
    /// The heat map over all time (else the last 12 months).
    all_time: bool,
    /// The heat map coloured by revenue (else by orders).
    by_revenue: bool,
}

impl TimeView {
    fn years_spec() -> ReportSpec {
        ReportSpec::new(ReportKind::YearOverYear)
    }

    fn hours_spec(&self) -> ReportSpec {
        let today = chrono::Local::now().date_naive();
        let from = (!self.all_time).then(|| {
            (today - chrono::Duration::days(364))
                .format("%Y-%m-%d")
                .to_string()
        });
        ReportSpec {
            from,
            ..ReportSpec::new(ReportKind::WeekdayHour)
        }
    }

    pub(super) fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let years = Self::years_spec();
        let hours = self.hours_spec();
        self.years.update(ui.ctx(), ctx, &years);
        self.hours.update(ui.ctx(), ctx, &hours);
        let currency = ctx.settings.currency.clone();
        egui::ScrollArea::vertical()
            .id_salt("insights_time_scroll")
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.heading("This year against last, by week");
                    if ui.button("Export…").clicked() {
                        ctx.send(Command::Export(years.clone(), Format::Csv));
                    }
                });
                ui.weak("Revenue after refunds. Week 1 is 1–7 January; week 52 takes the year's last days.");
                if let Some(t) = self.years.table_ui(ui) {
                    years_ui(ui, t, &currency);
                }
                ui.add_space(12.0);
                ui.horizontal(|ui| {
                    ui.heading("Sales by weekday and hour");
                    if ui.button("Export…").clicked() {
                        ctx.send(Command::Export(hours.clone(), Format::Csv));
                    }
                });
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut self.all_time, false, "Last 12 months");
                    ui.selectable_value(&mut self.all_time, true, "All time");
                    ui.separator();
                    ui.selectable_value(&mut self.by_revenue, false, "Orders");
                    ui.selectable_value(&mut self.by_revenue, true, "Revenue");
                });
                if let Some(t) = self.hours.table_ui(ui) {
                    hours_ui(ui, t, &currency, self.by_revenue);
                }
            });
    }
}

/// One week of `year-over-year`: its number, this year's revenue (None
/// after the end date), last year's, and whether the week is still running
/// (its last day after today).
fn weeks(t: &ReportTable, today: chrono::NaiveDate) -> Vec<(i64, Option<Money>, Money, bool)> {
    t.rows
        .iter()
        .filter_map(|r| match (r.first(), r.get(1), r.get(2), r.get(3)) {
            (Some(Cell::Int(w)), Some(Cell::Text(start)), this, Some(Cell::Amount(last))) => {
                let this = match this {
                    Some(Cell::Amount(m)) => Some(*m),
                    _ => None,
                };
                let start = chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d").ok()?;
                let end = if *w >= 52 {
                    start.with_month(12)?.with_day(31)?
                } else {
                    start + chrono::Duration::days(6)
                };
                Some((*w, this, *last, end > today))
            }
            _ => None,
        })
        .collect()
}

fn years_ui(ui: &mut egui::Ui, t: &ReportTable, currency: &Currency) {
    let weeks = weeks(t, chrono::Local::now().date_naive());
    // The weeks gone by, against the same weeks last year; the week still
    // running is named apart (a week of one day is no fall in sales).
    let done: Vec<_> = weeks
        .iter()
        .filter(|(_, this, _, running)| this.is_some() && !running)
        .collect();
    let this: i64 = done.iter().filter_map(|(_, m, _, _)| m.map(|m| m.0)).sum();
    let same_weeks: i64 = done.iter().map(|(_, _, m, _)| m.0).sum();
    let mut line = match done.last() {
        Some((last, ..)) => format!(
            "Weeks 1–{last}: {} this year against {} last year",
            currency.format(Money(this)),
            currency.format(Money(same_weeks))
        ),
        None => "No week of this year has ended yet".to_owned(),
    };
    if same_weeks > 0 {
        let change = (this - same_weeks) as f64 * 100.0 / same_weeks as f64;
        line.push_str(&crate::ui::widgets::decimal_text(&format!(
            " ({change:+.1}%)"
        )));
    }
    // The week still running against last year's same days (what the
    // report holds for it): a Black Friday tryout looked for this week
    // against last year's and found only "so far".
    if let Some((w, Some(m), last, _)) = weeks
        .iter()
        .find(|(_, this, _, running)| this.is_some() && *running)
    {
        line.push_str(&format!(
            "; week {w} so far {} against {} on the same days last year",
            currency.format(*m),
            currency.format(*last)
        ));
    }
    ui.label(RichText::new(line).strong());
    let scale = 10f64.powi(currency.decimals.min(3) as i32);
    let this_year: Vec<[f64; 2]> = weeks
        .iter()
        .filter(|(.., running)| !running)
        .filter_map(|(w, m, ..)| m.map(|m| [*w as f64, m.0 as f64 / scale]))
        .collect();
    // The week still running holds last year's same days only: left out of
    // both lines.
    let last_year: Vec<[f64; 2]> = weeks
        .iter()
        .filter(|(.., running)| !running)
        .map(|(w, _, m, _)| [*w as f64, m.0 as f64 / scale])
        .collect();
    let cur = currency.clone();
    let hover = currency.clone();
    // Room above the highest week for the legend (it lay over the newest).
    let top = this_year
        .iter()
        .chain(&last_year)
        .map(|p| p[1])
        .fold(0.0, f64::max);
    Plot::new("year_over_year_plot")
        .height(260.0)
        .legend(Legend::default())
        .include_y(top * super::LEGEND_ROOM)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .include_x(1.0)
        .include_x(52.0)
        .include_y(0.0)
        .x_axis_formatter(|mark: GridMark, _| format!("week {}", mark.value.round()))
        .y_axis_formatter(move |mark: GridMark, _| {
            let whole = Currency {
                decimals: 0,
                ..cur.clone()
            };
            whole.format(Money(mark.value.round() as i64))
        })
        // A week's revenue under the mouse, in money (it said nothing).
        .label_formatter(move |pos| match pos {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name,
                position,
                ..
            } => Some(format!(
                "{plot_name}, week {}\n{}",
                position.x.round(),
                hover.format(Money((position.y * scale).round() as i64))
            )),
            _ => None,
        })
        .show(ui, |plot| {
            plot.line(Line::new("Last year", PlotPoints::from(last_year)).color(Color32::GRAY));
            plot.line(Line::new("This year", PlotPoints::from(this_year)).width(2.0));
        });
}

fn hours_ui(ui: &mut egui::Ui, t: &ReportTable, currency: &Currency, by_revenue: bool) {
    // (weekday, hour, orders, revenue), the shop's first day of the week first.
    let cells: Vec<(&str, i64, i64, Money)> = t
        .rows
        .iter()
        .filter_map(|r| match (r.first(), r.get(1), r.get(2), r.get(3)) {
            (
                Some(Cell::Text(d)),
                Some(Cell::Int(h)),
                Some(Cell::Int(n)),
                Some(Cell::Amount(m)),
            ) => Some((d.as_str(), *h, *n, *m)),
            _ => None,
        })
        .collect();
    let value = |c: &(&str, i64, i64, Money)| if by_revenue { c.3.0 } else { c.2 };
    let top = cells.iter().map(value).max().unwrap_or(0).max(1);
    let width = ((ui.available_width() - 100.0) / 24.0).clamp(12.0, 40.0) - 2.0;
    let strong = if ui.visuals().dark_mode {
        Color32::from_rgb(90, 170, 255)
    } else {
        Color32::from_rgb(20, 90, 200)
    };
    let faint = ui.visuals().faint_bg_color;
    egui::Grid::new("weekday_hour_grid")
        .spacing([2.0, 2.0])
        // The hours as narrow as the room asks (a grid's columns are at
        // least 40 points by default: at 1024 it stopped at 18:00).
        .min_col_width(width)
        .show(ui, |ui| {
            ui.label("");
            for h in 0..24 {
                ui.allocate_ui(egui::vec2(width, 14.0), |ui| {
                    if h % 3 == 0 {
                        ui.weak(format!("{h:02}"));
                    }
                });
            }
            ui.end_row();
            for day in cells.chunks(24) {
                let Some(name) = day.first().map(|c| c.0) else {
                    continue;
                };
                ui.label(name);
                for c in day {
                    let share = value(c) as f32 / top as f32;
                    let color = faint.lerp_to_gamma(strong, share.clamp(0.0, 1.0));
                    let (rect, response) =
                        ui.allocate_exact_size(egui::vec2(width, 20.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, color);
                    response.on_hover_text(format!(
                        "{name} {:02}:00–{:02}:59\n{} {}\nWorth {}",
                        c.1,
                        c.1,
                        thousands(c.2),
                        crate::domain::format::noun(c.2, "order", "orders"),
                        currency.format(c.3)
                    ));
                }
                ui.end_row();
            }
        });
    let orders: i64 = cells.iter().map(|c| c.2).sum();
    if let Some(busiest) = cells.iter().max_by_key(|c| (value(c), -c.1)) {
        if orders > 0 {
            ui.label(format!(
                // What the orders placed in that hour were worth, as sold:
                // a later refund counts on its own day, as everywhere (a
                // tryout read it against Trends' revenue after refunds).
                "Busiest hour: {} {:02}:00–{:02}:59, {} {} worth {} as sold",
                busiest.0,
                busiest.1,
                busiest.1,
                thousands(busiest.2),
                crate::domain::format::noun(busiest.2, "order", "orders"),
                currency.format(busiest.3),
            ));
        } else {
            ui.weak("No sales in this range.");
        }
    }
}
