//! Writing orders: placing one with its lines and stock movements, moving it
//! to another status, changing a pending order's lines, and the undo
//! counterparts of those. Every write runs inside the caller's transaction.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::order_number;
use crate::domain::stock as stock_rules;
use crate::domain::{Money, NewOrder, OrderLine, OrderStatus, StockMove, Story};
use crate::store::changelog::{self, Action, Entity};
use crate::store::{Result, StoreError, codes, now_local, stock};

/// How an order is placed: now and pending from the window; imports and demo
/// data give a date, a status and a reference.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Local date 'YYYY-MM-DD' and time 'HH:MM:SS'; None for now.
    pub at: Option<(String, String)>,
    pub status: OrderStatus,
    pub external_ref: Option<String>,
    /// False for past orders recorded without moving stock (`import --history`).
    pub track_stock: bool,
}

impl Default for Placement {
    fn default() -> Self {
        Placement {
            at: None,
            status: OrderStatus::Pending,
            external_ref: None,
            track_stock: true,
        }
    }
}

/// A product an order asked more of than the shop has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortage {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub wanted: i64,
    pub available: i64,
}

impl std::fmt::Display for Shortage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} asked, only {} in stock",
            self.name, self.sku, self.wanted, self.available
        )
    }
}

fn shortage_error(shortages: Vec<Shortage>) -> StoreError {
    let list: Vec<String> = shortages.iter().map(ToString::to_string).collect();
    StoreError::Refused(format!(
        "not enough stock, nothing was saved: {}",
        list.join("; ")
    ))
}

/// Checks that every product can give the quantity asked (summed per product).
fn check_stock(conn: &Connection, wanted: &BTreeMap<i64, i64>) -> Result<()> {
    let mut shortages = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT stock, sku, name FROM products WHERE id = ?1")?;
    for (&product_id, &qty) in wanted {
        if qty <= 0 {
            continue;
        }
        let (stock, sku, name): (i64, String, String) = stmt
            .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("product {product_id}")))?;
        if qty > stock {
            shortages.push(Shortage {
                product_id,
                sku,
                name,
                wanted: qty,
                available: stock,
            });
        }
    }
    if shortages.is_empty() {
        Ok(())
    } else {
        Err(shortage_error(shortages))
    }
}

/// Writes an order's stock movements (worked out by `domain::stock`) at `at`.
fn apply_moves(
    conn: &Connection,
    order_id: i64,
    moves: impl IntoIterator<Item = StockMove>,
    at: &str,
) -> Result<()> {
    for m in moves {
        stock::apply(
            conn,
            m.product_id,
            m.change,
            m.reason,
            Some(order_id),
            None,
            at,
        )?;
    }
    Ok(())
}

/// Recomputes a customer's order count, sales count, total spent and
/// first/last order from their orders (an indexed read of one customer's orders).
pub fn refresh_customer(conn: &Connection, customer_id: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE customers SET
             order_count = (SELECT count(*) FROM orders WHERE customer_id = ?1),
             sale_count = (SELECT count(*) FROM orders WHERE customer_id = ?1 AND {0}),
             total_spent = (SELECT coalesce(sum(total), 0) FROM orders
                            WHERE customer_id = ?1 AND {0}),
             first_order_date = (SELECT min(order_date) FROM orders WHERE customer_id = ?1),
             last_order_date = (SELECT max(order_date) FROM orders WHERE customer_id = ?1)
         WHERE id = ?1",
        codes::sale("status")
    ))?
    .execute([customer_id])?;
    Ok(())
}

fn history(
    conn: &Connection,
    order_id: i64,
    from: Option<OrderStatus>,
    to: OrderStatus,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_status_history (order_id, from_status, to_status, changed_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![order_id, from.map(OrderStatus::code), to.code(), at])?;
    Ok(())
}

fn insert_lines(conn: &Connection, order_id: i64, lines: &[OrderLine]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for l in lines {
        stmt.execute(params![
            order_id,
            l.product_id,
            l.quantity,
            l.unit_price.0,
            l.total().0
        ])?;
    }
    Ok(())
}

/// Places an order: the order, its lines at the prices as sold, one stock
/// movement per line and the first status, all in the caller's transaction.
/// Refuses (writing nothing) when any product has too little stock.
pub fn place(conn: &Connection, order: &NewOrder, how: &Placement) -> Result<i64> {
    if order.lines.is_empty() {
        return Err(StoreError::Refused(
            "an order needs at least one line".into(),
        ));
    }
    if order
        .lines
        .iter()
        .any(|l| l.quantity <= 0 || l.unit_price.0 < 0)
    {
        return Err(StoreError::Refused(
            "quantities must be at least 1 and prices not negative".into(),
        ));
    }
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM customers WHERE id = ?1")?
        .query_row([order.customer_id], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Err(StoreError::NotFound(format!(
            "customer {}",
            order.customer_id
        )));
    }
    let takes_stock = how.track_stock;
    if takes_stock {
        check_stock(conn, &stock_rules::per_product(&order.lines))?;
    }
    let now = now_local();
    let (date, time) = match &how.at {
        Some((d, t)) => (d.clone(), t.clone()),
        None => (now[..10].to_owned(), now[11..].to_owned()),
    };
    let at = format!("{date} {time}");
    conn.prepare_cached(
        "INSERT INTO orders (customer_id, order_date, order_time, status, item_count, total, note,
                             external_ref, stock_tracked, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        order.customer_id,
        date,
        time,
        how.status.code(),
        order.items(),
        order.total().0,
        order.note,
        how.external_ref,
        takes_stock,
        at
    ])
    .map_err(|e| {
        crate::store::unique_violation(
            e,
            "order_ref",
            "an order with this reference already exists",
        )
    })?;
    let order_id = conn.last_insert_rowid();
    insert_lines(conn, order_id, &order.lines)?;
    if takes_stock {
        // An order recorded as already cancelled or returned has its goods back.
        let (taken, back) = stock_rules::placing(&order.lines, how.status, Story::Whole);
        apply_moves(conn, order_id, taken, &at)?;
        apply_moves(conn, order_id, back, &at)?;
    }
    history(conn, order_id, None, how.status, &at)?;
    refresh_customer(conn, order.customer_id)?;
    // Orders placed in the window are logged; imported and demo ones are not.
    if how.at.is_none() {
        let after = snapshot(conn, order_id)?;
        changelog::record(
            conn,
            Entity::Order,
            Some(order_id),
            Action::Place,
            &format!(
                "Placed order {} ({} items)",
                order_number(order_id),
                order.items()
            ),
            None,
            after.as_deref(),
        )?;
    }
    Ok(order_id)
}

/// The parts of an order the workflow needs.
struct OrderHead {
    customer_id: i64,
    status: OrderStatus,
    stock_tracked: bool,
}

fn head(conn: &Connection, order_id: i64) -> Result<OrderHead> {
    conn.prepare_cached("SELECT customer_id, status, stock_tracked FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| {
            Ok(OrderHead {
                customer_id: r.get(0)?,
                status: r.get(1)?,
                stock_tracked: r.get(2)?,
            })
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("order {}", order_number(order_id))))
}

fn lines_of(conn: &Connection, order_id: i64) -> Result<Vec<OrderLine>> {
    let rows = conn
        .prepare_cached("SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = ?1 ORDER BY id")?
        .query_map([order_id], |r| {
            Ok(OrderLine {
                product_id: r.get(0)?,
                quantity: r.get(1)?,
                unit_price: Money(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Moves an order to another status. Only the allowed moves are accepted;
/// cancelling or returning puts every line back into stock in the same transaction.
pub fn set_status(conn: &Connection, order_id: i64, to: OrderStatus) -> Result<()> {
    let before = snapshot(conn, order_id)?;
    let from = head(conn, order_id)?.status;
    set_status_unlogged(conn, order_id, to)?;
    let after = snapshot(conn, order_id)?;
    changelog::record(
        conn,
        Entity::Order,
        Some(order_id),
        Action::Status,
        &format!(
            "Order {}: {} → {}",
            order_number(order_id),
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// `set_status` without a change-log entry (undo writes its own).
pub(crate) fn set_status_unlogged(conn: &Connection, order_id: i64, to: OrderStatus) -> Result<()> {
    let h = head(conn, order_id)?;
    if !h.status.can_move_to(to) {
        let allowed: Vec<&str> = h.status.next().iter().map(|s| s.label()).collect();
        let hint = if allowed.is_empty() {
            "it cannot change any more".to_owned()
        } else {
            format!("it can only become {}", allowed.join(" or "))
        };
        return Err(StoreError::Refused(format!(
            "order {} is {}: {hint}",
            order_number(order_id),
            h.status.label().to_lowercase()
        )));
    }
    let now = now_local();
    if h.stock_tracked {
        // Cancelling or returning: one movement per product, however many lines it has.
        let moves = stock_rules::moving(&lines_of(conn, order_id)?, h.status, to);
        apply_moves(conn, order_id, moves, &now)?;
    }
    conn.prepare_cached("UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![order_id, to.code(), now])?;
    history(conn, order_id, Some(h.status), to, &now)?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

/// Replaces a pending order's lines (and note). The difference in quantity of
/// each product is written as stock movements; more than is in stock is refused.
pub fn edit_lines(
    conn: &Connection,
    order_id: i64,
    lines: &[OrderLine],
    note: Option<&str>,
) -> Result<()> {
    let before = snapshot(conn, order_id)?;
    edit_lines_unlogged(conn, order_id, lines, note)?;
    let after = snapshot(conn, order_id)?;
    changelog::record(
        conn,
        Entity::Order,
        Some(order_id),
        Action::Edit,
        &format!("Order {}: lines changed", order_number(order_id)),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// Puts an order back to an earlier status (undo): a restocked order takes
/// its goods out of stock again, if they are there.
pub(crate) fn revert_status(conn: &Connection, order_id: i64, to: OrderStatus) -> Result<()> {
    let h = head(conn, order_id)?;
    if h.status == to {
        return Ok(());
    }
    let now = now_local();
    if h.stock_tracked {
        let moves = stock_rules::moving(&lines_of(conn, order_id)?, h.status, to);
        check_stock(conn, &stock_rules::taken(&moves))?;
        apply_moves(conn, order_id, moves, &now)?;
    }
    conn.prepare_cached("UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![order_id, to.code(), now])?;
    history(conn, order_id, Some(h.status), to, &now)?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

/// `edit_lines` without a change-log entry (undo writes its own).
pub(crate) fn edit_lines_unlogged(
    conn: &Connection,
    order_id: i64,
    lines: &[OrderLine],
    note: Option<&str>,
) -> Result<()> {
    let h = head(conn, order_id)?;
    if h.status != OrderStatus::Pending {
        return Err(StoreError::Refused(format!(
            "order {} is {}; only pending orders can be changed",
            order_number(order_id),
            h.status.label().to_lowercase()
        )));
    }
    if lines.is_empty() {
        return Err(StoreError::Refused(
            "an order needs at least one line; cancel it instead".into(),
        ));
    }
    if lines.iter().any(|l| l.quantity <= 0 || l.unit_price.0 < 0) {
        return Err(StoreError::Refused(
            "quantities must be at least 1 and prices not negative".into(),
        ));
    }
    let now = now_local();
    if h.stock_tracked {
        let moves = stock_rules::editing(&lines_of(conn, order_id)?, lines);
        check_stock(conn, &stock_rules::taken(&moves))?;
        apply_moves(conn, order_id, moves, &now)?;
    }
    conn.prepare_cached("DELETE FROM order_items WHERE order_id = ?1")?
        .execute([order_id])?;
    insert_lines(conn, order_id, lines)?;
    let items: i64 = lines.iter().map(|l| l.quantity).sum();
    let total: i64 = lines.iter().map(|l| l.total().0).sum();
    conn.prepare_cached(
        "UPDATE orders SET item_count = ?2, total = ?3, note = ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![
        order_id,
        items,
        total,
        note.map(str::trim).filter(|n| !n.is_empty()),
        now
    ])?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

/// An order's status, note, total and lines as JSON, for the change log.
pub fn snapshot(conn: &Connection, order_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT json_object('status', o.status, 'note', o.note, 'total', o.total,
                    'lines', (SELECT json_group_array(json_array(product_id, quantity, unit_price))
                              FROM (SELECT product_id, quantity, unit_price FROM order_items
                                    WHERE order_id = o.id ORDER BY id)))
             FROM orders o WHERE o.id = ?1",
        )?
        .query_row([order_id], |r| r.get(0))
        .optional()?)
}

/// The status a snapshot holds, if it is one this version knows.
pub(crate) fn status_in(conn: &Connection, snapshot: &str) -> Result<Option<OrderStatus>> {
    let code: Option<String> =
        conn.query_row("SELECT json_extract(?1, '$.status')", [snapshot], |r| {
            r.get(0)
        })?;
    Ok(code.as_deref().and_then(OrderStatus::from_code))
}

/// The lines and note a snapshot holds.
pub(crate) fn lines_in(
    conn: &Connection,
    snapshot: &str,
) -> Result<(Vec<OrderLine>, Option<String>)> {
    let note: Option<String> =
        conn.query_row("SELECT json_extract(?1, '$.note')", [snapshot], |r| {
            r.get(0)
        })?;
    let lines = conn
        .prepare_cached(
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
             FROM json_each(json_extract(?1, '$.lines'))",
        )?
        .query_map([snapshot], |r| {
            Ok(OrderLine {
                product_id: r.get(0)?,
                quantity: r.get(1)?,
                unit_price: Money(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((lines, note))
}

/// The status an order has now.
pub(crate) fn status_of(conn: &Connection, order_id: i64) -> Result<OrderStatus> {
    Ok(head(conn, order_id)?.status)
}
