//! The hourly sales summary `order_hourly` (migration 14): the orders that
//! count as sales and their revenue as sold, per local day and hour they were
//! taken, which `weekday-hour` (Insights > Time) reads instead of every order.
//! Triggers keep it in the same transaction as every order change; here is
//! its recomputation from the orders, which `shopkeeper check` compares it
//! with (a bulk write adds up what it writes by the same rule, instead of
//! firing the triggers per order: `bulk::hourly`).

use rusqlite::Connection;

use super::{Result, codes};

/// The recomputation per day and hour, as `(order_date, hour, orders,
/// revenue)`, of the orders `which` picks (`true` for all).
fn source(which: &str) -> String {
    format!(
        "SELECT order_date, CAST(substr(order_time, 1, 2) AS INTEGER) AS hour, count(*) AS orders,
       sum(revenue) AS revenue
FROM orders WHERE {sale} AND {which}
GROUP BY 1, 2",
        sale = codes::sale("status"),
    )
}

/// Problems with the summary: each day and hour whose kept orders or
/// revenue differ from their recomputation, as sentences.
pub(crate) fn check_sql() -> String {
    format!(
        "WITH actual AS ({source}),
kept AS (SELECT * FROM order_hourly WHERE orders <> 0 OR revenue <> 0),
keys AS (SELECT order_date, hour FROM actual UNION SELECT order_date, hour FROM kept)
SELECT k.order_date || ' at ' || printf('%02d', k.hour) || ':00 (kept/orders say): orders '
       || coalesce(d.orders, 0) || '/' || coalesce(a.orders, 0)
       || ', revenue ' || coalesce(d.revenue, 0) || '/' || coalesce(a.revenue, 0)
FROM keys k
LEFT JOIN actual a ON a.order_date = k.order_date AND a.hour = k.hour
LEFT JOIN kept d ON d.order_date = k.order_date AND d.hour = k.hour
WHERE coalesce(a.orders, 0) <> coalesce(d.orders, 0) OR coalesce(a.revenue, 0) <> coalesce(d.revenue, 0)",
        source = source("true"),
    )
}

/// The triggers that keep the summary (dropped by a bulk write, which adds
/// what it wrote instead: `bulk::hourly`), with their SQL.
pub(crate) fn triggers(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'trigger' AND name LIKE 'order\\_hourly\\_%' ESCAPE '\\'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}
