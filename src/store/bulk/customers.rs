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

use std::collections::HashMap;

use rusqlite::params;

use super::batch::{Batch, Cell};

/// Customer months a statement: each statement updates on conflict and
/// fires the cohort triggers, so it keeps a statement journal, and closing
/// one inside an import's savepoint costs about 0.5 ms at a million orders
/// whatever its size (a hundred rows a statement: 15 % of an import).
const MONTHS_PER_STATEMENT: usize = 2000;
use super::{BulkWriter, Core, Figures};
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

impl Core {
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
}

impl BulkWriter<'_> {
    /// Adds what was written to each customer's figures and to
    /// `customer_months` (whose triggers keep `cohort_months`). Few
    /// statements: each one that fires triggers or returns rows keeps a
    /// statement journal, which costs much inside an import's savepoint.
    pub(super) fn write_customers(&mut self) -> Result<()> {
        let mut figures = self.conn.prepare_cached(
            "UPDATE customers SET order_count = order_count + ?2, total_spent = total_spent + ?3,
                 first_order_date = min(coalesce(first_order_date, ?4), ?4),
                 last_order_date = max(coalesce(last_order_date, ?5), ?5),
                 sale_count = sale_count + ?6, net_revenue = net_revenue + ?7,
                 first_sale_date = min(coalesce(first_sale_date, ?8), coalesce(?8, first_sale_date)),
                 last_sale_date = max(coalesce(last_sale_date, ?9), coalesce(?9, last_sale_date))
             WHERE id = ?1",
        )?;
        let mut ids: Vec<(&i64, &Figures)> = self.core.customers.iter().collect();
        ids.sort_unstable_by_key(|(id, _)| **id);
        // When a good share of the customers change (a big import, a whole
        // demo), the indexes over their figures are built again once at the
        // end instead of changed customer by customer (69,000 of 100,000
        // customers: 1.05 s for this function became 0.92 s).
        let rebuilt = if self.core.daily.is_some() {
            let all: i64 = self
                .conn
                .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
            if ids.len() as i64 * 4 >= all {
                drop_figure_indexes(self.conn)?
            } else {
                Vec::new()
            }
        } else {
            Vec::new()
        };
        // The customers with a new sale: it may start an earlier cohort.
        let mut selling = Vec::new();
        for (id, f) in ids {
            figures.execute(params![
                id,
                f.orders,
                f.spent,
                f.first,
                f.last,
                f.sales,
                f.net,
                f.first_sale,
                f.last_sale
            ])?;
            if f.first_sale.is_some() {
                selling.push(id.to_string());
            }
        }
        if self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM customer_months)",
            [],
            |r| r.get::<_, bool>(0),
        )? {
            self.first_months()?;
        } else {
            self.more_months(&selling)?;
        }
        // Built last, so that no statement of the import runs after them
        // inside its savepoint (an earlier version that built them before
        // the monthly summary was several times slower there: f43ab02).
        for sql in rebuilt {
            self.conn.execute_batch(&sql)?;
        }
        Ok(())
    }

    /// Adds the customers' months to a summary that holds some already:
    /// each row finds its customer's cohort, and the triggers add it to
    /// `cohort_months`.
    fn more_months(&mut self, selling: &[String]) -> Result<()> {
        // Their rows already kept move to the cohort of their first sale.
        self.conn.execute(
            "UPDATE customer_months
             SET cohort = (SELECT substr(c.first_sale_date, 1, 7) FROM customers c WHERE c.id = customer_id)
             WHERE customer_id IN (SELECT value FROM json_each(?1))
               AND cohort <> (SELECT substr(c.first_sale_date, 1, 7) FROM customers c WHERE c.id = customer_id)",
            [format!("[{}]", selling.join(","))],
        )?;
        let mut months: Vec<((i64, Month), MonthSums)> = self.core.months.drain().collect();
        months.sort_unstable_by_key(|(key, _)| *key);
        // A customer with a month here has a sale (a refund is of a sale),
        // so a first sale and a cohort.
        let mut batch = Batch::with_tail(
            "INSERT INTO customer_months (customer_id, month, cohort, orders, revenue, refunds)
             SELECT column1, column2,
                    (SELECT substr(c.first_sale_date, 1, 7) FROM customers c WHERE c.id = column1),
                    column3, column4, column5
             FROM (VALUES ",
            ") WHERE true ON CONFLICT (customer_id, month) DO UPDATE SET orders = orders + excluded.orders,
                  revenue = revenue + excluded.revenue, refunds = refunds + excluded.refunds",
            5,
        )
        .rows_per_statement(MONTHS_PER_STATEMENT);
        let mut texts = String::new();
        for ((customer, month), m) in months {
            let start = texts.len() as u32;
            texts.push_str(std::str::from_utf8(&month).unwrap_or_default());
            batch.cells.extend_from_slice(&[
                Cell::Int(customer),
                Cell::Text(start, texts.len() as u32),
                Cell::Int(m.orders),
                Cell::Int(m.revenue),
                Cell::Int(m.refunds),
            ]);
            batch.write_when_full(self.conn, &mut texts)?;
        }
        batch.write(self.conn, &texts)?;
        Ok(())
    }

    /// Adds the customers' months to an empty summary (no customer had a
    /// sale before): each customer's cohort is the month of their first
    /// sale among the new orders, and `cohort_months` gets the months' sums
    /// per cohort as its insert trigger would add them row by row (775,000
    /// months of a million orders: 1.0 s with the trigger and a cohort
    /// looked up per row, 0.36 s so).
    fn first_months(&mut self) -> Result<()> {
        let mut months: Vec<((i64, Month), MonthSums)> = self.core.months.drain().collect();
        months.sort_unstable_by_key(|(key, _)| *key);
        let mut cohorts: HashMap<(Month, Month), [i64; 3]> = HashMap::new();
        let mut batch = Batch::with_tail(
            "INSERT INTO customer_months (customer_id, month, cohort, orders, revenue, refunds) VALUES ",
            " ON CONFLICT (customer_id, month) DO UPDATE SET orders = orders + excluded.orders,
                  revenue = revenue + excluded.revenue, refunds = refunds + excluded.refunds",
            6,
        )
        .rows_per_statement(MONTHS_PER_STATEMENT);
        let trigger = drop_trigger(self.conn, "cohort_months_insert")?;
        let mut texts = String::new();
        for ((customer, month), m) in months {
            // A customer with a month has a sale (a refund is of a sale).
            let cohort = self
                .core
                .customers
                .get(&customer)
                .and_then(|f| f.first_sale.as_deref())
                .map(self::month)
                .ok_or_else(|| StoreError::Refused(format!(
                    "customer {customer} has a month of sales but no first sale; nothing was saved"
                )))??;
            let sums = cohorts.entry((cohort, month)).or_default();
            sums[0] += i64::from(m.orders > 0);
            sums[1] += m.orders;
            sums[2] += m.revenue - m.refunds;
            let start = texts.len() as u32;
            texts.push_str(std::str::from_utf8(&month).unwrap_or_default());
            let middle = texts.len() as u32;
            texts.push_str(std::str::from_utf8(&cohort).unwrap_or_default());
            batch.cells.extend_from_slice(&[
                Cell::Int(customer),
                Cell::Text(start, middle),
                Cell::Text(middle, texts.len() as u32),
                Cell::Int(m.orders),
                Cell::Int(m.revenue),
                Cell::Int(m.refunds),
            ]);
            batch.write_when_full(self.conn, &mut texts)?;
        }
        batch.write(self.conn, &texts)?;
        let mut cohorts: Vec<((Month, Month), [i64; 3])> = cohorts.into_iter().collect();
        cohorts.sort_unstable_by_key(|(key, _)| *key);
        let mut add = self.conn.prepare_cached(
            "INSERT INTO cohort_months (cohort, month, customers, orders, revenue) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (cohort, month) DO UPDATE SET
                 customers = customers + excluded.customers, orders = orders + excluded.orders,
                 revenue = revenue + excluded.revenue",
        )?;
        for ((cohort, month), [customers, orders, revenue]) in cohorts {
            add.execute(params![
                std::str::from_utf8(&cohort).unwrap_or_default(),
                std::str::from_utf8(&month).unwrap_or_default(),
                customers,
                orders,
                revenue
            ])?;
        }
        if let Some(sql) = trigger {
            self.conn.execute_batch(&sql)?;
        }
        Ok(())
    }
}

/// The customers' columns `write_customers` changes.
const FIGURES: [&str; 8] = [
    "order_count",
    "total_spent",
    "first_order_date",
    "last_order_date",
    "sale_count",
    "net_revenue",
    "first_sale_date",
    "last_sale_date",
];

/// Drops a trigger (to add up what it would, once); returns its SQL, to
/// make it again.
fn drop_trigger(conn: &rusqlite::Connection, name: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    let sql: Option<String> = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    if sql.is_some() {
        conn.execute_batch(&format!("DROP TRIGGER \"{}\";", name.replace('"', "\"\"")))?;
    }
    Ok(sql)
}

/// Drops the customers' non-unique indexes over their figures; returns
/// their SQL, to make them again.
fn drop_figure_indexes(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = 'customers' AND sql IS NOT NULL
               AND sql NOT LIKE 'CREATE UNIQUE%'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut dropped = Vec::new();
    for (name, sql) in indexes {
        if FIGURES.iter().any(|c| sql.contains(c)) {
            conn.execute_batch(&format!("DROP INDEX \"{}\";", name.replace('"', "\"\"")))?;
            dropped.push(sql);
        }
    }
    Ok(dropped)
}
