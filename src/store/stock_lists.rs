//! The reports `reorder` and `dead-stock` in their own order, worked out
//! here from one read of the products and their days in the sales-rate
//! window, instead of by their queries (`product_reports`, which
//! `reports::sql` shows): the same rows, byte for byte.
//!
//! The days of the window (`product_daily`, each product's found by its
//! key and summed by SQLite as it walks the products in id order, with no
//! sort) give each product's units sold less refunded and, when it sold in
//! it, its last sale. Only a product in stock that sold nothing in the
//! window is looked up again for its last sale before it. The settings,
//! and the two days they make of the day asked about, come from SQL
//! written as the queries write them; settings the queries would answer
//! oddly (a window of no days, a figure too large to multiply) hand the
//! report back to its query (`None`).

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::Result;
use super::product_reports::{COVER_DAYS, DEAD_DAYS, LEAD_DAYS, RATE_DAYS, setting};
use crate::domain::{Cell, Money, ReportKind, ReportTable};

/// The rows of both reports as of `to`.
pub(super) struct Lists {
    pub reorder: Vec<Vec<Cell>>,
    pub dead: Vec<Vec<Cell>>,
}

impl Lists {
    /// Both as tables of at most `max_rows` rows each.
    pub fn tables(self, max_rows: usize) -> (ReportTable, ReportTable) {
        let table = |kind, mut rows: Vec<Vec<Cell>>| {
            let truncated = rows.len() > max_rows;
            rows.truncate(max_rows);
            ReportTable {
                kind,
                rows,
                truncated,
            }
        };
        (
            table(ReportKind::Reorder, self.reorder),
            table(ReportKind::DeadStock, self.dead),
        )
    }
}

/// Both reports as of `to` (a checked date), or None when the queries
/// must answer (see the module comment).
pub(super) fn lists(conn: &Connection, to: &str) -> Result<Option<Lists>> {
    let Some(today) = NaiveDate::parse_from_str(to, "%Y-%m-%d").ok() else {
        return Ok(None);
    };
    let (rate, lead, cover, window, cutoff): (i64, i64, i64, Option<String>, Option<String>) = conn
        .prepare_cached(&format!(
            "SELECT {rate}, {lead}, {cover}, date(?1, '-' || ({rate} - 1) || ' days'),
                    date(?1, '-' || {dead} || ' days')",
            rate = setting(RATE_DAYS),
            lead = setting(LEAD_DAYS),
            cover = setting(COVER_DAYS),
            dead = setting(DEAD_DAYS),
        ))?
        .query_row([to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
    let Some(window) = window.filter(|_| rate > 0) else {
        return Ok(None);
    };
    // Every product neither report leaves out (not archived), with its
    // window's days summed by SQLite as it walks the products in id order.
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.sku, p.name, coalesce(p.category, ''), p.stock, p.cost, p.track_stock,
                coalesce(p.lead_days, ?3), coalesce(p.cover_days, ?4),
                sum(d.sold - d.refunded), max(CASE WHEN d.sold > 0 THEN d.day END)
         FROM products p LEFT JOIN product_daily d
             ON d.product_id = p.id AND d.day BETWEEN ?1 AND ?2
         WHERE p.archived = 0
         GROUP BY p.id
         ORDER BY p.id",
    )?;
    let mut rows = stmt.query(rusqlite::params![window, to, lead, cover])?;
    let mut last = conn.prepare_cached(
        "SELECT day FROM product_daily WHERE product_id = ?1 AND day <= ?2 AND sold > 0
         ORDER BY day DESC LIMIT 1",
    )?;
    let mut reorder = Vec::new();
    let mut dead = Vec::new();
    let text = |row: &rusqlite::Row, i: usize| -> Result<String> {
        Ok(row
            .get_ref(i)?
            .as_str()
            .map_err(rusqlite::Error::from)?
            .to_owned())
    };
    while let Some(row) = rows.next()? {
        let (id, stock, cost): (i64, i64, i64) = (row.get(0)?, row.get(4)?, row.get(5)?);
        let track_stock = row.get::<_, i64>(6)? == 1;
        let (lead, cover): (i64, i64) = (row.get(7)?, row.get(8)?);
        let units: Option<i64> = row.get(9)?;
        // Dead stock: in stock, and its last sale (in the window, else
        // looked up before it) is none or on the cutoff day or before.
        let mut dead_row = None;
        if stock > 0 {
            let found: Option<String>;
            let last_sale: Option<&str> = match row.get_ref(10)? {
                ValueRef::Null => {
                    found = last
                        .query(rusqlite::params![id, to])?
                        .next()?
                        .map(|r| r.get::<_, String>(0))
                        .transpose()?;
                    found.as_deref()
                }
                day => Some(day.as_str().map_err(rusqlite::Error::from)?),
            };
            let is_dead = match (last_sale, &cutoff) {
                (None, _) => true,
                (Some(day), Some(cutoff)) => day <= cutoff.as_str(),
                (Some(_), None) => false,
            };
            if is_dead {
                let Some(value) = stock.checked_mul(cost) else {
                    return Ok(None);
                };
                let since = match last_sale {
                    Some(day) => match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                        Ok(d) if day.len() == 10 => Cell::Int((today - d).num_days()),
                        _ => return Ok(None),
                    },
                    None => Cell::Empty,
                };
                let last_sale = last_sale.map_or(Cell::Empty, |d| Cell::Text(d.to_owned()));
                dead_row = Some((value, last_sale, since));
            }
        }
        let reorder_figures = match units {
            Some(u) if u > 0 && track_stock => match need(stock, cost, lead, cover, u, rate) {
                Some(figures) => figures,
                None => return Ok(None),
            },
            _ => None,
        };
        if dead_row.is_none() && reorder_figures.is_none() {
            continue;
        }
        // Only a product listed gets its names copied.
        let (sku, name, category) = (text(row, 1)?, text(row, 2)?, text(row, 3)?);
        if let Some((value, last_sale, since)) = dead_row {
            dead.push((
                value,
                vec![
                    Cell::Text(sku.clone()),
                    Cell::Text(name.clone()),
                    Cell::Text(category.clone()),
                    Cell::Int(stock),
                    last_sale,
                    since,
                    Cell::Amount(Money(value)),
                ],
            ));
        }
        if let (Some((left, suggested, value)), Some(units)) = (reorder_figures, units) {
            reorder.push((
                left,
                sku.clone(),
                vec![
                    Cell::Text(sku),
                    Cell::Text(name),
                    Cell::Text(category),
                    Cell::Int(stock),
                    Cell::Int(units),
                    Cell::Int(left),
                    Cell::Int(lead),
                    Cell::Int(cover),
                    Cell::Int(suggested),
                    Cell::Amount(Money(cost)),
                    Cell::Amount(Money(value)),
                ],
            ));
        }
    }
    reorder.sort_by(|(a, a_sku, _), (b, b_sku, _)| {
        a.cmp(b)
            .then_with(|| a_sku.as_bytes().cmp(b_sku.as_bytes()))
    });
    dead.sort_by(|(a, a_row), (b, b_row)| {
        b.cmp(a).then_with(|| {
            first_text(a_row)
                .as_bytes()
                .cmp(first_text(b_row).as_bytes())
        })
    });
    Ok(Some(Lists {
        reorder: reorder.into_iter().map(|(_, _, row)| row).collect(),
        dead: dead.into_iter().map(|(_, row)| row).collect(),
    }))
}

fn first_text(row: &[Cell]) -> &str {
    match row.first() {
        Some(Cell::Text(t)) => t,
        _ => "",
    }
}

/// A product's days left, units to order and their cost, when its stock
/// runs out within its lead time and cover days (Some(None): it does not);
/// None when a figure overflows (SQLite would go on in floating point: the
/// query answers then).
fn need(
    stock: i64,
    cost: i64,
    lead: i64,
    cover: i64,
    units: i64,
    n: i64,
) -> Option<Option<(i64, i64, i64)>> {
    let need = units.checked_mul(lead.checked_add(cover)?)?;
    let have = stock.checked_mul(n)?;
    if have >= need {
        return Some(None);
    }
    let suggested = (need.checked_add(n)?.checked_sub(1)? / n).checked_sub(stock)?;
    Some(Some((
        have / units,
        suggested,
        suggested.checked_mul(cost)?,
    )))
}
