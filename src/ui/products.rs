//! The Products panel: the inventory table with low-stock rows marked, the
//! product detail with its stock movements, the create/edit form and the
//! "Adjust stock" dialog.

use egui::{Align, Layout, RichText};
use egui_extras::{Column, TableBuilder};

use super::app::commands::{Command, Open, Panel, PanelCtx, View};
use super::widgets::form::{FormResult, UniqueCheck, confirm, enter_pressed, text_row};
use super::widgets::list::{self, List, ListQuery, detail_heading, search_box};
use super::widgets::{Paged, detail_panel, num_cell, sort_header, thousands, warn_color};
use crate::domain::{FieldErrors, MovementReason, NewProduct, Product, ProductDraft, parse_count};
use crate::store::StoreError;
use crate::store::orders::{self, ProductSale, ProductSales, order_number};
use crate::store::products::{self, ProductQuery, ProductSort};
use crate::store::stock::{self, Movement};

impl ListQuery for ProductQuery {
    type Row = Product;
    const WHAT: &'static str = "products";

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
}

impl View for ProductsPanel {
    fn id(&self) -> Panel {
        Panel::Products
    }

    /// Draws the panel into the window's remaining space: the detail on the
    /// right when a product is selected, the list in the centre.
    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        if self.list.selected().is_some() {
            detail_panel(ui, "product_detail", 340.0, |ui| self.detail_ui(ui, ctx));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.toolbar_ui(ui, ctx);
            ui.separator();
            let to_top = self.list.sync(ui, ctx);
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
        ui.horizontal(|ui| {
            ui.heading("Products");
            if ui.button("New product").clicked() {
                self.form = Some(ProductForm::new(
                    None,
                    ProductDraft::new_with_reorder_level(ctx.settings.default_reorder_level),
                ));
            }
            ui.add_space(12.0);
            let query = &mut self.list.query;
            search_box(ui, &mut query.search, "Search SKU, name or category");
            ui.checkbox(&mut query.low_only, "Low stock only");
            ui.checkbox(&mut query.show_archived, "Show archived");
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
        let selected = self.list.selected();
        let rows = &mut self.list.rows;
        let warn = warn_color(ui);
        let mut table = TableBuilder::new(ui);
        if to_top {
            table = table.vertical_scroll_offset(0.0);
        }
        table
            .id_salt("products_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(Layout::left_to_right(Align::Center))
            .column(Column::initial(110.0).at_least(60.0).clip(true))
            .column(Column::initial(220.0).at_least(80.0).clip(true))
            .column(Column::initial(130.0).at_least(60.0).clip(true))
            .column(Column::initial(90.0).at_least(60.0))
            .column(Column::initial(90.0).at_least(60.0))
            .column(Column::remainder().at_least(90.0))
            .header(row_height + 4.0, |mut header| {
                for (label, key) in [
                    ("SKU", ProductSort::Sku),
                    ("Name", ProductSort::Name),
                    ("Category", ProductSort::Category),
                    ("Price", ProductSort::Price),
                    ("Stock", ProductSort::Stock),
                    ("Reorder level", ProductSort::ReorderLevel),
                ] {
                    header.col(|ui| {
                        sort_header(ui, label, key, &mut sort, &mut direction);
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
                    row.set_selected(selected == Some(p.id));
                    let low = p.is_low();
                    let style = |s: String| {
                        let t = RichText::new(s);
                        if p.archived { t.weak() } else { t }
                    };
                    row.col(|ui| {
                        ui.label(style(p.sku.clone()));
                    });
                    row.col(|ui| {
                        ui.label(style(p.name.clone()));
                        if p.archived {
                            ui.weak("(archived)");
                        }
                    });
                    row.col(|ui| {
                        ui.label(style(p.category.clone().unwrap_or_default()));
                    });
                    row.col(|ui| {
                        num_cell(ui, style(currency.format(p.price)));
                    });
                    row.col(|ui| {
                        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                            ui.add_space(10.0);
                            if low {
                                ui.label(RichText::new(thousands(p.stock)).color(warn).strong())
                                    .on_hover_text(
                                        "At or below the reorder level: time to order more.",
                                    );
                                ui.label(RichText::new("⚠ low").color(warn).small());
                            } else {
                                ui.label(style(thousands(p.stock)));
                            }
                        });
                    });
                    row.col(|ui| {
                        num_cell(ui, style(thousands(p.reorder_level)));
                    });
                    if row.response().clicked() {
                        clicked = Some(p.id);
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
        let Some(Detail {
            product: p,
            sales,
            ordered,
        }) = self.list.detail(ui, ctx, |conn, id| {
            Ok(Detail {
                product: products::get(conn, id)?,
                sales: orders::product_sales(conn, id)?,
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
        if p.archived {
            ui.label(RichText::new("Archived").italics());
        }
        egui::Grid::new("product_facts")
            .num_columns(2)
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
                ui.weak("Sold");
                ui.label(format!(
                    "{} units in {} orders, {}",
                    thousands(sales.units),
                    thousands(sales.orders),
                    currency.format(sales.revenue)
                ));
                ui.end_row();
                ui.weak("In stock");
                if p.is_low() {
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
        ui.add_space(6.0);
        ui.horizontal_wrapped(|ui| {
            if ui.button("Adjust stock…").clicked() {
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
            if p.archived {
                if ui.button("Unarchive").clicked() {
                    ctx.write(
                        |tx| products::set_archived(tx, p.id, false),
                        |_| "Product restored to the list.".into(),
                    );
                }
            } else if ordered {
                if ui
                    .button("Archive")
                    .on_hover_text("Hide this product from the list; its sales stay.")
                    .clicked()
                {
                    ctx.write(
                        |tx| products::set_archived(tx, p.id, true),
                        |_| "Product archived. Tick \"Show archived\" to see it.".into(),
                    );
                }
            } else if ui.button("Delete…").clicked() {
                self.confirm_delete = Some((p.id, p.name.clone()));
            }
        });
        self.changes
            .ui(ui, ctx.store, "product", p.id, ctx.generation);
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
            .column(Column::auto().at_least(120.0))
            .column(Column::auto().at_least(50.0))
            .column(Column::auto().at_least(70.0))
            .column(Column::remainder().at_least(80.0))
            .header(row_height, |mut h| {
                for label in ["When", "Change", "Stock after", "Why"] {
                    h.col(|ui| {
                        ui.strong(label);
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
                        ui.label(m.created_at.get(..16).unwrap_or(&m.created_at));
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

    /// The product's order lines, newest first; a click opens the order.
    fn sales_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx, product_id: i64) {
        ui.strong("Sales");
        let store = &*ctx.store;
        let currency = &ctx.settings.currency;
        self.sales.sync(&product_id, ctx.generation, |id| {
            orders::product_sale_count(store.conn(), *id)
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
            .sense(egui::Sense::click())
            .max_scroll_height(220.0)
            .column(Column::auto().at_least(70.0))
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(30.0))
            .column(Column::auto().at_least(60.0))
            .column(Column::remainder().at_least(80.0))
            .header(row_height, |mut h| {
                for label in ["Order", "Date", "Qty", "Price", "Customer"] {
                    h.col(|ui| {
                        ui.strong(label);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, sales.total(), |mut row| {
                    let Some(s) = sales.get(row.index(), |offset, limit| {
                        orders::product_sale_page(store.conn(), product_id, offset, limit)
                    }) else {
                        return;
                    };
                    let s = s.clone();
                    row.col(|ui| {
                        ui.label(order_number(s.order_id));
                    });
                    row.col(|ui| {
                        ui.label(&s.order_date);
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
                    if row.response().on_hover_text(s.status.label()).clicked() {
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

struct ProductForm {
    id: Option<i64>,
    draft: ProductDraft,
    touched: Vec<&'static str>,
    sku_check: UniqueCheck,
    store_errors: FieldErrors,
    error: Option<String>,
    focus_pending: bool,
}

impl ProductForm {
    fn new(id: Option<i64>, draft: ProductDraft) -> Self {
        ProductForm {
            id,
            draft,
            touched: Vec::new(),
            sku_check: UniqueCheck::default(),
            store_errors: FieldErrors::default(),
            error: None,
            focus_pending: true,
        }
    }

    fn errors(&mut self, ctx: &PanelCtx) -> (Result<NewProduct, FieldErrors>, FieldErrors) {
        let validated = self.draft.validate(&ctx.settings.currency);
        let mut errors = validated.clone().err().unwrap_or_default();
        self.sku_check.check(
            &mut errors,
            "sku",
            &self.draft.sku,
            "another product already has this SKU",
            |sku| products::sku_taken(ctx.store.conn(), sku, self.id),
        );
        for (field, message) in &self.store_errors.0 {
            if errors.get(field).is_none() {
                errors.add(field, message.clone());
            }
        }
        (validated, errors)
    }

    fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> FormResult {
        let mut result = FormResult::Open;
        let title = if self.id.is_some() {
            "Edit product"
        } else {
            "New product"
        };
        let symbol = ctx.settings.currency.symbol.clone();
        let modal = egui::Modal::new(egui::Id::unique("product_form")).show(ectx, |ui| {
            ui.set_width(480.0);
            ui.heading(title);
            ui.add_space(8.0);
            let (validated, errors) = self.errors(ctx);
            let before = self.draft.clone();
            egui::Grid::new("product_form_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let t = &mut self.touched;
                    let d = &mut self.draft;
                    let sku = text_row(ui, "SKU", "sku", &mut d.sku, &errors, t, "MUG-001");
                    if std::mem::take(&mut self.focus_pending) {
                        sku.request_focus();
                    }
                    text_row(ui, "Name", "name", &mut d.name, &errors, t, "Blue mug");
                    text_row(
                        ui,
                        "Category",
                        "category",
                        &mut d.category,
                        &errors,
                        t,
                        "Kitchen",
                    );
                    text_row(
                        ui,
                        &format!("Price ({symbol})"),
                        "price",
                        &mut d.price,
                        &errors,
                        t,
                        "12.50",
                    );
                    text_row(
                        ui,
                        &format!("Cost ({symbol})"),
                        "cost",
                        &mut d.cost,
                        &errors,
                        t,
                        "what you pay; optional",
                    );
                    if self.id.is_none() {
                        text_row(ui, "Opening stock", "stock", &mut d.stock, &errors, t, "0");
                    } else {
                        ui.label("Stock");
                        ui.weak(format!("{} (change it with Adjust stock)", d.stock));
                        ui.end_row();
                    }
                    text_row(
                        ui,
                        "Reorder level",
                        "reorder_level",
                        &mut d.reorder_level,
                        &errors,
                        t,
                        "5",
                    );
                    text_row(
                        ui,
                        "Description",
                        "description",
                        &mut d.description,
                        &errors,
                        t,
                        "optional",
                    );
                });
            if self.draft != before {
                self.store_errors = FieldErrors::default();
                self.error = None;
            }
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(8.0);
            let valid = validated.is_ok() && errors.is_empty();
            ui.horizontal(|ui| {
                let save = ui
                    .add_enabled(valid, egui::Button::new("Save"))
                    .on_disabled_hover_text("Fix the fields marked in red first.");
                let enter = enter_pressed(ui);
                if enter && !valid {
                    self.touched.extend(errors.0.iter().map(|(f, _)| *f));
                }
                if (save.clicked() || enter)
                    && valid
                    && let Ok(new) = &validated
                {
                    let id = self.id;
                    let saved = ctx.write_or_return(
                        |tx| match id {
                            Some(id) => products::update(tx, id, new).map(|()| id),
                            None => products::insert(tx, new),
                        },
                        |_| format!("Saved {} ({}).", new.name, new.sku),
                    );
                    match saved {
                        Ok(id) => result = FormResult::Saved(id),
                        Err(StoreError::Invalid(e)) => {
                            self.touched.extend(e.0.iter().map(|(f, _)| *f));
                            self.store_errors = e;
                        }
                        Err(e) => self.error = Some(e.to_string()),
                    }
                }
                if ui.button("Cancel").clicked() {
                    result = FormResult::Cancelled;
                }
            });
        });
        if modal.should_close() && matches!(result, FormResult::Open) {
            result = FormResult::Cancelled;
        }
        result
    }
}

/// "Adjust stock": a signed quantity, a reason and a note.
struct AdjustForm {
    product_id: i64,
    name: String,
    stock: i64,
    quantity: String,
    reason: MovementReason,
    note: String,
    touched: bool,
    error: Option<String>,
    focus_pending: bool,
}

impl AdjustForm {
    fn new(p: &Product) -> Self {
        AdjustForm {
            product_id: p.id,
            name: p.name.clone(),
            stock: p.stock,
            quantity: String::new(),
            reason: MovementReason::Received,
            note: String::new(),
            touched: false,
            error: None,
            focus_pending: true,
        }
    }

    fn check(&self) -> Result<i64, String> {
        let change = parse_count(&self.quantity, true)?;
        if change == 0 {
            return Err("enter how many came in (12) or went out (-3)".into());
        }
        if self.stock + change < 0 {
            return Err(format!(
                "only {} in stock; cannot take out {}",
                self.stock, -change
            ));
        }
        Ok(change)
    }

    /// Returns true when the dialog is done (saved or cancelled).
    fn ui(&mut self, ectx: &egui::Context, ctx: &mut PanelCtx) -> bool {
        let mut done = false;
        let modal = egui::Modal::new(egui::Id::unique("adjust_stock")).show(ectx, |ui| {
            ui.set_width(420.0);
            ui.heading(format!("Adjust stock: {}", self.name));
            ui.add_space(8.0);
            let checked = self.check();
            egui::Grid::new("adjust_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let label_id = ui.label("Quantity").id;
                    ui.vertical(|ui| {
                        let r = ui.add(
                            egui::TextEdit::singleline(&mut self.quantity)
                                .hint_text("12 in, or -3 out")
                                .desired_width(120.0),
                        );
                        let r = r.labelled_by(label_id);
                        if std::mem::take(&mut self.focus_pending) {
                            r.request_focus();
                        }
                        if r.changed() {
                            self.touched = true;
                            self.error = None;
                        }
                        if self.touched
                            && let Err(e) = &checked
                        {
                            ui.colored_label(ui.visuals().error_fg_color, e);
                        }
                    });
                    ui.end_row();
                    let label_id = ui.label("Reason").id;
                    egui::ComboBox::from_id_salt("adjust_reason")
                        .selected_text(self.reason.label())
                        .show_ui(ui, |ui| {
                            for r in MovementReason::MANUAL {
                                ui.selectable_value(&mut self.reason, r, r.label());
                            }
                        })
                        .response
                        .labelled_by(label_id);
                    ui.end_row();
                    let label_id = ui.label("Note").id;
                    ui.add(
                        egui::TextEdit::singleline(&mut self.note)
                            .hint_text("optional")
                            .desired_width(240.0),
                    )
                    .labelled_by(label_id);
                    ui.end_row();
                    ui.label("Stock");
                    match &checked {
                        Ok(change) => ui.label(format!(
                            "New stock: {} (was {})",
                            self.stock + change,
                            self.stock
                        )),
                        Err(_) => ui.label(self.stock.to_string()),
                    };
                    ui.end_row();
                });
            if let Some(e) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let save = ui.add_enabled(checked.is_ok(), egui::Button::new("Save"));
                let enter = enter_pressed(ui);
                if enter {
                    self.touched = true;
                }
                if (save.clicked() || enter)
                    && let Ok(change) = checked
                {
                    let note = self.note.trim();
                    let note = (!note.is_empty()).then_some(note);
                    let (id, reason, name) = (self.product_id, self.reason, &self.name);
                    match ctx.write_or_return(
                        |tx| stock::adjust(tx, id, change, reason, note),
                        |after| format!("Stock of {name} is now {after}."),
                    ) {
                        Ok(_) => done = true,
                        Err(e) => self.error = Some(e.to_string()),
                    }
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
        done || modal.should_close()
    }
}
