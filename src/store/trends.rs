//! The aggregates behind the Trends panel, read from the daily order summary
//! and the customer rows, never by scanning orders for the key figures.

use rusqlite::{Connection, params};

use super::{Result, codes};
use crate::domain::Money;
use crate::domain::trends::Figures;

/// Revenue, orders and items sold (orders that count as sales), and how many
/// customers ordered for the first time, between two days inclusive.
pub fn figures(conn: &Connection, from: &str, to: &str) -> Result<Figures> {
    let (orders, items, revenue): (i64, i64, i64) = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(orders), 0), coalesce(sum(items), 0), coalesce(sum(revenue), 0)
             FROM order_daily
             WHERE order_date BETWEEN ?1 AND ?2 AND {}",
            codes::sale("status")
        ))?
        .query_row(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let new_customers: i64 = conn
        .prepare_cached("SELECT count(*) FROM customers WHERE first_order_date BETWEEN ?1 AND ?2")?
        .query_row(params![from, to], |r| r.get(0))?;
    Ok(Figures {
        revenue: Money(revenue),
        orders,
        items,
        new_customers,
    })
}

/// Revenue per product category between two days (sales only), largest first.
pub fn revenue_by_category(
    conn: &Connection,
    from: &str,
    to: &str,
) -> Result<Vec<(String, Money)>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT coalesce(p.category, 'No category'), sum(i.line_total)
             FROM orders o
             JOIN order_items i ON i.order_id = o.id
             JOIN products p ON p.id = i.product_id
             WHERE o.order_date BETWEEN ?1 AND ?2 AND {}
             GROUP BY 1 ORDER BY 2 DESC",
            codes::sale("o.status")
        ))?
        .query_map(params![from, to], |r| Ok((r.get(0)?, Money(r.get(1)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
