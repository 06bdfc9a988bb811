//! The reports `reorder` and `dead-stock` in their own order, worked out
//! here from one read of the products and their days in the sales-rate
//! window, instead of by their queries (`product_reports`, which
//! `reports::sql` shows): the same rows, byte for byte.
//!
//! The days of the window (`product_daily`, kept in day order: one run of
//! pages, summed per product) give each product's units sold less refunded
//! and, when it sold in it, its last sale. Only a product in stock that
//! sold nothing in the window is looked up again for its last sale before
//! it (`product_reports::LAST_SALE`, a few days looked up by their key). The settings,
//! and the two days they make of the day asked about, come from SQL
//! written as the queries write them; settings the queries would answer
//! oddly (a window of no days, a figure too large to multiply) hand the
//! report back to its query (`None`).

use chrono::NaiveDate;
use std::collections::HashMap;

use rusqlite::Connection;

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
                coalesce(p.lead_days, ?1), coalesce(p.cover_days, ?2)
         FROM products p
         WHERE p.archived = 0
         ORDER BY p.id",
    )?;
    let Some(recent) = recent_days(conn, &window, to)? else {
        return Ok(None);
    };
    let mut rows = stmt.query(rusqlite::params![lead, cover])?;
    let mut last = conn.prepare_cached(&format!("SELECT {}", super::product_reports::LAST_SALE))?;
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
        let (units, window_sale) = match recent.get(&id) {
            Some((units, last)) => (Some(*units), last.as_deref()),
            None => (None, None),
        };
        // Dead stock: in stock, and its last sale (in the window, else
        // looked up before it) is none or on the cutoff day or before.
        let mut dead_row = None;
        if stock > 0 {
            let found: Option<String>;
            let last_sale: Option<&str> = match window_sale {
                None => {
                    found = last
                        .query(rusqlite::named_params! {":product": id, ":to": to})?
                        .next()?
                        .map(|r| r.get::<_, Option<String>>(0))
                        .transpose()?
                        .flatten();
                    found.as_deref()
                }
                day => day,
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

/// Per product: units sold less refunded, and the last day it sold on.
type Recent = HashMap<i64, (i64, Option<String>)>;

/// Each product that has days in `window..=to`: its units sold less
/// refunded, and its last day with a sale among them. Read as one run of
/// the daily summary (kept in day order) and added up here; None when a
/// product's units would not fit a 64-bit number (the query then answers,
/// as SQLite's sum does: with an error).
fn recent_days(conn: &Connection, window: &str, to: &str) -> Result<Option<Recent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT product_id, sold - refunded, CASE WHEN sold > 0 THEN day END
         FROM product_daily WHERE day BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([window, to])?;
    let mut recent: HashMap<i64, (i128, Option<String>)> = HashMap::new();
    while let Some(row) = rows.next()? {
        let (id, units): (i64, i64) = (row.get(0)?, row.get(1)?);
        let entry = recent.entry(id).or_default();
        entry.0 += i128::from(units);
        // Days come in order: a later sale is the last one so far.
        if let Some(day) = row.get::<_, Option<String>>(2)? {
            entry.1 = Some(day);
        }
    }
    let mut fitted = HashMap::with_capacity(recent.len());
    for (id, (units, last)) in recent {
        let Ok(units) = i64::try_from(units) else {
            return Ok(None);
        };
        fitted.insert(id, (units, last));
    }
    Ok(Some(fitted))
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
