//! The customers' figures of what a bulk write added: their order counts,
//! spending and dates, and the summary the customer insights read
//! (`customer_figures`: revenue after refunds, first and last sale, and
//! `customer_months`), added up per customer and month while writing and
//! added once by `finish`, instead of recomputing every customer touched
//! from all their orders (1M orders: 6.5 s). A bulk write only adds orders
//! and their refunds, so every sum only grows by what was written, by the
//! README's one rule (a sale at its order date, a refund of a sale at its
//! own). A customer whose first sale is among the new orders may start in
//! an earlier month: their rows already kept move to that cohort first.

use rusqlite::{OptionalExtension, params};

use super::batch::{Batch, Cell, ROWS_PER_STATEMENT};
use super::{BulkWriter, Figures};
use crate::store::{Result, StoreError};

/// 'YYYY-MM' of a date, as the summary keys months (`substr(date, 1, 7)`).
pub(super) type Month = [u8; 7];

/// What a customer's sales and refunds dated in one month add.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct MonthSums {
    orders: i64,
    revenue: i64,
    refunds: i64,
}

/// The month of `date` ('YYYY-MM-DD...').
pub(super) fn month(date: &str) -> Result<Month> {
    date.as_bytes()
        .get(..7)
        .filter(|b| b.is_ascii())
        .and_then(|b| Month::try_from(b).ok())
        .ok_or_else(|| {
            StoreError::Refused(format!(
                "\"{date}\" is not a date (YYYY-MM-DD); nothing was saved"
            ))
        })
}

impl BulkWriter<'_> {
    /// Adds a sale of `revenue` dated `date` to its customer's month and
    /// figures (which `add_figures` made first).
    pub(super) fn add_sale(&mut self, customer_id: i64, date: &str, revenue: i64) -> Result<()> {
        let m = self.months.entry((customer_id, month(date)?)).or_default();
        m.orders += 1;
        m.revenue += revenue;
        if let Some(f) = self.customers.get_mut(&customer_id) {
            f.net += revenue;
            match &mut f.first_sale {
                Some(first) if first.as_str() <= date => {}
                first => *first = Some(date.to_owned()),
            }
            match &mut f.last_sale {
                Some(last) if last.as_str() >= date => {}
                last => *last = Some(date.to_owned()),
            }
        }
        Ok(())
    }

    /// Adds a refund of a sale, its revenue part `revenue`, made on `day`.
    pub(super) fn add_refund(&mut self, customer_id: i64, day: &str, revenue: i64) -> Result<()> {
        let m = self.months.entry((customer_id, month(day)?)).or_default();
        m.refunds += revenue;
        if let Some(f) = self.customers.get_mut(&customer_id) {
            f.net -= revenue;
        }
        Ok(())
    }

    /// Adds what was written to each customer's figures and to
    /// `customer_months` (whose triggers keep `cohort_months`).
    pub(super) fn write_customers(&mut self) -> Result<()> {
        let mut figures = self.conn.prepare_cached(
            "UPDATE customers SET order_count = order_count + ?2, total_spent = total_spent + ?3,
                 first_order_date = min(coalesce(first_order_date, ?4), ?4),
                 last_order_date = max(coalesce(last_order_date, ?5), ?5),
                 sale_count = sale_count + ?6, net_revenue = net_revenue + ?7,
                 first_sale_date = min(coalesce(first_sale_date, ?8), coalesce(?8, first_sale_date)),
                 last_sale_date = max(coalesce(last_sale_date, ?9), coalesce(?9, last_sale_date))
             WHERE id = ?1
             RETURNING first_sale_date",
        )?;
        let mut regroup = self.conn.prepare_cached(
            "UPDATE customer_months SET cohort = ?2 WHERE customer_id = ?1 AND cohort <> ?2",
        )?;
        let mut ids: Vec<(&i64, &Figures)> = self.customers.iter().collect();
        ids.sort_unstable_by_key(|(id, _)| **id);
        // Each customer's cohort after this write.
        let mut cohorts = std::collections::HashMap::with_capacity(ids.len());
        for (id, f) in ids {
            let first: Option<String> = figures
                .query_row(
                    params![
                        id,
                        f.orders,
                        f.spent,
                        f.first,
                        f.last,
                        f.sales,
                        f.net,
                        f.first_sale,
                        f.last_sale
                    ],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            let Some(first) = first else { continue };
            let cohort = month(&first)?;
            // Their first sale is a new one: it may start an earlier cohort.
            if f.first_sale.as_deref() == Some(first.as_str()) {
                regroup.execute(params![id, &first[..7]])?;
            }
            cohorts.insert(*id, cohort);
        }
        let mut months: Vec<((i64, Month), MonthSums)> = self.months.drain().collect();
        months.sort_unstable_by_key(|(key, _)| *key);
        let mut batch = Batch::with_tail(
            "INSERT INTO customer_months (customer_id, month, cohort, orders, revenue, refunds) VALUES ",
            " ON CONFLICT (customer_id, month) DO UPDATE SET orders = orders + excluded.orders,
                  revenue = revenue + excluded.revenue, refunds = refunds + excluded.refunds",
            6,
        );
        let mut texts = String::new();
        let text = |texts: &mut String, bytes: &[u8]| {
            let start = texts.len() as u32;
            texts.push_str(std::str::from_utf8(bytes).unwrap_or_default());
            Cell::Text(start, texts.len() as u32)
        };
        for ((customer, month), m) in months {
            let cohort = cohorts.get(&customer).ok_or_else(|| {
                StoreError::Refused(format!(
                    "customer {customer} has refunds but no sale; nothing was saved"
                ))
            })?;
            let (month, cohort) = (text(&mut texts, &month), text(&mut texts, cohort));
            batch.cells.extend_from_slice(&[
                Cell::Int(customer),
                month,
                cohort,
                Cell::Int(m.orders),
                Cell::Int(m.revenue),
                Cell::Int(m.refunds),
            ]);
            if batch.rows() >= 4 * ROWS_PER_STATEMENT {
                batch.write(self.conn, &texts)?;
                texts.clear();
            }
        }
        batch.write(self.conn, &texts)
    }
}
