//! The reports `top-products` and `margin` (by product and by category) in
//! their own order, worked out here instead of by their queries
//! (`product_reports`, which `reports::sql` shows): the same rows, byte for
//! byte, from each product's sums over the range as `product_range` reads
//! them (all time: a row per product from `product_totals`, where the
//! queries read every product's every month and look up its days of the
//! range's first and last month: several thousand pages, twice the time on
//! an encrypted shop, which decrypts each page it reads).
//!
//! Sorted as the queries sort (text as SQLite compares it, byte by byte),
//! and the margin percent written as SQLite's `printf('%.1f', …)` writes
//! it (`domain::report::percent`). A sum that does not fit an i64 hands the report
//! back to its query (`None`), which stops there as it did.

use rusqlite::Connection;

use super::product_range::{self, Product, Values};
use super::{Result, codes};
use crate::domain::report::percent;
use crate::domain::{Cell, Money};

/// A product's sums as the queries see them: each an i64, or None.
fn fits(p: &Product, values: Values) -> Option<()> {
    let s = p.sums;
    let mut all = vec![s.sold, s.refunded, s.revenue, s.lines];
    if values == Values::All {
        all.extend([s.known_revenue, s.cost, s.refund_revenue, s.known_lines]);
    }
    for v in all {
        i64::try_from(v).ok()?;
    }
    Some(())
}

/// The products something counted for in the range (lines > 0), or None
/// (see the module).
fn counted(
    conn: &Connection,
    from: &str,
    to: &str,
    values: Values,
) -> Result<Option<Vec<Product>>> {
    let Some(products) = product_range::products(conn, from, to, values)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for p in products.into_iter().filter(|p| p.sums.lines > 0) {
        if fits(&p, values).is_none() {
            return Ok(None);
        }
        out.push(p);
    }
    Ok(Some(out))
}

/// The rows of `top-products` over `from..=to`: the `limit` products of
/// most revenue (ties: more units, then SKU).
pub(super) fn top(
    conn: &Connection,
    from: &str,
    to: &str,
    limit: i64,
) -> Result<Option<Vec<Vec<Cell>>>> {
    let Some(products) = counted(conn, from, to, Values::Few)? else {
        return Ok(None);
    };
    let mut rows = Vec::with_capacity(products.len());
    for p in products {
        let Ok(quantity) = i64::try_from(p.sums.sold - p.sums.refunded) else {
            return Ok(None);
        };
        let Ok(revenue) = i64::try_from(p.sums.revenue) else {
            return Ok(None);
        };
        rows.push((p.sku, p.name, quantity, revenue));
    }
    rows.sort_by(|a, b| {
        b.3.cmp(&a.3)
            .then_with(|| b.2.cmp(&a.2))
            .then_with(|| a.0.as_bytes().cmp(b.0.as_bytes()))
    });
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(Some(
        rows.into_iter()
            .map(|(sku, name, quantity, revenue)| {
                vec![
                    Cell::Text(sku),
                    Cell::Text(name),
                    Cell::Int(quantity),
                    Cell::Amount(Money(revenue)),
                ]
            })
            .collect(),
    ))
}

/// One row of the margin report before its cells: the names it is shown
/// by (SKU and product, or category) and its sums.
#[derive(Default)]
struct Group {
    names: Vec<String>,
    quantity: i128,
    revenue: i128,
    known: i128,
    cost: i128,
    unknown: i128,
    any_known: bool,
}

/// The rows of `margin` over `from..=to`, per product or (`by_category`)
/// per category (`No category` for none), most revenue first; what refunds
/// gave back that no unit carries a row of its own, last.
pub(super) fn margin(
    conn: &Connection,
    from: &str,
    to: &str,
    by_category: bool,
) -> Result<Option<Vec<Vec<Cell>>>> {
    let Some(products) = counted(conn, from, to, Values::All)? else {
        return Ok(None);
    };
    let mut refund_revenue: i128 = 0;
    let mut groups: Vec<Group> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for p in products {
        let s = p.sums;
        refund_revenue += s.refund_revenue;
        let g = if by_category {
            let category = p.category.unwrap_or_else(|| "No category".into());
            let i = *at.entry(category.clone()).or_insert_with(|| {
                groups.push(Group {
                    names: vec![category],
                    ..Group::default()
                });
                groups.len() - 1
            });
            &mut groups[i]
        } else {
            groups.push(Group {
                names: vec![p.sku, p.name],
                ..Group::default()
            });
            let last = groups.len() - 1;
            &mut groups[last]
        };
        g.quantity += s.sold - s.refunded;
        g.revenue += s.revenue;
        g.known += s.known_revenue;
        g.cost += s.cost;
        g.unknown += s.revenue - s.known_revenue;
        g.any_known |= s.known_lines > 0;
    }
    let mut rows: Vec<(i64, Vec<String>, Vec<Cell>)> = Vec::with_capacity(groups.len() + 1);
    for g in groups {
        let Some(row) = margin_cells(&g) else {
            return Ok(None);
        };
        let Ok(revenue) = i64::try_from(g.revenue) else {
            return Ok(None);
        };
        rows.push((revenue, g.names, row));
    }
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            let a = a.1.iter().map(|n| n.as_bytes());
            a.cmp(b.1.iter().map(|n| n.as_bytes()))
        })
    });
    let mut out: Vec<Vec<Cell>> = rows.into_iter().map(|(_, _, cells)| cells).collect();
    let Some(loose) = loose(conn, from, to, refund_revenue)? else {
        return Ok(None);
    };
    if loose != 0 {
        let mut row = vec![Cell::Text("Refunds not tied to a product".into())];
        if !by_category {
            row.insert(0, Cell::Text(String::new()));
        }
        row.extend([
            Cell::Int(0),
            Cell::Amount(Money(loose)),
            Cell::Amount(Money(0)),
            Cell::Amount(Money(loose)),
            Cell::Empty,
            Cell::Amount(Money(0)),
        ]);
        out.push(row);
    }
    Ok(Some(out))
}

/// A group's cells: its names, quantity, revenue, cost, margin and margin
/// percent over the lines of a known cost (none when it has none), and the
/// revenue without a known cost. None when a figure does not fit an i64.
fn margin_cells(g: &Group) -> Option<Vec<Cell>> {
    let int = |v: i128| i64::try_from(v).ok();
    let (known, cost) = (int(g.known)?, int(g.cost)?);
    let (margin, margin_percent) = if g.any_known {
        let m = known.checked_sub(cost)?;
        // Over what was earned: none for a range of refunds only (a margin
        // of -2.00 on -2.00 is no "100 %").
        let pct = if known > 0 {
            Cell::Text(percent(m, known))
        } else {
            Cell::Empty
        };
        (Cell::Amount(Money(m)), pct)
    } else {
        (Cell::Empty, Cell::Empty)
    };
    let mut cells: Vec<Cell> = g.names.iter().cloned().map(Cell::Text).collect();
    cells.extend([
        Cell::Int(int(g.quantity)?),
        Cell::Amount(Money(int(g.revenue)?)),
        Cell::Amount(Money(cost)),
        margin,
        margin_percent,
        Cell::Amount(Money(int(g.unknown)?)),
    ]);
    Some(cells)
}

/// What refunds in the range gave back that no unit carries (negative):
/// the products' refund shares (`refund_revenue`, summed over the products
/// counted) less what the refunds gave back in all (`refund_daily`).
fn loose(conn: &Connection, from: &str, to: &str, refund_revenue: i128) -> Result<Option<i64>> {
    let sale = codes::sale("status");
    let back: i64 = conn
        .prepare_cached(&format!(
            "SELECT coalesce(sum(revenue), 0) FROM refund_daily
             WHERE paid_on BETWEEN ?1 AND ?2 AND {sale}"
        ))?
        .query_row([from, to], |r| r.get(0))?;
    Ok(i64::try_from(refund_revenue)
        .ok()
        .and_then(|shares| shares.checked_sub(back)))
}
