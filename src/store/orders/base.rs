//! What every order write needs: the order's head (customer, status,
//! whether it moves stock), its status history, its customer's figures and
//! its snapshot for the change log; a status write gives an order that
//! becomes paid its invoice number when the shop asks for it.

use rusqlite::{Connection, OptionalExtension, params};

use super::order_number;
use crate::domain::OrderStatus;
use crate::store::{Result, StoreError, codes, invoice_numbers};

/// Recomputes a customer's order count, sales count, total spent and
/// first/last order from their orders (an indexed read of one customer's orders),
/// and the summary the customer insights read (`customer_figures`).
pub fn refresh_customer(conn: &Connection, customer_id: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE customers SET
             order_count = (SELECT count(*) FROM orders WHERE customer_id = ?1),
             sale_count = (SELECT count(*) FROM orders WHERE customer_id = ?1 AND {0}),
             total_spent = (SELECT coalesce(sum(total - refunded), 0) FROM orders
                            WHERE customer_id = ?1 AND {0}),
             first_order_date = (SELECT min(order_date) FROM orders WHERE customer_id = ?1),
             last_order_date = (SELECT max(order_date) FROM orders WHERE customer_id = ?1)
         WHERE id = ?1",
        codes::sale("status")
    ))?
    .execute([customer_id])?;
    crate::store::customer_figures::refresh(conn, customer_id)
}

pub(super) fn history(
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

/// The parts of an order the workflow needs.
pub(super) struct OrderHead {
    pub customer_id: i64,
    pub status: OrderStatus,
    pub stock_tracked: bool,
}

pub(super) fn head(conn: &Connection, order_id: i64) -> Result<OrderHead> {
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

/// Sets the status column and records the move in the order's history. An
/// order that becomes paid gets its invoice number here, in the same
/// transaction, when the shop asks for that (`invoice_numbers::when_paid`).
pub(super) fn write_status(
    conn: &Connection,
    order_id: i64,
    from: OrderStatus,
    to: OrderStatus,
    at: &str,
) -> Result<()> {
    conn.prepare_cached("UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![order_id, to.code(), at])?;
    history(conn, order_id, Some(from), to, at)?;
    if to == OrderStatus::Paid {
        invoice_numbers::when_paid(conn, order_id, at.get(..10).unwrap_or(at))?;
    }
    Ok(())
}

/// An order's status, note, terms, lines and last payment as JSON, for the
/// change log.
pub fn snapshot(conn: &Connection, order_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT json_object('status', o.status, 'note', o.note, 'total', o.total,
                    'discount', o.order_discount, 'discount_percent', o.discount_percent,
                    'discount_code', o.discount_code, 'ship_to', o.ship_to,
                    'carrier', o.carrier, 'tracking', o.tracking,
                    'last_payment', (SELECT coalesce(max(id), 0) FROM payments WHERE order_id = o.id),
                    'lines', (SELECT json_group_array(json_array(product_id, quantity, unit_price,
                                  discount, discount_percent, tax_rate, unit_cost))
                              FROM (SELECT * FROM order_items WHERE order_id = o.id ORDER BY id)))
             FROM orders o WHERE o.id = ?1",
        )?
        .query_row([order_id], |r| r.get(0))
        .optional()?)
}
