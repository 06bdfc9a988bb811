//! The report `abc` in its own order, worked out here instead of by its
//! query (`product_reports`, which `reports::sql` shows): the same rows,
//! byte for byte, without the query's groupings and sorts of a few hundred
//! thousand summary rows.
//!
//! Each product's sums over the range come from `product_range` (each
//! product's totals when nothing counted outside the range, as over all
//! time; else the monthly summary for whole months, the daily one only
//! where it reads less). Then the products are ranked by revenue (ties by SKU), with the
//! running share of revenue that gives each its class, and the two shares
//! written as SQLite's `printf('%.1f', …)` writes them (`domain::report::percent`).

use rusqlite::Connection;

use super::Result;
use super::product_range::{self, Product, Values};
use crate::domain::report::percent;
use crate::domain::{Cell, Money};

/// The rows of the report `abc` over `from..=to` (checked dates, `from <=
/// to`), or None when a date is not a calendar day (the query answers then).
pub(super) fn rows(conn: &Connection, from: &str, to: &str) -> Result<Option<Vec<Vec<Cell>>>> {
    Ok(product_range::products(conn, from, to, Values::Few)?.and_then(ranked))
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
            Cell::Text(p.category.unwrap_or_default()),
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

#[cfg(test)]
mod tests {
    use crate::domain::report::percent;

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
