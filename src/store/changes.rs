//! The change log: every change made in the window, with the row before and
//! after as JSON, written in the same transaction as the change itself; and
//! undo, which reverses the newest change not yet undone (in this session)
//! and logs the undo too.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError, now_local};
use crate::domain::{MovementReason, OrderLine, OrderStatus};

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub at: String,
    pub who: String,
    pub action: String,
    pub summary: String,
    pub undone: bool,
}

const CUSTOMER_JSON: &str = "SELECT json_object('name', name, 'email', email, 'phone', phone,
        'address', address, 'city', city, 'postal_code', postal_code, 'country', country,
        'notes', notes, 'archived', archived, 'created_at', created_at)
     FROM customers WHERE id = ?1";

const PRODUCT_JSON: &str = "SELECT json_object('sku', sku, 'name', name, 'category', category,
        'description', description, 'price', price, 'cost', cost, 'stock', stock,
        'reorder_level', reorder_level, 'archived', archived, 'created_at', created_at)
     FROM products WHERE id = ?1";

fn json_of(conn: &Connection, sql: &str, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// A customer's row as JSON (None if there is no such customer).
pub fn customer_json(conn: &Connection, id: i64) -> Result<Option<String>> {
    json_of(conn, CUSTOMER_JSON, id)
}

/// A product's row as JSON.
pub fn product_json(conn: &Connection, id: i64) -> Result<Option<String>> {
    json_of(conn, PRODUCT_JSON, id)
}

/// An order's status, note and lines as JSON.
pub fn order_json(conn: &Connection, id: i64) -> Result<Option<String>> {
    json_of(
        conn,
        "SELECT json_object('status', o.status, 'note', o.note, 'total', o.total,
                'lines', (SELECT json_group_array(json_array(product_id, quantity, unit_price))
                          FROM (SELECT product_id, quantity, unit_price FROM order_items
                                WHERE order_id = o.id ORDER BY id)))
         FROM orders o WHERE o.id = ?1",
        id,
    )
}

/// The shop's settings as JSON.
pub fn settings_json(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(
        "SELECT json_group_object(key, value) FROM settings",
        [],
        |r| r.get(0),
    )?)
}

/// Writes one entry; call it in the transaction that makes the change.
pub fn record(
    conn: &Connection,
    entity: &str,
    entity_id: Option<i64>,
    action: &str,
    summary: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO change_log (at, entity, entity_id, action, summary, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        now_local(),
        entity,
        entity_id,
        action,
        summary,
        before,
        after
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The newest entry's id: a session's undo reaches back to the entries after it.
pub fn latest_id(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM change_log", [], |r| {
            r.get(0)
        })?,
    )
}

/// The changes to one customer, product or order, newest first.
pub fn for_entity(conn: &Connection, entity: &str, id: i64, limit: usize) -> Result<Vec<Change>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, at, who, action, summary, undone_by IS NOT NULL FROM change_log
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY id DESC LIMIT ?3",
        )?
        .query_map(params![entity, id, limit as i64], |r| {
            Ok(Change {
                id: r.get(0)?,
                at: r.get(1)?,
                who: r.get(2)?,
                action: r.get(3)?,
                summary: r.get(4)?,
                undone: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What the next undo would reverse (entries after `since`), if anything.
pub fn next_undo(conn: &Connection, since: i64) -> Result<Option<Change>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, at, who, action, summary FROM change_log
             WHERE id > ?1 AND undone_by IS NULL AND undoes IS NULL
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([since], |r| {
            Ok(Change {
                id: r.get(0)?,
                at: r.get(1)?,
                who: r.get(2)?,
                action: r.get(3)?,
                summary: r.get(4)?,
                undone: false,
            })
        })
        .optional()?)
}

struct Entry {
    id: i64,
    entity: String,
    entity_id: Option<i64>,
    action: String,
    summary: String,
    before: Option<String>,
    after: Option<String>,
}

fn refused(what: &str, why: &str) -> StoreError {
    StoreError::Refused(format!("\"{what}\" cannot be undone: {why}"))
}

/// Reverses the newest change after `since` that is not undone yet, in the
/// caller's transaction, and logs the undo. Returns what was undone, or None
/// when there is nothing left to undo in this session.
pub fn undo_last(conn: &Connection, since: i64) -> Result<Option<String>> {
    let Some(next) = next_undo(conn, since)? else {
        return Ok(None);
    };
    let e = conn
        .prepare_cached(
            "SELECT id, entity, entity_id, action, summary, before, after FROM change_log WHERE id = ?1",
        )?
        .query_row([next.id], |r| {
            Ok(Entry {
                id: r.get(0)?,
                entity: r.get(1)?,
                entity_id: r.get(2)?,
                action: r.get(3)?,
                summary: r.get(4)?,
                before: r.get(5)?,
                after: r.get(6)?,
            })
        })?;
    let id = e.entity_id.unwrap_or(0);
    let before = e.before.as_deref().unwrap_or("{}");
    let what = e.summary.as_str();
    match (e.entity.as_str(), e.action.as_str()) {
        ("customer", "create") => {
            if super::customers::has_orders(conn, id)? {
                return Err(refused(what, "the customer has orders now"));
            }
            conn.execute("DELETE FROM customers WHERE id = ?1", [id])?;
        }
        ("customer", "update" | "archive" | "unarchive") => {
            conn.prepare_cached(
                "UPDATE customers SET name = json_extract(?2, '$.name'), email = json_extract(?2, '$.email'),
                     phone = json_extract(?2, '$.phone'), address = json_extract(?2, '$.address'),
                     city = json_extract(?2, '$.city'), postal_code = json_extract(?2, '$.postal_code'),
                     country = json_extract(?2, '$.country'), notes = json_extract(?2, '$.notes'),
                     archived = json_extract(?2, '$.archived'), updated_at = ?3
                 WHERE id = ?1",
            )?
            .execute(params![id, before, now_local()])
            .map_err(|e| super::unique_violation(e, "email", "another customer has this email now"))?;
            refresh_phone_digits(conn, id)?;
        }
        ("customer", "delete") => {
            conn.prepare_cached(
                "INSERT INTO customers (id, name, email, phone, address, city, postal_code, country, notes,
                                        archived, created_at, updated_at)
                 SELECT ?1, json_extract(?2, '$.name'), json_extract(?2, '$.email'), json_extract(?2, '$.phone'),
                        json_extract(?2, '$.address'), json_extract(?2, '$.city'),
                        json_extract(?2, '$.postal_code'), json_extract(?2, '$.country'),
                        json_extract(?2, '$.notes'), json_extract(?2, '$.archived'),
                        json_extract(?2, '$.created_at'), ?3",
            )?
            .execute(params![id, before, now_local()])
            .map_err(|e| super::unique_violation(e, "email", "another customer has this email now"))?;
            refresh_phone_digits(conn, id)?;
        }
        ("product", "create") => {
            if super::products::was_ordered(conn, id)? {
                return Err(refused(what, "the product was ordered since"));
            }
            super::products::delete(conn, id)?;
        }
        ("product", "update" | "archive" | "unarchive") => {
            // Everything but the stock, which only moves through movements.
            conn.prepare_cached(
                "UPDATE products SET sku = json_extract(?2, '$.sku'), name = json_extract(?2, '$.name'),
                     category = json_extract(?2, '$.category'), description = json_extract(?2, '$.description'),
                     price = json_extract(?2, '$.price'), cost = json_extract(?2, '$.cost'),
                     reorder_level = json_extract(?2, '$.reorder_level'),
                     archived = json_extract(?2, '$.archived'), updated_at = ?3
                 WHERE id = ?1",
            )?
            .execute(params![id, before, now_local()])
            .map_err(|e| super::unique_violation(e, "sku", "another product has this SKU now"))?;
        }
        ("product", "delete") => {
            conn.prepare_cached(
                "INSERT INTO products (id, sku, name, category, description, price, cost, stock,
                                       reorder_level, archived, created_at, updated_at)
                 SELECT ?1, json_extract(?2, '$.sku'), json_extract(?2, '$.name'), json_extract(?2, '$.category'),
                        json_extract(?2, '$.description'), json_extract(?2, '$.price'),
                        json_extract(?2, '$.cost'), 0, json_extract(?2, '$.reorder_level'),
                        json_extract(?2, '$.archived'), json_extract(?2, '$.created_at'), ?3",
            )?
            .execute(params![id, before, now_local()])
            .map_err(|e| super::unique_violation(e, "sku", "another product has this SKU now"))?;
            let stock: i64 =
                conn.query_row("SELECT json_extract(?1, '$.stock')", [before], |r| r.get(0))?;
            if stock > 0 {
                super::stock::apply(
                    conn,
                    id,
                    stock,
                    MovementReason::Undo,
                    None,
                    Some(what),
                    &now_local(),
                )?;
            }
        }
        ("product", "adjust") => {
            let change: i64 = conn.query_row(
                "SELECT json_extract(?1, '$.change')",
                [e.after.as_deref().unwrap_or("{}")],
                |r| r.get(0),
            )?;
            super::stock::apply(
                conn,
                id,
                -change,
                MovementReason::Undo,
                None,
                Some(what),
                &now_local(),
            )
            .map_err(|err| refused(what, &err.to_string()))?;
        }
        ("order", "place") => {
            // As cancelling would: every line goes back into stock.
            let status: OrderStatus =
                conn.query_row("SELECT status FROM orders WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            if status != OrderStatus::Cancelled {
                if !status.can_move_to(OrderStatus::Cancelled) {
                    return Err(refused(
                        what,
                        "the order was shipped since; mark it returned instead",
                    ));
                }
                super::orders::set_status_unlogged(conn, id, OrderStatus::Cancelled)?;
            }
        }
        ("order", "status") => {
            let from: String =
                conn.query_row("SELECT json_extract(?1, '$.status')", [before], |r| {
                    r.get(0)
                })?;
            let from = OrderStatus::from_code(&from)
                .ok_or_else(|| refused(what, "the earlier status is not known"))?;
            super::orders::revert_status(conn, id, from)
                .map_err(|err| refused(what, &err.to_string()))?;
        }
        ("order", "edit") => {
            let (lines, note) = lines_from_json(conn, before)?;
            super::orders::edit_lines_unlogged(conn, id, &lines, note.as_deref())
                .map_err(|err| refused(what, &err.to_string()))?;
        }
        ("settings", "save") => {
            // Keys the save wrote that were not there before go back to their defaults.
            conn.execute(
                "DELETE FROM settings
                 WHERE key IN ('shop_name', 'currency_symbol', 'currency_decimals',
                               'default_reorder_level', 'theme')
                   AND key NOT IN (SELECT key FROM json_each(?1))",
                [before],
            )?;
            conn.execute(
                "INSERT INTO settings (key, value) SELECT key, value FROM json_each(?1) WHERE true
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [before],
            )?;
        }
        ("import", _) => {
            return Err(refused(
                what,
                "an import is not undone row by row; restore the backup from before it (File > Backups…)",
            ));
        }
        (entity, action) => {
            return Err(refused(what, &format!("{entity} {action} has no undo")));
        }
    }
    let undo = record(
        conn,
        &e.entity,
        e.entity_id,
        "undo",
        &format!("Undid: {}", e.summary),
        e.after.as_deref(),
        e.before.as_deref(),
    )?;
    conn.execute(
        "UPDATE change_log SET undoes = ?2 WHERE id = ?1",
        params![undo, e.id],
    )?;
    conn.execute(
        "UPDATE change_log SET undone_by = ?2 WHERE id = ?1",
        params![e.id, undo],
    )?;
    Ok(Some(e.summary))
}

/// Writes a restored customer's searchable phone digits again.
fn refresh_phone_digits(conn: &Connection, id: i64) -> Result<()> {
    let phone: Option<String> =
        conn.query_row("SELECT phone FROM customers WHERE id = ?1", [id], |r| {
            r.get(0)
        })?;
    conn.execute(
        "UPDATE customers SET phone_digits = ?2 WHERE id = ?1",
        params![id, phone.as_deref().map(super::customers::phone_digits)],
    )?;
    Ok(())
}

fn lines_from_json(conn: &Connection, json: &str) -> Result<(Vec<OrderLine>, Option<String>)> {
    let note: Option<String> =
        conn.query_row("SELECT json_extract(?1, '$.note')", [json], |r| r.get(0))?;
    let lines = conn
        .prepare_cached(
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
             FROM json_each(json_extract(?1, '$.lines'))",
        )?
        .query_map([json], |r| {
            Ok(OrderLine {
                product_id: r.get(0)?,
                quantity: r.get(1)?,
                unit_price: crate::domain::Money(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((lines, note))
}
