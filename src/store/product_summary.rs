//! The per-product summaries `product_daily` and `product_monthly`
//! (migration 12), `product_day_totals`, the daily one summed over the
//! products (migration 14), and `product_totals`, summed over the days
//! (migration 17): what each product sold, per day and per month, by the one
//! rule of how money counts (a sale's lines at its date, each refund's units
//! and revenue share at the refund's date). Triggers keep them in the same
//! transaction as every order change; here is their recomputation from the
//! raw tables, which `shopkeeper check` compares them with (a bulk write
//! adds up what it writes by the same rule itself, instead of firing the
//! triggers per row: `bulk::products`).

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
/// (`true` for all; `o` is the order, `i` the line, `p` the refund's
/// payment).
pub(crate) fn source(orders: &str, payments: &str) -> String {
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
    kept_sums_check_sql(
        ("product_daily", "day"),
        "product_day_totals",
        "'products on ' || k.day || ' (kept/products say): '",
    )
}

/// Problems with each product's sums over all time (`product_totals`,
/// migration 17): each product whose kept values differ from the sums of
/// `product_monthly`, as sentences.
pub(crate) fn lifetime_check_sql() -> String {
    kept_sums_check_sql(
        ("product_monthly", "product_id"),
        "product_totals",
        "'product ' || k.product_id || ' over all time (kept/months say): '",
    )
}

/// Each `key` whose row of `kept` differs from the sums of `source`'s rows
/// with that key (a missing row counts as zeros), as `said` and the values.
fn kept_sums_check_sql((source, key): (&str, &str), kept: &str, said: &str) -> String {
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
        "WITH actual AS (SELECT {key}, {sums} FROM {source} GROUP BY {key}),
kept AS (SELECT * FROM {kept} WHERE {nonzero}),
keys AS (SELECT {key} FROM actual UNION SELECT {key} FROM kept)
SELECT {said} || {shown}
FROM keys k LEFT JOIN actual a ON a.{key} = k.{key} LEFT JOIN kept d ON d.{key} = k.{key}
WHERE {differ}",
        sums = sums.join(", "),
        nonzero = nonzero.join(" OR "),
        shown = shown.join(" || ', ' || "),
        differ = differ.join(" OR "),
    )
}

/// The triggers that keep the summaries (dropped by a bulk write, which
/// adds what it wrote at its end instead: `store::bulk`'s products), with
/// their SQL.
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
