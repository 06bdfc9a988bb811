//! The per-product summaries `product_daily` and `product_monthly`
//! (migration 12), and `product_day_totals`, the daily one summed over the
//! products (migration 14): what each product sold, per day and per month, by the one
//! rule of how money counts (a sale's lines at its date, each refund's units
//! and revenue share at the refund's date). Triggers keep them in the same
//! transaction as every order change; here is their recomputation from the
//! raw tables, which `shopkeeper check` compares them with and a bulk write
//! adds once instead of firing the triggers per row.

use rusqlite::Connection;

use super::{Result, codes};

/// The values each summary row holds, after its key.
pub(crate) const VALUES: [&str; 8] = [
    "sold",
    "refunded",
    "revenue",
    "known_revenue",
    "cost",
    "refund_revenue",
    "known_lines",
    "lines",
];

/// The recomputation per product and day (columns: product_id, day, then
/// `VALUES`), of the order lines and refunds the two conditions pick
/// (`true` for all; `o` is the order, `p` the refund's payment).
fn source(orders: &str, payments: &str) -> String {
    include_str!("product_source.sql")
        .replace("@SALE@", &codes::sale("o.status"))
        .replace("@ORDERS@", &format!(" AND {orders}"))
        .replace("@PAYMENTS@", &format!(" AND {payments}"))
}

/// Problems with the summaries: each (product, day) and (product, month)
/// whose kept values differ from their recomputation, as sentences.
pub(crate) fn check_sql(monthly: bool) -> String {
    let (table, key, group) = if monthly {
        ("product_monthly", "month", "substr(day, 1, 7)")
    } else {
        ("product_daily", "day", "day")
    };
    let sums: Vec<String> = VALUES.iter().map(|v| format!("sum({v}) AS {v}")).collect();
    let nonzero: Vec<String> = VALUES.iter().map(|v| format!("{v} <> 0")).collect();
    let differ: Vec<String> = VALUES
        .iter()
        .map(|v| format!("coalesce(a.{v}, 0) <> coalesce(d.{v}, 0)"))
        .collect();
    let shown: Vec<String> = VALUES
        .iter()
        .map(|v| format!("'{v} ' || coalesce(d.{v}, 0) || '/' || coalesce(a.{v}, 0)"))
        .collect();
    format!(
        "WITH raw (product_id, day, {values}) AS ({source}),
actual AS (SELECT product_id, {group} AS {key}, {sums} FROM raw GROUP BY 1, 2),
kept AS (SELECT * FROM {table} WHERE {nonzero}),
keys AS (SELECT product_id, {key} FROM actual UNION SELECT product_id, {key} FROM kept)
SELECT 'product ' || k.product_id || ' on ' || k.{key} || ' (kept/orders say): ' || {shown}
FROM keys k
LEFT JOIN actual a ON a.product_id = k.product_id AND a.{key} = k.{key}
LEFT JOIN kept d ON d.product_id = k.product_id AND d.{key} = k.{key}
WHERE {differ}",
        values = VALUES.join(", "),
        source = source("true", "true"),
        sums = sums.join(", "),
        nonzero = nonzero.join(" OR "),
        shown = shown.join(" || ', ' || "),
        differ = differ.join(" OR "),
    )
}

/// Problems with the daily totals over the products (`product_day_totals`,
/// migration 14): each day whose kept values differ from the sums of
/// `product_daily`, as sentences.
pub(crate) fn totals_check_sql() -> String {
    let sums: Vec<String> = VALUES.iter().map(|v| format!("sum({v}) AS {v}")).collect();
    let nonzero: Vec<String> = VALUES.iter().map(|v| format!("{v} <> 0")).collect();
    let differ: Vec<String> = VALUES
        .iter()
        .map(|v| format!("coalesce(a.{v}, 0) <> coalesce(d.{v}, 0)"))
        .collect();
    let shown: Vec<String> = VALUES
        .iter()
        .map(|v| format!("'{v} ' || coalesce(d.{v}, 0) || '/' || coalesce(a.{v}, 0)"))
        .collect();
    format!(
        "WITH actual AS (SELECT day, {sums} FROM product_daily GROUP BY day),
kept AS (SELECT * FROM product_day_totals WHERE {nonzero}),
keys AS (SELECT day FROM actual UNION SELECT day FROM kept)
SELECT 'products on ' || k.day || ' (kept/products say): ' || {shown}
FROM keys k LEFT JOIN actual a ON a.day = k.day LEFT JOIN kept d ON d.day = k.day
WHERE {differ}",
        sums = sums.join(", "),
        nonzero = nonzero.join(" OR "),
        shown = shown.join(" || ', ' || "),
        differ = differ.join(" OR "),
    )
}

/// The triggers that keep the summaries (dropped by a bulk write, which
/// adds what it wrote with `add_written` instead), with their SQL.
pub(crate) fn triggers(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'trigger' AND (name LIKE 'product\\_daily\\_%' ESCAPE '\\'
                                         OR name LIKE 'product\\_monthly\\_%' ESCAPE '\\')",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Adds to both summaries the orders from `first_order` on and the
/// refunds from `first_payment` on (a bulk write's, its triggers dropped):
/// their days to `product_daily`, then the months from the first of them
/// on, and the days' totals over the products (`product_day_totals`), summed
/// again from it (a temporary table would fix the connection's temporary
/// storage for the rest of the transaction).
pub(crate) fn add_written(conn: &Connection, first_order: i64, first_payment: i64) -> Result<()> {
    let values = VALUES.join(", ");
    let add: Vec<String> = VALUES
        .iter()
        .map(|v| format!("{v} = {v} + excluded.{v}"))
        .collect();
    let sums: Vec<String> = VALUES.iter().map(|v| format!("sum({v})")).collect();
    conn.execute(
        &format!(
            "INSERT INTO product_daily (product_id, day, {values})
SELECT * FROM ({source}) WHERE true
ON CONFLICT (product_id, day) DO UPDATE SET {add}",
            source = source("o.id >= ?1", "p.id >= ?2"),
            add = add.join(", "),
        ),
        [first_order, first_payment],
    )?;
    let first: Option<String> = conn.query_row(
        "SELECT min(day) FROM (SELECT min(order_date) AS day FROM orders WHERE id >= ?1
                               UNION ALL SELECT min(paid_on) FROM payments WHERE id >= ?2)",
        [first_order, first_payment],
        |r| r.get(0),
    )?;
    if let Some(first) = first {
        let month = first.get(..7).unwrap_or(&first).to_owned();
        conn.execute("DELETE FROM product_monthly WHERE month >= ?1", [&month])?;
        conn.execute(
            &format!(
                "INSERT INTO product_monthly (product_id, month, {values})
SELECT product_id, substr(day, 1, 7), {sums} FROM product_daily WHERE day >= ?1 || '-01' GROUP BY 1, 2",
                sums = sums.join(", "),
            ),
            [&month],
        )?;
        conn.execute("DELETE FROM product_day_totals WHERE day >= ?1", [&first])?;
        conn.execute(
            &format!(
                "INSERT INTO product_day_totals (day, {values})
SELECT day, {sums} FROM product_daily WHERE day >= ?1 GROUP BY 1",
                sums = sums.join(", "),
            ),
            [&first],
        )?;
    }
    Ok(())
}
