//! The daily tax summary `tax_daily` (migration 16): what was taxed, per
//! local day and rate, by the one rule of how money counts (a sale's lines
//! and its shipping at its order date), which the tax report reads instead
//! of every order and order line. Triggers keep it in the same transaction
//! as every change to orders and their lines; here is its recomputation from
//! the orders, which `shopkeeper check` compares it with, and the sums a
//! bulk write adds up as it writes and adds once (its triggers dropped).

use std::collections::HashMap;

use rusqlite::Connection;

use super::{Result, codes};
use crate::domain::pricing::Figures;
use crate::domain::{OrderLine, OrderStatus, Terms};

/// The key a part at no rate but carrying tax (tax an import gave as an
/// amount) is filed under, apart from sales at no rate and no tax (0);
/// migration 20. The tax report names it "Tax as given".
pub(crate) const AS_GIVEN: i64 = -1;

/// The key a part (a line, or an order's shipping) sold at `rate` with
/// `tax` is filed under.
fn key(rate: i64, tax: i64) -> i64 {
    if rate == 0 && tax != 0 {
        AS_GIVEN
    } else {
        rate
    }
}

/// The recomputation per day and key, as `(day, key, taxable, tax,
/// parts)`: each line of an order that counts as a sale, and its shipping
/// when it has shipping or shipping tax.
fn source() -> String {
    format!(
        "SELECT day, CASE WHEN rate = 0 AND tax <> 0 THEN {AS_GIVEN} ELSE rate END AS key,
       sum(taxable) AS taxable, sum(tax) AS tax, count(*) AS parts
FROM (
    SELECT o.order_date AS day, i.tax_rate AS rate, i.revenue AS taxable, i.tax AS tax
    FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE {o_sale}
    UNION ALL
    SELECT order_date, shipping_rate, shipping, shipping_tax
    FROM orders
    WHERE {sale} AND (shipping <> 0 OR shipping_tax <> 0))
GROUP BY day, key",
        o_sale = codes::sale("o.status"),
        sale = codes::sale("status"),
    )
}

/// Problems with the summary: each day and rate whose kept sums differ
/// from their recomputation, as sentences.
pub(crate) fn check_sql() -> String {
    format!(
        "WITH actual AS (SELECT day, key AS rate, taxable, tax, parts FROM ({source})),
kept AS (SELECT * FROM tax_daily WHERE taxable <> 0 OR tax <> 0 OR parts <> 0),
keys AS (SELECT day, rate FROM actual UNION SELECT day, rate FROM kept)
SELECT k.day || ' at rate ' || k.rate || ' (kept/orders say): taxable '
       || coalesce(d.taxable, 0) || '/' || coalesce(a.taxable, 0)
       || ', tax ' || coalesce(d.tax, 0) || '/' || coalesce(a.tax, 0)
       || ', parts ' || coalesce(d.parts, 0) || '/' || coalesce(a.parts, 0)
FROM keys k
LEFT JOIN actual a ON a.day = k.day AND a.rate = k.rate
LEFT JOIN kept d ON d.day = k.day AND d.rate = k.rate
WHERE coalesce(a.taxable, 0) <> coalesce(d.taxable, 0) OR coalesce(a.tax, 0) <> coalesce(d.tax, 0)
   OR coalesce(a.parts, 0) <> coalesce(d.parts, 0)",
        source = source(),
    )
}

/// The triggers that keep the summary (dropped by a bulk write, which adds
/// what it wrote with [`Sums`] instead), with their SQL.
pub(crate) fn triggers(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'trigger' AND name LIKE 'tax\\_daily\\_%' ESCAPE '\\'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// What a bulk write taxed, per day and rate, added up as it writes (by the
/// same rule as the triggers) and added to the summary once by `write`.
#[derive(Debug, Default)]
/// Each day's rates and their sums (a day has a few rates: a short list).
pub(crate) struct Sums(HashMap<String, Vec<(i64, [i64; 3])>>);

impl Sums {
    /// Adds an order written where it ended (`status`), with its lines and
    /// their figures.
    pub(crate) fn add(
        &mut self,
        date: &str,
        status: OrderStatus,
        lines: &[OrderLine],
        terms: &Terms,
        f: &Figures,
    ) {
        if !status.is_sale() {
            return;
        }
        // Most orders fall on a day already seen: no key is made for them.
        let day = match self.0.get_mut(date) {
            Some(day) => day,
            None => self.0.entry(date.to_owned()).or_default(),
        };
        let mut add = |rate: i64, taxable: i64, tax: i64| {
            let i = match day.iter().position(|(r, _)| *r == rate) {
                Some(i) => i,
                None => {
                    day.push((rate, [0; 3]));
                    day.len() - 1
                }
            };
            let sums = &mut day[i].1;
            sums[0] += taxable;
            sums[1] += tax;
            sums[2] += 1;
        };
        for (l, lf) in lines.iter().zip(&f.lines) {
            add(key(l.tax_rate.0, lf.tax), lf.revenue, lf.tax);
        }
        if f.shipping != 0 || f.shipping_tax != 0 {
            add(
                key(terms.shipping_rate.0, f.shipping_tax),
                f.shipping,
                f.shipping_tax,
            );
        }
    }

    /// Adds the sums to the summary.
    pub(crate) fn write(&self, conn: &Connection) -> Result<()> {
        let mut add = conn.prepare_cached(
            "INSERT INTO tax_daily (day, rate, taxable, tax, parts) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (day, rate) DO UPDATE SET
                 taxable = taxable + excluded.taxable, tax = tax + excluded.tax,
                 parts = parts + excluded.parts",
        )?;
        for (day, rates) in &self.0 {
            for (rate, [taxable, tax, parts]) in rates {
                add.execute(rusqlite::params![day, rate, taxable, tax, parts])?;
            }
        }
        Ok(())
    }
}
