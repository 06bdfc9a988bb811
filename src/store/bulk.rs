//! Fast writing of many orders at once (demo data, imports), inside one
//! transaction. The caller decides every row, including each movement's
//! stock after; `finish` then sets each product's stock and every customer's
//! figures from what was written, so the shop's invariants hold.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::Result;
use crate::domain::{MovementReason, OrderLine, OrderStatus};

pub struct BulkWriter<'c> {
    conn: &'c Connection,
    order: rusqlite::CachedStatement<'c>,
    item: rusqlite::CachedStatement<'c>,
    movement: rusqlite::CachedStatement<'c>,
    history: rusqlite::CachedStatement<'c>,
    /// The stock each touched product ends with.
    stock: HashMap<i64, i64>,
    /// Indexes dropped while writing, rebuilt by `finish`.
    deferred: Vec<String>,
}

/// The tables a bulk write fills.
const TABLES: &str = "'orders', 'order_items', 'stock_movements', 'order_status_history'";

impl<'c> BulkWriter<'c> {
    /// Starts a bulk write. With `defer_indexes`, the non-unique indexes of the
    /// order tables are dropped now and built again by `finish` (in the same
    /// transaction): building an index once is much faster than growing it
    /// row by row, when the rows written outnumber those already there.
    pub fn new(conn: &'c Connection, defer_indexes: bool) -> Result<Self> {
        // Keep the indexes being filled in memory while writing.
        conn.execute_batch("PRAGMA cache_size = -400000;")?;
        let mut deferred = Vec::new();
        if defer_indexes {
            let indexes: Vec<(String, String)> = conn
                .prepare(&format!(
                    "SELECT name, sql FROM sqlite_schema
                     WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({TABLES})
                       AND sql NOT LIKE 'CREATE UNIQUE%'"
                ))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, sql) in indexes {
                conn.execute_batch(&format!("DROP INDEX \"{}\";", name.replace('"', "\"\"")))?;
                deferred.push(sql);
            }
        }
        Ok(BulkWriter {
            conn,
            order: conn.prepare_cached(
                "INSERT INTO orders (customer_id, order_date, order_time, status, item_count, total, note,
                                     external_ref, stock_tracked, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?,
            item: conn.prepare_cached(
                "INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            movement: conn.prepare_cached(
                "INSERT INTO stock_movements (product_id, change, reason, order_id, note, stock_after, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            history: conn.prepare_cached(
                "INSERT INTO order_status_history (order_id, from_status, to_status, changed_at) VALUES (?1, ?2, ?3, ?4)",
            )?,
            stock: HashMap::new(),
            deferred,
        })
    }

    /// Writes one order with its lines. `updated_at` is the time of its last status.
    #[allow(clippy::too_many_arguments)]
    pub fn order(
        &mut self,
        customer_id: i64,
        date: &str,
        time: &str,
        status: OrderStatus,
        lines: &[OrderLine],
        note: Option<&str>,
        external_ref: Option<&str>,
        stock_tracked: bool,
        updated_at: &str,
    ) -> Result<i64> {
        let items: i64 = lines.iter().map(|l| l.quantity).sum();
        let total: i64 = lines.iter().map(|l| l.total().0).sum();
        let created = format!("{date} {time}");
        self.order.execute(params![
            customer_id,
            date,
            time,
            status.code(),
            items,
            total,
            note,
            external_ref,
            stock_tracked,
            created,
            updated_at
        ])?;
        let id = self.conn.last_insert_rowid();
        for l in lines {
            self.item.execute(params![
                id,
                l.product_id,
                l.quantity,
                l.unit_price.0,
                l.total().0
            ])?;
        }
        Ok(id)
    }

    pub fn status(
        &mut self,
        order_id: i64,
        from: Option<OrderStatus>,
        to: OrderStatus,
        at: &str,
    ) -> Result<()> {
        self.history.execute(params![
            order_id,
            from.map(OrderStatus::code),
            to.code(),
            at
        ])?;
        Ok(())
    }

    /// Writes a movement whose `stock_after` the caller has worked out.
    #[allow(clippy::too_many_arguments)]
    pub fn movement(
        &mut self,
        product_id: i64,
        change: i64,
        reason: MovementReason,
        order_id: Option<i64>,
        note: Option<&str>,
        stock_after: i64,
        at: &str,
    ) -> Result<()> {
        self.movement.execute(params![
            product_id,
            change,
            reason.code(),
            order_id,
            note,
            stock_after,
            at
        ])?;
        self.stock.insert(product_id, stock_after);
        Ok(())
    }

    /// Sets the stock of every product moved and the figures of every customer.
    pub fn finish(self) -> Result<()> {
        self.finish_for(None)
    }

    /// Like `finish`, but recomputes only these customers' figures (when given):
    /// an indexed read each, instead of a pass over every order.
    pub fn finish_for(self, customers: Option<&[i64]>) -> Result<()> {
        for sql in &self.deferred {
            self.conn.execute_batch(sql)?;
        }
        let mut set = self
            .conn
            .prepare_cached("UPDATE products SET stock = ?2 WHERE id = ?1")?;
        for (id, stock) in &self.stock {
            set.execute(params![id, stock])?;
        }
        if let Some(ids) = customers {
            for &id in ids {
                super::orders::refresh_customer(self.conn, id)?;
            }
            self.conn.execute_batch("PRAGMA cache_size = -32000;")?;
            return Ok(());
        }
        self.conn.execute_batch(
            "UPDATE customers SET order_count = s.n, total_spent = s.spent,
                    first_order_date = s.first, last_order_date = s.last
             FROM (SELECT customer_id, count(*) AS n,
                          sum(CASE WHEN status IN ('cancelled', 'returned') THEN 0 ELSE total END) AS spent,
                          min(order_date) AS first, max(order_date) AS last
                   FROM orders GROUP BY customer_id) AS s
             WHERE s.customer_id = customers.id;
             PRAGMA cache_size = -32000;",
        )?;
        Ok(())
    }
}

/// Product ids, prices, stock and reorder levels, for writers that track stock in memory.
pub fn product_stock(conn: &Connection) -> Result<Vec<(i64, i64, i64, i64)>> {
    let rows = conn
        .prepare(
            "SELECT id, price, stock, reorder_level FROM products WHERE archived = 0 ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The ids of all customers that are not archived.
pub fn customer_ids(conn: &Connection) -> Result<Vec<i64>> {
    let rows = conn
        .prepare("SELECT id FROM customers WHERE archived = 0 ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Every customer's email, lowercased, with their id: for imports that name customers by email.
pub fn customer_emails(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut map = HashMap::new();
    let mut stmt =
        conn.prepare("SELECT lower(email), id FROM customers WHERE email IS NOT NULL")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        map.insert(r.get(0)?, r.get(1)?);
    }
    Ok(map)
}

/// A product as an import sees it.
#[derive(Debug, Clone)]
pub struct ProductRef {
    pub id: i64,
    pub sku: String,
    pub price: i64,
    pub stock: i64,
}

/// Every product by its SKU, lowercased (SKUs are unique ignoring case).
pub fn products_by_sku(conn: &Connection) -> Result<HashMap<String, ProductRef>> {
    let mut map = HashMap::new();
    let mut stmt = conn.prepare("SELECT lower(sku), id, sku, price, stock FROM products")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        map.insert(
            r.get(0)?,
            ProductRef {
                id: r.get(1)?,
                sku: r.get(2)?,
                price: r.get(3)?,
                stock: r.get(4)?,
            },
        );
    }
    Ok(map)
}

/// Whether an order with this reference (an imported order_ref) exists.
pub fn external_ref_exists(conn: &Connection, reference: &str) -> Result<bool> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT 1 FROM orders WHERE external_ref = ?1")?
        .query_row([reference], |_| Ok(()))
        .optional()?
        .is_some())
}

/// How many orders there are (for deciding whether to defer index building).
pub fn order_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM orders", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}
