//! Insights > Customers: lifetime value (every customer with a sale, by
//! revenue after refunds, read a page at a time through an index), RFM
//! segments (scored on a worker thread, then each segment's list paged from
//! memory, exportable for a newsletter) and the cohort heat map (read from
//! the cohort summary, a few hundred rows), and new against returning
//! customers' revenue by month (`super::new_returning`). No frame queries
//! more than a page; nothing here scans the orders (see
//! `store::customer_insights`).

use egui::{Align, Color32, Layout, RichText, Sense, Stroke, StrokeKind, Vec2};
use egui_extras::{Column, TableBuilder};

use crate::domain::segments::Segment;
use crate::domain::{Cell, Currency, ReportKind, ReportSpec};
use crate::export::Format;
use crate::jobs::Job;
use crate::store::customer_insights::{self, CustomerSegment, SegmentLists, ValueRow};
use crate::store::reports;
use crate::ui::app::commands::{Command, Open, PanelCtx};
use crate::ui::widgets::{Paged, count, date_text, num_cell, thousands};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Value,
    Segments,
    Cohorts,
    NewReturning,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Value, Tab::Segments, Tab::Cohorts, Tab::NewReturning];

    fn label(self) -> &'static str {
        match self {
            Tab::Value => "Lifetime value",
            Tab::Segments => "Segments",
            Tab::Cohorts => "Cohorts",
            Tab::NewReturning => "New and returning",
        }
    }
}

/// One cohort: its month, its size, and per month since (0, 1, ...) how
/// many of it had a sale.
#[derive(Debug, Clone, PartialEq)]
struct Cohort {
    month: String,
    size: i64,
    ordered: Vec<i64>,
}

#[derive(Default)]
pub struct CustomersView {
    tab: Tab,
    /// Every customer with a sale, by value (the query key is unused).
    value: Paged<u8, ValueRow>,
    /// The segments scored at a data generation, or being scored.
    lists: Option<(u64, Result<SegmentLists, String>)>,
    scoring: Option<(u64, Job<SegmentLists>)>,
    chosen: Option<Segment>,
    /// The chosen segment's customers, a page at a time (keyed by segment).
    segment_rows: Paged<Segment, ValueRow>,
    /// The cohort grid at a data generation.
    cohorts: Option<(u64, Result<Vec<Cohort>, String>)>,
    new_returning: super::new_returning::NewReturningView,
}

impl CustomersView {
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        ui.horizontal_wrapped(|ui| {
            for tab in Tab::ALL {
                ui.selectable_value(&mut self.tab, tab, tab.label());
            }
        });
        ui.separator();
        match self.tab {
            Tab::Value => self.value_ui(ui, ctx),
            Tab::Segments => self.segments_ui(ui, ctx),
            Tab::Cohorts => self.cohorts_ui(ui, ctx),
            Tab::NewReturning => self.new_returning.ui(ui, ctx),
        }
    }

    fn value_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        {
            let conn = ctx.store.conn();
            self.value
                .sync(&0, ctx.generation, |_| customer_insights::value_count(conn));
        }
        let total = self.value.total();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{} with a sale, by revenue after refunds (what their sales \
                 brought in, without tax or shipping, less refunds)",
                count(total as i64, "customer", "customers")
            ));
            if ui.button("Export…").clicked() {
                ctx.send(Command::Export(
                    ReportSpec::new(ReportKind::CustomerValue),
                    Format::Csv,
                ));
            }
        });
        if let Some(e) = self.value.error() {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let conn = ctx.store.conn();
        let value = &mut self.value;
        let clicked = value_table(ui, &ctx.settings.currency, "insights_value", total, |i| {
            value
                .get(i, |offset, limit| {
                    customer_insights::value_page(conn, offset, limit)
                })
                .cloned()
        });
        if let Some(id) = clicked {
            ctx.send(Command::Open(Open::Customer(id)));
        }
    }

    /// Starts scoring when the data changed; takes the result when it came.
    fn follow_segments(&mut self, ctx: &mut PanelCtx) {
        let generation = ctx.generation;
        if let Some((asked, job)) = &self.scoring
            && let Some(outcome) = job.poll()
        {
            self.lists = Some((*asked, outcome));
            self.scoring = None;
        }
        let fresh = self.lists.as_ref().is_some_and(|(g, _)| *g == generation);
        let asked = self.scoring.as_ref().is_some_and(|(g, _)| *g == generation);
        if fresh || asked {
            return;
        }
        if ctx.store.path() == std::path::Path::new(":memory:") {
            let lists =
                customer_insights::segment_lists(ctx.store.conn()).map_err(|e| e.to_string());
            self.lists = Some((generation, lists));
            return;
        }
        let job = Job::spawn(
            "Scoring customers",
            ctx.store.location(),
            || {},
            |store, _| {
                customer_insights::segment_lists_lean(store.conn()).map_err(|e| e.to_string())
            },
        );
        self.scoring = Some((generation, job));
    }

    fn segments_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        self.follow_segments(ctx);
        let Some((generation, lists)) = &self.lists else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Scoring customers…");
            });
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
            return;
        };
        if self.scoring.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
        let lists = match lists {
            Ok(l) => l,
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                return;
            }
        };
        ui.label(
            "Each customer with a sale is scored 1–5 on recency, frequency and money \
             by fifths of all customers, and named by those scores. The scores are \
             against the other customers: in a young or small shop a customer who \
             bought last week may still score low. Point at a segment for who is in it.",
        );
        ui.horizontal_wrapped(|ui| {
            for segment in Segment::ALL {
                let n = lists.of(segment).len();
                let label = format!("{} ({})", segment.name(), thousands(n as i64));
                if ui
                    .selectable_label(self.chosen == Some(segment), label)
                    .on_hover_text(segment.about())
                    .clicked()
                {
                    self.chosen = Some(segment);
                }
            }
        });
        let Some(segment) = self.chosen else {
            ui.weak("Choose a segment to list its customers.");
            return;
        };
        let ids = lists.of(segment);
        self.segment_rows
            .sync(&segment, *generation, |_| Ok(ids.len()));
        ui.horizontal_wrapped(|ui| {
            ui.strong(segment.name());
            ui.label(count(ids.len() as i64, "customer", "customers"));
            if ui
                .button(format!("Export {}…", segment.name()))
                .on_hover_text("Save this segment's customers (name, email, figures) as CSV")
                .clicked()
            {
                ctx.send(Command::Export(
                    ReportSpec {
                        segment: Some(segment.name().to_owned()),
                        ..ReportSpec::new(ReportKind::Segments)
                    },
                    Format::Csv,
                ));
            }
        });
        let conn = ctx.store.conn();
        let rows = &mut self.segment_rows;
        let clicked = value_table(
            ui,
            &ctx.settings.currency,
            "insights_segment",
            ids.len(),
            |i| {
                rows.get(i, |offset, limit| {
                    let end = (offset + limit).min(ids.len());
                    customer_insights::value_rows(conn, ids.get(offset..end).unwrap_or(&[]))
                })
                .cloned()
            },
        );
        if let Some(id) = clicked {
            ctx.send(Command::Open(Open::Customer(id)));
        }
    }

    fn cohorts_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        if self
            .cohorts
            .as_ref()
            .is_none_or(|(g, _)| *g != ctx.generation)
        {
            let read = read_cohorts(ctx.store.conn());
            self.cohorts = Some((ctx.generation, read));
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(
                "Customers by the month of their first sale (rows) and the months since \
                 (columns): the share of them who ordered in that month.",
            );
            if ui.button("Export…").clicked() {
                ctx.send(Command::Export(
                    ReportSpec::new(ReportKind::Cohorts),
                    Format::Csv,
                ));
            }
        });
        match self.cohorts.as_ref().map(|(_, c)| c) {
            Some(Ok(cohorts)) if cohorts.is_empty() => {
                ui.weak("No sales yet.");
            }
            Some(Ok(cohorts)) => heat_map(ui, cohorts),
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
    }
}

fn read_cohorts(conn: &rusqlite::Connection) -> Result<Vec<Cohort>, String> {
    let (table, _) = reports::run(conn, &ReportSpec::new(ReportKind::Cohorts), 100_000)
        .map_err(|e| e.to_string())?;
    let mut out: Vec<Cohort> = Vec::new();
    for row in &table.rows {
        let (Some(Cell::Text(month)), Some(Cell::Int(size)), Some(Cell::Int(n))) =
            (row.first(), row.get(2), row.get(3))
        else {
            continue;
        };
        match out.last_mut() {
            Some(c) if c.month == *month => c.ordered.push(*n),
            _ => out.push(Cohort {
                month: month.clone(),
                size: *size,
                ordered: vec![*n],
            }),
        }
    }
    Ok(out)
}

/// The colour of a share 0..=1: from the panel's background to a strong blue.
fn shade(ui: &egui::Ui, share: f32) -> Color32 {
    let base = ui.visuals().extreme_bg_color;
    let strong = Color32::from_rgb(30, 100, 200);
    // Small shares still show: the scale is the square root.
    base.lerp_to_gamma(strong, share.clamp(0.0, 1.0).sqrt())
}

fn heat_map(ui: &mut egui::Ui, cohorts: &[Cohort]) {
    let cell = Vec2::new(34.0, 18.0);
    let label_w = 120.0;
    let months = cohorts.iter().map(|c| c.ordered.len()).max().unwrap_or(0);
    egui::ScrollArea::both()
        .id_salt("cohort_heat_map")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let size = Vec2::new(
                label_w + cell.x * months as f32,
                cell.y * (cohorts.len() + 1) as f32,
            );
            let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
            let painter = ui.painter_at(rect);
            let text = ui.visuals().text_color();
            let font = egui::FontId::proportional(11.0);
            for k in 0..months {
                let at = rect.min + Vec2::new(label_w + cell.x * (k as f32 + 0.5), cell.y * 0.5);
                painter.text(
                    at,
                    egui::Align2::CENTER_CENTER,
                    k.to_string(),
                    font.clone(),
                    text,
                );
            }
            let mut hovered = None;
            for (r, c) in cohorts.iter().enumerate() {
                let y = cell.y * (r + 1) as f32;
                painter.text(
                    rect.min + Vec2::new(4.0, y + cell.y * 0.5),
                    egui::Align2::LEFT_CENTER,
                    format!("{} ({})", c.month, thousands(c.size)),
                    font.clone(),
                    text,
                );
                for (k, n) in c.ordered.iter().enumerate() {
                    let share = if c.size > 0 {
                        *n as f32 / c.size as f32
                    } else {
                        0.0
                    };
                    let min = rect.min + Vec2::new(label_w + cell.x * k as f32, y);
                    let r_cell = egui::Rect::from_min_size(min, cell - Vec2::splat(1.0));
                    let fill = shade(ui, share);
                    painter.rect_filled(r_cell, 0.0, fill);
                    if k > 0 {
                        let ink = if share > 0.3 { Color32::WHITE } else { text };
                        painter.text(
                            r_cell.center(),
                            egui::Align2::CENTER_CENTER,
                            format!("{:.0}", share * 100.0),
                            font.clone(),
                            ink,
                        );
                    }
                    if response.hover_pos().is_some_and(|p| r_cell.contains(p)) {
                        painter.rect_stroke(
                            r_cell,
                            0.0,
                            Stroke::new(1.0, text),
                            StrokeKind::Inside,
                        );
                        hovered = Some((c, k, *n, share));
                    }
                }
            }
            if let Some((c, k, n, share)) = hovered {
                response.on_hover_text(format!(
                    "{} customers first ordered in {}; {} of them ({}%) ordered {} later",
                    thousands(c.size),
                    c.month,
                    thousands(n),
                    crate::ui::widgets::decimal_text(&format!("{:.1}", share * 100.0)),
                    count(k as i64, "month", "months")
                ));
            }
        });
}

/// A table of customers by value, `total` rows fetched through `row`;
/// returns the customer clicked.
fn value_table(
    ui: &mut egui::Ui,
    currency: &Currency,
    salt: &str,
    total: usize,
    mut row: impl FnMut(usize) -> Option<ValueRow>,
) -> Option<i64> {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let mut clicked = None;
    // A click anywhere on a row opens the customer (text in cells is not selectable).
    ui.style_mut().interaction.selectable_labels = false;
    let headers = [
        "Customer",
        "Email",
        "Orders",
        "Revenue",
        "Average order",
        "First order",
        "Last order",
        "Days between orders",
    ];
    // Sideways when the window is narrower than its columns (at 1024 the
    // last order and the days between were out of reach).
    egui::ScrollArea::horizontal()
        .id_salt((salt, "sideways"))
        .show(ui, |ui| {
            let mut table = TableBuilder::new(ui)
                .id_salt(salt)
                .striped(true)
                .resizable(true)
                .sense(Sense::click())
                .cell_layout(Layout::left_to_right(Align::Center));
            // Each wide enough for its header too ("Days betwee…" was cut), as in
            // Reports.
            for (w, h) in [180.0, 200.0, 60.0, 100.0, 100.0, 90.0, 90.0, 90.0]
                .into_iter()
                .zip(headers)
            {
                let w = f32::max(w, crate::ui::widgets::text_width(h.chars().count()));
                table = table.column(Column::initial(w).at_least(40.0).clip(true));
            }
            table
                .header(row_height, |mut header| {
                    for h in headers {
                        header.col(|ui| {
                            ui.strong(h);
                        });
                    }
                })
                .body(|body| {
                    body.rows(row_height, total, |mut tr| {
                        let Some(v) = row(tr.index()) else {
                            tr.col(|ui| {
                                ui.weak("…");
                            });
                            return;
                        };
                        tr.col(|ui| {
                            ui.label(&v.name);
                        });
                        tr.col(|ui| {
                            ui.label(&v.email);
                        });
                        tr.col(|ui| {
                            num_cell(ui, thousands(v.orders));
                        });
                        tr.col(|ui| {
                            num_cell(ui, currency.format(v.revenue));
                        });
                        tr.col(|ui| {
                            num_cell(ui, currency.format(v.average));
                        });
                        tr.col(|ui| {
                            ui.label(date_text(&v.first));
                        });
                        tr.col(|ui| {
                            ui.label(date_text(&v.last));
                        });
                        tr.col(|ui| {
                            num_cell(ui, v.days_between.map(thousands).unwrap_or_default());
                        });
                        if tr.response().clicked() {
                            clicked = Some(v.id);
                        }
                    });
                });
        });
    clicked
}

/// The customer's segment, as a row of the customer's facts grid.
pub fn segment_fact(ui: &mut egui::Ui, segment: Option<CustomerSegment>) {
    if let Some(s) = segment {
        ui.weak("Segment");
        ui.label(RichText::new(s.segment.name()).strong())
            .on_hover_text(format!(
                "{}: {}. Scores 1–5 by fifths of all customers (against the others, \
                 not the calendar): recency {}, frequency {}, money {}",
                s.segment.name(),
                s.segment.about(),
                s.recency,
                s.frequency,
                s.money
            ));
        ui.end_row();
    }
}
