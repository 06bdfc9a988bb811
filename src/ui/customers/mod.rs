//! The Customers panel: a searchable, sortable table of every customer, a
//! detail view with the customer's orders, and the create/edit form
//! (`form`).

mod form;

use self::form::CustomerForm;

use egui::{Align, Layout, RichText};
use egui_extras::{Column, TableBuilder};

use super::app::commands::{Command, Open, Panel, PanelCtx, View};
use super::widgets::columns::{self, Col, col, flex};
use super::widgets::form::confirm;
use super::widgets::list::{
    self, ArchiveWords, List, ListQuery, archive_or_delete, detail_heading, search_box,
};
use super::widgets::{
    Paged, date_text, detail_panel, empty_shop_ui, num_cell, sort_header, status_label, thousands,
};
use crate::domain::{Customer, CustomerDraft};
use crate::import::ImportKind;
use crate::store::StoreError;
use crate::store::changelog::Entity;
use crate::store::customers::{self, CustomerQuery, CustomerRow, CustomerSort};
use crate::store::orders::{self, order_number};

/// The list's columns (the chooser may hide all but the name) and the sort
/// each header asks for.
// Orders and Total spent come before the address columns, so that with a
// customer's detail open at 1366x768 the list keeps them in sight and the
// address scrolls instead. (Hidden columns are remembered by name, widths
// per set of columns under `TABLE_ID`, so the order can change.)
const COLUMNS: [Col; 7] = [
    col("Name", 160.0, 80.0),
    flex("Email", 200.0, 80.0),
    col("Orders", 60.0, 50.0),
    col("Total spent", 100.0, 90.0),
    col("Phone", 130.0, 60.0),
    col("City", 100.0, 60.0),
    col("Country", 100.0, 60.0),
];
const SORTS: [CustomerSort; 7] = [
    CustomerSort::Name,
    CustomerSort::Email,
    CustomerSort::Orders,
    CustomerSort::Spent,
    CustomerSort::Phone,
    CustomerSort::City,
    CustomerSort::Country,
];
/// The table's id: its widths are remembered per column index, so a new
/// order of columns takes a new id (widths of the old order are dropped).
const TABLE_ID: &str = "customers_table_2";

impl ListQuery for CustomerQuery {
    type Row = CustomerRow;
    const WHAT: &'static str = "customers";

    fn row_id(row: &Self::Row) -> i64 {
        row.id
    }

    fn count(&self, conn: &rusqlite::Connection) -> Result<usize, StoreError> {
        customers::count(conn, self)
    }

    fn page(
        &self,
        conn: &rusqlite::Connection,
        offset: usize,
        limit: usize,
        _total: usize,
    ) -> Result<Vec<CustomerRow>, StoreError> {
        customers::page(conn, self, offset, limit)
    }
}

/// A customer's detail: the row, and whether any order names them (then they
/// can be archived, not deleted).
#[derive(Clone)]
struct Detail {
    customer: Customer,
    has_orders: bool,
    segment: Option<crate::store::customer_insights::CustomerSegment>,
}

#[derive(Default)]
pub struct CustomersPanel {
    list: List<CustomerQuery, Detail>,
    changes: super::widgets::ChangeLog,
    history: Paged<i64, orders::CustomerOrder>,
    form: Option<CustomerForm>,
    confirm_delete: Option<(i64, String)>,
    /// The customer whose personal data the question asks to erase.
    confirm_erase: Option<(i64, String)>,
}

impl View for CustomersPanel {
    fn id(&self) -> Panel {
        Panel::Customers
    }

    fn prefetch(&mut self, ctx: &PanelCtx) {
        self.list.prefetch(ctx);
    }

    /// Draws the panel into the window's remaining space: the detail on the
    /// right when a customer is selected, the list in the centre.
    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        // The toolbar across the whole panel, above the detail: beside it,
        // it wrapped when a detail opened and moved the list down under
        // the mouse.
        egui::Panel::top("customers_toolbar")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(4.0);
                self.toolbar_ui(ui, &ctx.settings.country);
                ui.separator();
            });
        if self.list.selected().is_some() {
            detail_panel(ui, "customer_detail", 340.0, 600.0, |ui| {
                self.detail_ui(ui, ctx)
            });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let to_top = self.list.sync(ui, ctx);
            if self.list.shop_has_none() {
                let add = empty_shop_ui(
                    ui,
                    ctx,
                    "No customers yet",
                    "Add your first customer, import your customer list, or look around a demo shop first.",
                    Some("Add the first customer"),
                    ImportKind::Customers,
                );
                if add {
                    self.form = Some(CustomerForm::new(None, new_customer(&ctx.settings.country)));
                }
                return;
            }
            // Words are found from their start, not from their middle.
            if self.list.rows.total() == 0 && !self.list.query.search.trim().is_empty() {
                ui.weak(format!(
                    "No customer has a name, email or phone with words starting so. Type the \
                     start of a word (\"fern\" for Fernández, \"hotmail\" or \"ana.lima\" for \
                     ana.lima@hotmail.com) or the first digits of a phone number{}.",
                    if self.list.query.show_archived {
                        ""
                    } else {
                        "; archived customers are found with \"Show archived\" ticked"
                    }
                ));
            }
            egui::ScrollArea::horizontal()
                .id_salt("customer_table_hscroll")
                .show(ui, |ui| self.table_ui(ui, ctx, to_top));
        });
        if let Some(form) = &mut self.form
            && self.list.form_done(form.ui(ui.ctx(), ctx))
        {
            self.form = None;
        }
        self.confirm_delete_ui(ui, ctx);
        self.confirm_erase_ui(ui, ctx);
    }

    fn unsaved(&self) -> Option<&'static str> {
        self.form
            .as_ref()
            .filter(|f| f.unsaved())
            .map(|_| "the customer form")
    }

    fn open(&mut self, target: &Open) -> bool {
        match target {
            Open::Customer(id) => {
                self.list.select(*id);
                true
            }
            _ => false,
        }
    }
}

impl CustomersPanel {
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, country: &str) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("Customers");
            if crate::ui::widgets::list::new_button(ui, "New customer") {
                self.form = Some(CustomerForm::new(None, new_customer(country)));
            }
            ui.add_space(12.0);
            let query = &mut self.list.query;
            let step = search_box(ui, &mut query.search, "Search name, email or phone");
            ui.checkbox(&mut query.show_archived, "Show archived");
            self.list.add_step(step);
            columns::chooser_ui(ui, "customers", &COLUMNS);
            ui.weak(format!(
                "{} shown",
                thousands(self.list.rows.total() as i64)
            ));
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx, to_top: bool) {
        let store = &*ctx.store;
        let currency = &ctx.settings.currency;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        // A click anywhere on a row selects it (text in cells is not selectable).
        ui.style_mut().interaction.selectable_labels = false;
        let query = self.list.query.clone();
        let mut sort = query.sort;
        let mut direction = query.direction;
        let mut clicked = None;
        let total = self.list.rows.total();
        let scroll = self.list.take_step(store.conn());
        let selected = self.list.selected();
        let mut drawn = None;
        let rows = &mut self.list.rows;
        let shown = columns::shown(ui.ctx(), "customers", &COLUMNS);
        let mut table = TableBuilder::new(ui);
        if to_top {
            table = table.vertical_scroll_offset(0.0);
        }
        if let Some(at) = scroll {
            table = table.scroll_to_row(at, None);
        }
        let table = table
            // Widths are remembered per choice of columns.
            .id_salt((TABLE_ID, &shown))
            .striped(true)
            .resizable(true)
            .sense(list::row_sense())
            .cell_layout(Layout::left_to_right(Align::Center));
        columns::add(table, &COLUMNS, &shown)
            .header(row_height + 4.0, |mut header| {
                for &i in &shown {
                    let (Some(c), Some(key)) = (COLUMNS.get(i), SORTS.get(i)) else {
                        continue;
                    };
                    header.col(|ui| {
                        sort_header(ui, c.name, *key, &mut sort, &mut direction);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, total, |mut row| {
                    let index = row.index();
                    let Some(c) = list::row(rows, store.conn(), &query, index) else {
                        row.col(|ui| {
                            ui.weak("…");
                        });
                        return;
                    };
                    if selected == Some(c.id) {
                        drawn = Some((row.index(), c.id));
                    }
                    row.set_selected(selected == Some(c.id));
                    let id = c.id;
                    let weak = c.archived;
                    let text = |s: &str| {
                        if weak {
                            RichText::new(s).weak()
                        } else {
                            RichText::new(s)
                        }
                    };
                    for &i in &shown {
                        row.col(|ui| match i {
                            0 => {
                                ui.label(text(&c.name));
                                if c.archived {
                                    ui.weak("(archived)");
                                }
                            }
                            1 => {
                                ui.label(text(c.email.as_deref().unwrap_or("")));
                            }
                            2 => {
                                num_cell(ui, text(&thousands(c.sale_count)));
                            }
                            3 => {
                                num_cell(ui, text(&currency.format(c.total_spent)));
                            }
                            4 => {
                                ui.label(text(c.phone.as_deref().unwrap_or("")));
                            }
                            5 => {
                                ui.label(text(c.city.as_deref().unwrap_or("")));
                            }
                            _ => {
                                ui.label(text(c.country.as_deref().unwrap_or("")));
                            }
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(id);
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

    fn detail_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some(Detail {
            customer: c,
            has_orders,
            segment,
        }) = self.list.detail(ui, ctx, |conn, id| {
            Ok(Detail {
                customer: customers::get(conn, id)?,
                has_orders: customers::has_orders(conn, id)?,
                segment: crate::store::customer_insights::segment_of(conn, id)?,
            })
        })
        else {
            return;
        };
        let currency = &ctx.settings.currency;
        let home = ctx.settings.country.as_str();
        if detail_heading(ui, &c.name, |_| {}) {
            self.list.close();
        }
        if c.archived {
            ui.label(RichText::new("Archived").italics());
        }
        egui::Grid::new("customer_facts")
            .num_columns(2)
            .max_col_width(super::widgets::layout::facts_width(ui))
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                let mut fact = |label: &str, value: &Option<String>| {
                    if let Some(v) = value {
                        ui.weak(label);
                        ui.label(v);
                        ui.end_row();
                    }
                };
                fact("Email", &c.email);
                fact("Phone", &c.phone);
                fn part(t: &Option<String>) -> &str {
                    t.as_deref().unwrap_or_default()
                }
                let address = crate::domain::address::lines(
                    "",
                    part(&c.address),
                    part(&c.postal_code),
                    part(&c.city),
                    part(&c.country),
                    home,
                )
                .join(", ");
                fact("Address", &(!address.is_empty()).then_some(address));
                fact("Notes", &c.notes);
                // Since they were added, or since their first order when
                // that is earlier (a shop's history imported later).
                let added = c.created_at.get(..10).unwrap_or(&c.created_at);
                let since = match c.first_order_date.as_deref() {
                    Some(first) if first < added => first,
                    _ => added,
                };
                ui.weak("Customer since");
                ui.label(date_text(since));
                ui.end_row();
                ui.weak("Orders");
                // The history below lists every order; say why it has more.
                let ended = c.order_count - c.sale_count;
                if ended > 0 {
                    ui.label(format!(
                        "{} (and {} cancelled or returned)",
                        thousands(c.sale_count),
                        thousands(ended)
                    ));
                } else {
                    ui.label(thousands(c.sale_count));
                }
                ui.end_row();
                ui.weak("Total spent").on_hover_text(
                    "What their orders came to, tax and shipping included, less what was refunded; cancelled and returned orders not counted",
                );
                ui.label(currency.format(c.total_spent));
                ui.end_row();
                // Of the orders counted above (a cancelled order is none).
                if let (Some(first), Some(last)) = (&c.first_sale_date, &c.last_sale_date) {
                    ui.weak("First / last order");
                    ui.label(format!("{} / {}", date_text(first), date_text(last)));
                    ui.end_row();
                }
                super::insights::customers::segment_fact(ui, segment);
            });
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            if !c.archived && ui.button("New order…").clicked() {
                ctx.send(Command::Open(Open::NewOrderFor(c.id, c.name.clone())));
            }
            if ui.button("Edit…").clicked() {
                self.form = Some(CustomerForm::new(Some(c.id), CustomerDraft::from(&c)));
            }
            if ui
                .button("Export history…")
                .on_hover_text("Save this customer's orders as CSV")
                .clicked()
            {
                export_of(ctx, crate::domain::ReportKind::CustomerHistory, c.id);
            }
            let words = ArchiveWords {
                hint: "Hide this customer from the list; their orders stay.",
                archived: "Customer archived. Tick \"Show archived\" to see them.",
                restored: "Customer restored to the list.",
            };
            if archive_or_delete(ui, ctx, c.archived, has_orders, &words, |tx, on| {
                customers::set_archived(tx, c.id, on)
            }) {
                self.confirm_delete = Some((c.id, c.name.clone()));
            }
            // A customer's requests about their data (GDPR), in one menu:
            // as two buttons they took a third row at 1024x600.
            let erased = c.name == customers::ERASED && c.email.is_none() && c.phone.is_none();
            ui.menu_button("Their data", |ui| {
                if ui
                    .button("Export their data…")
                    .on_hover_text("Everything the shop holds about this customer, one fact a row, as CSV: for their request to see it")
                    .clicked()
                {
                    export_of(ctx, crate::domain::ReportKind::CustomerData, c.id);
                    ui.close();
                }
                if !erased
                    && ui
                        .button("Erase personal data…")
                        .on_hover_text("For a customer who asks to be forgotten: their name, email, phone, address and notes go for good; their orders stay")
                        .clicked()
                {
                    self.confirm_erase = Some((c.id, c.name.clone()));
                    ui.close();
                }
            });
        });
        self.changes
            .ui(ui, ctx.store, Entity::Customer, c.id, ctx.generation);
        ui.separator();
        ui.strong("Order history");
        let store = &*ctx.store;
        self.history.sync(&c.id, ctx.generation, |id| {
            orders::customer_order_count(store.conn(), *id)
        });
        if self.history.total() == 0 {
            ui.weak("No orders yet.");
            return;
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let history = &mut self.history;
        let mut open = None;
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("customer_history")
            .striped(true)
            // A click on the row opens its order; the number is the one
            // stop for Tab (each cell was one), Enter on it opens it too.
            .sense(list::row_sense())
            // The total before the goods: in a narrow detail (1024x600)
            // the last column is the one cut short.
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(72.0))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(64.0))
            .column(Column::remainder().at_least(30.0))
            .header(row_height, |mut h| {
                for label in ["Order", "Date", "Status", "Total", "Bought"] {
                    h.col(|ui| {
                        // One line: a narrow detail had "Boug / ht".
                        ui.add(egui::Label::new(egui::RichText::new(label).strong()).truncate());
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, history.total(), |mut row| {
                    let Some(o) = history.get(row.index(), |offset, limit| {
                        orders::customer_history(store.conn(), c.id, offset, limit)
                    }) else {
                        return;
                    };
                    let (goods, each) = goods_text(&o.goods);
                    let o = o.order.clone();
                    let items = match o.item_count {
                        1 => "1 item".to_string(),
                        n => format!("{n} items"),
                    };
                    row.col(|ui| {
                        if ui.link(order_number(o.id)).clicked() {
                            open = Some(o.id);
                        }
                    });
                    row.col(|ui| {
                        ui.label(date_text(&o.order_date));
                    });
                    row.col(|ui| {
                        status_label(ui, o.status);
                    });
                    row.col(|ui| {
                        // A part refund beside the total (Total spent takes it off).
                        // On one line: beside the goods it had wrapped
                        // below its row ("$147.49 / (−$43.44)").
                        if o.refunded.0 > 0 && o.status.is_sale() {
                            let text = format!(
                                "{} (−{})",
                                currency.format(o.total),
                                currency.format(o.refunded)
                            );
                            ui.add(egui::Label::new(text).wrap_mode(egui::TextWrapMode::Extend))
                                .on_hover_text(format!("{} refunded", currency.format(o.refunded)));
                        } else {
                            ui.label(currency.format(o.total));
                        }
                    });
                    row.col(|ui| {
                        // Cut to the detail's width (at 1024x600 it has
                        // little room); the row's hover lists every line.
                        ui.add(egui::Label::new(&goods).truncate());
                    });
                    let hover = format!("Open this order\n{items}:\n{each}");
                    if row.response().on_hover_text(hover).clicked() {
                        open = Some(o.id);
                    }
                });
            });
        if let Some(id) = open {
            ctx.send(Command::Open(Open::Order(id)));
        }
    }

    fn confirm_erase_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some((id, name)) = &self.confirm_erase else {
            return;
        };
        let text = format!(
            "{name}'s name, email, phone, address and notes are removed for good, with what the change log kept of them. This cannot be undone.\n\n\
             Their orders stay, with every figure, under \"{}\". Issued invoices and credit notes keep who they were made out to and where the order went, as the law has a shop keep them.\n\n\
             Backups made before now still hold them until they are replaced (File > Backups…), and files you saved (invoices, exports) stay where you saved them.",
            customers::ERASED
        );
        let answer = confirm(
            ui.ctx(),
            "confirm_erase_customer",
            "Erase personal data?",
            &text,
            "Erase",
            "Keep",
        );
        if answer == Some(true) {
            match ctx.store.erase_customer(*id) {
                Ok(()) => {
                    ctx.send(Command::DataChanged);
                    ctx.send(Command::Info(format!(
                        "Personal data erased; the orders stay under \"{}\".",
                        customers::ERASED
                    )));
                    self.list.close();
                }
                Err(e) => ctx.send(Command::Error(e.to_string())),
            }
        }
        if answer.is_some() {
            self.confirm_erase = None;
        }
    }

    fn confirm_delete_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some((id, name)) = &self.confirm_delete else {
            return;
        };
        let text = format!("{name} will be removed for good. This cannot be undone.");
        let answer = confirm(
            ui.ctx(),
            "confirm_delete_customer",
            "Delete customer?",
            &text,
            "Delete",
            "Keep",
        );
        if answer == Some(true)
            && ctx
                .write(
                    |tx| customers::delete(tx, *id),
                    |_| "Customer deleted.".into(),
                )
                .is_some()
        {
            self.list.close();
        }
        if answer.is_some() {
            self.confirm_delete = None;
        }
    }
}

/// A new customer's form: in the shop's own country until told otherwise
/// (Settings > Shop), by its name ("US" reads "United States").
fn new_customer(country: &str) -> CustomerDraft {
    CustomerDraft {
        country: crate::domain::address::country_name(country).to_owned(),
        ..Default::default()
    }
}

/// Asks where to save customer `id`'s report `kind` (their history, their
/// data), as CSV.
fn export_of(ctx: &mut PanelCtx, kind: crate::domain::ReportKind, id: i64) {
    let mut spec = crate::domain::ReportSpec::new(kind);
    spec.customer = Some(id.to_string());
    ctx.send(Command::Export(spec, crate::export::Format::Csv));
}

/// What an order's lines bought, on one line ("2 × Teapot, Sencha") and one
/// line each for the hover.
fn goods_text(goods: &[(i64, String)]) -> (String, String) {
    let each: Vec<String> = goods
        .iter()
        .map(|(quantity, name)| {
            if *quantity == 1 {
                name.clone()
            } else {
                format!("{quantity} × {name}")
            }
        })
        .collect();
    (each.join(", "), each.join("\n"))
}
