//! The shop's tax terms: its tax rates (name and percent), which is the
//! default for new products, whether prices include tax, and the rate
//! shipping is taxed at. A new shop has no rates and prices without tax.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError};
use crate::domain::{Money, Rate, Terms, check_text};

/// A tax rate as Settings lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRate {
    pub id: i64,
    pub name: String,
    pub rate: Rate,
    pub archived: bool,
}

impl TaxRate {
    /// "VAT 20%".
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.rate)
    }
}

/// The shop-wide tax settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaxSettings {
    pub prices_include_tax: bool,
    /// The rate new products get.
    pub default_rate: Option<i64>,
    /// The rate shipping is taxed at (None: shipping is not taxed).
    pub shipping_rate: Option<i64>,
}

/// Every rate, archived ones last.
pub fn rates(conn: &Connection) -> Result<Vec<TaxRate>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, name, rate, archived FROM tax_rates ORDER BY archived, name, id",
        )?
        .query_map([], |r| {
            Ok(TaxRate {
                id: r.get(0)?,
                name: r.get(1)?,
                rate: Rate(r.get(2)?),
                archived: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Refused(
            "give the rate a name, such as VAT or Reduced".into(),
        ));
    }
    check_text(name, false).map_err(|why| StoreError::Refused(format!("the name: {why}")))?;
    if name.chars().count() > 100 {
        return Err(StoreError::Refused(
            "keep the name under 100 characters".into(),
        ));
    }
    Ok(name.to_owned())
}

/// Adds a rate; returns its id.
pub fn add_rate(conn: &Connection, name: &str, rate: Rate) -> Result<i64> {
    let name = check_name(name)?;
    conn.prepare_cached("INSERT INTO tax_rates (name, rate) VALUES (?1, ?2)")?
        .execute(params![name, rate.0])?;
    Ok(conn.last_insert_rowid())
}

/// Adds a rate an import names: under `name`, or, when another rate has
/// that name already (the settings refuse two rates of one name), under
/// the name and its percent ("VAT 5.5%" beside a "VAT" of 20 %), so a
/// file naming "VAT 20%" and "VAT 5.5%" leaves settings that still save.
pub fn add_rate_named_apart(conn: &Connection, name: &str, rate: Rate) -> Result<i64> {
    let taken = |candidate: &str| -> Result<bool> {
        Ok(conn
            .prepare_cached("SELECT 1 FROM tax_rates WHERE lower(trim(name)) = lower(trim(?1))")?
            .exists([candidate])?)
    };
    let mut candidate = name.trim().to_owned();
    if taken(&candidate)? {
        candidate = format!("{candidate} {rate}");
        let mut n = 2;
        let base = candidate.clone();
        while taken(&candidate)? {
            candidate = format!("{base} ({n})");
            n += 1;
        }
    }
    add_rate(conn, &candidate, rate)
}

/// Renames or re-rates a rate (orders keep the rate they were sold at).
pub fn update_rate(
    conn: &Connection,
    id: i64,
    name: &str,
    rate: Rate,
    archived: bool,
) -> Result<()> {
    let name = check_name(name)?;
    let n = conn
        .prepare_cached("UPDATE tax_rates SET name = ?2, rate = ?3, archived = ?4 WHERE id = ?1")?
        .execute(params![id, name, rate.0, archived])?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("tax rate {id}")));
    }
    Ok(())
}

fn id_setting(conn: &Connection, key: &str) -> Result<Option<i64>> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

fn put(conn: &Connection, key: &str, value: Option<String>) -> Result<()> {
    match value {
        Some(v) => conn
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, v])?,
        None => conn
            .prepare_cached("DELETE FROM settings WHERE key = ?1")?
            .execute([key])?,
    };
    Ok(())
}

pub fn settings(conn: &Connection) -> Result<TaxSettings> {
    Ok(TaxSettings {
        prices_include_tax: id_setting(conn, "prices_include_tax")? == Some(1),
        default_rate: id_setting(conn, "default_tax_rate")?,
        shipping_rate: id_setting(conn, "shipping_tax_rate")?,
    })
}

pub fn save_settings(conn: &Connection, s: &TaxSettings) -> Result<()> {
    for id in [s.default_rate, s.shipping_rate].into_iter().flatten() {
        let exists: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM tax_rates WHERE id = ?1)")?
            .query_row([id], |r| r.get(0))?;
        if !exists {
            return Err(StoreError::NotFound(format!("tax rate {id}")));
        }
    }
    put(
        conn,
        "prices_include_tax",
        Some(if s.prices_include_tax { "1" } else { "0" }.to_owned()),
    )?;
    put(
        conn,
        "default_tax_rate",
        s.default_rate.map(|id| id.to_string()),
    )?;
    put(
        conn,
        "shipping_tax_rate",
        s.shipping_rate.map(|id| id.to_string()),
    )?;
    Ok(())
}

/// The shop's terms a new order starts from: whether prices include tax
/// and the rate shipping is taxed at.
pub fn base_terms(conn: &Connection) -> Result<Terms> {
    let s = settings(conn)?;
    let shipping_rate = match s.shipping_rate {
        Some(id) => conn
            .prepare_cached("SELECT rate FROM tax_rates WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .map(Rate)
            .unwrap_or_default(),
        None => Rate::ZERO,
    };
    Ok(Terms {
        tax_included: s.prices_include_tax,
        shipping_rate,
        ..Terms::default()
    })
}

/// A product's tax rate and cost, as a new order line takes them.
pub fn line_terms(conn: &Connection, product_id: i64) -> Result<(Rate, Money)> {
    conn.prepare_cached(
        "SELECT coalesce(t.rate, 0), p.cost FROM products p LEFT JOIN tax_rates t ON t.id = p.tax_rate_id
         WHERE p.id = ?1",
    )?
    .query_row([product_id], |r| Ok((Rate(r.get(0)?), Money(r.get(1)?))))
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("product {product_id}")))
}

/// A product's tax rate (None: not taxed).
pub fn product_rate(conn: &Connection, product_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT tax_rate_id FROM products WHERE id = ?1")?
        .query_row([product_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Sets a product's tax rate (None: not taxed).
/// The shop's rate of `rate` for an imported product: the one of that
/// percent named `name` if there is one, else any of that percent (not
/// archived first), else a new one named `name` (or "Tax 20%").
pub fn rate_for_import(conn: &Connection, name: Option<&str>, rate: Rate) -> Result<i64> {
    let found: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM tax_rates WHERE rate = ?2
             ORDER BY name = ?1 DESC, archived, id LIMIT 1",
        )?
        .query_row(params![name.unwrap_or(""), rate.0], |r| r.get(0))
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => add_rate_named_apart(conn, name.unwrap_or(&format!("Tax {rate}")), rate),
    }
}

pub fn set_product_rate(conn: &Connection, product_id: i64, rate: Option<i64>) -> Result<()> {
    conn.prepare_cached("UPDATE products SET tax_rate_id = ?2 WHERE id = ?1")?
        .execute(params![product_id, rate])?;
    Ok(())
}

/// Gives a new product the shop's default rate.
pub(crate) fn default_for_new(conn: &Connection, product_id: i64) -> Result<()> {
    if let Some(id) = settings(conn)?.default_rate {
        conn.prepare_cached(
            "UPDATE products SET tax_rate_id = ?2
             WHERE id = ?1 AND EXISTS (SELECT 1 FROM tax_rates WHERE id = ?2)",
        )?
        .execute(params![product_id, id])?;
    }
    Ok(())
}
