//! Files exported by the platforms a shop sells on, read as they are: the
//! layout is told from the header (`detect`), and each layout's rows become
//! our customers, products or orders (one file per layout). As with our own
//! files, every row is checked first and a problem names the file's line and
//! the platform's column; a good file is written in one transaction, all or
//! nothing. What is already in the shop (a customer's email, a product's SKU,
//! an order's name on the platform) is left as it is and counted as "already
//! here", so importing a later export adds only what is new.

mod cols;
mod detect;
mod html;
mod orders_write;
mod shopify_customers;
mod shopify_money;
mod shopify_orders;
mod shopify_products;
mod shopify_shared;
mod woo_products;

use super::{CsvIn, ImportError, ImportKind, ImportOptions, ImportSummary, Mapping, Problems};
use crate::store::Store;

pub use detect::{Format, Layout, detect};

/// The lines a preview shows under the file's rows: what the layout does
/// with them (status mapping, made-up SKUs, the file's currency).
pub(super) fn preview_notes(
    layout: Layout,
    headers: &[String],
    rows: &[(u64, Vec<String>)],
) -> Vec<String> {
    let cols = cols::Cols::new(headers, layout.columns());
    match layout {
        Layout::ShopifyOrders => shopify_orders::preview_notes(&cols, rows),
        Layout::ShopifyProducts => shopify_products::preview_notes(&cols, rows),
        Layout::WooProducts => woo_products::preview_notes(&cols, rows),
        Layout::ShopifyCustomers => vec![
            "Each row becomes a customer: First Name and Last Name as the name, the address \
             lines as the address; a customer whose email is already in the shop is left as it is."
                .to_owned(),
        ],
    }
}

/// For each of the file's columns, the field of ours it feeds (None: ignored).
pub(super) fn preview_fields(layout: Layout, headers: &[String]) -> Vec<Option<&'static str>> {
    let cols = cols::Cols::new(headers, layout.columns());
    (0..headers.len()).map(|i| cols.field_of(i)).collect()
}

/// Imports a platform's file.
pub(super) fn run(
    store: &mut Store,
    layout: Layout,
    csv: &mut CsvIn,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    let cols = cols::Cols::new(&csv.headers, layout.columns());
    cols.required()?;
    let width = Mapping {
        index: Vec::new(),
        width: csv.headers.len(),
        ignored: Vec::new(),
    };
    let mut summary = match layout {
        Layout::ShopifyCustomers => {
            shopify_customers::import(store, csv, &cols, &width, options, progress)
        }
        Layout::ShopifyProducts => {
            shopify_products::import(store, csv, &cols, &width, options, progress)
        }
        Layout::WooProducts => woo_products::import(store, csv, &cols, &width, options, progress),
        Layout::ShopifyOrders => {
            shopify_orders::import(store, csv, &cols, &width, options, progress)
        }
    }?;
    summary.layout = Some(layout.name());
    Ok(summary)
}

/// Runs `write` in one write transaction; in a dry run everything it wrote
/// is rolled back again (so a check sees exactly what an import would do:
/// the same lookups, the same refusals), and its answer is kept.
fn write_or_check<T>(
    store: &mut Store,
    dry_run: bool,
    write: impl FnOnce(&rusqlite::Connection) -> Result<T, ImportError>,
) -> Result<T, ImportError> {
    let mut kept = None;
    let result = store.write_bulk(!dry_run, |tx| {
        let value = write(tx)?;
        if dry_run {
            kept = Some(value);
            // Any error rolls the transaction back; this one is ours.
            return Err(ImportError::Cancelled);
        }
        Ok(value)
    });
    match (result, kept) {
        (Err(ImportError::Cancelled), Some(value)) => Ok(value),
        (result, _) => result,
    }
}

/// "N new, M already here".
fn new_and_here(new: u64, here: u64) -> String {
    format!("{new} new, {here} already here")
}

/// The summary a platform's import hands back.
fn summary(
    kind: ImportKind,
    rows: u64,
    orders: u64,
    dry_run: bool,
    notes: Vec<String>,
) -> ImportSummary {
    ImportSummary {
        kind,
        rows,
        orders,
        dry_run,
        ignored: Vec::new(),
        layout: None,
        notes,
    }
}

/// Reads every row into `each` with its line, as `super::read_rows` does.
fn rows(
    csv: &mut CsvIn,
    width: &Mapping,
    problems: &mut Problems,
    progress: &mut dyn FnMut(u64, u64) -> bool,
    each: impl FnMut(u64, &csv::StringRecord, &mut Problems),
) -> Result<u64, ImportError> {
    super::read_rows(csv, width, problems, progress, each)
}
