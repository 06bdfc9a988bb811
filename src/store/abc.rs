//! The report `abc` in its own order, worked out here instead of by its
//! query (`product_reports`, which `reports::sql` shows): the same rows,
//! byte for byte, without the query's groupings and sorts of a few hundred
//! thousand summary rows.
//!
//! Each product's sums over the range come from the rows of
//! `product_monthly` and `product_daily`, found per product by their keys
//! and summed per product as the products are walked in id order (no sort,
//! no temporary B-tree), then added together here. A month the range covers whole is its monthly row. A
//! month the range covers in part (where it starts and where it ends) is
//! either its days in the range, or its monthly row less its days outside
//! the range, whichever reads fewer days' rows (`product_day_totals`, a row
//! per day, tells how much each side holds; a side that holds nothing is
//! not read at all: the days after today, the days before the first
//! order). Then the products are ranked by revenue (ties by SKU), with the
//! running share of revenue that gives each its class, and the two shares
//! written as SQLite's `printf('%.1f', …)` writes them (`percent`).

use chrono::{Datelike, Days, NaiveDate};
use rusqlite::Connection;

use super::Result;
use crate::domain::{Cell, Money};

/// A product's sums over the range: units sold, units refunded, revenue,
/// lines counted (none: the product is not in the report). Added up wide,
/// so that no order of adding overflows; each must fit an i64 in the end.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    sold: i128,
    refunded: i128,
    revenue: i128,
    lines: i128,
}

/// A product as the report names it, with its sums.
struct Product {
    id: i64,
    sku: String,
    name: String,
    category: String,
    sums: Sums,
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

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
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

/// The rows of the report `abc` over `from..=to` (checked dates, `from <=
/// to`), or None when a date is not a calendar day (the query answers then).
pub(super) fn rows(conn: &Connection, from: &str, to: &str) -> Result<Option<Vec<Vec<Cell>>>> {
    let parse = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    let (Some(first), Some(last)) = (parse(from), parse(to)) else {
        return Ok(None);
    };
    let plan = plan(conn, first, last)?;
    let mut products = with_months(conn, &plan.months)?;
    for range in &plan.days {
        add_days(conn, range, &mut products)?;
    }
    Ok(ranked(products))
}

/// The sums in columns `at..at + 4` of `row` (NULL: none).
fn sums(row: &rusqlite::Row, at: usize) -> rusqlite::Result<Sums> {
    let get = |i: usize| -> rusqlite::Result<i128> {
        Ok(row.get::<_, Option<i64>>(at + i)?.unwrap_or(0).into())
    };
    Ok(Sums {
        sold: get(0)?,
        refunded: get(1)?,
        revenue: get(2)?,
        lines: get(3)?,
    })
}

/// Every product, in id order, with the sums of its months `first..=last`
/// (none when first > last). Summed by SQLite per product as it walks the
/// products in order, which needs no sort.
fn with_months(conn: &Connection, (first, last): &(String, String)) -> Result<Vec<Product>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.sku, p.name, coalesce(p.category, ''),
                sum(m.sold), sum(m.refunded), sum(m.revenue), sum(m.lines)
         FROM products p LEFT JOIN product_monthly m
             ON m.product_id = p.id AND m.month BETWEEN ?1 AND ?2
         GROUP BY p.id
         ORDER BY p.id",
    )?;
    let rows = stmt.query_map([first, last], |r| {
        Ok(Product {
            id: r.get(0)?,
            sku: r.get(1)?,
            name: r.get(2)?,
            category: r.get(3)?,
            sums: sums(r, 4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds (or takes off) each product's days of a range, found per product
/// by its key (a scan by day would read every product's every day).
fn add_days(
    conn: &Connection,
    (first, last, sign): &DayRange,
    products: &mut [Product],
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, sum(d.sold), sum(d.refunded), sum(d.revenue), sum(d.lines)
         FROM products p CROSS JOIN product_daily d ON d.product_id = p.id AND d.day BETWEEN ?1 AND ?2
         GROUP BY p.id
         ORDER BY p.id",
    )?;
    let mut rows = stmt.query([first, last])?;
    let sign = i128::from(*sign);
    // Both come in id order: the product is usually the next one.
    let mut at = 0;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        while products.get(at).is_some_and(|p| p.id < id) {
            at += 1;
        }
        let Some(p) = products.get_mut(at).filter(|p| p.id == id) else {
            continue;
        };
        let d = sums(row, 1)?;
        let s = &mut p.sums;
        s.sold += sign * d.sold;
        s.refunded += sign * d.refunded;
        s.revenue += sign * d.revenue;
        s.lines += sign * d.lines;
    }
    Ok(())
}

/// The products something counted for, most revenue first (ties by SKU, as
/// SQLite compares text), with their shares and classes (see the query).
/// None when a sum does not fit an i64 (SQLite's sum() stops there with an
/// error: the query answers, as it did).
fn ranked(products: Vec<Product>) -> Option<Vec<Vec<Cell>>> {
    let mut counted: Vec<(Product, i64, i64)> = Vec::new();
    let mut total: i64 = 0;
    for p in products.into_iter().filter(|p| p.sums.lines > 0) {
        let s = p.sums;
        let revenue = i64::try_from(s.revenue).ok()?;
        let quantity = i64::try_from(s.sold - s.refunded).ok()?;
        i64::try_from(s.sold).ok()?;
        i64::try_from(s.refunded).ok()?;
        total = total.checked_add(revenue)?;
        counted.push((p, revenue, quantity));
    }
    counted.sort_by(|(a, a_revenue, _), (b, b_revenue, _)| {
        b_revenue
            .cmp(a_revenue)
            .then_with(|| a.sku.as_bytes().cmp(b.sku.as_bytes()))
    });
    let mut before: i64 = 0;
    let mut rows = Vec::with_capacity(counted.len());
    for (p, revenue, quantity) in counted {
        let running = before.checked_add(revenue)?;
        let share = |n: i64| {
            if total > 0 {
                Cell::Text(percent(n, total))
            } else {
                Cell::Empty
            }
        };
        let (b, t) = (i128::from(before), i128::from(total));
        let class = if total <= 0 || revenue <= 0 {
            "C"
        } else if b * 100 < t * 80 {
            "A"
        } else if b * 100 < t * 95 {
            "B"
        } else {
            "C"
        };
        rows.push(vec![
            Cell::Text(p.sku),
            Cell::Text(p.name),
            Cell::Text(p.category),
            Cell::Int(quantity),
            Cell::Amount(Money(revenue)),
            share(revenue),
            share(running),
            Cell::Text(class.into()),
        ]);
        before = running;
    }
    Some(rows)
}

/// `printf('%.1f', 100.0 * part / whole)` as SQLite writes it: the same
/// double, rounded to one decimal from its exact value, a tie away from
/// zero (Rust's formatting rounds a tie to even: 12.25 is "12.2" there,
/// "12.3" in SQLite).
pub(super) fn percent(part: i64, whole: i64) -> String {
    let v = 100.0 * part as f64 / whole as f64;
    if !is_tie(v) {
        return format!("{v:.1}");
    }
    // |v| * 20 is an odd integer n: v is n/20, which rounds away to (n + 1) / 2 tenths.
    let n = (v.abs() * 20.0) as u64;
    let tenths = n.div_ceil(2);
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

/// Whether `v` lies exactly halfway between two tenths: `|v| * 20` is an
/// odd integer (decided on the double's bits, with no rounding).
fn is_tie(v: f64) -> bool {
    if !v.is_finite() || v == 0.0 {
        return false;
    }
    let bits = v.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mantissa = if exp == 0 {
        (bits & ((1 << 52) - 1)) << 1
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    // |v| = mantissa * 2^e; |v| * 20 = mantissa * 5 * 2^(e + 2), odd
    // exactly when the power of two left after the mantissa's own is 2^0.
    let e = exp - 1075;
    let zeros = i64::from(mantissa.trailing_zeros());
    zeros + e + 2 == 0
}

#[cfg(test)]
mod tests {
    use super::percent;

    /// Against SQLite itself: ties, values just beside them, negatives, tiny
    /// and whole shares, and many pseudo-random ones.
    #[test]
    fn percent_writes_what_sqlite_printf_writes() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn
            .prepare("SELECT printf('%.1f', 100.0 * ?1 / ?2)")
            .unwrap();
        let mut pairs: Vec<(i64, i64)> = vec![
            (49, 400),
            (147, 400),
            (1, 8),
            (3, 8),
            (1, 400),
            (-49, 400),
            (-1, 400),
            (-1, 3),
            (-1, 10_000),
            (-7, 2000),
            (0, 5),
            (5, 5),
            (1245, 10_000),
            (1235, 10_000),
            (7, 2000),
            (123_456_789, 987_654_321),
            (i64::from(i32::MAX), i64::from(i32::MAX) + 7),
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let whole = (x % 100_000 + 1) as i64;
            let part = ((x >> 20) % (whole as u64 * 2 + 1)) as i64 - whole / 4;
            pairs.push((part, whole));
            pairs.push((part * 25, whole * 100));
        }
        for (part, whole) in pairs {
            let want: String = stmt.query_row([part, whole], |r| r.get(0)).unwrap();
            assert_eq!(percent(part, whole), want, "{part} / {whole}");
        }
    }
}
