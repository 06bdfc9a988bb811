//! WooCommerce's built-in product CSV exporter (Products > Export). Simple,
//! external and variation rows become products; a variable or grouped
//! product's own row only lends its name and description to its variations
//! (found by their Parent, "id:123" or the parent's SKU). A variation
//! without a name is "Parent - attribute values". A product without a SKU
//! gets "woo-" and its ID. The regular price is the price; HTML (with
//! WooCommerce's written "\n") becomes text. A virtual, downloadable or
//! external product, or one whose stock WooCommerce does not manage (an
//! empty Stock), does not track stock.

use std::collections::HashMap;

use super::cols::{Col, Cols, col, needed};
use super::shopify_products::{ProductIn, amount, write_products};
use super::{Mapping, rows};
use crate::domain::ProductDraft;
use crate::import::{CsvIn, ImportError, ImportOptions, ImportSummary, Problems};
use crate::store::{self, Store};

const ID: usize = 0;
const TYPE: usize = 1;
const SKU: usize = 2;
const NAME: usize = 3;
const SHORT: usize = 4;
const DESCRIPTION: usize = 5;
const STOCK: usize = 6;
const SALE: usize = 7;
const REGULAR: usize = 8;
const CATEGORIES: usize = 9;
const PARENT: usize = 10;
const ATTRIBUTES: [usize; 3] = [11, 12, 13];
const TAX_STATUS: usize = 14;
const TAX_CLASS: usize = 15;
const LOW_STOCK: usize = 16;

pub(super) const COLUMNS: &[Col] = &[
    col(&["ID"], "sku"),
    needed(&["Type"], "does not track stock"),
    needed(&["SKU"], "sku"),
    needed(&["Name"], "name"),
    col(&["Short description"], "description"),
    col(&["Description"], "description"),
    col(&["Stock"], "stock"),
    col(&["Sale price"], "ignored (the regular price is the price)"),
    needed(&["Regular price"], "price"),
    col(&["Categories"], "category"),
    col(&["Parent"], "name"),
    col(&["Attribute 1 value(s)"], "name"),
    col(&["Attribute 2 value(s)"], "name"),
    col(&["Attribute 3 value(s)"], "name"),
    col(&["Tax status"], "tax rate"),
    col(&["Tax class"], "tax rate"),
    col(&["Low stock amount"], "reorder level"),
];

/// A row's own values, kept until every row is read (a variation's parent
/// may come after it).
struct Row {
    line: u64,
    id: String,
    types: Vec<String>,
    sku: String,
    name: String,
    description: String,
    stock: String,
    price: String,
    category: String,
    parent: String,
    values: Vec<String>,
    /// "taxable", "shipping" or "none" (empty in a variation: its parent's).
    tax_status: String,
    /// "" (standard), "reduced-rate", "zero-rate" or a class of the shop's
    /// own ("parent" or empty in a variation: its parent's).
    tax_class: String,
    /// WooCommerce's "Low stock amount" (empty: the store's own, so the
    /// shop's default reorder level).
    low_stock: String,
}

fn description(c: &Cols, r: &csv::StringRecord) -> String {
    let text = match c.get(DESCRIPTION, r) {
        "" => c.get(SHORT, r),
        d => d,
    };
    super::html::to_text(&text.replace("\\n", "\n"))
}

/// The first category ("Clothing > Hoodies, Sale" gives "Clothing >
/// Hoodies"; WooCommerce writes a comma inside a name as "\,").
fn first_category(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' if chars.peek() == Some(&',') => {
                out.push(',');
                chars.next();
            }
            ',' => break,
            _ => out.push(ch),
        }
    }
    out.trim().to_owned()
}

pub(super) fn preview_notes(c: &Cols, rows: &[(u64, Vec<String>)]) -> Vec<String> {
    let mut notes = vec![
        "Simple products and variations become products (a variable product's own row is not \
         one); the regular price is the price; an empty Stock means WooCommerce does not \
         manage it, so the product does not track stock."
            .to_owned(),
        super::shopify_products::UNTAXED_NOTE.to_owned(),
    ];
    for (line, row) in rows {
        if c.cell(SKU, row).is_empty() && !c.cell(ID, row).is_empty() {
            notes.push(format!(
                "line {line}: no SKU, so its SKU will be woo-{}",
                c.cell(ID, row)
            ));
        }
    }
    notes
}

pub(super) fn import(
    store: &mut Store,
    csv: &mut CsvIn,
    c: &Cols,
    width: &Mapping,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    let currency = store::settings::currency(store.conn())?.plain_style();
    let reorder = store::settings::load(store.conn())?.default_reorder_level;
    let mut problems = Problems::default();
    let mut all: Vec<Row> = Vec::new();
    let mut on_sale = 0i64;
    rows(csv, width, &mut problems, progress, |line, r, problems| {
        on_sale += i64::from(!c.get(SALE, r).is_empty());
        all.push(Row {
            line,
            id: c.get(ID, r).to_owned(),
            types: c
                .get(TYPE, r)
                .split(',')
                .map(|t| t.trim().to_ascii_lowercase())
                .collect(),
            sku: super::shopify_customers::our_sku(c.get(SKU, r)),
            name: c.get(NAME, r).to_owned(),
            description: description(c, r),
            stock: c.get(STOCK, r).to_owned(),
            price: amount(&currency, c, REGULAR, r, line, problems),
            category: first_category(c.get(CATEGORIES, r)),
            parent: c.get(PARENT, r).to_owned(),
            values: ATTRIBUTES
                .iter()
                .map(|&a| c.get(a, r).to_owned())
                .filter(|v| !v.is_empty())
                .collect(),
            tax_status: c.get(TAX_STATUS, r).trim().to_ascii_lowercase(),
            tax_class: c.get(TAX_CLASS, r).trim().to_ascii_lowercase(),
            low_stock: c.get(LOW_STOCK, r).trim().to_owned(),
        });
    })?;
    let by_id: HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.id.is_empty())
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let by_sku: HashMap<&str, usize> = all
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.sku.is_empty())
        .map(|(i, r)| (r.sku.as_str(), i))
        .collect();
    let mut list = Vec::new();
    for r in &all {
        let is = |t: &str| r.types.iter().any(|x| x == t);
        if is("variable") || is("grouped") {
            continue;
        }
        let parent = if r.parent.is_empty() {
            None
        } else {
            let found = match r.parent.strip_prefix("id:") {
                Some(id) => by_id.get(id.trim()),
                None => by_sku.get(r.parent.as_str()),
            };
            match found {
                Some(&p) => Some(&all[p]),
                None => {
                    problems.add(
                        r.line,
                        c.name(PARENT),
                        format!(
                            "no row of this file is the product {}; export the parent product too",
                            crate::import::echo(&r.parent)
                        ),
                    );
                    continue;
                }
            }
        };
        let name = match (r.name.as_str(), parent) {
            ("", Some(p)) => format!("{} - {}", p.name, r.values.join(", ")),
            (n, _) => n.to_owned(),
        };
        let sku = match (r.sku.as_str(), r.id.as_str()) {
            ("", "") => String::new(),
            ("", id) => format!("woo-{id}"),
            (s, _) => s.to_owned(),
        };
        let untracked = is("virtual") || is("downloadable") || is("external") || r.stock.is_empty();
        // "none": WooCommerce charges no tax on it ("shipping": only its shipping).
        let untaxed = match (r.tax_status.as_str(), parent) {
            ("" | "parent", Some(p)) => p.tax_status == "none",
            (status, _) => status == "none",
        };
        // A variation's "parent" is its parent's class; empty is Standard.
        let tax_class = match (r.tax_class.as_str(), parent) {
            ("parent", Some(p)) => p.tax_class.clone(),
            ("parent", None) => String::new(),
            (class, _) => class.to_owned(),
        };
        let stock = match r.stock.strip_prefix('-') {
            Some(_) => "0".to_owned(),
            None if untracked => "0".to_owned(),
            None => r.stock.clone(),
        };
        let draft = ProductDraft {
            sku,
            name,
            category: match (r.category.as_str(), parent) {
                ("", Some(p)) => p.category.clone(),
                (cat, _) => cat.to_owned(),
            },
            description: match (r.description.as_str(), parent) {
                ("", Some(p)) => p.description.clone(),
                (d, _) => d.to_owned(),
            },
            price: r.price.clone(),
            cost: String::new(),
            stock,
            reorder_level: match (r.low_stock.as_str(), parent) {
                ("", Some(p)) if !p.low_stock.is_empty() => p.low_stock.clone(),
                ("", _) => reorder.to_string(),
                (own, _) => own.to_owned(),
            },
        };
        match draft.validate(&currency) {
            Ok(product) => list.push(ProductIn {
                line: r.line,
                product,
                archived: false,
                untracked,
                untaxed,
                tax_class,
            }),
            Err(errors) => {
                for (field, why) in &errors.0 {
                    let column = match *field {
                        "sku" => SKU,
                        "name" => NAME,
                        "price" => REGULAR,
                        "description" => DESCRIPTION,
                        "category" => CATEGORIES,
                        "reorder_level" => LOW_STOCK,
                        _ => STOCK,
                    };
                    let why = if *field == "sku" && r.id.is_empty() {
                        "a product needs a SKU or an ID".to_owned()
                    } else {
                        why.clone()
                    };
                    problems.add(r.line, c.name(column), why);
                }
            }
        }
    }
    let mut notes = Vec::new();
    if on_sale > 0 {
        notes.push(format!(
            "{} a sale price; the regular price was taken.",
            crate::domain::format::count(on_sale, "row has", "rows have")
        ));
    }
    write_products(
        store,
        csv,
        list,
        problems,
        options,
        "WooCommerce",
        c.name(SKU),
        notes,
    )
}
