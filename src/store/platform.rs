//! What importing a platform's export (`import::platform`) looks up and
//! sets beyond what the other imports need: customers without an email by
//! their name, products by their name, and products that do not track stock.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::domain::Money;

/// The first customer without an email who has this name (guests of a
/// platform's orders are known by their billing name).
pub fn guest_by_name(conn: &Connection, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            // The NOCASE match finds the rows by the names' index; the plain one keeps the exact name.
            "SELECT id FROM customers
             WHERE name = ?1 COLLATE NOCASE AND name = ?1 AND email IS NULL ORDER BY id LIMIT 1",
        )?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

/// The first product with this name (any case), with its cost: line items
/// without a SKU are known by their name.
pub fn product_by_name(conn: &Connection, name: &str) -> Result<Option<(i64, Money)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, cost FROM products WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
        )?
        .query_row([name], |r| Ok((r.get(0)?, Money(r.get(1)?))))
        .optional()?)
}

/// Marks a product as one that does not track stock (a gift card).
pub fn set_untracked(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE products SET track_stock = 0 WHERE id = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// Whether a product tracks stock.
pub fn tracks_stock(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT track_stock FROM products WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, i64>(0))
        .optional()?
        .is_none_or(|t| t != 0))
}

/// Whether an order with this reference (a platform's order name) was imported before.
pub fn order_ref_taken(conn: &Connection, external_ref: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM orders WHERE external_ref = ?1")?
        .query_row([external_ref], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether the shop has any order yet.
pub fn has_orders(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM orders)", [], |r| r.get(0))?)
}
