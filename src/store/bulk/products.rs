//! The per-product summaries (`product_summary`) of what a bulk write
//! added, its triggers dropped: summed in memory as orders are written
//! (`Summary`): each sale's lines and each refund's units per product and
//! day, by the same rule as `product_summary::source` (which `shopkeeper
//! check` proves them against), added once sorted by day and product to
//! `product_daily` (kept in that order), each product's months to
//! `product_monthly` after them,
//! the days' sums to `product_day_totals` and each product's to
//! `product_totals`; with very many products and
//! days the sums are added every so often, so memory stays bounded (every
//! row is an upsert that adds). Reading the written lines back at the end
//! instead (one sort of them all) took 4.5 s of a million-line import on
//! the busy machine, summing here 0.7 s.

use std::collections::HashMap;

use rusqlite::Connection;

use super::batch::{Batch, Cell, IdHash};
use super::{BulkOrder, Core, Work};
use crate::domain::OrderLine;
use crate::domain::pricing::{self, RefundParts};
use crate::store::product_summary::VALUES;
use crate::store::{Result, StoreError};

/// The values of `VALUES`, in its order.
type Sums = [i64; 8];

/// How many (product, day) sums wait before they are added (about 40 MB).
const MOST_WAITING: usize = 450_000;

impl Core {
    /// Adds a placed order's sale lines and partial refund (its `partial`
    /// parts) to the per-product sums, when they are kept here.
    pub(super) fn add_products(
        &mut self,
        o: &BulkOrder,
        f: &pricing::Figures,
        partial: Option<&RefundParts>,
    ) -> Result<()> {
        if let Some(summary) = &mut self.products {
            if o.status.is_sale() {
                summary.sale(o.date, sold(o.lines, f))?;
            }
            if let (Some(r), Some(parts)) = (&o.refund, partial) {
                let back: Vec<Back> = r
                    .units
                    .iter()
                    .filter_map(|&(i, units, restocked)| {
                        let line = sold(o.lines, f).nth(i)?;
                        Some(Back {
                            line,
                            units,
                            restocked,
                        })
                    })
                    .collect();
                summary.refund(r.at.get(..10).unwrap_or(o.date), parts.revenue, &back)?;
            }
            if summary.full() {
                let days = summary.take_days();
                self.emit(Work::Days(days))?;
            }
        }
        Ok(())
    }
}

impl Core {
    /// Hands the per-product days still waiting over to be written.
    pub(super) fn days_left(&mut self) -> Result<()> {
        match &mut self.products {
            Some(summary) if !summary.days.is_empty() => {
                let days = summary.take_days();
                self.emit(Work::Days(days))
            }
            _ => Ok(()),
        }
    }
}

/// An order's lines as sold, for the per-product summaries.
fn sold<'a>(lines: &'a [OrderLine], f: &'a pricing::Figures) -> impl Iterator<Item = Sold> + 'a {
    lines.iter().zip(&f.lines).map(|(l, lf)| Sold {
        product_id: l.product_id,
        quantity: l.quantity,
        revenue: lf.revenue,
        unit_cost: l.unit_cost.0,
    })
}

/// A day 'YYYY-MM-DD' as the number YYYYMMDD.
pub(super) fn day_number(day: &str) -> Result<u32> {
    let b = day.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    match (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
        .flatten()
    {
        Some((y, m, d)) => Ok(y * 10_000 + m * 100 + d),
        None => Err(StoreError::Refused(format!(
            "\"{day}\" is not a date (YYYY-MM-DD); nothing was saved"
        ))),
    }
}

/// The day YYYYMMDD (a `day_number`, so a year of four digits) as
/// 'YYYY-MM-DD', without the formatting machinery (a few million a big
/// import).
pub(super) fn day_text(n: u32) -> String {
    let (y, m, d) = (n / 10_000, n / 100 % 100, n % 100);
    let digit = |v: u32| char::from(b'0' + (v % 10) as u8);
    let mut text = String::with_capacity(10);
    for c in [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(d / 10),
        digit(d),
    ] {
        text.push(c);
    }
    text
}

/// A line of a sale: its product, quantity, revenue and unit cost.
pub(super) struct Sold {
    pub(super) product_id: i64,
    pub(super) quantity: i64,
    pub(super) revenue: i64,
    pub(super) unit_cost: i64,
}

/// Units of a line given back by a refund of a sale: the line as sold,
/// the units, whether they went back into stock.
pub(super) struct Back {
    pub(super) line: Sold,
    pub(super) units: i64,
    pub(super) restocked: bool,
}

/// (Product, day) sums ready to be added: the days in day order, as the
/// daily summary is kept (migration 18: each statement's rows land beside
/// the ones before instead of all over the table), and their months added
/// up, in product order, as `product_monthly` is kept.
pub(super) struct Days {
    days: Vec<((i64, u32), Sums)>,
    months: Vec<((i64, u32), Sums)>,
}

impl Days {
    /// Adds the sums to `product_daily` and `product_monthly`.
    pub(super) fn write(self, conn: &Connection) -> Result<()> {
        let (mut daily, mut monthly) = summary_batches();
        let mut texts = String::new();
        let push = |batch: &mut Batch, texts: &mut String, product: i64, key: &str, v: &Sums| {
            let start = texts.len() as u32;
            texts.push_str(key);
            batch.cells.push(Cell::Int(product));
            batch.cells.push(Cell::Text(start, texts.len() as u32));
            batch.cells.extend(v.iter().map(|v| Cell::Int(*v)));
        };
        for ((product, day), v) in &self.days {
            push(&mut daily, &mut texts, *product, &day_text(*day), v);
            daily.write_when_full(conn, &mut texts)?;
        }
        daily.write(conn, &texts)?;
        texts.clear();
        for ((product, month), v) in &self.months {
            push(
                &mut monthly,
                &mut texts,
                *product,
                &day_text(month * 100)[..7],
                v,
            );
            monthly.write_when_full(conn, &mut texts)?;
        }
        monthly.write(conn, &texts)
    }
}

/// The sums of what was written, waiting to be added.
#[derive(Default)]
pub(super) struct Summary {
    days: HashMap<(i64, u32), Sums, IdHash>,
    /// Each day's sums over the products, for `product_day_totals`, and
    /// each product's sums of everything added, for `product_totals`: the
    /// days' sums added up as `take_days` takes them (and kept here).
    totals: HashMap<u32, Sums, IdHash>,
    lifetime: HashMap<i64, Sums, IdHash>,
}

impl Summary {
    /// Adds to a product's day; its day's and its own sums over all time
    /// follow from those when they are taken (`take_days`): one map entry
    /// a line instead of three.
    fn add(&mut self, product_id: i64, day: u32, v: Sums) {
        let sums = self.days.entry((product_id, day)).or_insert([0; 8]);
        for (s, v) in sums.iter_mut().zip(v) {
            *s += v;
        }
    }

    /// Adds a sale's lines on its day.
    pub(super) fn sale(&mut self, day: &str, lines: impl Iterator<Item = Sold>) -> Result<()> {
        let day = day_number(day)?;
        for l in lines {
            let known = l.unit_cost > 0;
            self.add(
                l.product_id,
                day,
                [
                    l.quantity,
                    0,
                    l.revenue,
                    if known { l.revenue } else { 0 },
                    l.quantity * l.unit_cost,
                    0,
                    i64::from(known),
                    1,
                ],
            );
        }
        Ok(())
    }

    /// Adds a refund of a sale made on `day` giving back `revenue`: each
    /// line's share of it is its units' worth (rounded) in proportion to
    /// what all its units are worth (rounded half up), as the SQL says.
    pub(super) fn refund(&mut self, day: &str, revenue: i64, back: &[Back]) -> Result<()> {
        let day = day_number(day)?;
        let worth = |b: &Back| {
            let q = i128::from(b.line.quantity);
            (i128::from(b.units) * i128::from(b.line.revenue) * 2 + q) / (2 * q)
        };
        let whole: i128 = back.iter().map(worth).sum();
        for b in back {
            let share = if whole == 0 {
                0
            } else {
                (i128::from(revenue) * worth(b) * 2 + whole) / (2 * whole)
            };
            let share = i64::try_from(share).map_err(|_| {
                StoreError::Refused("a refund's share is out of range; nothing was saved".into())
            })?;
            let known = b.line.unit_cost > 0;
            self.add(
                b.line.product_id,
                day,
                [
                    0,
                    b.units,
                    -share,
                    if known { -share } else { 0 },
                    if b.restocked {
                        -(b.units * b.line.unit_cost)
                    } else {
                        0
                    },
                    share,
                    i64::from(known),
                    1,
                ],
            );
        }
        Ok(())
    }

    /// Whether enough waits to be added now.
    pub(super) fn full(&self) -> bool {
        self.days.len() >= MOST_WAITING
    }

    /// The (product, day) sums waiting, sorted to be added by
    /// `Days::write` (on the composing side, so the writer only writes
    /// them), after adding them to their days' and products' sums over all
    /// (kept here for `finish`); the (product, day) sums go on from none.
    pub(super) fn take_days(&mut self) -> Days {
        let mut days: Vec<((i64, u32), Sums)> = self.days.drain().collect();
        self.days.shrink_to_fit();
        days.sort_unstable_by_key(|&((product, day), _)| (day, product));
        let mut months: HashMap<(i64, u32), Sums, IdHash> = HashMap::default();
        for &((product, day), v) in &days {
            for kept in [
                months.entry((product, day / 100)).or_insert([0; 8]),
                self.totals.entry(day).or_insert([0; 8]),
                self.lifetime.entry(product).or_insert([0; 8]),
            ] {
                for (k, v) in kept.iter_mut().zip(v) {
                    *k += v;
                }
            }
        }
        let mut months: Vec<((i64, u32), Sums)> = months.into_iter().collect();
        months.sort_unstable_by_key(|(key, _)| *key);
        Days { days, months }
    }

    /// Adds everything still waiting, the days' sums over the products to
    /// `product_day_totals`, and each product's sums to `product_totals`.
    pub(super) fn finish(mut self, conn: &Connection) -> Result<()> {
        self.take_days().write(conn)?;
        self.write_lifetime(conn)?;
        let mut totals = adding_batch("product_day_totals", &["day"]);
        let mut days: Vec<(u32, Sums)> = self.totals.into_iter().collect();
        days.sort_unstable_by_key(|(day, _)| *day);
        let mut texts = String::new();
        for (day, v) in days {
            let start = texts.len() as u32;
            texts.push_str(&day_text(day));
            totals.cells.push(Cell::Text(start, texts.len() as u32));
            totals.cells.extend(v.iter().map(|v| Cell::Int(*v)));
            totals.write_when_full(conn, &mut texts)?;
        }
        totals.write(conn, &texts)
    }
}

impl Summary {
    /// Adds each product's sums of what was written to `product_totals`.
    fn write_lifetime(&mut self, conn: &Connection) -> Result<()> {
        let mut batch = adding_batch("product_totals", &["product_id"]);
        let mut products: Vec<(i64, Sums)> = self.lifetime.drain().collect();
        products.sort_unstable_by_key(|(product, _)| *product);
        // No texts: the rows are numbers only.
        let mut texts = String::new();
        for (product, v) in products {
            batch.cells.push(Cell::Int(product));
            batch.cells.extend(v.iter().map(|v| Cell::Int(*v)));
            batch.write_when_full(conn, &mut texts)?;
        }
        batch.write(conn, &texts)
    }
}

/// A batch adding each row's figures to those already kept for its key
/// in `table` (the key's columns, then `VALUES`).
fn adding_batch<'c>(table: &str, key: &[&str]) -> Batch<'c> {
    let add: Vec<String> = VALUES
        .iter()
        .map(|v| format!("{v} = {v} + excluded.{v}"))
        .collect();
    let key_columns = key.join(", ");
    Batch::with_tail(
        &format!(
            "INSERT INTO {table} ({key_columns}, {}) VALUES ",
            VALUES.join(", ")
        ),
        &format!(
            " ON CONFLICT ({key_columns}) DO UPDATE SET {}",
            add.join(", ")
        ),
        key.len() + VALUES.len(),
    )
}

/// The batches that add sums to `product_daily` and `product_monthly`.
fn summary_batches<'c>() -> (Batch<'c>, Batch<'c>) {
    (
        adding_batch("product_daily", &["product_id", "day"]),
        adding_batch("product_monthly", &["product_id", "month"]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_text_writes_a_day_number_back() {
        for day in ["0001-01-01", "0999-12-31", "2024-02-29", "9999-12-31"] {
            assert_eq!(day_text(day_number(day).unwrap()), day);
        }
        for n in [10101, 20240229, 99991231] {
            assert_eq!(
                day_text(n),
                format!("{:04}-{:02}-{:02}", n / 10_000, n / 100 % 100, n % 100)
            );
        }
    }
}
