//! What bulk writers read before writing (products, customers, references
//! imported before), and the savepoint an import's early writing can go back to.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::domain::{Money, Rate};
use crate::store::Result;

/// Product ids, prices, stock and reorder levels, for writers that track stock in memory.
pub fn product_stock(conn: &Connection) -> Result<Vec<(i64, i64, i64, i64)>> {
    let rows = conn
        .prepare(
            "SELECT id, price, stock, reorder_level FROM products WHERE archived = 0 ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The ids of all customers that are not archived.
pub fn customer_ids(conn: &Connection) -> Result<Vec<i64>> {
    let rows = conn
        .prepare("SELECT id FROM customers WHERE archived = 0 ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every customer's email by its key (`domain::fold`), with their id: for
/// imports that name customers by email. Read from the keys' own index.
pub fn customer_emails(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut map = HashMap::new();
    let mut stmt =
        conn.prepare("SELECT email_key, id FROM customers WHERE email_key IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        map.insert(r.get(0)?, r.get(1)?);
    }
    Ok(map)
}

/// Every customer's number, for files that name customers by number.
pub fn customer_numbers(conn: &Connection) -> Result<std::collections::HashSet<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM customers")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Whether an order already has this number.
pub fn order_number_taken(conn: &Connection, number: i64) -> Result<bool> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT 1 FROM orders WHERE id = ?1")?
        .query_row([number], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A product as an import sees it: with the tax rate and cost an order
/// line takes from it (`store::tax::line_terms`).
#[derive(Debug, Clone)]
pub struct ProductRef {
    pub id: i64,
    pub sku: String,
    pub price: i64,
    pub stock: i64,
    pub rate: Rate,
    pub cost: Money,
    /// False for a product whose orders move no stock (a gift card).
    pub track_stock: bool,
}

/// Every product by its SKU's key (`domain::fold`: SKUs are unique ignoring case).
pub fn products_by_sku(conn: &Connection) -> Result<HashMap<String, ProductRef>> {
    let mut map = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT coalesce(p.sku_key, lower(p.sku)), p.id, p.sku, p.price, p.stock, coalesce(t.rate, 0), p.cost, p.track_stock
         FROM products p LEFT JOIN tax_rates t ON t.id = p.tax_rate_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        map.insert(
            r.get(0)?,
            ProductRef {
                id: r.get(1)?,
                sku: r.get(2)?,
                price: r.get(3)?,
                stock: r.get(4)?,
                rate: Rate(r.get(5)?),
                cost: Money(r.get(6)?),
                track_stock: r.get(7)?,
            },
        );
    }
    Ok(map)
}

/// The tax rate and cost an order line takes from each product that is not
/// archived, by product id (for demo orders).
pub fn product_terms(conn: &Connection) -> Result<HashMap<i64, (Rate, Money)>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, coalesce(t.rate, 0), p.cost
         FROM products p LEFT JOIN tax_rates t ON t.id = p.tax_rate_id WHERE p.archived = 0",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, (Rate(r.get(1)?), Money(r.get(2)?)))))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The references of orders imported before (their order_ref), for telling
/// whether a file's references are new.
pub enum ExternalRefs {
    /// All of them, read at once: fewer than the references to look up.
    Read(std::collections::HashSet<String>),
    /// Too many to read: each reference is looked up.
    Lookup,
}

impl ExternalRefs {
    /// Reads the references when the shop holds fewer orders than `lookups`.
    pub fn new(conn: &Connection, lookups: usize) -> Result<Self> {
        if order_count(conn)? > lookups as u64 {
            return Ok(ExternalRefs::Lookup);
        }
        let mut stmt =
            conn.prepare("SELECT external_ref FROM orders WHERE external_ref IS NOT NULL")?;
        let refs = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ExternalRefs::Read(refs))
    }

    /// Whether an order with this reference exists.
    pub fn contains(&self, conn: &Connection, reference: &str) -> Result<bool> {
        use rusqlite::OptionalExtension;
        match self {
            ExternalRefs::Read(refs) => Ok(refs.contains(reference)),
            ExternalRefs::Lookup => Ok(conn
                .prepare_cached("SELECT 1 FROM orders WHERE external_ref = ?1")?
                .query_row([reference], |_| Ok(()))
                .optional()?
                .is_some()),
        }
    }
}

impl ExternalRefs {
    /// Whether an order with this reference may exist, without asking the
    /// database: true for every reference when they were too many to read.
    pub fn maybe_contains(&self, reference: &str) -> bool {
        match self {
            ExternalRefs::Read(refs) => refs.contains(reference),
            ExternalRefs::Lookup => true,
        }
    }
}

/// How many orders there are (for deciding whether to defer index building).
pub fn order_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM orders", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Marks a point inside the write transaction that writing can go back to
/// (with `back_to_mark`) without giving up what came before it.
pub fn mark(conn: &Connection) -> Result<()> {
    conn.execute_batch("SAVEPOINT bulk_mark")?;
    Ok(())
}

/// Undoes everything written since `mark` (dropped indexes come back too).
pub fn back_to_mark(conn: &Connection) -> Result<()> {
    conn.execute_batch("ROLLBACK TO bulk_mark; RELEASE bulk_mark")?;
    Ok(())
}

/// Keeps what was written since `mark`; it commits with the transaction.
pub fn keep_mark(conn: &Connection) -> Result<()> {
    conn.execute_batch("RELEASE bulk_mark")?;
    Ok(())
}
