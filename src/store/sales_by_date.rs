//! `sales-by-date` in its own order, read without its query's sort: the
//! daily summaries of sales (`order_daily`) and refunds (`refund_daily`) come
//! in date order from their keys, each day of the range is walked here (a
//! day without either is a row of zeros) and days are added into their week
//! or month as they pass. The rows are those of the report's query
//! (`money_reports`, which `reports::sql` shows): the same days, periods and
//! sums. A day this cannot name as a calendar day, or a sum too large, hands
//! the report back to the query (`None`), which then answers as it always
//! did.

use chrono::{Datelike, Days, NaiveDate};
use rusqlite::Connection;

use super::{Result, codes, money_reports};
use crate::domain::{Cell, Money, Period};

/// One period's sums: orders, items, gross sales, discounts, revenue,
/// shipping, tax, total, refunds (the report's columns after the date).
type Sums = [i64; 9];

/// The report's rows from `from` to `to` (checked dates, `from <= to`),
/// or None when the query must answer (see the module comment).
pub(super) fn rows(
    conn: &Connection,
    from: &str,
    to: &str,
    by: Period,
) -> Result<Option<Vec<Vec<Cell>>>> {
    let (Some(first), Some(last)) = (day(from), day(to)) else {
        return Ok(None);
    };
    let sale = codes::sale("status");
    let mut sales = conn.prepare_cached(&format!(
        "SELECT order_date, orders, items, gross_sales, discounts, revenue, shipping, tax, total
         FROM order_daily
         WHERE order_date BETWEEN ?1 AND ?2 AND {sale}
         ORDER BY order_date"
    ))?;
    let mut sales = sales.query([from, to])?;
    let mut refunds = conn.prepare_cached(&format!(
        "SELECT paid_on, amount FROM refund_daily
         WHERE paid_on BETWEEN ?1 AND ?2 AND {sale}
         ORDER BY paid_on"
    ))?;
    let mut refunds = refunds.query([from, to])?;
    let week_start: i64 = match by {
        Period::Week => conn
            .prepare_cached(&format!("SELECT {}", money_reports::week_start()))?
            .query_row([], |r| r.get(0))?,
        _ => 0,
    };

    let mut out: Vec<Vec<Cell>> = Vec::new();
    let mut current: Option<(String, Sums)> = None;
    // The next summary row of each, read ahead: (its day, its figures).
    let mut sale_row = next_sale(&mut sales)?;
    let mut refund_row = next_refund(&mut refunds)?;
    let mut d = first;
    loop {
        let key = d.format("%Y-%m-%d").to_string();
        let mut sums: Sums = [0; 9];
        while let Some((k, figures)) = &sale_row {
            match k.as_str().cmp(key.as_str()) {
                // A key between two calendar days: not one.
                std::cmp::Ordering::Less => return Ok(None),
                std::cmp::Ordering::Greater => break,
                std::cmp::Ordering::Equal => {
                    for (s, f) in sums.iter_mut().zip(figures) {
                        let Some(v) = s.checked_add(*f) else {
                            return Ok(None);
                        };
                        *s = v;
                    }
                    sale_row = next_sale(&mut sales)?;
                }
            }
        }
        while let Some((k, amount)) = &refund_row {
            match k.as_str().cmp(key.as_str()) {
                std::cmp::Ordering::Less => return Ok(None),
                std::cmp::Ordering::Greater => break,
                std::cmp::Ordering::Equal => {
                    let Some(v) = sums[8].checked_add(*amount) else {
                        return Ok(None);
                    };
                    sums[8] = v;
                    refund_row = next_refund(&mut refunds)?;
                }
            }
        }
        let period = match by {
            Period::Day => key,
            Period::Month => key[..7].to_owned(),
            Period::Quarter => {
                let month: u32 = key[5..7].parse().unwrap_or(1);
                format!("{}-Q{}", &key[..4], month.div_ceil(3))
            }
            Period::Week => match week_of(d, week_start) {
                Some(w) => w,
                None => return Ok(None),
            },
        };
        match &mut current {
            Some((p, total)) if *p == period => {
                for (t, s) in total.iter_mut().zip(sums) {
                    let Some(v) = t.checked_add(s) else {
                        return Ok(None);
                    };
                    *t = v;
                }
            }
            _ => {
                if let Some((p, total)) = current.replace((period, sums)) {
                    out.push(cells(p, total));
                }
            }
        }
        if d >= last {
            break;
        }
        let Some(next) = d.checked_add_days(Days::new(1)) else {
            return Ok(None);
        };
        d = next;
    }
    if sale_row.is_some() || refund_row.is_some() {
        return Ok(None);
    }
    if let Some((p, total)) = current {
        out.push(cells(p, total));
    }
    Ok(Some(out))
}

/// A 'YYYY-MM-DD' text as a day, only when it writes that day back the
/// same (as SQLite's `date()` would).
fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y-%m-%d").to_string() == text)
}

/// The first day of the week holding `d`, as `date(d, '-6 days', 'weekday
/// N')` gives it: six days back, then forward to the first day that is
/// weekday N (0 is Sunday).
fn week_of(d: NaiveDate, week_start: i64) -> Option<String> {
    let back = d.checked_sub_days(Days::new(6))?;
    let from_sunday = i64::from(back.weekday().num_days_from_sunday());
    let ahead = u64::try_from((week_start - from_sunday).rem_euclid(7)).ok()?;
    let start = back.checked_add_days(Days::new(ahead))?;
    Some(start.format("%Y-%m-%d").to_string())
}

fn next_sale(rows: &mut rusqlite::Rows) -> Result<Option<(String, [i64; 8])>> {
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    let mut figures = [0; 8];
    for (i, f) in figures.iter_mut().enumerate() {
        *f = r.get(i + 1)?;
    }
    Ok(Some((r.get(0)?, figures)))
}

fn next_refund(rows: &mut rusqlite::Rows) -> Result<Option<(String, i64)>> {
    let Some(r) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some((r.get(0)?, r.get(1)?)))
}

/// A row as the report's columns: the period, orders and items, then the
/// amounts.
fn cells(period: String, sums: Sums) -> Vec<Cell> {
    let mut row = Vec::with_capacity(10);
    row.push(Cell::Text(period));
    row.push(Cell::Int(sums[0]));
    row.push(Cell::Int(sums[1]));
    row.extend(sums[2..].iter().map(|v| Cell::Amount(Money(*v))));
    row
}
