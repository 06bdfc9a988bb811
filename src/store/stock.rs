//! Stock movements: the only way a product's stock changes. Each movement is
//! written in the same transaction as the change that causes it, and the
//! product's `stock` column is updated with it, so it always equals their sum.

use rusqlite::{Connection, OptionalExtension, params};

use super::changelog::{self, Action, Entity};
use super::{Result, StoreError, now_local};
use crate::domain::{MovementReason, check_text};

/// A stock movement as listed in a product's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub id: i64,
    pub created_at: String,
    pub change: i64,
    pub reason: MovementReason,
    pub order_id: Option<i64>,
    pub note: Option<String>,
    pub stock_after: i64,
}

/// Moves `change` units in or out of a product's stock and records why.
/// Refuses (writing nothing) a change that would take the stock below zero.
/// Returns the stock after the change.
pub fn apply(
    conn: &Connection,
    product_id: i64,
    change: i64,
    reason: MovementReason,
    order_id: Option<i64>,
    note: Option<&str>,
    at: &str,
) -> Result<i64> {
    if change == 0 {
        return Err(StoreError::Refused("a stock change cannot be zero".into()));
    }
    let (stock, sku, name): (i64, String, String) = conn
        .prepare_cached("SELECT stock, sku, name FROM products WHERE id = ?1")?
        .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("product {product_id}")))?;
    let after = stock
        .checked_add(change)
        .ok_or_else(|| StoreError::Refused("that quantity is too large".into()))?;
    if after < 0 {
        return Err(StoreError::Refused(format!(
            "only {stock} of {name} ({sku}) in stock; cannot take out {}",
            -change
        )));
    }
    conn.prepare_cached("UPDATE products SET stock = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![product_id, after, at])?;
    conn.prepare_cached(
        "INSERT INTO stock_movements (product_id, change, reason, order_id, note, stock_after, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![product_id, change, reason.code(), order_id, note, after, at])?;
    Ok(after)
}

/// A manual adjustment from the Products panel: a signed quantity and a reason.
pub fn adjust(
    conn: &Connection,
    product_id: i64,
    change: i64,
    reason: MovementReason,
    note: Option<&str>,
) -> Result<i64> {
    if !MovementReason::MANUAL.contains(&reason) {
        return Err(StoreError::Refused(format!(
            "\"{}\" is not a reason for a manual adjustment",
            reason.label()
        )));
    }
    reason.fits(change).map_err(StoreError::Refused)?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if let Some(why) = note.and_then(|n| check_text(n, true).err()) {
        return Err(StoreError::Refused(format!("the note: {why}")));
    }
    let after = apply(conn, product_id, change, reason, None, note, &now_local())?;
    let sku: String = conn.query_row(
        "SELECT sku FROM products WHERE id = ?1",
        [product_id],
        |r| r.get(0),
    )?;
    let detail = format!(
        "{{\"change\": {change}, \"reason\": \"{}\", \"stock_after\": {after}}}",
        reason.code()
    );
    changelog::record(
        conn,
        Entity::Product,
        Some(product_id),
        Action::Adjust,
        &format!(
            "Stock of {sku} {} {} ({})",
            if change > 0 { "up" } else { "down" },
            change.abs(),
            reason.label().to_lowercase()
        ),
        None,
        Some(&detail),
    )?;
    Ok(after)
}

/// Takes a manual adjustment back (undo): the opposite change, as a movement
/// noted `note`. `detail` is what `adjust` logged.
pub(crate) fn undo_adjust(
    conn: &Connection,
    product_id: i64,
    detail: &str,
    note: &str,
) -> Result<i64> {
    let change: i64 = conn.query_row("SELECT json_extract(?1, '$.change')", [detail], |r| {
        r.get(0)
    })?;
    apply(
        conn,
        product_id,
        -change,
        MovementReason::Undo,
        None,
        Some(note),
        &now_local(),
    )
}

pub fn movement_count(conn: &Connection, product_id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM stock_movements WHERE product_id = ?1")?
        .query_row([product_id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A product's movements, newest first.
pub fn movements_page(
    conn: &Connection,
    product_id: i64,
    offset: usize,
    limit: usize,
) -> Result<Vec<Movement>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, created_at, change, reason, order_id, note, stock_after
         FROM stock_movements WHERE product_id = ?1
         ORDER BY id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt
        .query_map(
            params![
                product_id,
                i64::try_from(limit).unwrap_or(i64::MAX),
                i64::try_from(offset).unwrap_or(i64::MAX)
            ],
            |r| {
                Ok(Movement {
                    id: r.get(0)?,
                    created_at: r.get(1)?,
                    change: r.get(2)?,
                    reason: r.get(3)?,
                    order_id: r.get(4)?,
                    note: r.get(5)?,
                    stock_after: r.get(6)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
