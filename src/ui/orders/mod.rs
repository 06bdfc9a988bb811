//! The Orders panel: every order, newest first, filtered by status, dates and
//! customer, or found by its number or reference (Ctrl+F); the order detail
//! (`detail`) with its money dialogs (`money`); and the form that places a
//! new order or edits a pending one (`form`, its money in `terms`).

mod detail;
mod documents;
mod form;
mod money;
mod terms;

use self::form::OrderForm;
use self::money::MoneyDialog;

use egui::{Align, Layout};
use egui_extras::TableBuilder;

use super::app::commands::{Open, Panel, PanelCtx, View};
use super::widgets::columns::{self, Col, col, flex};
use super::widgets::date::{optional_date, today};
use super::widgets::layout::whole;
use super::widgets::list::{self, List, ListQuery};
use super::widgets::{
    count, date_text, detail_panel, empty_shop_ui, num_cell, sort_header, status_label, thousands,
};
use crate::domain::OrderStatus;
use crate::import::ImportKind;
use crate::store::StoreError;
use crate::store::orders::{self, OrderDetail, OrderQuery, OrderSort, OrderSummary, order_number};

/// The list's columns (the chooser may hide all but the number) and the
/// sort each header asks for (the customer's is the filter box instead).
const COLUMNS: [Col; 6] = [
    // Room for an imported order's reference after its number.
    col("Number", 130.0, 70.0),
    col("Date", 125.0, 90.0),
    flex("Customer", 170.0, 80.0),
    col("Items", 60.0, 50.0),
    col("Total", 90.0, 70.0),
    // "Delivered · refund" whole (it read "Delivered · ref…").
    col("Status", 140.0, 90.0),
];
const SORTS: [Option<OrderSort>; 6] = [
    Some(OrderSort::Number),
    Some(OrderSort::Date),
    None,
    Some(OrderSort::Items),
    Some(OrderSort::Total),
    Some(OrderSort::Status),
];

impl ListQuery for OrderQuery {
    type Row = OrderSummary;
    const WHAT: &'static str = "orders";

    fn row_id(row: &Self::Row) -> i64 {
        row.id
    }

    fn count(&self, conn: &rusqlite::Connection) -> Result<usize, StoreError> {
        orders::count(conn, self)
    }

    fn page(
        &self,
        conn: &rusqlite::Connection,
        offset: usize,
        limit: usize,
        total: usize,
    ) -> Result<Vec<OrderSummary>, StoreError> {
        orders::page(conn, self, offset, limit, total)
    }
}

#[derive(Default)]
pub struct OrdersPanel {
    list: List<OrderQuery, OrderDetail>,
    changes: super::widgets::ChangeLog,
    form: Option<OrderForm>,
    /// The detail's open money dialog (pay, ship, refund, cancel, return).
    dialog: Option<MoneyDialog>,
    /// Ctrl+F asked for the find box.
    find_focus: bool,
    /// Enter was pressed in the find box: open the order if it found one.
    find_enter: bool,
    /// An order was opened from the find box: the keyboard goes to its
    /// first action (Tab would otherwise start again at the menu bar).
    focus_actions: bool,
}

impl View for OrdersPanel {
    fn id(&self) -> Panel {
        Panel::Orders
    }

    fn prefetch(&mut self, ctx: &PanelCtx) {
        self.list.prefetch(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let find = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::F);
        if self.form.is_none()
            && self.dialog.is_none()
            && ui.input_mut(|i| i.consume_shortcut(&find))
        {
            self.find_focus = true;
        }
        // The toolbar across the whole panel, above the detail: beside it,
        // it wrapped when a detail opened and moved the list down under
        // the mouse.
        egui::Panel::top("orders_toolbar")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(4.0);
                self.toolbar_ui(ui);
                documents::range_ui(ui, ctx, &self.list.query);
                ui.separator();
            });
        if self.list.selected().is_some() {
            detail_panel(ui, "order_detail", 480.0, 600.0, |ui| {
                self.detail_ui(ui, ctx)
            });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let to_top = self.list.sync(ui, ctx);
            let enter = std::mem::take(&mut self.find_enter);
            if enter && self.list.rows.total() == 1 {
                let query = self.list.query.clone();
                let found = list::row(&mut self.list.rows, ctx.store.conn(), &query, 0);
                if let Some(id) = found.map(|o| o.id) {
                    self.list.select(id);
                    self.focus_actions = true;
                }
            } else if enter && self.list.selected().is_some() {
                // The order chosen with Up and Down from the find box: its
                // actions, as for an order found (a tryout shipping a
                // day's orders by keyboard found no way from the list).
                self.focus_actions = true;
            }
            if self.list.shop_has_none() {
                let add = empty_shop_ui(
                    ui,
                    ctx,
                    "No orders yet",
                    "Take your first order (it needs a customer and a product in stock), import your past orders, or look around a demo shop first.",
                    Some("Take the first order"),
                    ImportKind::Orders,
                );
                if add {
                    self.form = Some(OrderForm::new(None));
                }
                return;
            }
            let loaded = self.list.rows.loaded() && !self.list.rows.waiting();
            if loaded && self.list.rows.total() == 0 {
                if !self.list.query.find.trim().is_empty() {
                    ui.weak(
                        "No order has that number or a reference starting so. Type a number \
                         (1001, #000005) or the start of a reference (SHOP-10), and check the \
                         status, dates and customer above.",
                    );
                } else {
                    // A blank table read as a failure to a month-end tryout.
                    ui.weak(
                        "No order matches the status, dates and customer above. Widen them, \
                         or choose All and untick From and To to see every order.",
                    );
                }
            }
            egui::ScrollArea::horizontal()
                .id_salt("order_table_hscroll")
                .show(ui, |ui| self.table_ui(ui, ctx, to_top));
        });
        if let Some(form) = &mut self.form
            && self.list.form_done(form.ui(ui.ctx(), ctx))
        {
            self.form = None;
        }
        if let Some(dialog) = &mut self.dialog
            && dialog.ui(ui.ctx(), ctx)
        {
            self.dialog = None;
        }
    }

    fn unsaved(&self) -> Option<&'static str> {
        self.form.as_ref().filter(|f| f.unsaved()).map(|f| f.what())
    }

    fn open(&mut self, target: &Open) -> bool {
        match target {
            Open::Order(id) => self.list.select(*id),
            Open::NewOrderFor(id, name) => {
                self.form = Some(OrderForm::new(Some((*id, name.clone()))));
            }
            Open::Customer(_) => return false,
        }
        true
    }
}

impl OrdersPanel {
    fn toolbar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("Orders");
            if crate::ui::widgets::list::new_button(ui, "New order") {
                self.form = Some(OrderForm::new(None));
            }
            ui.add_space(12.0);
            // Each label stays with its field when the row wraps.
            whole(ui, "status", |ui| {
                let label = ui.label("Status").id;
                // "Not yet shipped" (pending or paid): what is left to send,
                // which a month-end tryout looked for status by status.
                let q = &mut self.list.query;
                let shown = match (q.status, q.not_shipped) {
                    (Some(s), _) => s.label(),
                    (None, true) => NOT_SHIPPED,
                    (None, false) => "All",
                };
                egui::ComboBox::from_id_salt("order_status_filter")
                    .selected_text(shown)
                    // One width for every choice: "Not yet shipped" had
                    // moved Today and Yesterday under the mouse.
                    .width(130.0)
                    .show_ui(ui, |ui| {
                        if ui.selectable_label(q.status.is_none() && !q.not_shipped, "All").clicked() {
                            (q.status, q.not_shipped) = (None, false);
                        }
                        if ui
                            .selectable_label(q.status.is_none() && q.not_shipped, NOT_SHIPPED)
                            .on_hover_text("Pending or paid: what is left to send")
                            .clicked()
                        {
                            (q.status, q.not_shipped) = (None, true);
                        }
                        for s in OrderStatus::ALL {
                            if ui.selectable_label(q.status == Some(s), s.label()).clicked() {
                                (q.status, q.not_shipped) = (Some(s), false);
                            }
                        }
                    })
                    .response
                    .labelled_by(label);
            });
            let today = today();
            let query = &mut self.list.query;
            whole(ui, "from", |ui| {
                optional_date(ui, "From", "orders_from", &mut query.from, &today)
            });
            whole(ui, "to", |ui| {
                optional_date(ui, "To", "orders_to", &mut query.to, &today)
            });
            // One day in a click (a tryout ticked From and To and picked
            // yesterday in two calendars to see yesterday's orders).
            // Last month too, its first to its last day (a month-end tryout
            // took a dozen clicks in two calendars for October).
            whole(ui, "days", |ui| {
                for (label, range) in day_presets(&today) {
                    let Some((from, to)) = range else { continue };
                    let on = query.from.as_ref() == Some(&from) && query.to.as_ref() == Some(&to);
                    if ui.selectable_label(on, label).clicked() {
                        query.from = Some(from);
                        query.to = Some(to);
                    }
                }
            });
            let find_focus = &mut self.find_focus;
            let find_enter = &mut self.find_enter;
            let step = whole(ui, "find", |ui| {
                // Kept on one line when the toolbar wraps.
                let label = ui
                    .add(egui::Label::new("Find order").wrap_mode(egui::TextWrapMode::Extend))
                    .id;
                let find = ui
                    .add(
                        egui::TextEdit::singleline(&mut query.find)
                            .id_salt("orders_find")
                            .hint_text("# or reference")
                            .desired_width(130.0),
                    )
                    .labelled_by(label)
                    .on_hover_text(
                        "An order number (1001, #000005) or the start of its reference (Ctrl+F); Up and Down move through the list",
                    );
                if std::mem::take(find_focus) {
                    // Its last number chosen whole, so the next one typed
                    // replaces it ("999999" then "999998" read "999999999998").
                    crate::ui::widgets::form::focus_all(ui.ctx(), &find, &query.find);
                }
                *find_enter = find.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                list::arrows(ui, &find)
            });
            let step = step
                + whole(ui, "customer", |ui| {
                    let label = ui.label("For customer").id;
                    let field = ui
                        .add(
                            egui::TextEdit::singleline(&mut query.customer_search)
                                .hint_text("name, email or phone")
                                .desired_width(160.0),
                        )
                        .labelled_by(label);
                    list::arrows(ui, &field)
                });
            self.list.add_step(step);
            columns::chooser_ui(ui, "orders", &COLUMNS);
            // Whole on one line when the toolbar wraps ("7" had stood at the
            // right edge and "orders" on the next line).
            let total = count(self.list.rows.total() as i64, "order", "orders");
            ui.add(egui::Label::new(egui::RichText::new(total).weak()).wrap_mode(egui::TextWrapMode::Extend));
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx, to_top: bool) {
        let store = &*ctx.store;
        let currency = &ctx.settings.currency;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        ui.style_mut().interaction.selectable_labels = false;
        let query = self.list.query.clone();
        let (mut sort, mut direction) = (query.sort, query.direction);
        let total = self.list.rows.total();
        let scroll = self.list.take_step(store.conn());
        let selected = self.list.selected();
        let mut drawn = None;
        let rows = &mut self.list.rows;
        let mut clicked = None;
        let shown = columns::shown(ui.ctx(), "orders", &COLUMNS);
        let mut table = TableBuilder::new(ui);
        if to_top {
            table = table.vertical_scroll_offset(0.0);
        }
        if let Some(at) = scroll {
            table = table.scroll_to_row(at, None);
        }
        let table = table
            // Widths are remembered per choice of columns.
            .id_salt(("orders_table", &shown))
            .striped(true)
            .resizable(true)
            .sense(list::row_sense())
            .cell_layout(Layout::left_to_right(Align::Center));
        columns::add(table, &COLUMNS, &shown)
            .header(row_height + 4.0, |mut header| {
                for &i in &shown {
                    let Some(c) = COLUMNS.get(i) else { continue };
                    header.col(|ui| match SORTS.get(i).copied().flatten() {
                        Some(key) => {
                            sort_header(ui, c.name, key, &mut sort, &mut direction);
                        }
                        None => {
                            ui.strong(c.name)
                                .on_hover_text("Filter by customer with the box above");
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, total, |mut row| {
                    let Some(o) = list::row(rows, store.conn(), &query, row.index()) else {
                        row.col(|ui| {
                            ui.weak("…");
                        });
                        return;
                    };
                    if selected == Some(o.id) {
                        drawn = Some((row.index(), o.id));
                    }
                    row.set_selected(selected == Some(o.id));
                    for &i in &shown {
                        row.col(|ui| match i {
                            0 => {
                                ui.label(order_number(o.id));
                                if let Some(r) = &o.external_ref {
                                    ui.weak(r);
                                }
                            }
                            1 => {
                                ui.label(format!(
                                    "{} {}",
                                    date_text(&o.order_date),
                                    o.order_time.get(..5).unwrap_or("")
                                ));
                            }
                            2 => {
                                ui.label(&o.customer_name);
                            }
                            3 => {
                                num_cell(ui, thousands(o.item_count));
                            }
                            4 => {
                                num_cell(ui, currency.format(o.total));
                            }
                            _ => {
                                status_label(ui, o.status);
                                // A part refund, said in the list (a tryout
                                // found a refunded order read as before).
                                if o.refunded.0 > 0 && o.status.is_sale() {
                                    ui.weak("· refund").on_hover_text(format!(
                                        "{} refunded",
                                        currency.format(o.refunded)
                                    ));
                                }
                            }
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(o.id);
                    }
                });
            });
        self.list.query.sort = sort;
        self.list.query.direction = direction;
        self.list.drawn(drawn);
        if let Some(id) = clicked {
            self.list.select(id);
        }
    }
}

/// The status filter's choice of the orders pending or paid.
const NOT_SHIPPED: &str = "Not yet shipped";

/// The Orders toolbar's one-click ranges ('YYYY-MM-DD' from and to):
/// today, yesterday and last month, from `today`.
fn day_presets(today: &str) -> [(&'static str, Option<(String, String)>); 3] {
    use chrono::{Datelike, NaiveDate};
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let date = today.parse::<NaiveDate>().ok();
    let yesterday = date.and_then(|d| d.pred_opt()).map(|d| (day(d), day(d)));
    let last_month = date
        .and_then(|d| d.with_day(1))
        .and_then(|first| first.pred_opt())
        .and_then(|end| Some((day(end.with_day(1)?), day(end))));
    [
        ("Today", Some((today.to_owned(), today.to_owned()))),
        ("Yesterday", yesterday),
        ("Last month", last_month),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn last_month_runs_from_its_first_to_its_last_day() {
        let p = super::day_presets("2026-03-15");
        assert_eq!(p[1].1, Some(("2026-03-14".into(), "2026-03-14".into())));
        assert_eq!(p[2].1, Some(("2026-02-01".into(), "2026-02-28".into())));
        let p = super::day_presets("2026-01-01");
        assert_eq!(p[1].1, Some(("2025-12-31".into(), "2025-12-31".into())));
        assert_eq!(p[2].1, Some(("2025-12-01".into(), "2025-12-31".into())));
    }
}
