//! The undo counterparts of order writes: putting an order back to an
//! earlier status (taking back the payments that move recorded) and reading
//! the order a change-log snapshot holds. Run inside the caller's transaction.

use rusqlite::Connection;

use super::base::{head, refresh_customer, write_status};
use super::money;
use super::write::{apply_moves, check_stock, kept_lines, line_from_row, terms_of};
use crate::domain::stock as stock_rules;
use crate::domain::{Discount, NewOrder, OrderLine, OrderStatus};
use crate::store::{Result, now_local};

/// Puts an order back to an earlier status (undo): a restocked order takes
/// its goods out of stock again, if they are there; payments the move
/// recorded (after `last_payment`) are taken away. A move that gave money
/// back cannot be undone: the refund was made.
pub(crate) fn revert_status(
    conn: &Connection,
    order_id: i64,
    to: OrderStatus,
    last_payment: i64,
) -> Result<()> {
    money::take_back_payments(conn, order_id, last_payment)?;
    let h = head(conn, order_id)?;
    if h.status == to {
        refresh_customer(conn, h.customer_id)?;
        return Ok(());
    }
    let now = now_local();
    if h.stock_tracked {
        let moves = stock_rules::moving(
            &kept_lines_for_undo(conn, order_id, h.status)?,
            h.status,
            to,
        );
        check_stock(conn, &stock_rules::taken(&moves))?;
        apply_moves(conn, order_id, moves, &now)?;
    }
    write_status(conn, order_id, h.status, to, &now)?;
    money::refresh(conn, order_id)?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

/// The units an undo of a cancel takes out again: those that were out
/// when it was cancelled (a returned order's units all came back).
fn kept_lines_for_undo(
    conn: &Connection,
    order_id: i64,
    status: OrderStatus,
) -> Result<Vec<OrderLine>> {
    if status == OrderStatus::Returned {
        // Undoing a return is refused before this (it gave money back),
        // except for an order that was never paid: every unit goes out again.
        conn.prepare_cached(
            "UPDATE order_items SET returned = coalesce((SELECT sum(r.quantity) FROM refund_items r
                 WHERE r.order_item_id = order_items.id), 0) WHERE order_id = ?1",
        )?
        .execute([order_id])?;
        let mut lines = kept_lines(conn, order_id)?;
        // Units returned through an earlier refund stay back.
        lines.retain(|l| l.quantity > 0);
        return Ok(lines);
    }
    kept_lines(conn, order_id)
}

/// The status a snapshot holds, if it is one this version knows, and the
/// last payment the order had then.
pub(crate) fn status_in(conn: &Connection, snapshot: &str) -> Result<(Option<OrderStatus>, i64)> {
    let (code, last): (Option<String>, Option<i64>) = conn.query_row(
        "SELECT json_extract(?1, '$.status'), json_extract(?1, '$.last_payment')",
        [snapshot],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((
        code.as_deref().and_then(OrderStatus::from_code),
        last.unwrap_or(i64::MAX),
    ))
}

/// Puts back the carrier and tracking number a snapshot holds (undo of a
/// ship: the order is no longer on its way). A snapshot from before they
/// were kept holds neither; an order back at pending or paid then has none.
pub(crate) fn restore_shipping(conn: &Connection, order_id: i64, snapshot: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET carrier = json_extract(?2, '$.carrier'), tracking = json_extract(?2, '$.tracking')
         WHERE id = ?1 AND (json_type(?2, '$.carrier') IS NOT NULL OR status IN ('pending', 'paid'))",
    )?
    .execute(rusqlite::params![order_id, snapshot])?;
    Ok(())
}

/// The order a snapshot holds (lines, terms, note), on the order's own
/// customer and tax terms.
pub(crate) fn order_in(conn: &Connection, order_id: i64, snapshot: &str) -> Result<NewOrder> {
    type Head = (
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let (note, discount, percent, code, ship_to): Head = conn.query_row(
        "SELECT json_extract(?1, '$.note'), json_extract(?1, '$.discount'),
                json_extract(?1, '$.discount_percent'), json_extract(?1, '$.discount_code'),
                json_extract(?1, '$.ship_to')",
        [snapshot],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let lines = conn
        .prepare_cached(
            "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
                    coalesce(json_extract(value, '$[3]'), 0), json_extract(value, '$[4]'),
                    coalesce(json_extract(value, '$[5]'), 0), coalesce(json_extract(value, '$[6]'), 0)
             FROM json_each(json_extract(?1, '$.lines'))",
        )?
        .query_map([snapshot], line_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut terms = terms_of(conn, order_id)?;
    terms.discount = Discount::stored(discount.unwrap_or(0), percent);
    Ok(NewOrder {
        customer_id: head(conn, order_id)?.customer_id,
        lines,
        note,
        terms,
        discount_code: code,
        ship_to,
    })
}

/// The status an order has now.
pub(crate) fn status_of(conn: &Connection, order_id: i64) -> Result<OrderStatus> {
    Ok(head(conn, order_id)?.status)
}
