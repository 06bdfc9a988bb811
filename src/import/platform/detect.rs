//! Telling a platform's export from its header: the columns only that
//! export has. `--format` (or the dialog) can insist on a platform, or on
//! our own layout.

use super::super::{ImportError, ImportKind};
use super::cols::Col;

/// Whose layout a file is in, when the user says so (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Shopify,
    WooCommerce,
    /// Our own columns, whatever the header looks like.
    Shopkeeper,
}

impl Format {
    pub fn from_name(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "shopify" => Some(Format::Shopify),
            "woocommerce" | "woo" => Some(Format::WooCommerce),
            "shopkeeper" => Some(Format::Shopkeeper),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Shopify => "Shopify",
            Format::WooCommerce => "WooCommerce",
            Format::Shopkeeper => "Shopkeeper",
        }
    }
}

/// A platform's export that Shopkeeper reads as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    ShopifyCustomers,
    ShopifyProducts,
    ShopifyOrders,
    WooProducts,
}

impl Layout {
    pub const ALL: [Layout; 4] = [
        Layout::ShopifyOrders,
        Layout::ShopifyProducts,
        Layout::ShopifyCustomers,
        Layout::WooProducts,
    ];

    /// How the preview names it.
    pub fn name(self) -> &'static str {
        match self {
            Layout::ShopifyCustomers => "Shopify customers export",
            Layout::ShopifyProducts => "Shopify products export",
            Layout::ShopifyOrders => "Shopify orders export",
            Layout::WooProducts => "WooCommerce products export",
        }
    }

    pub fn format(self) -> Format {
        match self {
            Layout::WooProducts => Format::WooCommerce,
            _ => Format::Shopify,
        }
    }

    /// What it brings in.
    pub fn kind(self) -> ImportKind {
        match self {
            Layout::ShopifyCustomers => ImportKind::Customers,
            Layout::ShopifyProducts | Layout::WooProducts => ImportKind::Products,
            Layout::ShopifyOrders => ImportKind::Orders,
        }
    }

    pub(super) fn columns(self) -> &'static [Col] {
        match self {
            Layout::ShopifyCustomers => super::shopify_customers::COLUMNS,
            Layout::ShopifyProducts => super::shopify_products::COLUMNS,
            Layout::ShopifyOrders => super::shopify_orders::COLUMNS,
            Layout::WooProducts => super::woo_products::COLUMNS,
        }
    }

    /// The header names that together say "this is that export".
    fn signature(self) -> &'static [&'static [&'static str]] {
        match self {
            Layout::ShopifyOrders => &[
                &["Name"],
                &["Financial Status"],
                &["Lineitem quantity"],
                &["Lineitem name"],
            ],
            Layout::ShopifyProducts => &[&["Handle"], &["Title"], &["Variant Price"]],
            Layout::ShopifyCustomers => &[
                &["First Name"],
                &["Last Name"],
                &["Email"],
                &["Address1", "Default Address Address1", "Total Spent"],
            ],
            Layout::WooProducts => &[&["ID"], &["Type"], &["SKU"], &["Name"], &["Regular price"]],
        }
    }
}

/// The platform layout of a file with these headers, if it is one (and the
/// user's `format` allows it). A format that names a platform whose layouts
/// the header does not fit is refused, saying what was looked for.
pub fn detect(headers: &[String], format: Option<Format>) -> Result<Option<Layout>, ImportError> {
    if format == Some(Format::Shopkeeper) {
        return Ok(None);
    }
    let has = |names: &[&str]| {
        headers
            .iter()
            .any(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let found = Layout::ALL.into_iter().find(|l| {
        format.is_none_or(|f| l.format() == f) && l.signature().iter().all(|names| has(names))
    });
    match (found, format) {
        (None, Some(f)) => {
            let wanted: Vec<String> = Layout::ALL
                .into_iter()
                .filter(|l| l.format() == f)
                .map(|l| {
                    let cols: Vec<&str> = l.signature().iter().map(|n| n[0]).collect();
                    format!("{} ({})", l.name(), cols.join(", "))
                })
                .collect();
            // WooCommerce itself exports only its products: an orders file
            // comes from a plugin, in that plugin's own columns, and
            // exporting it again would not help (a French tryout's did not).
            let advice = if f == Format::WooCommerce {
                "WooCommerce itself exports only its products; its orders, written by a plugin \
                 in the plugin's own columns, come in as Shopkeeper's orders file (one row per \
                 line: order_number, order_date, customer_email, sku, quantity, unit_price, \
                 and the money columns the README lists), without --format"
                    .to_owned()
            } else {
                format!(
                    "Export the file again from {} without changing its columns, or leave out --format",
                    f.name()
                )
            };
            Err(ImportError::NotCsv {
                path: "the file".to_owned(),
                detail: format!(
                    "its header is not one of {}'s exports Shopkeeper reads: {}. {advice}",
                    f.name(),
                    wanted.join("; "),
                ),
            })
        }
        (found, _) => Ok(found),
    }
}
