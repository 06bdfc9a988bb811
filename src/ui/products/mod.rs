//! The Products panel: the inventory table with low-stock rows marked, the
//! product detail with its stock movements, the create/edit form and the
//! "Adjust stock" dialog.

mod forms;

use self::forms::{AdjustForm, ProductForm};

use egui::{Align, Layout, RichText};
use egui_extras::{Column, TableBuilder};

use super::app::commands::{Command, Open, Panel, PanelCtx, View};
use super::widgets::columns::{self, Col, col, flex};
use super::widgets::form::confirm;
use super::widgets::list::{
    self, ArchiveWords, List, ListQuery, archive_or_delete, detail_heading, search_box,
};
use super::widgets::{
    Paged, count, date_text, detail_panel, empty_shop_ui, num_cell, sort_header, thousands,
    warn_color,
};
use crate::domain::{Product, ProductDraft};
use crate::import::ImportKind;
use crate::store::StoreError;
use crate::store::changelog::Entity;
use crate::store::orders::order_number;
use crate::store::products::{self, ProductQuery, ProductSale, ProductSales, ProductSort};
use crate::store::stock::{self, Movement};

/// The list's columns (the chooser may hide all but the SKU) and the sort
/// each header asks for.
// Narrow enough that with a product's detail open at 1366x768 the list
// keeps its Reorder level in sight.
const COLUMNS: [Col; 6] = [
    col("SKU", 110.0, 60.0),
    flex("Name", 190.0, 80.0),
    col("Category", 110.0, 60.0),
    col("Price", 90.0, 60.0),
    col("Stock", 90.0, 60.0),
    col("Reorder level", 100.0, 90.0),
];
const SORTS: [ProductSort; 6] = [
    ProductSort::Sku,
    ProductSort::Name,
    ProductSort::Category,
    ProductSort::Price,
    ProductSort::Stock,
    ProductSort::ReorderLevel,
];

impl ListQuery for ProductQuery {
    type Row = Product;
    const WHAT: &'static str = "products";

    fn row_id(row: &Self::Row) -> i64 {
        row.id
    }

    fn count(&self, conn: &rusqlite::Connection) -> Result<usize, StoreError> {
        products::count(conn, self)
    }

    fn page(
        &self,
        conn: &rusqlite::Connection,
        offset: usize,
        limit: usize,
        _total: usize,
    ) -> Result<Vec<Product>, StoreError> {
        products::page(conn, self, offset, limit)
    }
}

/// A product's detail: the row, its sales, and whether any order names it
/// (then it can be archived, not deleted).
#[derive(Clone)]
struct Detail {
    product: Product,
    /// Its tax rate ("VAT (20%)"; None: not taxed).
    tax_rate: Option<String>,
    sales: ProductSales,
    ordered: bool,
}

#[derive(Default)]
pub struct ProductsPanel {
    list: List<ProductQuery, Detail>,
    changes: super::widgets::ChangeLog,
    sales: Paged<i64, ProductSale>,
    movements: Paged<i64, Movement>,
    form: Option<ProductForm>,
    adjust: Option<AdjustForm>,
    confirm_delete: Option<(i64, String)>,
    /// Whether the product shown is among the rows listed: (data
    /// generation, product, query) it was read for, and the answer.
    listed: Option<((u64, i64, ProductQuery), bool)>,
}

impl View for ProductsPanel {
    fn id(&self) -> Panel {
        Panel::Products
    }

    fn prefetch(&mut self, ctx: &PanelCtx) {
        self.list.prefetch(ctx);
    }

    fn unsaved(&self) -> Option<&'static str> {
        self.form
            .as_ref()
            .filter(|f| f.unsaved())
            .map(|_| "the product form")
    }

    /// Draws the panel into the window's remaining space: the detail on the
    /// right when a product is selected, the list in the centre.
    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        // The toolbar across the whole panel, above the detail: beside it,
        // it wrapped when a detail opened and moved the list down under
        // the mouse.
        egui::Panel::top("products_toolbar")
            .show_separator_line(false)
            .show(ui, |ui| {
                ui.add_space(4.0);
                self.toolbar_ui(ui, ctx);
                ui.separator();
            });
        if self.list.selected().is_some() {
            detail_panel(ui, "product_detail", 340.0, 600.0, |ui| {
                self.detail_ui(ui, ctx)
            });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let to_top = self.list.sync(ui, ctx);
            if self.list.shop_has_none() {
                let add = empty_shop_ui(
                    ui,
                    ctx,
                    "No products yet",
                    "Add your first product with its price and opening stock, import your product list, or look around a demo shop first.",
                    Some("Add the first product"),
                    ImportKind::Products,
                );
                if add {
                    self.form = Some(ProductForm::new(
                        None,
                        ProductDraft::new_with_reorder_level(ctx.settings.default_reorder_level),
                    ));
                }
                return;
            }
            egui::ScrollArea::horizontal()
                .id_salt("product_table_hscroll")
                .show(ui, |ui| self.table_ui(ui, ctx, to_top));
        });
        if let Some(form) = &mut self.form
            && self.list.form_done(form.ui(ui.ctx(), ctx))
        {
            self.form = None;
        }
        if let Some(adjust) = &mut self.adjust
            && adjust.ui(ui.ctx(), ctx)
        {
            self.adjust = None;
        }
        self.confirm_delete_ui(ui, ctx);
    }
}

impl ProductsPanel {
    fn toolbar_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("Products");
            if crate::ui::widgets::list::new_button(ui, "New product") {
                self.form = Some(ProductForm::new(
                    None,
                    ProductDraft::new_with_reorder_level(ctx.settings.default_reorder_level),
                ));
            }
            ui.add_space(12.0);
            let query = &mut self.list.query;
            let step = search_box(ui, &mut query.search, "Search SKU, name or category");
            ui.checkbox(&mut query.low_only, "Low stock only");
            ui.checkbox(&mut query.show_archived, "Show archived");
            self.list.add_step(step);
            columns::chooser_ui(ui, "products", &COLUMNS);
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
        let (mut sort, mut direction) = (query.sort, query.direction);
        let mut clicked = None;
        let total = self.list.rows.total();
        let scroll = self.list.take_step(store.conn());
        let selected = self.list.selected();
        let mut drawn = None;
        let rows = &mut self.list.rows;
        let warn = warn_color(ui);
        let shown = columns::shown(ui.ctx(), "products", &COLUMNS);
        let mut table = TableBuilder::new(ui);
        if to_top {
            table = table.vertical_scroll_offset(0.0);
        }
        if let Some(at) = scroll {
            table = table.scroll_to_row(at, None);
        }
        let table = table
            // Widths are remembered per choice of columns.
            .id_salt(("products_table", &shown))
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
                    let Some(p) = list::row(rows, store.conn(), &query, row.index()) else {
                        row.col(|ui| {
                            ui.weak("…");
                        });
                        return;
                    };
                    if selected == Some(p.id) {
                        drawn = Some((row.index(), p.id));
                    }
                    row.set_selected(selected == Some(p.id));
                    let low = p.is_low();
                    let style = |s: String| {
                        let t = RichText::new(s);
                        if p.archived { t.weak() } else { t }
                    };
                    for &i in &shown {
                        row.col(|ui| match i {
                            0 => {
                                ui.label(style(p.sku.clone()));
                            }
                            1 => {
                                ui.label(style(p.name.clone()));
                                if p.archived {
                                    ui.weak("(archived)");
                                }
                            }
                            2 => {
                                ui.label(style(p.category.clone().unwrap_or_default()));
                            }
                            3 => {
                                num_cell(ui, style(currency.format(p.price)));
                            }
                            4 => {
                                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                                    ui.add_space(10.0);
                                    if !p.track_stock {
                                        ui.weak("not tracked");
                                    } else if low {
                                        ui.label(
                                            RichText::new(thousands(p.stock)).color(warn).strong(),
                                        )
                                        .on_hover_text(
                                            "At or below the reorder level: time to order more.",
                                        );
                                        ui.label(RichText::new("⚠ low").color(warn).small());
                                    } else {
                                        ui.label(style(thousands(p.stock)));
                                    }
                                });
                            }
                            _ => {
                                num_cell(ui, style(thousands(p.reorder_level)));
                            }
                        });
                    }
                    if row.response().clicked() {
                        clicked = Some(p.id);
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
            product: p,
            tax_rate,
            sales,
            ordered,
        }) = self.list.detail(ui, ctx, |conn, id| {
            let rate = crate::store::tax::product_rate(conn, id)?;
            let tax_rate = match rate {
                Some(r) => crate::store::tax::rates(conn)?
                    .into_iter()
                    .find(|t| t.id == r)
                    .map(|t| crate::ui::widgets::decimal_text(&t.label())),
                None => None,
            };
            Ok(Detail {
                tax_rate,
                product: products::get(conn, id)?,
                sales: products::product_sales(conn, id)?,
                ordered: products::was_ordered(conn, id)?,
            })
        })
        else {
            return;
        };
        let currency = &ctx.settings.currency;
        if detail_heading(ui, &p.name, |_| {}) {
            self.list.close();
        }
        // The actions under the heading, before the facts, so they stand
        // in one place for every product (Adjust stock… had moved with a
        // Refunded line, and a click meant for it opened Changes).
        ui.horizontal_wrapped(|ui| {
            if p.track_stock && ui.button("Adjust stock…").clicked() {
                self.adjust = Some(AdjustForm::new(&p));
            }
            if ui
                .button("Export history…")
                .on_hover_text("Save this product's stock movements as CSV")
                .clicked()
            {
                let mut spec =
                    crate::domain::ReportSpec::new(crate::domain::ReportKind::InventoryMovements);
                spec.product = Some(p.sku.clone());
                ctx.send(Command::Export(spec, crate::export::Format::Csv));
            }
            if ui.button("Edit…").clicked() {
                self.form = Some(ProductForm::new(
                    Some(p.id),
                    ProductDraft::from_product(&p, currency),
                ));
            }
            let words = ArchiveWords {
                hint: "Hide this product from the list; its sales stay.",
                archived: "Product archived. Tick \"Show archived\" to see it.",
                restored: "Product restored to the list.",
            };
            if archive_or_delete(ui, ctx, p.archived, ordered, &words, |tx, on| {
                products::set_archived(tx, p.id, on)
            }) {
                self.confirm_delete = Some((p.id, p.name.clone()));
            }
        });
        ui.add_space(4.0);
        // A product the list no longer shows (a delivery took it above its
        // reorder level under "Low stock only") keeps its detail open, and
        // a month-end tryout, clicking where the next row had been, put
        // that row's delivery on it: the detail says it is not listed.
        let key = (ctx.generation, p.id, self.list.query.clone());
        if self.listed.as_ref().is_none_or(|(k, _)| *k != key) {
            let listed =
                products::matches(ctx.store.conn(), &self.list.query, p.id).unwrap_or(true);
            self.listed = Some((key, listed));
        }
        if self.listed.as_ref().is_some_and(|(_, listed)| !listed) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Not in the list as it is searched and filtered now.",
            );
        }
        if p.archived {
            ui.label(RichText::new("Archived").italics());
        }
        egui::Grid::new("product_facts")
            .num_columns(2)
            .max_col_width(crate::ui::widgets::layout::facts_width(ui))
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                ui.weak("SKU");
                ui.label(&p.sku);
                ui.end_row();
                if let Some(c) = &p.category {
                    ui.weak("Category");
                    ui.label(c);
                    ui.end_row();
                }
                ui.weak("Price / cost");
                ui.label(format!(
                    "{} / {}",
                    currency.format(p.price),
                    currency.format(p.cost)
                ));
                ui.end_row();
                ui.weak("Tax rate");
                ui.label(tax_rate.as_deref().unwrap_or("No tax"));
                ui.end_row();
                ui.weak("Sold");
                // Said on the line itself for a taxed product (only its
                // hover said so, and a tryout read it as with tax).
                ui.label(format!(
                    "{} in {}, {}{}",
                    count(sales.units, "unit", "units"),
                    count(sales.orders, "order", "orders"),
                    currency.format(sales.revenue),
                    if tax_rate.is_some() { " without tax" } else { "" }
                ))
                .on_hover_text("Revenue as sold: after discounts, without tax or shipping");
                ui.end_row();
                if sales.refunded_units != 0 || sales.refunded.0 != 0 {
                    ui.weak("Refunded");
                    ui.label(format!(
                        "{}, {}{}",
                        count(sales.refunded_units, "unit", "units"),
                        currency.format(sales.refunded),
                        if tax_rate.is_some() { " without tax" } else { "" }
                    ))
                    .on_hover_text("What refunds of these orders gave back: Sold less this is its revenue in Top products and Margin");
                    ui.end_row();
                }
                ui.weak("In stock");
                if !p.track_stock {
                    ui.label("Not tracked (its orders move no stock)");
                } else if p.is_low() {
                    ui.colored_label(
                        warn_color(ui),
                        format!("{} (reorder level {})", thousands(p.stock), p.reorder_level),
                    );
                } else {
                    ui.label(format!(
                        "{} (reorder level {})",
                        thousands(p.stock),
                        p.reorder_level
                    ));
                }
                ui.end_row();
                if let Some(d) = &p.description {
                    ui.weak("Description");
                    ui.label(d);
                    ui.end_row();
                }
            });
        ui.add_space(4.0);
        self.changes
            .ui(ui, ctx.store, Entity::Product, p.id, ctx.generation);
        ui.separator();
        self.sales_ui(ui, ctx, p.id);
        ui.separator();
        ui.strong("Stock movements");
        let store = &*ctx.store;
        self.movements.sync(&p.id, ctx.generation, |id| {
            stock::movement_count(store.conn(), *id)
        });
        if self.movements.total() == 0 {
            ui.weak("No stock movements yet.");
            return;
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let movements = &mut self.movements;
        TableBuilder::new(ui)
            .id_salt("product_movements")
            .striped(true)
            // Narrow counts, so that the reason has room ("Opening st…"
            // was all a tryout read of it at 1366).
            .column(Column::auto().at_least(115.0))
            .column(Column::auto().at_least(50.0))
            .column(Column::auto().at_least(40.0))
            .column(Column::remainder().at_least(80.0))
            .header(row_height, |mut h| {
                for (label, hint) in [
                    ("When", None),
                    ("Change", None),
                    ("Stock", Some("The stock after this movement")),
                    ("Why", None),
                ] {
                    h.col(|ui| {
                        let r = ui.strong(label);
                        if let Some(hint) = hint {
                            r.on_hover_text(hint);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, movements.total(), |mut row| {
                    let Some(m) = movements.get(row.index(), |offset, limit| {
                        stock::movements_page(store.conn(), p.id, offset, limit)
                    }) else {
                        return;
                    };
                    let m = m.clone();
                    row.col(|ui| {
                        let when = date_text(m.created_at.get(..16).unwrap_or(&m.created_at));
                        ui.add(egui::Label::new(when).extend());
                    });
                    row.col(|ui| {
                        ui.label(format!("{:+}", m.change));
                    });
                    row.col(|ui| {
                        ui.label(thousands(m.stock_after));
                    });
                    row.col(|ui| {
                        let mut why = m.reason.label().to_owned();
                        if let Some(o) = m.order_id {
                            why = format!("{why} {}", order_number(o));
                        }
                        if let Some(n) = &m.note {
                            why = format!("{why}: {n}");
                        }
                        ui.add(egui::Label::new(why).truncate());
                    });
                });
            });
    }

    /// The product's order lines, newest first, each with its order's
    /// status (cancelled and returned ones too; "Sold" counts only sales);
    /// a click opens the order.
    fn sales_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx, product_id: i64) {
        ui.strong("Sales");
        let store = &*ctx.store;
        let currency = &ctx.settings.currency;
        self.sales.sync(&product_id, ctx.generation, |id| {
            products::product_sale_count(store.conn(), *id)
        });
        if self.sales.total() == 0 {
            ui.weak("Not sold yet.");
            return;
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        let sales = &mut self.sales;
        let mut open = None;
        ui.style_mut().interaction.selectable_labels = false;
        TableBuilder::new(ui)
            .id_salt("product_sales")
            .striped(true)
            // A click on the row opens its order; the number is the one
            // stop for Tab (each cell was one), Enter on it opens it too.
            .sense(list::row_sense())
            .max_scroll_height(220.0)
            .column(Column::auto().at_least(70.0))
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(70.0))
            .column(Column::auto().at_least(30.0))
            .column(Column::auto().at_least(60.0))
            .column(Column::remainder().at_least(80.0))
            .header(row_height, |mut h| {
                for label in ["Order", "Date", "Status", "Qty", "Price", "Customer"] {
                    h.col(|ui| {
                        ui.strong(label);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, sales.total(), |mut row| {
                    let Some(s) = sales.get(row.index(), |offset, limit| {
                        products::product_sale_page(store.conn(), product_id, offset, limit)
                    }) else {
                        return;
                    };
                    let s = s.clone();
                    row.col(|ui| {
                        if ui.link(order_number(s.order_id)).clicked() {
                            open = Some(s.order_id);
                        }
                    });
                    row.col(|ui| {
                        ui.label(date_text(&s.order_date));
                    });
                    // Every line is listed; only sales count in "Sold" above.
                    row.col(|ui| {
                        if s.status.is_sale() {
                            ui.label(s.status.label());
                        } else {
                            ui.weak(s.status.label());
                        }
                    });
                    row.col(|ui| {
                        ui.label(s.quantity.to_string());
                    });
                    row.col(|ui| {
                        ui.label(currency.format(s.unit_price));
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&s.customer_name).truncate());
                    });
                    if row.response().clicked() {
                        open = Some(s.order_id);
                    }
                });
            });
        if let Some(id) = open {
            ctx.send(Command::Open(Open::Order(id)));
        }
    }

    fn confirm_delete_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some((id, name)) = &self.confirm_delete else {
            return;
        };
        let text = format!(
            "{name} and its stock history will be removed for good. This cannot be undone."
        );
        let answer = confirm(
            ui.ctx(),
            "confirm_delete_product",
            "Delete product?",
            &text,
            "Delete",
            "Keep",
        );
        if answer == Some(true)
            && ctx
                .write(
                    |tx| products::delete(tx, *id),
                    |_| "Product deleted.".into(),
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
