//! One order's detail: its lines, its status history and the stock it moved.

use rusqlite::{Connection, OptionalExtension};

use super::list::{SUMMARY_COLUMNS, summary};
use super::{OrderSummary, order_number};
use crate::domain::{Money, MovementReason, OrderStatus};
use crate::store::{Result, StoreError};

/// One line of an order's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDetail {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub line_total: Money,
    /// The product's stock now.
    pub stock: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementDetail {
    pub at: String,
    pub sku: String,
    pub change: i64,
    pub reason: MovementReason,
    pub stock_after: i64,
}

/// Everything the order detail shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDetail {
    pub summary: OrderSummary,
    pub note: Option<String>,
    pub customer_email: Option<String>,
    pub lines: Vec<LineDetail>,
    pub history: Vec<StatusChange>,
    pub movements: Vec<MovementDetail>,
}

pub fn detail(conn: &Connection, order_id: i64) -> Result<OrderDetail> {
    let (summary, note, customer_email) = conn
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS}, o.note, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?1"
        ))?
        .query_row([order_id], |r| Ok((summary(r)?, r.get(9)?, r.get(10)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("order {}", order_number(order_id))))?;
    let lines = conn
        .prepare_cached(
            "SELECT i.product_id, p.sku, p.name, i.quantity, i.unit_price, i.line_total, p.stock
             FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ?1 ORDER BY i.id",
        )?
        .query_map([order_id], |r| {
            Ok(LineDetail {
                product_id: r.get(0)?,
                sku: r.get(1)?,
                name: r.get(2)?,
                quantity: r.get(3)?,
                unit_price: Money(r.get(4)?),
                line_total: Money(r.get(5)?),
                stock: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let history = conn
        .prepare_cached(
            "SELECT from_status, to_status, changed_at FROM order_status_history WHERE order_id = ?1 ORDER BY id",
        )?
        .query_map([order_id], |r| {
            Ok(StatusChange {
                from: r.get(0)?,
                to: r.get(1)?,
                at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let movements = conn
        .prepare_cached(
            "SELECT m.created_at, p.sku, m.change, m.reason, m.stock_after
             FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE m.order_id = ?1 ORDER BY m.id",
        )?
        .query_map([order_id], |r| {
            Ok(MovementDetail {
                at: r.get(0)?,
                sku: r.get(1)?,
                change: r.get(2)?,
                reason: r.get(3)?,
                stock_after: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(OrderDetail {
        summary,
        note,
        customer_email,
        lines,
        history,
        movements,
    })
}
