//! The Orders panel: every order, newest first, filtered by status, dates and
//! customer; the order detail with its lines, status history and stock
//! movements; and the form that places a new order or edits a pending one.

mod documents;
mod form;

use self::form::OrderForm;

use egui::{Align, Layout};
use egui_extras::{Column, TableBuilder};

use super::app::commands::{Command, Open, Panel, PanelCtx, View};
use super::widgets::date::{optional_date, today};
use super::widgets::form::confirm;
use super::widgets::list::{self, List, ListQuery, detail_heading};
use super::widgets::{
    count, detail_panel, empty_shop_ui, num_cell, sort_header, status_label, thousands,
};
use crate::domain::OrderStatus;
use crate::import::ImportKind;
use crate::store::StoreError;
use crate::store::changelog::Entity;
use crate::store::orders::{self, OrderDetail, OrderQuery, OrderSort, OrderSummary, order_number};

impl ListQuery for OrderQuery {
    type Row = OrderSummary;
    const WHAT: &'static str = "orders";

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
    confirm: Option<(i64, OrderStatus)>,
}

impl View for OrdersPanel {
    fn id(&self) -> Panel {
        Panel::Orders
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        if self.list.selected().is_some() {
            detail_panel(ui, "order_detail", 420.0, |ui| self.detail_ui(ui, ctx));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.toolbar_ui(ui);
            documents::range_ui(ui, ctx, &self.list.query);
            ui.separator();
            let to_top = self.list.sync(ui, ctx);
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
            egui::ScrollArea::horizontal()
                .id_salt("order_table_hscroll")
                .show(ui, |ui| self.table_ui(ui, ctx, to_top));
        });
        if let Some(form) = &mut self.form
            && self.list.form_done(form.ui(ui.ctx(), ctx))
        {
            self.form = None;
        }
        self.confirm_ui(ui, ctx);
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
            if ui.button("New order").clicked() {
                self.form = Some(OrderForm::new(None));
            }
            ui.add_space(12.0);
            let label = ui.label("Status").id;
            egui::ComboBox::from_id_salt("order_status_filter")
                .selected_text(self.list.query.status.map_or("All", OrderStatus::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.list.query.status, None, "All");
                    for s in OrderStatus::ALL {
                        ui.selectable_value(&mut self.list.query.status, Some(s), s.label());
                    }
                })
                .response
                .labelled_by(label);
            let today = today();
            let query = &mut self.list.query;
            optional_date(ui, "From", "orders_from", &mut query.from, &today);
            optional_date(ui, "To", "orders_to", &mut query.to, &today);
            let label = ui.label("For customer").id;
            ui.add(
                egui::TextEdit::singleline(&mut query.customer_search)
                    .hint_text("name, email or phone")
                    .desired_width(160.0),
            )
            .labelled_by(label);
            ui.weak(count(self.list.rows.total() as i64, "order", "orders"));
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
        let selected = self.list.selected();
        let rows = &mut self.list.rows;
        let mut clicked = None;
        let mut table = TableBuilder::new(ui);
        if to_top {
            table = table.vertical_scroll_offset(0.0);
        }
        table
            .id_salt("orders_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(Layout::left_to_right(Align::Center))
            .column(Column::initial(90.0).at_least(70.0))
            .column(Column::initial(130.0).at_least(90.0))
            .column(Column::initial(220.0).at_least(80.0).clip(true))
            .column(Column::initial(60.0).at_least(50.0))
            .column(Column::initial(100.0).at_least(70.0))
            .column(Column::remainder().at_least(90.0))
            .header(row_height + 4.0, |mut header| {
                header.col(|ui| {
                    sort_header(ui, "Number", OrderSort::Number, &mut sort, &mut direction);
                });
                header.col(|ui| {
                    sort_header(ui, "Date", OrderSort::Date, &mut sort, &mut direction);
                });
                header.col(|ui| {
                    ui.strong("Customer")
                        .on_hover_text("Filter by customer with the box above");
                });
                header.col(|ui| {
                    sort_header(ui, "Items", OrderSort::Items, &mut sort, &mut direction);
                });
                header.col(|ui| {
                    sort_header(ui, "Total", OrderSort::Total, &mut sort, &mut direction);
                });
                header.col(|ui| {
                    sort_header(ui, "Status", OrderSort::Status, &mut sort, &mut direction);
                });
            })
            .body(|body| {
                body.rows(row_height, total, |mut row| {
                    let Some(o) = list::row(rows, store.conn(), &query, row.index()) else {
                        row.col(|ui| {
                            ui.weak("…");
                        });
                        return;
                    };
                    row.set_selected(selected == Some(o.id));
                    row.col(|ui| {
                        ui.label(order_number(o.id));
                        if let Some(r) = &o.external_ref {
                            ui.weak(r);
                        }
                    });
                    row.col(|ui| {
                        ui.label(format!(
                            "{} {}",
                            o.order_date,
                            o.order_time.get(..5).unwrap_or("")
                        ));
                    });
                    row.col(|ui| {
                        ui.label(&o.customer_name);
                    });
                    row.col(|ui| {
                        num_cell(ui, thousands(o.item_count));
                    });
                    row.col(|ui| {
                        num_cell(ui, currency.format(o.total));
                    });
                    row.col(|ui| {
                        status_label(ui, o.status);
                    });
                    if row.response().clicked() {
                        clicked = Some(o.id);
                    }
                });
            });
        self.list.query.sort = sort;
        self.list.query.direction = direction;
        if let Some(id) = clicked {
            self.list.select(id);
        }
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some(d) = self.list.detail(ui, ctx, orders::detail) else {
            return;
        };
        let o = &d.summary;
        let currency = &ctx.settings.currency;
        let title = format!("Order {}", order_number(o.id));
        if detail_heading(ui, title, |ui| status_label(ui, o.status)) {
            self.list.close();
        }
        egui::Grid::new("order_facts")
            .num_columns(2)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                ui.weak("Placed");
                ui.label(format!("{} {}", o.order_date, o.order_time));
                ui.end_row();
                ui.weak("Customer");
                if ui
                    .link(&o.customer_name)
                    .on_hover_text("Show this customer")
                    .clicked()
                {
                    ctx.send(Command::Open(Open::Customer(o.customer_id)));
                }
                ui.end_row();
                if let Some(e) = &d.customer_email {
                    ui.weak("Email");
                    ui.label(e);
                    ui.end_row();
                }
                if let Some(r) = &o.external_ref {
                    ui.weak("Reference");
                    ui.label(r);
                    ui.end_row();
                }
                if let Some(n) = &d.note {
                    ui.weak("Note");
                    ui.label(n);
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            for &next in o.status.next() {
                let label = match next {
                    OrderStatus::Paid => "Mark paid",
                    OrderStatus::Shipped => "Mark shipped",
                    OrderStatus::Delivered => "Mark delivered",
                    OrderStatus::Cancelled => "Cancel order…",
                    OrderStatus::Returned => "Mark returned…",
                    OrderStatus::Pending => "Mark pending",
                };
                if ui.button(label).clicked() {
                    if matches!(next, OrderStatus::Cancelled | OrderStatus::Returned) {
                        self.confirm = Some((o.id, next));
                    } else {
                        change_status(ctx, o.id, next);
                    }
                }
            }
            if o.status == OrderStatus::Pending && ui.button("Edit lines…").clicked() {
                self.form = Some(OrderForm::edit(&d, currency));
            }
        });
        documents::buttons_ui(ui, ctx, &d);
        self.changes
            .ui(ui, ctx.store, Entity::Order, o.id, ctx.generation);
        ui.separator();
        ui.strong("Lines");
        egui::Grid::new("order_lines")
            .num_columns(4)
            .striped(true)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                ui.weak("Product");
                ui.weak("Qty");
                ui.weak("Price");
                ui.weak("Total");
                ui.end_row();
                for l in &d.lines {
                    ui.label(format!("{} {}", l.sku, l.name));
                    ui.label(l.quantity.to_string());
                    ui.label(currency.format(l.unit_price));
                    ui.label(currency.format(l.line_total));
                    ui.end_row();
                }
                ui.strong("Total");
                ui.strong(thousands(o.item_count));
                ui.label("");
                ui.strong(currency.format(o.total));
                ui.end_row();
            });
        ui.separator();
        ui.strong("Status history");
        if o.external_ref.is_some() && d.history.first().is_none_or(|h| h.from.is_some()) {
            // Imported orders start with the status their file gave them.
            let first = d.history.first().and_then(|h| h.from).unwrap_or(o.status);
            ui.weak(format!(
                "Imported as {}; the file said nothing of its earlier steps.",
                first.label().to_lowercase()
            ));
        }
        for h in &d.history {
            ui.label(format!(
                "{}  {}",
                &h.at.get(..16).unwrap_or(&h.at),
                h.to.label()
            ));
        }
        ui.separator();
        ui.strong("Stock movements");
        if d.movements.is_empty() {
            ui.weak("This order did not move stock.");
        }
        for m in &d.movements {
            ui.label(format!(
                "{}  {}  {:+}  ({}, stock after {})",
                m.at.get(..16).unwrap_or(&m.at),
                m.sku,
                m.change,
                m.reason.label(),
                m.stock_after
            ));
        }
    }

    fn confirm_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some((id, to)) = self.confirm else { return };
        let (title, text, yes) = match to {
            OrderStatus::Cancelled => (
                format!("Cancel order {}?", order_number(id)),
                "Its items go back into stock. A cancelled order cannot be reopened.",
                "Cancel the order",
            ),
            _ => (
                format!("Mark order {} as returned?", order_number(id)),
                "Its items go back into stock and it no longer counts as a sale.",
                "Mark returned",
            ),
        };
        let answer = confirm(
            ui.ctx(),
            "confirm_order_status",
            &title,
            text,
            yes,
            "Keep it",
        );
        if answer == Some(true) {
            change_status(ctx, id, to);
        }
        if answer.is_some() {
            self.confirm = None;
        }
    }
}

fn change_status(ctx: &mut PanelCtx, id: i64, to: OrderStatus) {
    ctx.write(
        |tx| orders::set_status(tx, id, to),
        |()| {
            format!(
                "Order {} is now {}.",
                order_number(id),
                to.label().to_lowercase()
            )
        },
    );
}
