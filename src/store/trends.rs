//! The aggregates behind the Trends panel, read from the daily summaries of
//! orders and refunds and the customer rows, never by scanning orders for
//! the key figures. Money counts as in every report (`money_reports`): sales
//! at their order date, their refunds at the refund's date, taken off.

use rusqlite::{Connection, params};

use super::{Result, codes, money_reports};
use crate::domain::trends::Figures;
use crate::domain::{Money, Period};

/// Revenue, tax and items sold after refunds, orders (those that count as
/// sales), and how many customers made their first sale (as Insights' new
/// customers: an order cancelled or returned is no sale), between two days
/// inclusive.
pub fn figures(conn: &Connection, from: &str, to: &str) -> Result<Figures> {
    let sale = codes::sale("status");
    let (orders, items, revenue, tax): (i64, i64, i64, i64) = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(orders), 0), coalesce(sum(items), 0), coalesce(sum(revenue), 0),
                    coalesce(sum(tax), 0)
             FROM order_daily
             WHERE order_date BETWEEN ?1 AND ?2 AND {sale}"
        ))?
        .query_row(params![from, to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let (refunded, refunded_tax): (i64, i64) = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(revenue), 0), coalesce(sum(tax), 0)
             FROM refund_daily
             WHERE paid_on BETWEEN ?1 AND ?2 AND {sale}"
        ))?
        .query_row(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    // Items after refunds, as top products and margin count their
    // quantities: the units refunded of sales in the range, at their dates.
    let items_back: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(refunded), 0) FROM product_day_totals WHERE day BETWEEN ?1 AND ?2",
        )?
        .query_row(params![from, to], |r| r.get(0))?;
    let new_customers: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM customers
             WHERE first_sale_date IS NOT NULL AND first_sale_date BETWEEN ?1 AND ?2",
        )?
        .query_row(params![from, to], |r| r.get(0))?;
    Ok(Figures {
        revenue: Money(revenue - refunded),
        tax: Money(tax - refunded_tax),
        orders,
        items: items - items_back,
        new_customers,
    })
}

/// The revenue part of the refunds of sales per period (as sales-by-date
/// writes its periods), for periods that had any.
pub fn refunds_by_period(
    conn: &Connection,
    from: &str,
    to: &str,
    by: Period,
) -> Result<Vec<(String, Money)>> {
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {} AS period, sum(revenue) FROM refund_daily
             WHERE paid_on BETWEEN ?1 AND ?2 AND {}
             GROUP BY 1 HAVING sum(revenue) <> 0 ORDER BY 1",
            money_reports::period(by, "paid_on"),
            codes::sale("status")
        ))?
        .query_map(params![from, to], |r| Ok((r.get(0)?, Money(r.get(1)?))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
