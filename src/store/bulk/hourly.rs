//! The hourly sales summary (`order_hourly`) of what a bulk write added,
//! its triggers dropped: each sale's day and hour counted as it is
//! written, by the same rule as `order_hourly`'s recomputation (which
//! `shopkeeper check` proves it against), and added once by `finish`,
//! sorted by day and hour, instead of reading the written orders back.

use std::collections::HashMap;

use rusqlite::Connection;

use super::batch::{Batch, Cell, IdHash, ROWS_PER_STATEMENT};
use super::products::{day_number, day_text};
use crate::store::{Result, StoreError};

/// Orders and revenue per (day as YYYYMMDD, hour).
#[derive(Default)]
pub(super) struct Hourly(HashMap<(u32, u8), (i64, i64), IdHash>);

impl Hourly {
    /// Adds a sale taken on `date` at `time` ('HH:MM:SS') worth `revenue`.
    pub(super) fn sale(&mut self, date: &str, time: &str, revenue: i64) -> Result<()> {
        // The hour as the summary keys it: the time's first two digits.
        let hour = match time.as_bytes() {
            [a, b, b':', ..] if a.is_ascii_digit() && b.is_ascii_digit() => {
                (a - b'0') * 10 + (b - b'0')
            }
            _ => {
                return Err(StoreError::Refused(format!(
                    "\"{time}\" is not a time (HH:MM:SS); nothing was saved"
                )));
            }
        };
        let sums = self.0.entry((day_number(date)?, hour)).or_default();
        sums.0 += 1;
        sums.1 += revenue;
        Ok(())
    }

    /// Adds the sums to `order_hourly`, in key order.
    pub(super) fn write(self, conn: &Connection) -> Result<()> {
        let mut hours: Vec<((u32, u8), (i64, i64))> = self.0.into_iter().collect();
        hours.sort_unstable();
        let mut batch = Batch::with_tail(
            "INSERT INTO order_hourly (order_date, hour, orders, revenue) VALUES ",
            " ON CONFLICT (order_date, hour) DO UPDATE SET
                 orders = orders + excluded.orders, revenue = revenue + excluded.revenue",
            4,
        );
        let mut texts = String::new();
        for ((day, hour), (orders, revenue)) in hours {
            let start = texts.len() as u32;
            texts.push_str(&day_text(day));
            batch.cells.extend_from_slice(&[
                Cell::Text(start, texts.len() as u32),
                Cell::Int(i64::from(hour)),
                Cell::Int(orders),
                Cell::Int(revenue),
            ]);
            if batch.rows() >= 4 * ROWS_PER_STATEMENT {
                batch.write(conn, &texts)?;
                texts.clear();
            }
        }
        batch.write(conn, &texts)
    }
}
