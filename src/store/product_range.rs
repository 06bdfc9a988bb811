//! Each product's sums over a range of days, read from the per-product
//! summaries (`product_totals`, `product_monthly`, `product_daily`) with as few pages as
//! they allow: what the reports `abc`, `top-products` and `margin` worked
//! out in Rust (`abc`, `product_rows`) start from.
//!
//! A month the range covers whole is its monthly row. A month the range
//! covers in part (where it starts and where it ends) is either its days in
//! the range, or its monthly row less its days outside the range,
//! whichever reads fewer days' rows (`product_day_totals`, a row per day,
//! tells how much each side holds; a side that holds nothing is not read at
//! all: the days after today, the days before the first order). The
//! months' rows are summed per product by SQLite as it walks the products
//! in id order (no sort, no temporary B-tree); each range of days is one
//! run of the daily summary, kept in day order (migration 18), summed per
//! product and added (or taken off) here.
//!
//! A range outside which nothing counted (all time: from the first order
//! to today) is each product's sums over all time (`product_totals`, a row
//! per product, about a hundred pages at ten thousand products) instead of every
//! product's every month (a few thousand pages at a million orders; the
//! reports' queries also look up every product's days of the first and
//! last month: most of the daily summary's pages, on an encrypted shop each
//! one decrypted).

use crate::domain::period::ymd;
use chrono::{Datelike, Days, NaiveDate};
use rusqlite::Connection;

use super::Result;

/// A product's sums over the range (the summaries' values, see
/// `product_summary::VALUES`; those not asked for stay 0). Added up wide,
/// so that no order of adding overflows; each must fit an i64 in the end.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Sums {
    pub sold: i128,
    pub refunded: i128,
    pub revenue: i128,
    pub known_revenue: i128,
    pub cost: i128,
    pub refund_revenue: i128,
    pub known_lines: i128,
    pub lines: i128,
}

impl Sums {
    fn field(&mut self, name: &str) -> Option<&mut i128> {
        Some(match name {
            "sold" => &mut self.sold,
            "refunded" => &mut self.refunded,
            "revenue" => &mut self.revenue,
            "known_revenue" => &mut self.known_revenue,
            "cost" => &mut self.cost,
            "refund_revenue" => &mut self.refund_revenue,
            "known_lines" => &mut self.known_lines,
            "lines" => &mut self.lines,
            _ => return None,
        })
    }
}

/// The values a report needs: the four of top products and ABC (fewer
/// sums over a few hundred thousand rows are a good part of the time), or
/// all of them (margin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Values {
    Few,
    All,
}

impl Values {
    fn names(self) -> &'static [&'static str] {
        match self {
            Values::Few => &["sold", "refunded", "revenue", "lines"],
            Values::All => &super::product_summary::VALUES,
        }
    }

    /// `sum(m.sold), sum(m.refunded), …` of the table aliased `alias`.
    fn sums(self, alias: &str) -> String {
        self.names()
            .iter()
            .map(|c| format!("sum({alias}.{c})"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A product as the reports name it, with its sums.
pub(super) struct Product {
    pub id: i64,
    pub sku: String,
    pub name: String,
    pub category: Option<String>,
    pub sums: Sums,
}

/// Days to read from `product_daily`: first and last day, and +1 to add
/// them or -1 to take them off (a month's days outside the range).
type DayRange = (String, String, i64);

/// What to read for a range: the months from `product_monthly` (first and
/// last, inclusive; none when first > last) and the days.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    months: (String, String),
    days: Vec<DayRange>,
}

fn month_of(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    first_of_month(d)
        .checked_add_months(chrono::Months::new(1))
        .and_then(|n| n.checked_sub_days(Days::new(1)))
        .unwrap_or(d)
}

/// The lines counted on the days `first..=last` over every product: 0
/// means no product has a figure on any of them.
fn weight(conn: &Connection, first: NaiveDate, last: NaiveDate) -> Result<i64> {
    if first > last {
        return Ok(0);
    }
    Ok(conn
        .prepare_cached(
            "SELECT coalesce(sum(lines), 0) FROM product_day_totals WHERE day BETWEEN ?1 AND ?2",
        )?
        .query_row([ymd(first), ymd(last)], |r| r.get(0))?)
}

/// The lines counted before `first` and after `last` over every product:
/// 0 means the range holds everything the summaries hold.
fn weight_outside(conn: &Connection, first: NaiveDate, last: NaiveDate) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT coalesce(sum(lines), 0) FROM product_day_totals WHERE day < ?1)
                  + (SELECT coalesce(sum(lines), 0) FROM product_day_totals WHERE day > ?2)",
        )?
        .query_row([ymd(first), ymd(last)], |r| r.get(0))?)
}

/// How to read the month `m` (any day of it) of a range `from..=to`:
/// whether to add its monthly row, and the days to add or take off.
fn edge(
    conn: &Connection,
    m: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(bool, Vec<DayRange>)> {
    let (start, end) = (first_of_month(m), last_of_month(m));
    let (first, last) = (from.max(start), to.min(end));
    let mut outside = Vec::new();
    if first > start {
        outside.push((start, first - Days::new(1)));
    }
    if last < end {
        outside.push((last + Days::new(1), end));
    }
    if outside.is_empty() {
        return Ok((true, Vec::new()));
    }
    let inside = weight(conn, first, last)?;
    let mut out_ranges = Vec::new();
    let mut out_weight = 0;
    for (a, b) in outside {
        let w = weight(conn, a, b)?;
        if w != 0 {
            out_ranges.push((ymd(a), ymd(b), -1));
            out_weight += w;
        }
    }
    if inside == 0 {
        return Ok((false, Vec::new()));
    }
    // Each range read is a look-up per product; then its rows.
    let reads_in = (1, inside);
    let reads_out = (out_ranges.len(), out_weight);
    if reads_out < reads_in {
        Ok((true, out_ranges))
    } else {
        Ok((false, vec![(ymd(first), ymd(last), 1)]))
    }
}

/// What to read for `from..=to` (`from <= to`).
fn plan(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Plan> {
    let (start_whole, mut days) = edge(conn, from, from, to)?;
    let same_month = first_of_month(from) == first_of_month(to);
    let mut first_month = first_of_month(from);
    if !start_whole {
        first_month = first_of_month(last_of_month(from) + Days::new(1));
    }
    let mut last_month = first_of_month(to);
    if same_month {
        if !start_whole {
            // Nothing from the monthly summary: an empty span of months.
            return Ok(Plan {
                months: ("1".into(), "0".into()),
                days,
            });
        }
    } else {
        let (end_whole, end_days) = edge(conn, to, from, to)?;
        days.extend(end_days);
        if !end_whole {
            last_month = first_of_month(first_of_month(to) - Days::new(1));
        }
    }
    Ok(Plan {
        months: (month_of(first_month), month_of(last_month)),
        days,
    })
}

/// Every product, in id order, with its sums over `from..=to` (checked
/// dates, `from <= to`; those in `values`), or None when a date is not a
/// calendar day (the report's query answers then).
pub(super) fn products(
    conn: &Connection,
    from: &str,
    to: &str,
    values: Values,
) -> Result<Option<Vec<Product>>> {
    let parse = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    let (Some(first), Some(last)) = (parse(from), parse(to)) else {
        return Ok(None);
    };
    if weight_outside(conn, first, last)? == 0 {
        return Ok(Some(lifetime(conn, values)?));
    }
    let plan = plan(conn, first, last)?;
    let mut products = with_months(conn, &plan.months, values)?;
    for range in &plan.days {
        add_days(conn, range, values, &mut products)?;
    }
    Ok(Some(products))
}

/// The sums in the columns from `at` of `row` (NULL: none), as `values`
/// names them.
fn sums(row: &rusqlite::Row, at: usize, values: Values) -> rusqlite::Result<Sums> {
    let mut sums = Sums::default();
    for (i, name) in values.names().iter().enumerate() {
        let v: i128 = row.get::<_, Option<i64>>(at + i)?.unwrap_or(0).into();
        if let Some(field) = sums.field(name) {
            *field = v;
        }
    }
    Ok(sums)
}

/// Every product, in id order, with the sums of its months `first..=last`
/// (none when first > last). Summed by SQLite per product as it walks the
/// products in order, which needs no sort.
fn with_months(
    conn: &Connection,
    (first, last): &(String, String),
    values: Values,
) -> Result<Vec<Product>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.sku, p.name, p.category, {}
         FROM products p LEFT JOIN product_monthly m
             ON m.product_id = p.id AND m.month BETWEEN ?1 AND ?2
         GROUP BY p.id
         ORDER BY p.id",
        values.sums("m")
    ))?;
    let rows = stmt.query_map([first, last], |r| {
        Ok(Product {
            id: r.get(0)?,
            sku: r.get(1)?,
            name: r.get(2)?,
            category: r.get(3)?,
            sums: sums(r, 4, values)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every product, in id order, with its sums over all time.
fn lifetime(conn: &Connection, values: Values) -> Result<Vec<Product>> {
    let columns: Vec<String> = values.names().iter().map(|c| format!("t.{c}")).collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.id, p.sku, p.name, p.category, {}
         FROM products p LEFT JOIN product_totals t ON t.product_id = p.id
         ORDER BY p.id",
        columns.join(", ")
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(Product {
            id: r.get(0)?,
            sku: r.get(1)?,
            name: r.get(2)?,
            category: r.get(3)?,
            sums: sums(r, 4, values)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds (or takes off) each product's days of a range: one run of the
/// daily summary, kept in day order (migration 18), summed per product.
fn add_days(
    conn: &Connection,
    (first, last, sign): &DayRange,
    values: Values,
    products: &mut [Product],
) -> Result<()> {
    // Each day's rows come in product order: the day's next product is
    // looked for from the one before (no sort, no temporary B-tree).
    let columns: Vec<String> = values.names().iter().map(|c| format!("d.{c}")).collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.product_id, {}
         FROM product_daily d WHERE d.day BETWEEN ?1 AND ?2",
        columns.join(", ")
    ))?;
    let mut rows = stmt.query([first, last])?;
    let sign = i128::from(*sign);
    let mut at = 0;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if products.get(at).is_none_or(|p| p.id > id) {
            at = 0;
        }
        at += products[at..].partition_point(|p| p.id < id);
        let Some(p) = products.get_mut(at).filter(|p| p.id == id) else {
            continue;
        };
        let d = sums(row, 1, values)?;
        let s = &mut p.sums;
        s.sold += sign * d.sold;
        s.refunded += sign * d.refunded;
        s.revenue += sign * d.revenue;
        s.known_revenue += sign * d.known_revenue;
        s.cost += sign * d.cost;
        s.refund_revenue += sign * d.refund_revenue;
        s.known_lines += sign * d.known_lines;
        s.lines += sign * d.lines;
    }
    Ok(())
}
