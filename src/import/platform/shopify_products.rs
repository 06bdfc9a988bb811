//! Shopify's products export (Products > Export). A product's first row
//! (by its Handle) holds its title, description, type and options; it and
//! every row that continues the handle with a price are its variants, each
//! a product of ours named "Title - Option values" ("Classic Tee - Red / M";
//! just the title when Shopify's only variant is its "Default Title"). A
//! variant without a SKU gets one made from the handle and its option
//! values ("classic-tee-red-m"), the same at every import. HTML in the
//! description becomes text. Rows with only an image are skipped. Gift cards
//! and variants whose inventory Shopify does not track do not track stock.

use std::collections::HashMap;

use super::cols::{Col, Cols, col, needed};
use super::{Mapping, rows, summary, write_or_check};
use crate::domain::{Currency, NewProduct, ProductDraft, fold};
use crate::import::{CsvIn, ImportError, ImportKind, ImportOptions, ImportSummary, Problems, echo};
use crate::store::{self, Store};

const HANDLE: usize = 0;
const TITLE: usize = 1;
const BODY: usize = 2;
const TYPE: usize = 3;
const CATEGORY: usize = 4;
const OPTION_VALUES: [usize; 3] = [5, 6, 7];
const SKU: usize = 8;
const QUANTITY: usize = 9;
const TRACKER: usize = 10;
const PRICE: usize = 11;
const COST: usize = 12;
const GIFT: usize = 13;
const STATUS: usize = 14;
const TAXABLE: usize = 15;

pub(super) const COLUMNS: &[Col] = &[
    needed(&["Handle"], "sku"),
    needed(&["Title"], "name"),
    col(&["Body (HTML)", "Body HTML"], "description"),
    col(&["Type"], "category"),
    col(&["Product Category"], "category"),
    col(&["Option1 Value"], "name"),
    col(&["Option2 Value"], "name"),
    col(&["Option3 Value"], "name"),
    col(&["Variant SKU"], "sku"),
    col(&["Variant Inventory Qty"], "stock"),
    col(&["Variant Inventory Tracker"], "stock"),
    needed(&["Variant Price"], "price"),
    col(&["Cost per item"], "cost"),
    col(&["Gift Card"], "does not track stock"),
    col(&["Status"], "archived"),
    col(&["Variant Taxable"], "tax rate"),
];

/// A product's own values, from its handle's first row.
#[derive(Default, Clone)]
struct Head {
    title: String,
    description: String,
    category: String,
    gift: bool,
    archived: bool,
}

/// A product to write, as every platform's products import hands it over.
pub(super) struct ProductIn {
    pub line: u64,
    pub product: NewProduct,
    pub archived: bool,
    /// It does not track stock.
    pub untracked: bool,
    /// The platform charges no tax on it (a gift card, "not taxable"): no
    /// rate, where others get the shop's default.
    pub untaxed: bool,
    /// WooCommerce's tax class: "" (standard: the default rate),
    /// "reduced-rate", "zero-rate" or one of the shop's own.
    pub tax_class: String,
}

/// A variant's option values, "Default Title" left out.
fn option_values<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    values
        .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("Default Title"))
        .collect()
}

/// The SKU a variant without one gets: its handle and option values in
/// lower case, joined by '-', at most 64 characters (a longer one ends in a
/// hash of the whole, so it stays the same and unique).
pub(super) fn made_sku(handle: &str, values: &[&str]) -> String {
    let mut sku = String::new();
    for part in std::iter::once(handle).chain(values.iter().copied()) {
        for c in part.chars() {
            if c.is_alphanumeric() {
                sku.extend(c.to_lowercase());
            } else if !sku.ends_with('-') && !sku.is_empty() {
                sku.push('-');
            }
        }
        if !sku.ends_with('-') && !sku.is_empty() {
            sku.push('-');
        }
    }
    let sku = sku.trim_end_matches('-').to_owned();
    if sku.chars().count() <= 64 {
        return sku;
    }
    // FNV-1a: the same on every machine and version.
    let hash = sku.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let head: String = sku.chars().take(55).collect();
    format!("{}-{:08x}", head.trim_end_matches('-'), hash as u32)
}

/// What the preview says of tax (the summary names the rate given).
pub(super) const UNTAXED_NOTE: &str = "Products get the shop's default tax rate, except \
    gift cards and what the platform does not tax, which get none; change a product's \
    rate in Products.";

/// Notes for the preview: the naming rule and the SKUs made for the first rows.
pub(super) fn preview_notes(c: &Cols, rows: &[(u64, Vec<String>)]) -> Vec<String> {
    let mut notes = vec![
        "Each variant becomes a product named \"Title - Option values\"; rows with only an \
         image are skipped; HTML in descriptions becomes text."
            .to_owned(),
        UNTAXED_NOTE.to_owned(),
    ];
    for (line, row) in rows {
        if c.cell(SKU, row).is_empty() && !c.cell(PRICE, row).is_empty() {
            let values = option_values(OPTION_VALUES.iter().map(|&v| c.cell(v, row)));
            notes.push(format!(
                "line {line}: no Variant SKU, so its SKU will be {}",
                made_sku(c.cell(HANDLE, row), &values)
            ));
        }
    }
    notes
}

/// Whole units of stock; Shopify lets stock go below zero (sold before it
/// came in), which starts at 0 here.
fn stock(text: &str) -> Result<(i64, bool), String> {
    if text.is_empty() {
        return Ok((0, false));
    }
    match text.strip_prefix('-') {
        Some(rest) => crate::domain::parse_count(rest, false).map(|_| (0, true)),
        None => crate::domain::parse_count(text, false).map(|n| (n, false)),
    }
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
    let mut list: Vec<ProductIn> = Vec::new();
    let mut heads: HashMap<String, Head> = HashMap::new();
    let mut below_zero = 0u64;
    rows(csv, width, &mut problems, progress, |line, r, problems| {
        let handle = c.get(HANDLE, r);
        if handle.is_empty() {
            problems.add(line, c.name(HANDLE), "every row needs its product's Handle");
            return;
        }
        let head = heads.entry(handle.to_owned()).or_insert_with(|| Head {
            title: c.get(TITLE, r).to_owned(),
            description: super::html::to_text(c.get(BODY, r)),
            category: match c.get(TYPE, r) {
                "" => c.get(CATEGORY, r).to_owned(),
                t => t.to_owned(),
            },
            gift: c.get(GIFT, r).eq_ignore_ascii_case("true"),
            archived: c.get(STATUS, r).eq_ignore_ascii_case("archived"),
        });
        let values = option_values(OPTION_VALUES.iter().map(|&v| c.get(v, r)));
        if c.get(PRICE, r).is_empty() && c.get(SKU, r).is_empty() && values.is_empty() {
            // An image of the product, not a variant.
            return;
        }
        let name = if values.is_empty() {
            head.title.clone()
        } else {
            format!("{} - {}", head.title, values.join(" / "))
        };
        let sku = match c.get(SKU, r) {
            "" => made_sku(handle, &values),
            s => super::shopify_customers::our_sku(s),
        };
        let (units, negative) = stock(c.get(QUANTITY, r)).unwrap_or_else(|why| {
            problems.add(line, c.name(QUANTITY), why);
            (0, false)
        });
        below_zero += u64::from(negative);
        let untracked = head.gift || (c.has(TRACKER) && c.get(TRACKER, r).is_empty());
        let untaxed = head.gift || c.get(TAXABLE, r).eq_ignore_ascii_case("false");
        let draft = ProductDraft {
            sku,
            name,
            category: head.category.clone(),
            description: head.description.clone(),
            price: amount(&currency, c, PRICE, r, line, problems),
            cost: amount(&currency, c, COST, r, line, problems),
            stock: if untracked { 0 } else { units }.to_string(),
            reorder_level: reorder.to_string(),
        };
        match draft.validate(&currency) {
            Ok(product) => list.push(ProductIn {
                line,
                product,
                archived: head.archived,
                untracked,
                untaxed,
                tax_class: String::new(),
            }),
            Err(errors) => {
                for (field, why) in &errors.0 {
                    let column = match *field {
                        "sku" => SKU,
                        "name" => TITLE,
                        "price" => PRICE,
                        "cost" => COST,
                        "description" => BODY,
                        "category" => TYPE,
                        _ => QUANTITY,
                    };
                    problems.add(line, c.name(column), why.clone());
                }
            }
        }
    })?;
    let mut notes = Vec::new();
    if below_zero > 0 {
        notes.push(format!(
            "{} had stock below zero in Shopify and start at 0.",
            crate::domain::format::count(below_zero as i64, "variant", "variants")
        ));
    }
    write_products(
        store,
        csv,
        list,
        problems,
        options,
        "Shopify",
        c.name(SKU),
        notes,
    )
}

/// An amount cell as the form takes it ("" stays empty; a bad one is a problem).
pub(super) fn amount(
    currency: &Currency,
    c: &Cols,
    column: usize,
    r: &csv::StringRecord,
    line: u64,
    problems: &mut Problems,
) -> String {
    let text = c.get(column, r);
    if text.is_empty() {
        return String::new();
    }
    match currency.parse_in_file(text, '.') {
        Ok(m) => currency.format_plain(m),
        Err(e) => {
            problems.add(line, c.name(column), e.to_string());
            "0".into()
        }
    }
}

/// Writes a platform's products: a SKU twice in the file is refused; a SKU
/// the shop has is left as it is ("already here").
#[allow(clippy::too_many_arguments)]
pub(super) fn write_products(
    store: &mut Store,
    csv: &CsvIn,
    list: Vec<ProductIn>,
    mut problems: Problems,
    options: ImportOptions,
    platform: &str,
    sku_column: &str,
    mut notes: Vec<String>,
) -> Result<ImportSummary, ImportError> {
    let mut skus: HashMap<String, u64> = HashMap::new();
    for p in &list {
        if let Some(first) = skus.insert(fold(&p.product.sku), p.line) {
            problems.add(
                p.line,
                sku_column,
                format!(
                    "{} is already the SKU on line {first} of this file",
                    echo(&p.product.sku)
                ),
            );
        }
    }
    problems.into_result()?;
    let name = csv.name.clone();
    let (new, here, untracked, untaxed, rate, classes) =
        write_or_check(store, options.dry_run, |tx| {
            let now = store::now_local();
            let (mut new, mut here, mut untracked, mut untaxed) = (0u64, 0u64, 0u64, 0u64);
            let rates = store::tax::rates(tx)?;
            let default = store::tax::settings(tx)?.default_rate;
            let mut classes = Classes::default();
            for p in &list {
                if store::products::sku_taken(tx, &p.product.sku, None)? {
                    here += 1;
                    continue;
                }
                let id = store::products::insert_at(tx, &p.product, &now)?;
                if p.archived {
                    store::products::archive_imported(tx, id)?;
                }
                if p.untracked {
                    store::platform::set_untracked(tx, id)?;
                    untracked += 1;
                }
                if p.untaxed && store::tax::product_rate(tx, id)?.is_some() {
                    store::tax::set_product_rate(tx, id, None)?;
                    untaxed += 1;
                } else if !p.untaxed && !p.tax_class.is_empty() {
                    match class_rate(&p.tax_class, &rates, default) {
                        Some(rate) => {
                            store::tax::set_product_rate(tx, id, rate)?;
                            classes.matched += 1;
                        }
                        None => classes
                            .unmatched
                            .push((p.tax_class.clone(), p.product.sku.clone())),
                    }
                }
                new += 1;
            }
            // The rate the others were given, in words ("MwSt (19%)").
            let rate = rates
                .iter()
                .find(|r| Some(r.id) == default)
                .map(|r| r.label());
            let what = crate::domain::format::count(new as i64, "product", "products");
            if new > 0 {
                super::super::log_import(tx, &format!("Imported {what} from {name} ({platform})"))?;
            }
            Ok((new, here, untracked, untaxed, rate, classes))
        })?;
    notes.insert(0, format!("Products: {}.", super::new_and_here(new, here)));
    if let Some(rate) = rate.filter(|_| new > 0) {
        let apart = if untaxed > 0 {
            format!(
                ", but {} no rate ({platform} does not tax them)",
                crate::domain::format::count(untaxed as i64, "product gets", "products get")
            )
        } else {
            String::new()
        };
        notes.push(format!(
            "New products get the shop's default tax rate, {rate}{apart}; a product at \
             another rate (a reduced one for books or food) is changed in Products."
        ));
    }
    if classes.matched > 0 {
        notes.push(format!(
            "{} at the rate of {platform}'s tax class (\"reduced-rate\" at the shop's one rate below its default).",
            crate::domain::format::count(classes.matched as i64, "product was put", "products were put")
        ));
    }
    if !classes.unmatched.is_empty() {
        let mut names: Vec<&str> = classes.unmatched.iter().map(|(c, _)| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let skus: Vec<&str> = classes
            .unmatched
            .iter()
            .take(8)
            .map(|(_, s)| s.as_str())
            .collect();
        let more = classes.unmatched.len().saturating_sub(skus.len());
        notes.push(format!(
            "{} in {platform}'s tax class {} got the default rate, as the shop has no one rate it can be:              set theirs in Products (Edit…): {}{}.",
            crate::domain::format::count(classes.unmatched.len() as i64, "product", "products"),
            names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", "),
            skus.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        ));
    }
    if untracked > 0 {
        notes.push(format!(
            "{} not track stock (gift cards, downloads, or stock the platform did not track).",
            crate::domain::format::count(untracked as i64, "product does", "products do")
        ));
    }
    Ok(summary(
        ImportKind::Products,
        new,
        0,
        options.dry_run,
        notes,
    ))
}

/// What became of the products' tax classes.
#[derive(Default)]
struct Classes {
    /// Products put at their class's rate.
    matched: u64,
    /// (class, SKU) of those left at the default rate.
    unmatched: Vec<(String, String)>,
}

/// The shop's rate for a WooCommerce tax class (`Some(None)`: no rate):
/// "zero-rate" is a 0 % rate of the shop's, else no rate; "reduced-rate"
/// is the shop's one rate below its default (none, or several: not
/// guessed); any other class, the rate whose name reads as it
/// ("taux-reduit" is "Taux réduit"). None when no one rate fits.
fn class_rate(
    class: &str,
    rates: &[crate::store::tax::TaxRate],
    default: Option<i64>,
) -> Option<Option<i64>> {
    let live: Vec<&crate::store::tax::TaxRate> = rates.iter().filter(|r| !r.archived).collect();
    let one = |found: Vec<&&crate::store::tax::TaxRate>| match found.as_slice() {
        [r] => Some(Some(r.id)),
        _ => None,
    };
    match class {
        "zero-rate" => Some(live.iter().find(|r| r.rate.0 == 0).map(|r| r.id)),
        "reduced-rate" => {
            let standard = live.iter().find(|r| Some(r.id) == default)?.rate;
            one(live
                .iter()
                .filter(|r| r.rate < standard && r.rate.0 > 0)
                .collect())
        }
        other => {
            let slug = |name: &str| -> String {
                crate::domain::fold(name)
                    .chars()
                    .map(unaccent)
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                    .collect::<String>()
                    .split('-')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join("-")
            };
            let wanted = slug(other);
            one(live.iter().filter(|r| slug(&r.name) == wanted).collect())
        }
    }
}

/// A Latin letter without its accent, as WooCommerce writes a class's slug
/// ("Taux réduit" is "taux-reduit").
fn unaccent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}
