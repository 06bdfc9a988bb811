//! The charts of the Trends panel: revenue (with its moving average and the
//! previous period drawn faintly) above orders per period. They share one x
//! axis: the same plot width, ticks and labels, zoomed and panned together,
//! one cursor. Their legend stands on the title line, so it never covers the
//! newest points; a first or last week or month the range only partly covers
//! is drawn dashed and apart, not as a drop. The saved PNG is this whole
//! block, under a title naming the range (the revenue chart alone when the
//! orders chart is not wholly in sight).

use egui::Color32;
use egui_plot::{GridMark, Line, LineStyle, MarkerShape, Plot, PlotPoints, Points};

use super::{Data, TrendsPanel, whole_step};
use crate::domain::trends::{self, Point};
use crate::domain::{Currency, Money, Period};
use crate::ui::widgets::{count, date_text, thousands};

/// Which lines the legend turned off.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Hidden {
    average: bool,
    previous: bool,
}

/// One series split at the partial periods: the full periods as one line,
/// each partial first or last period as a dashed piece joined to its
/// neighbour, and the partial points themselves (drawn hollow).
struct Split {
    full: Vec<[f64; 2]>,
    dashed: Vec<Vec<[f64; 2]>>,
    partial: Vec<[f64; 2]>,
}

fn split(points: &[[f64; 2]], partial: &[bool]) -> Split {
    let mut s = Split {
        full: Vec::new(),
        dashed: Vec::new(),
        partial: Vec::new(),
    };
    for (i, p) in points.iter().enumerate() {
        if !partial.get(i).copied().unwrap_or(false) {
            s.full.push(*p);
            continue;
        }
        s.partial.push(*p);
        let neighbour = if i == 0 {
            points.get(1)
        } else {
            points.get(i - 1)
        };
        match neighbour {
            Some(n) if i == 0 => s.dashed.push(vec![*p, *n]),
            Some(n) => s.dashed.push(vec![*n, *p]),
            None => {}
        }
    }
    s
}

/// Whether each period of `points` is only partly inside `from..=to`, or
/// holds `today` (still going on: today's sales so far are not a drop).
fn partial_flags(
    points: &[Point],
    by: Period,
    from: &str,
    to: &str,
    today: Option<&str>,
) -> Vec<bool> {
    points
        .iter()
        .map(|p| {
            by.coverage(&p.period, from, to)
                .is_some_and(|c| c.partial())
                || today.is_some_and(|t| by.holds(&p.period, t))
        })
        .collect()
}

fn unit(by: Period) -> &'static str {
    match by {
        Period::Day => "day",
        Period::Week => "week",
        Period::Month => "month",
        Period::Quarter => "quarter",
    }
}

/// The x axis of both charts: a day, or a month by month.
fn x_label(by: Period) -> impl Fn(GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, range| {
        // A mark at the very edge would have its date cut in half by the
        // plot's border ("13/12/20"): it goes unnamed.
        let edge = (range.end() - range.start()) * 0.03;
        if mark.value < range.start() + edge || mark.value > range.end() - edge {
            return String::new();
        }
        let label = trends::day_label(mark.value);
        if by == Period::Month || by == Period::Day && long_for_days(range) {
            // A month in words, as periods are elsewhere ("Apr 2024"):
            // "2024-04" read as an ISO date whatever the shop's date format.
            chrono::NaiveDate::parse_from_str(&label, "%Y-%m-%d")
                .map(|d| d.format("%b %Y").to_string())
                .unwrap_or_else(|_| label.get(..7).unwrap_or(&label).to_owned())
        } else {
            date_text(&label)
        }
    }
}

/// Whether a chart by day spans so many days that its axis is marked by
/// month (`month_marks`, the months in words): egui_plot's default marks
/// fell on odd days 100 days apart ("2026-02-16, 2026-05-27"), or on one
/// date for three years at 1024.
fn long_for_days(range: &std::ops::RangeInclusive<f64>) -> bool {
    range.end() - range.start() > 120.0
}

/// By month, the x axis's marks stand on the first of each month (thicker
/// each quarter and year), so each label names one month once; the default
/// marks every ten days named the same month three times. Zoomed out, every
/// quarter, year, or more years: never more than about 240 marks.
fn month_marks(input: egui_plot::GridInput) -> Vec<GridMark> {
    use chrono::Datelike;
    let (lo, hi) = input.bounds;
    let Some(epoch) = chrono::NaiveDate::from_ymd_opt(1970, 1, 1) else {
        return Vec::new();
    };
    let date = |x: f64| {
        chrono::TimeDelta::try_days(x.floor() as i64).and_then(|d| epoch.checked_add_signed(d))
    };
    let (Some(first), Some(last)) = (date(lo), date(hi)) else {
        return Vec::new();
    };
    let index = |d: chrono::NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let shown = index(last) - index(first) + 1;
    let every = [1, 3, 12, 24, 60, 120, 240, 600, 1200]
        .into_iter()
        .find(|step| shown / step <= 240)
        .unwrap_or(shown / 240 + 1);
    let mut marks = Vec::new();
    // The first month on a multiple of the step (January for years).
    let mut at = index(first).div_euclid(every) * every;
    while at <= index(last) {
        let (year, month0) = (at.div_euclid(12), at.rem_euclid(12));
        let Some(m) = i32::try_from(year)
            .ok()
            .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, month0 as u32 + 1, 1))
        else {
            break;
        };
        let value = (m - epoch).num_days() as f64;
        let step_size = match month0 {
            0 if year % 10 == 0 => 3650.0,
            0 => 365.0,
            3 | 6 | 9 => 91.0,
            _ => 30.0,
        };
        if value >= lo {
            marks.push(GridMark { value, step_size });
        }
        at += every;
    }
    marks
}

/// By week, the x axis's marks stand on the weeks' first days (those of
/// the points, `anchor` being one of them), thicker every 4, 13 and 52
/// weeks, so each label names a week the chart has a point for; the default
/// marks every ten days fell between the points. Zoomed out, every 4, 13,
/// 52 weeks or more: never more than about 240 marks.
fn week_marks(input: egui_plot::GridInput, anchor: f64) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite() && anchor.is_finite()) || hi < lo {
        return Vec::new();
    }
    let week = |x: f64| ((x - anchor) / 7.0).floor() as i64;
    let (first, last) = (week(lo), week(hi) + 1);
    let every = [1, 4, 13, 52, 104, 260, 520, 1040]
        .into_iter()
        .find(|step| (last - first) / step <= 240)
        .unwrap_or((last - first) / 240 + 1);
    let mut marks = Vec::new();
    let mut at = first.div_euclid(every) * every;
    while at <= last {
        let value = anchor + at as f64 * 7.0;
        let step_size = if at % 52 == 0 {
            364.0
        } else if at % 13 == 0 {
            91.0
        } else if at % 4 == 0 {
            28.0
        } else {
            7.0
        };
        if value >= lo && value <= hi {
            marks.push(GridMark { value, step_size });
        }
        at += every;
    }
    marks
}

/// A short coloured stroke and a name: one entry of the legend. A toggle
/// when `on` is given (click to hide or show the line).
fn legend_entry(
    ui: &mut egui::Ui,
    color: Color32,
    dashed: bool,
    name: &str,
    on: Option<&mut bool>,
) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 12.0), egui::Sense::hover());
    let y = rect.center().y;
    let stroke = egui::Stroke::new(2.0, color);
    if dashed {
        for i in 0..3 {
            let x = rect.left() + i as f32 * 8.0;
            ui.painter()
                .line_segment([egui::pos2(x, y), egui::pos2(x + 5.0, y)], stroke);
        }
    } else {
        ui.painter()
            .line_segment([rect.left_center(), rect.right_center()], stroke);
    }
    match on {
        Some(on) => {
            let shown = !*on;
            if ui
                .selectable_label(shown, name)
                .on_hover_text(if shown {
                    "Click to hide"
                } else {
                    "Click to show"
                })
                .clicked()
            {
                *on = !*on;
            }
        }
        None => {
            ui.label(name);
        }
    }
    ui.add_space(8.0);
}

impl TrendsPanel {
    pub(super) fn chart_ui(&mut self, ui: &mut egui::Ui, data: &Data, currency: &Currency) {
        let to_f = |m: Money| currency.to_f64(m);
        let by = self.by;
        let xs: Vec<f64> = data
            .points
            .iter()
            .filter_map(|p| trends::period_day(&p.period))
            .collect();
        let today = crate::ui::widgets::date::today();
        let partial = partial_flags(&data.points, by, &data.from, &data.to, Some(&today));
        let revenue: Vec<[f64; 2]> = data
            .points
            .iter()
            .zip(&xs)
            .map(|(p, x)| [*x, to_f(p.revenue)])
            .collect();
        let top = revenue.iter().map(|p| p[1]).fold(0.0, f64::max);
        // The average of full periods only: a partial one would pull it down.
        let full: Vec<[f64; 2]> = revenue
            .iter()
            .zip(&partial)
            .filter(|(_, partial)| !**partial)
            .map(|(p, _)| *p)
            .collect();
        let values: Vec<f64> = full.iter().map(|p| p[1]).collect();
        let average: Vec<[f64; 2]> = trends::moving_average(&values, trends::average_window(by))
            .into_iter()
            .zip(&full)
            .filter_map(|(v, p)| v.map(|v| [p[0], v]))
            .collect();
        // The previous period, moved onto this one so they can be compared
        // (its own partial periods left out).
        let shift = match (data.previous.first(), data.points.first()) {
            (Some(a), Some(b)) => {
                trends::period_day(&b.period).unwrap_or(0.0)
                    - trends::period_day(&a.period).unwrap_or(0.0)
            }
            _ => 0.0,
        };
        let (pf, pt) = previous_dates(data);
        let previous_partial = partial_flags(&data.previous, by, &pf, &pt, None);
        let previous: Vec<[f64; 2]> = data
            .previous
            .iter()
            .zip(&previous_partial)
            .filter(|(_, partial)| !**partial)
            .filter_map(|(p, _)| Some([trends::period_day(&p.period)? + shift, to_f(p.revenue)]))
            .collect();
        // No more than about two points per horizontal pixel.
        let max_points = (ui.available_width() * 2.0) as usize;
        let revenue = split(&revenue, &partial);
        let revenue_full = trends::thin(&revenue.full, max_points);
        let any_partial = !revenue.partial.is_empty();
        let dark = ui.visuals().dark_mode;
        let main = if dark {
            Color32::from_rgb(90, 170, 255)
        } else {
            Color32::from_rgb(20, 90, 200)
        };
        let avg = if dark {
            Color32::from_rgb(255, 190, 80)
        } else {
            Color32::from_rgb(200, 110, 0)
        };
        let faint = ui.visuals().weak_text_color().gamma_multiply(0.6);
        let window = trends::average_window(by);
        let average_name = format!("{window}-{} average", unit(by));
        let partial_name = format!("Partial {}", unit(by));
        // Both charts: one plot width (the y axes as wide as the revenue's
        // widest label), one x range, one link group for zoom, pan and cursor.
        let widest = format!(
            "{}{}",
            currency.symbol,
            thousands((top * 1.1).round() as i64)
        );
        let axis_width = ui
            .painter()
            .layout_no_wrap(
                widest,
                egui::TextStyle::Body.resolve(ui.style()),
                Color32::WHITE,
            )
            .size()
            .x
            + 12.0;
        let (first_x, last_x) = (
            xs.first().copied().unwrap_or(0.0),
            xs.last().copied().unwrap_or(0.0),
        );
        // A new range or granularity starts with bounds that fit its data.
        let plot_key = (data.from.clone(), data.to.clone(), by);
        let link = egui::Id::unique(("trends_x", plot_key.clone()));
        let hidden = &mut self.hidden;
        let show_orders = self.show_orders;
        let points = data.points.clone();
        let (from, to) = (data.from.clone(), data.to.clone());
        let cur = currency.clone();
        let label_cur = currency.clone();
        let by_name = match by {
            Period::Day => "by day",
            Period::Week => "by week",
            Period::Month => "by month",
            Period::Quarter => "by quarter",
        };
        let block = ui.scope(|ui| {
            ui.add_space(4.0);
            ui.heading(format!(
                "Sales, {} to {}, {by_name}",
                crate::ui::widgets::date_text(&data.from),
                crate::ui::widgets::date_text(&data.to)
            ));
            ui.horizontal_wrapped(|ui| {
                ui.strong("Revenue");
                ui.add_space(16.0);
                legend_entry(ui, main, false, "Revenue", None);
                legend_entry(ui, avg, false, &average_name, Some(&mut hidden.average));
                legend_entry(
                    ui,
                    faint,
                    false,
                    "Previous period",
                    Some(&mut hidden.previous),
                );
                if any_partial {
                    legend_entry(ui, main, true, &partial_name, None);
                }
            });
            let hidden = *hidden;
            // As tall as the window leaves it below the figures (its dates
            // in sight at 1024x600, where 280 points put them under the
            // status bar), between 180 and 280 points.
            let height = (ui.available_height() - 40.0).clamp(180.0, 280.0);
            let response = Plot::new(("revenue_plot", plot_key.clone()))
                .height(height)
                .link_axis(link, [true, false])
                .link_cursor(link, [true, false])
                .y_axis_min_width(axis_width)
                .allow_scroll(false)
                .allow_zoom([true, false])
                .allow_drag([true, false])
                .allow_double_click_reset(true)
                .include_x(first_x)
                .include_x(last_x)
                .include_y(0.0)
                .include_y(top * 1.08)
                .x_axis_formatter(x_label(by))
                .x_grid_spacer(move |input| match by {
                    Period::Month | Period::Quarter => month_marks(input),
                    Period::Week => week_marks(input, first_x),
                    Period::Day if long_for_days(&(input.bounds.0..=input.bounds.1)) => {
                        month_marks(input)
                    }
                    Period::Day => egui_plot::log_grid_spacer(10)(input),
                })
                // Steps of 1, 2 or 5 times a power of ten, a few to the chart:
                // egui_plot's own steps are powers of ten, and a year by
                // month (0 to 90,000) labelled only "$0" (a tryout at
                // 1024x600), its 10,000s too close together to be named.
                .y_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
                    let step = super::whole_step((input.bounds.1 - input.bounds.0) / 5.0);
                    [step, step * 5.0, step * 10.0]
                }))
                .y_axis_formatter(move |mark, _| {
                    // Whole units, the symbol where the shop puts it.
                    let whole = Currency {
                        decimals: 0,
                        ..cur.clone()
                    };
                    whole.format(Money(mark.value.round() as i64))
                })
                .label_formatter(move |pos| match pos {
                    egui_plot::HoverPosition::NearDataPoint { position, .. } => {
                        let day = trends::day_label(position.x);
                        let key = if by == Period::Month {
                            day.get(..7).unwrap_or(&day).to_owned()
                        } else {
                            day
                        };
                        let p = points.iter().find(|p| p.period == key)?;
                        let part = match by.coverage(&key, &from, &to) {
                            _ if by.holds(&key, &today) => " (so far)".to_owned(),
                            Some(c) if c.partial() => {
                                format!(" (partial: {} of {} days)", c.days, c.of)
                            }
                            _ => String::new(),
                        };
                        Some(format!(
                            "{}{part}\nRevenue {}\n{}",
                            crate::ui::widgets::period_text(by, &key),
                            label_cur.format(p.revenue),
                            count(p.orders, "order", "orders")
                        ))
                    }
                    _ => None,
                })
                .show(ui, |plot| {
                    if !hidden.previous {
                        plot.line(
                            Line::new("Previous period", PlotPoints::from(previous))
                                .color(faint)
                                .width(1.0),
                        );
                    }
                    plot.line(
                        Line::new("Revenue", PlotPoints::from(revenue_full))
                            .color(main)
                            .width(1.5),
                    );
                    for piece in revenue.dashed {
                        plot.line(
                            Line::new(partial_name.as_str(), PlotPoints::from(piece))
                                .color(main)
                                .width(1.5)
                                .style(LineStyle::dashed_dense()),
                        );
                    }
                    plot.points(
                        Points::new(partial_name.as_str(), PlotPoints::from(revenue.partial))
                            .color(main)
                            .shape(MarkerShape::Circle)
                            .filled(false)
                            .radius(4.0),
                    );
                    if !hidden.average {
                        plot.line(
                            Line::new(average_name.as_str(), PlotPoints::from(average))
                                .color(avg)
                                .width(2.5),
                        );
                    }
                })
                .response;
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Figure, true, "Revenue chart")
            });
            let revenue_bottom = response.rect.bottom();
            if show_orders {
                let orders: Vec<[f64; 2]> = data
                    .points
                    .iter()
                    .zip(&xs)
                    .map(|(p, x)| [*x, p.orders as f64])
                    .collect();
                let orders = split(&orders, &partial);
                let orders_full = trends::thin(&orders.full, max_points);
                ui.strong("Orders");
                let response = Plot::new(("orders_plot", plot_key))
                    .height(140.0)
                    .link_axis(link, [true, false])
                    .link_cursor(link, [true, false])
                    .y_axis_min_width(axis_width)
                    .allow_scroll(false)
                    .allow_zoom([true, false])
                    .allow_drag([true, false])
                    .allow_double_click_reset(true)
                    .include_x(first_x)
                    .include_x(last_x)
                    .include_y(0.0)
                    .x_axis_formatter(x_label(by))
                    .x_grid_spacer(move |input| match by {
                        Period::Month | Period::Quarter => month_marks(input),
                        Period::Week => week_marks(input, first_x),
                        Period::Day if long_for_days(&(input.bounds.0..=input.bounds.1)) => {
                            month_marks(input)
                        }
                        Period::Day => egui_plot::log_grid_spacer(10)(input),
                    })
                    // Whole orders only: 0, 5, 10 … (no 2.5 orders), at a step
                    // that leaves room for the labels on a short chart.
                    .y_grid_spacer(egui_plot::uniform_grid_spacer(|input| {
                        let step = whole_step((input.bounds.1 - input.bounds.0) / 6.0);
                        [step, step * 5.0, step * 10.0]
                    }))
                    .y_axis_formatter(|mark, _| {
                        if mark.value >= 0.0 && mark.value.fract() == 0.0 {
                            thousands(mark.value as i64)
                        } else {
                            String::new()
                        }
                    })
                    .show(ui, |plot| {
                        plot.line(
                            Line::new("Orders", PlotPoints::from(orders_full))
                                .color(main)
                                .width(1.5),
                        );
                        for piece in orders.dashed {
                            plot.line(
                                Line::new("Partial", PlotPoints::from(piece))
                                    .color(main)
                                    .width(1.5)
                                    .style(LineStyle::dashed_dense()),
                            );
                        }
                        plot.points(
                            Points::new("Partial", PlotPoints::from(orders.partial))
                                .color(main)
                                .shape(MarkerShape::Circle)
                                .filled(false)
                                .radius(4.0),
                        );
                    })
                    .response;
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Figure, true, "Orders chart")
                });
            }
            ui.add_space(4.0);
            revenue_bottom
        });
        // The saved PNG: the title, legend and both charts, with a margin so
        // no label is cut at the edge; the revenue chart alone when the
        // orders chart is not wholly in sight (scrolled, a small window: a
        // tryout's PNG ended in the orders chart's title and half an axis).
        // Never the scroll bar over the right edge.
        let clip = ui.clip_rect();
        let bar = ui.spacing().scroll.bar_width + ui.spacing().scroll.bar_outer_margin;
        let clip = egui::Rect::from_min_max(clip.min, egui::pos2(clip.max.x - bar, clip.max.y));
        let whole = block.response.rect.expand(6.0);
        let shown = if clip.contains_rect(whole) {
            whole
        } else {
            let mut revenue = whole;
            // With its x axis's labels, drawn below the plot's own rect.
            revenue.max.y = block.inner + ui.text_style_height(&egui::TextStyle::Body) + 6.0;
            revenue
        };
        self.chart_rect = Some(shown.intersect(clip));
    }
}

/// The previous range as 'YYYY-MM-DD' (for its partial periods).
fn previous_dates(data: &Data) -> (String, String) {
    let parse = crate::domain::period::day;
    match (parse(&data.from), parse(&data.to)) {
        (Some(f), Some(t)) => {
            let (pf, pt) = trends::previous_range(f, t);
            (super::ymd(pf), super::ymd(pt))
        }
        _ => (String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::{month_marks, partial_flags, split};

    /// By month the axis names its months in words, whatever the shop's
    /// date format ("2024-04" stayed ISO under DD/MM/YYYY).
    #[test]
    fn months_on_the_axis_are_named_in_words() {
        let day = crate::domain::trends::period_day("2024-04-01").unwrap_or(-1.0);
        let mark = egui_plot::GridMark {
            value: day,
            step_size: 30.0,
        };
        assert_eq!(
            super::x_label(Period::Month)(mark, &(day - 100.0..=day + 100.0)),
            "Apr 2024"
        );
    }

    /// By week the axis marks the weeks' first days, the points' own, and
    /// thins them out when zoomed out.
    #[test]
    fn weeks_are_marked_on_their_first_day() {
        let day = |text: &str| crate::domain::trends::period_day(text).unwrap_or(-1.0);
        // Monday 2026-08-24 is a point; 90 days of weeks.
        let marks = super::week_marks(
            egui_plot::GridInput {
                bounds: (day("2026-08-20"), day("2026-11-27")),
                base_step_size: 1.0,
            },
            day("2026-08-24"),
        );
        let named: Vec<String> = marks
            .iter()
            .map(|m| crate::domain::trends::day_label(m.value))
            .collect();
        assert_eq!(named.first().map(String::as_str), Some("2026-08-24"));
        assert_eq!(named.last().map(String::as_str), Some("2026-11-23"));
        assert_eq!(named.len(), 14);
        assert!(marks.windows(2).all(|w| w[1].value - w[0].value == 7.0));
        // Ten years of weeks: every 4 weeks or more, at most about 240.
        let far = super::week_marks(
            egui_plot::GridInput {
                bounds: (day("2016-01-01"), day("2026-01-01")),
                base_step_size: 1.0,
            },
            day("2026-08-24"),
        );
        assert!(far.len() <= 240 && far.len() > 100, "{}", far.len());
        assert!(
            far.iter()
                .all(|m| (m.value - day("2026-08-24")) % 7.0 == 0.0)
        );
    }

    /// By day over a long range the axis names months in words, as by
    /// month; over a short one, days.
    #[test]
    fn a_long_range_by_day_names_months() {
        let day = crate::domain::trends::period_day("2024-04-01").unwrap_or(-1.0);
        let mark = egui_plot::GridMark {
            value: day,
            step_size: 30.0,
        };
        let label = |span: f64| super::x_label(Period::Day)(mark, &(day - span..=day + span));
        assert_eq!(label(400.0), "Apr 2024");
        assert_eq!(label(20.0), "2024-04-01");
    }

    /// A mark at either edge of the plot is not named: its date would be
    /// cut in half by the border ("13/12/20").
    #[test]
    fn a_mark_at_the_edge_goes_unnamed() {
        let day = crate::domain::trends::period_day("2026-12-13").unwrap_or(-1.0);
        let mark = egui_plot::GridMark {
            value: day,
            step_size: 7.0,
        };
        let label = |range| super::x_label(Period::Week)(mark, &range);
        assert_eq!(label(day - 200.0..=day + 1.0), "");
        assert_eq!(label(day - 1.0..=day + 200.0), "");
        assert_eq!(label(day - 200.0..=day + 20.0), "2026-12-13");
    }

    /// By month the axis marks the first of each month once (one label a
    /// month), thicker at quarters and years; zoomed far out, years only.
    #[test]
    fn months_are_marked_once_on_their_first_day() {
        let day = |text: &str| crate::domain::trends::period_day(text).unwrap_or(-1.0);
        let marks = |from: &str, to: &str| {
            month_marks(egui_plot::GridInput {
                bounds: (day(from), day(to)),
                base_step_size: 1.0,
            })
        };
        let got: Vec<(String, f64)> = marks("2026-08-20", "2026-11-15")
            .iter()
            .map(|m| (crate::domain::trends::day_label(m.value), m.step_size))
            .collect();
        assert_eq!(
            got,
            [
                ("2026-09-01".to_owned(), 30.0),
                ("2026-10-01".to_owned(), 91.0),
                ("2026-11-01".to_owned(), 30.0)
            ]
        );
        let years = marks("1900-06-01", "2026-11-15");
        assert_eq!(years.len(), 126);
        assert!(years.iter().all(|m| m.step_size >= 365.0));
        // Zoomed out as far as one may: a bounded number of marks, no panic.
        for (lo, hi) in [(-1e9, 1e9), (-1e15, 1e15), (f64::MIN, f64::MAX)] {
            let far = month_marks(egui_plot::GridInput {
                bounds: (lo, hi),
                base_step_size: 1.0,
            });
            assert!(far.len() <= 250, "{}", far.len());
        }
    }
    use crate::domain::{Money, Period, trends::Point};

    /// Today's day, week or month is still going on: drawn apart like a
    /// period the range only partly covers, so its sales so far do not read
    /// as a drop; days before it are whole.
    #[test]
    fn the_period_still_going_on_is_partial() {
        let points = |keys: &[&str]| -> Vec<Point> {
            keys.iter()
                .map(|k| Point {
                    period: (*k).to_owned(),
                    orders: 1,
                    items: 1,
                    revenue: Money(100),
                })
                .collect()
        };
        let days = points(&["2026-11-25", "2026-11-26", "2026-11-27"]);
        let today = Some("2026-11-27");
        assert_eq!(
            partial_flags(&days, Period::Day, "2026-11-25", "2026-11-27", today),
            [false, false, true]
        );
        // A range ended before today, or with no today given: whole days.
        assert_eq!(
            partial_flags(
                &days,
                Period::Day,
                "2026-11-25",
                "2026-11-27",
                Some("2026-11-28")
            ),
            [false, false, false]
        );
        assert_eq!(
            partial_flags(&days, Period::Day, "2026-11-25", "2026-11-27", None),
            [false, false, false]
        );
        // The month holding today, though the range covers all its days.
        let months = points(&["2026-10", "2026-11"]);
        assert_eq!(
            partial_flags(&months, Period::Month, "2026-10-01", "2026-11-30", today),
            [false, true]
        );
    }

    #[test]
    fn partial_ends_are_drawn_apart() {
        let pts = [[0.0, 1.0], [7.0, 10.0], [14.0, 12.0], [21.0, 2.0]];
        let s = split(&pts, &[true, false, false, true]);
        assert_eq!(s.full, vec![[7.0, 10.0], [14.0, 12.0]]);
        assert_eq!(
            s.dashed,
            vec![
                vec![[0.0, 1.0], [7.0, 10.0]],
                vec![[14.0, 12.0], [21.0, 2.0]]
            ]
        );
        assert_eq!(s.partial, vec![[0.0, 1.0], [21.0, 2.0]]);
    }
}
