//! The Products panel: the inventory table with low-stock rows marked, the
//! product detail with its stock movements, the create/edit form and the
//! "Adjust stock" dialog.

use egui::{Align, Layout, RichText};
use egui_extras::{Column, TableBuilder};

use super::app::{Command, PanelCtx};
use super::customers::write;
use super::widgets::form::{enter_pressed, text_row};
use super::widgets::{
    Paged, detail_panel, num_cell, read_error, sort_header, thousands, warn_color,
};
use crate::domain::{FieldErrors, MovementReason, NewProduct, Product, ProductDraft, parse_count};
use crate::store::StoreError;
use crate::store::orders::{self, ProductSale, ProductSales, order_number};
use crate::store::products::{self, ProductQuery, ProductSort};
use crate::store::stock::{self, Movement};

#[derive(Default)]
pub struct ProductsPanel {
    query: ProductQuery,
    rows: Paged<ProductQuery, Product>,
    selected: Option<i64>,
    detail: Option<(u64, Product, ProductSales, bool)>,
    changes: super::widgets::ChangeLog,
    sales: Paged<i64, ProductSale>,
    movements: Paged<i64, Movement>,
    form: Option<ProductForm>,
    adjust: Option<AdjustForm>,
    confirm_delete: Option<(i64, String)>,
}

impl ProductsPanel {
    /// Draws the panel into the window's remaining space: the detail on the
    /// right when a product is selected, the list in the centre.
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        if self.selected.is_some() {
            detail_panel(ui, "product_detail", 340.0, |ui| self.detail_ui(ui, ctx));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            self.toolbar_ui(ui, ctx);
            ui.separator();
            let to_top = {
                let store = &*ctx.store;
                self.rows.sync_background(
                    &self.query,
                    ctx.generation,
                    store,
                    ui.ctx(),
                    ctx.search_wait,
                    load,
                )
            };
            read_error(ui, "products", self.rows.error());
            egui::ScrollArea::horizontal()
                .id_salt("product_table_hscroll")
                .show(ui, |ui| self.table_ui(ui, ctx, to_top));
        });
        if let Some(form) = &mut self.form {
            match form.ui(ui.ctx(), ctx) {
                FormResult::Open => {}
                FormResult::Cancelled => self.form = None,
                FormResult::Saved(id) => {
                    self.form = None;
                    self.selected = Some(id);
                }
            }
        }
        if let Some(adjust) = &mut self.adjust
            && adjust.ui(ui.ctx(), ctx)
        {
            self.adjust = None;
        }
        self.confirm_delete_ui(ui, ctx);
    }

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
            let label = ui.label("Search").id;
            ui.add(
                egui::TextEdit::singleline(&mut self.query.search)
                    .hint_text("Search SKU, name or category")
                    .desired_width(220.0),
            )
            .labelled_by(label);
            if !self.query.search.is_empty()
                && ui
                    .small_button("×")
                    .on_hover_text("Clear the search")
                    .clicked()
            {
                self.query.search.clear();
            }
            ui.checkbox(&mut self.query.low_only, "Low stock only");
            ui.checkbox(&mut self.query.show_archived, "Show archived");
            ui.weak(format!("{} shown", thousands(self.rows.total() as i64)));
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx, to_top: bool) {
        let store = &*ctx.store;
        let currency = &ctx.settings.currency;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        // A click anywhere on a row selects it (text in cells is not selectable).
        ui.style_mut().interaction.selectable_labels = false;
        let query = self.query.clone();
        let (mut sort, mut direction) = (self.query.sort, self.query.direction);
        let mut clicked = None;
        let total = self.rows.total();
        let rows = &mut self.rows;
        let selected = self.selected;
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
                    let Some(p) = rows.get(row.index(), |offset, limit| {
                        products::page(store.conn(), &query, offset, limit)
                    }) else {
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
        self.query.sort = sort;
        self.query.direction = direction;
        if let Some(id) = clicked {
            self.selected = Some(id);
        }
    }

    fn detail_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some(id) = self.selected else { return };
        if self
            .detail
            .as_ref()
            .is_none_or(|(g, p, _, _)| *g != ctx.generation || p.id != id)
        {
            let conn = ctx.store.conn();
            let read = products::get(conn, id).and_then(|p| {
                Ok((
                    orders::product_sales(conn, id)?,
                    products::was_ordered(conn, id)?,
                    p,
                ))
            });
            match read {
                Ok((sales, ordered, p)) => self.detail = Some((ctx.generation, p, sales, ordered)),
                Err(StoreError::NotFound(_)) => {
                    self.selected = None;
                    self.detail = None;
                    return;
                }
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e.to_string());
                    return;
                }
            }
        }
        let Some((_, p, sales, ordered)) = self.detail.clone() else {
            return;
        };
        let currency = &ctx.settings.currency;
        ui.horizontal(|ui| {
            ui.heading(&p.name);
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                if ui.small_button("×").on_hover_text("Close").clicked() {
                    self.selected = None;
                }
            });
        });
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
                    write(
                        ctx,
                        |tx| products::set_archived(tx, p.id, false),
                        "Product restored to the list.",
                    );
                }
            } else if ordered {
                if ui
                    .button("Archive")
                    .on_hover_text("Hide this product from the list; its sales stay.")
                    .clicked()
                {
                    write(
                        ctx,
                        |tx| products::set_archived(tx, p.id, true),
                        "Product archived. Tick \"Show archived\" to see it.",
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
            ctx.send(Command::OpenOrder(id));
        }
    }

    fn confirm_delete_ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        let Some((id, name)) = self.confirm_delete.clone() else {
            return;
        };
        let mut close = false;
        let modal =
            egui::Modal::new(egui::Id::unique("confirm_delete_product")).show(ui.ctx(), |ui| {
                ui.set_width(380.0);
                ui.heading("Delete product?");
                ui.label(format!(
                    "{name} and its stock history will be removed for good. This cannot be undone."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Delete").clicked() {
                        if write(ctx, |tx| products::delete(tx, id), "Product deleted.") {
                            self.selected = None;
                        }
                        close = true;
                    }
                    if ui.button("Keep").clicked() {
                        close = true;
                    }
                });
            });
        if close || modal.should_close() {
            self.confirm_delete = None;
        }
    }
}

enum FormResult {
    Open,
    Cancelled,
    Saved(i64),
}

struct ProductForm {
    id: Option<i64>,
    draft: ProductDraft,
    touched: Vec<&'static str>,
    sku_check: Option<(String, bool)>,
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
            sku_check: None,
            store_errors: FieldErrors::default(),
            error: None,
            focus_pending: true,
        }
    }

    fn errors(&mut self, ctx: &PanelCtx) -> (Result<NewProduct, FieldErrors>, FieldErrors) {
        let validated = self.draft.validate(&ctx.settings.currency);
        let mut errors = validated.clone().err().unwrap_or_default();
        let sku = self.draft.sku.trim().to_owned();
        if !sku.is_empty() && errors.get("sku").is_none() {
            if self.sku_check.as_ref().is_none_or(|(s, _)| *s != sku) {
                let taken = products::sku_taken(ctx.store.conn(), &sku, self.id).unwrap_or(false);
                self.sku_check = Some((sku, taken));
            }
            if self.sku_check.as_ref().is_some_and(|(_, taken)| *taken) {
                errors.add("sku", "another product already has this SKU");
            }
        }
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
                    let saved = match self.id {
                        Some(id) => ctx
                            .store
                            .write(|tx| products::update(tx, id, new))
                            .map(|()| id),
                        None => ctx.store.write(|tx| products::insert(tx, new)),
                    };
                    match saved {
                        Ok(id) => {
                            ctx.send(Command::DataChanged);
                            ctx.send(Command::Info(format!("Saved {} ({}).", new.name, new.sku)));
                            result = FormResult::Saved(id);
                        }
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
                    match ctx
                        .store
                        .write(|tx| stock::adjust(tx, self.product_id, change, self.reason, note))
                    {
                        Ok(after) => {
                            ctx.send(Command::DataChanged);
                            ctx.send(Command::Info(format!(
                                "Stock of {} is now {after}.",
                                self.name
                            )));
                            done = true;
                        }
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

/// A query's count and first page, read by the list's background reader.
fn load(
    store: &crate::store::Store,
    q: &ProductQuery,
    limit: usize,
) -> Result<(usize, Vec<Product>), crate::store::StoreError> {
    let n = products::count(store.conn(), q)?;
    Ok((n, products::page(store.conn(), q, 0, limit)?))
}
