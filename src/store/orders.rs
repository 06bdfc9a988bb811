//! Orders. For now: the order history shown in a customer's detail.

use rusqlite::{Connection, params};

use super::Result;
use crate::domain::{Money, OrderStatus};

/// One line of an order list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSummary {
    pub id: i64,
    pub order_date: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub status: OrderStatus,
    pub item_count: i64,
    pub total: Money,
    pub external_ref: Option<String>,
}

/// "#000123": how an order number is shown.
pub fn order_number(id: i64) -> String {
    format!("#{id:06}")
}

pub fn customer_order_count(conn: &Connection, customer_id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM orders WHERE customer_id = ?1")?
        .query_row([customer_id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A customer's orders, newest first.
pub fn customer_orders(
    conn: &Connection,
    customer_id: i64,
    offset: usize,
    limit: usize,
) -> Result<Vec<OrderSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.order_date, o.customer_id, c.name, o.status, o.item_count, o.total, o.external_ref
         FROM orders o JOIN customers c ON c.id = o.customer_id
         WHERE o.customer_id = ?1
         ORDER BY o.order_date DESC, o.order_time DESC, o.id DESC
         LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt
        .query_map(
            params![
                customer_id,
                i64::try_from(limit).unwrap_or(i64::MAX),
                i64::try_from(offset).unwrap_or(i64::MAX)
            ],
            |r| {
                let status: String = r.get(4)?;
                Ok(OrderSummary {
                    id: r.get(0)?,
                    order_date: r.get(1)?,
                    customer_id: r.get(2)?,
                    customer_name: r.get(3)?,
                    status: OrderStatus::from_code(&status).unwrap_or(OrderStatus::Pending),
                    item_count: r.get(5)?,
                    total: Money(r.get(6)?),
                    external_ref: r.get(7)?,
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
