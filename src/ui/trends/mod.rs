//! The Trends panel: key figures against the previous period, revenue over
//! time with a moving average and the previous period drawn faintly, orders
//! per period, and where the money comes from (with the margin where costs
//! are known). All from SQL aggregates; the revenue series is the
//! sales-by-date report itself, less each period's refunds.

mod chart;
mod figures;

use self::figures::{bar_list, figures_ui, margin_ui};
use crate::domain::period::ymd;

use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use chrono::{Datelike, NaiveDate};

use super::app::commands::{Command, Panel, PanelCtx, View};
use super::widgets::date::optional_date;
use super::widgets::empty_shop_ui;
use crate::domain::trends::{self, Figures, Point};
use crate::domain::{Cell, Currency, Money, Period, ReportKind, ReportSpec, ReportTable};
use crate::export::Format;
use crate::import::ImportKind;
use crate::jobs::{Job, Latest};
use crate::store::{self, reports};

/// What the panel draws for one range.
#[derive(Debug, Clone)]
struct Data {
    from: String,
    to: String,
    figures: Figures,
    before: Figures,
    points: Vec<Point>,
    previous: Vec<Point>,
    /// The shop has orders at all (asked only when the range has none).
    shop_has_orders: bool,
}

/// The slower breakdowns, worked out in the background.
#[derive(Debug, Clone)]
struct Breakdown {
    products: ReportTable,
    customers: ReportTable,
    categories: Vec<(String, Money)>,
    /// The margin and the revenue it is on (sales at a known cost).
    margin: Option<(Money, Money)>,
}

type Key = (Option<String>, Option<String>, Period, u64);

pub struct TrendsPanel {
    from: Option<String>,
    to: Option<String>,
    by: Period,
    show_orders: bool,
    data: Option<(Key, Result<Data, String>)>,
    breakdown: Option<(Key, Result<Breakdown, String>)>,
    running: Option<(Key, Job<Breakdown>)>,
    /// The figures and series read ahead, before the panel was first shown
    /// (`View::prefetch`): taken by the first frame that wants them.
    ahead: Option<Latest<Key, Data>>,
    chart_rect: Option<egui::Rect>,
    shot: Option<Receiver<Arc<egui::ColorImage>>>,
    /// The chart lines the legend turned off.
    hidden: chart::Hidden,
}

impl Default for TrendsPanel {
    fn default() -> Self {
        let today = chrono::Local::now().date_naive();
        TrendsPanel {
            from: Some(ymd(today - chrono::Duration::days(89))),
            to: Some(ymd(today)),
            by: Period::Day,
            show_orders: true,
            data: None,
            breakdown: None,
            running: None,
            ahead: None,
            chart_rect: None,
            shot: None,
            hidden: chart::Hidden::default(),
        }
    }
}

/// A round step (1, 2 or 5 times a power of ten, at least 1) near `rough`.
fn whole_step(rough: f64) -> f64 {
    if !rough.is_finite() || rough <= 1.0 {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    let lead = rough / power;
    let nice = if lead < 1.5 {
        1.0
    } else if lead < 3.5 {
        2.0
    } else if lead < 7.5 {
        5.0
    } else {
        10.0
    };
    nice * power
}

fn presets(today: NaiveDate) -> Vec<(&'static str, Option<String>, Option<String>)> {
    let first_of_year = today.with_ordinal(1).unwrap_or(today);
    vec![
        (
            "Last 30 days",
            Some(ymd(today - chrono::Duration::days(29))),
            Some(ymd(today)),
        ),
        (
            "Last 90 days",
            Some(ymd(today - chrono::Duration::days(89))),
            Some(ymd(today)),
        ),
        ("This year", Some(ymd(first_of_year)), Some(ymd(today))),
        (
            "Last 12 months",
            Some(ymd(today - chrono::Duration::days(364))),
            Some(ymd(today)),
        ),
        ("All time", None, None),
    ]
}

/// Works out the figures and both series for a range (fast: daily summary).
/// The range's end, but no day after `today`: a day to come has no sales
/// yet, and drawn as $0 it pulled the 7-day average down (a tryout's To of
/// tomorrow). A range wholly to come stays as asked (and is refused).
fn up_to_today(from: &Option<String>, to: &Option<String>, today: &str) -> Option<String> {
    match to {
        Some(t) if t.as_str() > today && from.as_deref().is_none_or(|f| f <= today) => {
            Some(today.to_owned())
        }
        other => other.clone(),
    }
}

fn load(
    conn: &rusqlite::Connection,
    from: &Option<String>,
    to: &Option<String>,
    by: Period,
) -> Result<Data, String> {
    let spec = ReportSpec {
        from: from.clone(),
        to: up_to_today(from, to, &ymd(chrono::Local::now().date_naive())),
        by,
        ..ReportSpec::new(ReportKind::SalesByDate)
    };
    let (table, resolved) = reports::run(conn, &spec, 100_000).map_err(|e| e.to_string())?;
    let parse = |s: &str| crate::domain::period::day(s).ok_or_else(|| format!("not a day: {s}"));
    let (pf, pt) = trends::previous_range(parse(&resolved.from)?, parse(&resolved.to)?);
    let prev_spec = ReportSpec {
        from: Some(ymd(pf)),
        to: Some(ymd(pt)),
        ..spec.clone()
    };
    let (prev_table, _) = reports::run(conn, &prev_spec, 100_000).map_err(|e| e.to_string())?;
    let figures =
        store::trends::figures(conn, &resolved.from, &resolved.to).map_err(|e| e.to_string())?;
    let before = store::trends::figures(conn, &ymd(pf), &ymd(pt)).map_err(|e| e.to_string())?;
    let refunds = |from: &str, to: &str| {
        store::trends::refunds_by_period(conn, from, to, by).map_err(|e| e.to_string())
    };
    let points = trends::series(&table, &refunds(&resolved.from, &resolved.to)?);
    let shop_has_orders = points.iter().any(|p| p.orders > 0)
        || store::settings::counts(conn)
            .map_err(|e| e.to_string())?
            .orders
            > 0;
    Ok(Data {
        from: resolved.from,
        to: resolved.to,
        figures,
        before,
        points,
        previous: trends::series(&prev_table, &refunds(&ymd(pf), &ymd(pt))?),
        shop_has_orders,
    })
}

/// The breakdown's question: the range and the data, not the period (a
/// switch to weekly asked for the same top products again, seconds of work
/// at a million orders beside the window).
fn breakdown_key(key: &Key) -> Key {
    (key.0.clone(), key.1.clone(), Period::Day, key.3)
}

impl View for TrendsPanel {
    fn id(&self) -> Panel {
        Panel::Trends
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        self.panel_ui(ui, ctx);
    }

    /// Reads the figures and series of the range shown first on a reader of
    /// its own, so that the panel's first frame only draws them.
    fn prefetch(&mut self, ctx: &PanelCtx) {
        if self.data.is_some() || ctx.store.path() == std::path::Path::new(":memory:") {
            return;
        }
        let ahead = Latest::spawn(
            ctx.store.location(),
            || {},
            |store, key: &Key| load(store.conn(), &key.0, &key.1, key.2),
        );
        ahead.ask((self.from.clone(), self.to.clone(), self.by, ctx.generation));
        self.ahead = Some(ahead);
    }
}

impl TrendsPanel {
    fn panel_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let key: Key = (self.from.clone(), self.to.clone(), self.by, ctx.generation);
        if self.data.as_ref().is_none_or(|(k, _)| *k != key) {
            let read_ahead = self
                .ahead
                .take()
                .and_then(|ahead| ahead.answer(std::time::Duration::ZERO))
                .filter(|(k, _)| *k == key)
                .map(|(_, data)| data);
            let data =
                read_ahead.unwrap_or_else(|| load(ctx.store.conn(), &self.from, &self.to, self.by));
            self.data = Some((key.clone(), data));
        }
        self.breakdown_job(ui.ctx(), ctx, &breakdown_key(&key));
        self.take_screenshot(ui.ctx(), ctx);
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("trends_scroll")
                .show(ui, |ui| {
                    self.controls_ui(ui, ctx);
                    ui.separator();
                    let Some((_, data)) = &self.data else { return };
                    let data = match data {
                        Ok(d) => d.clone(),
                        Err(e) => {
                            ui.colored_label(ui.visuals().error_fg_color, e);
                            return;
                        }
                    };
                    let currency = ctx.settings.currency.clone();
                    if !data.shop_has_orders {
                        // No axis down to -$40 around nothing: say what to do.
                        empty_shop_ui(
                            ui,
                            ctx,
                            "No sales yet",
                            "Trends draw the orders: take your first one in Orders, import your past orders, or look around a demo shop first.",
                            None,
                            ImportKind::Orders,
                        );
                        return;
                    }
                    figures_ui(ui, &data, &currency);
                    ui.add_space(8.0);
                    if data.points.iter().all(|p| p.orders == 0) {
                        ui.add_space(16.0);
                        ui.vertical_centered(|ui| {
                            ui.heading("No orders in this range");
                            ui.label("Pick another range above, or \"All time\".");
                        });
                        return;
                    }
                    self.chart_ui(ui, &data, &currency);
                    ui.add_space(8.0);
                    self.breakdown_ui(ui, &currency);
                });
        });
    }

    fn controls_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("Trends");
            ui.add_space(8.0);
            let today = chrono::Local::now().date_naive();
            for (label, from, to) in presets(today) {
                let on = self.from == from && self.to == to;
                if ui.selectable_label(on, label).clicked() {
                    self.from = from;
                    self.to = to;
                }
            }
            ui.separator();
            let today = ymd(today);
            optional_date(ui, "From", "trends_from", &mut self.from, &today);
            optional_date(ui, "To", "trends_to", &mut self.to, &today);
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("By");
            // No quarters: a few points make no trend (the reports have them).
            for p in [Period::Day, Period::Week, Period::Month] {
                let label = match p {
                    Period::Day => "Daily",
                    Period::Week => "Weekly",
                    Period::Month | Period::Quarter => "Monthly",
                };
                ui.selectable_value(&mut self.by, p, label);
            }
            ui.separator();
            ui.checkbox(&mut self.show_orders, "Orders per period");
            ui.separator();
            if ui.button("Save chart as PNG…").clicked() && self.chart_rect.is_some() {
                let (tx, rx) = channel();
                let wake = ui.ctx().clone();
                ui.ctx()
                    .send_viewport_cmd(egui::ViewportCommand::Screenshot(
                        egui::ScreenshotCallback::new(move |image| {
                            let _ = tx.send(image);
                            wake.request_repaint();
                        }),
                    ));
                self.shot = Some(rx);
            }
            if ui.button("Export data…").clicked() {
                let spec = ReportSpec {
                    from: self.from.clone(),
                    to: self.to.clone(),
                    by: self.by,
                    ..ReportSpec::new(ReportKind::SalesByDate)
                };
                ctx.send(Command::Export(spec, Format::Csv));
            }
        });
    }

    fn take_screenshot(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) {
        let Some(rx) = &self.shot else { return };
        let Ok(image) = rx.try_recv() else { return };
        self.shot = None;
        let Some(rect) = self.chart_rect else { return };
        let ppp = ectx.pixels_per_point();
        let crop = image.region(&rect, Some(ppp));
        let rgba: Vec<u8> = crop.pixels.iter().flat_map(|c| c.to_array()).collect();
        let (from, to) = match &self.data {
            Some((_, Ok(d))) => (d.from.clone(), d.to.clone()),
            _ => (String::new(), String::new()),
        };
        ctx.send(Command::SaveChart {
            name: format!("revenue_{from}_{to}.png"),
            width: crop.size[0] as u32,
            height: crop.size[1] as u32,
            rgba,
        });
    }

    fn breakdown_job(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx, key: &Key) {
        if let Some((k, job)) = &self.running
            && let Some(outcome) = job.poll()
        {
            self.breakdown = Some((k.clone(), outcome));
            self.running = None;
        }
        let have = self.breakdown.as_ref().is_some_and(|(k, _)| k == key);
        let asked = self.running.as_ref().is_some_and(|(k, _)| k == key);
        if have || asked {
            return;
        }
        if let Some((_, old)) = self.running.take() {
            old.progress.cancel();
        }
        let (from, to) = (self.from.clone(), self.to.clone());
        let wake = ectx.clone();
        let job = Job::spawn(
            "Working out where the money comes from",
            ctx.store.location(),
            move || wake.request_repaint(),
            move |store, progress| {
                // Left behind by another range: stop at once, so that
                // clicking through ranges runs one breakdown, not several;
                // each in little memory, beside the window.
                progress.stop_queries_on_cancel(store.conn());
                let top = |kind| {
                    let spec = ReportSpec {
                        from: from.clone(),
                        to: to.clone(),
                        limit: Some(10),
                        ..ReportSpec::new(kind)
                    };
                    reports::run_lightly(store.conn(), &spec, 10)
                };
                let (products, r) = top(ReportKind::TopProducts).map_err(|e| e.to_string())?;
                let (customers, _) = top(ReportKind::TopCustomers).map_err(|e| e.to_string())?;
                // Revenue and margin by category: the margin report itself.
                let spec = ReportSpec {
                    from: Some(r.from.clone()),
                    to: Some(r.to.clone()),
                    ..ReportSpec::new(ReportKind::MarginByCategory)
                };
                let (by_category, _) = reports::run_lightly(store.conn(), &spec, 100_000)
                    .map_err(|e| e.to_string())?;
                Ok(Breakdown {
                    products,
                    customers,
                    categories: trends::category_revenue(&by_category),
                    margin: trends::margin(&by_category),
                })
            },
        );
        self.running = Some((key.clone(), job));
    }

    fn breakdown_ui(&self, ui: &mut egui::Ui, currency: &Currency) {
        ui.heading("Where the money comes from");
        let Some((_, b)) = &self.breakdown else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Working it out…");
            });
            return;
        };
        if self.running.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak("Updating…");
            });
        }
        let b = match b {
            Ok(b) => b,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
        };
        let bars = |t: &ReportTable, name_col: usize| -> Vec<(String, Money)> {
            t.rows
                .iter()
                .filter_map(|r| match (r.get(name_col), r.last()) {
                    (Some(Cell::Text(n)), Some(Cell::Amount(m))) => Some((n.clone(), *m)),
                    _ => None,
                })
                .collect()
        };
        margin_ui(ui, b.margin, currency);
        ui.columns(3, |cols| {
            bar_list(
                &mut cols[0],
                "Top 10 products",
                &bars(&b.products, 1),
                currency,
            );
            bar_list(
                &mut cols[1],
                "Top 10 customers",
                &bars(&b.customers, 0),
                currency,
            );
            bar_list(&mut cols[2], "Revenue by category", &b.categories, currency);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{Period, breakdown_key, up_to_today, whole_step};

    #[test]
    fn trends_draw_no_day_to_come() {
        let day = |d: &str| Some(d.to_owned());
        let today = "2026-11-28";
        assert_eq!(
            up_to_today(&day("2026-11-23"), &day("2026-11-29"), today),
            day(today)
        );
        assert_eq!(up_to_today(&None, &day("2027-01-01"), today), day(today));
        assert_eq!(
            up_to_today(&day("2026-11-01"), &day("2026-11-27"), today),
            day("2026-11-27")
        );
        assert_eq!(up_to_today(&day("2026-11-01"), &None, today), None);
        assert_eq!(
            up_to_today(&day("2026-12-01"), &day("2026-12-05"), today),
            day("2026-12-05"),
            "wholly to come: as asked"
        );
    }

    #[test]
    fn the_breakdown_does_not_depend_on_the_period() {
        let from = Some("2026-01-01".to_owned());
        let daily = (from.clone(), None, Period::Day, 3);
        let weekly = (from.clone(), None, Period::Week, 3);
        assert_eq!(breakdown_key(&daily), breakdown_key(&weekly));
        assert_ne!(
            breakdown_key(&daily),
            breakdown_key(&(from, None, Period::Day, 4)),
            "a write asks again"
        );
        assert_ne!(
            breakdown_key(&daily),
            breakdown_key(&(None, None, Period::Day, 3)),
            "another range asks again"
        );
    }

    #[test]
    fn order_axis_steps_are_round_whole_numbers() {
        assert_eq!(whole_step(0.3), 1.0);
        assert_eq!(whole_step(1.2), 1.0);
        assert_eq!(whole_step(2.6), 2.0);
        assert_eq!(whole_step(4.0), 5.0);
        assert_eq!(whole_step(16.7), 20.0);
        assert_eq!(whole_step(80.0), 100.0);
        assert_eq!(whole_step(f64::NAN), 1.0);
    }
}
