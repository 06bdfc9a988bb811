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
    /// Indexes and triggers dropped while writing, made again by `finish`.
    deferred: Vec<String>,
    /// The daily order summary of what was written, added up here while its
    /// triggers are dropped, and written once by `finish`.
    daily: Option<HashMap<(String, OrderStatus), Daily>>,
    /// Each customer's figures from the orders written.
    customers: HashMap<i64, Figures>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Daily {
    orders: i64,
    items: i64,
    revenue: i64,
}

#[derive(Debug, Clone)]
struct Figures {
    orders: i64,
    spent: i64,
    first: String,
    last: String,
}

/// Indexes whose keys a bulk write adds in ascending order (orders are
/// written in the order they happened): growing them at their right edge is
/// cheaper than sorting them again, so they stay while writing.
const APPENDED: [&str; 5] = [
    "orders_by_date",
    "order_items_by_order",
    "order_status_history_by_order",
    "stock_movements_by_order",
    "stock_movements_by_date",
];

/// The tables a bulk write fills.
const TABLES: &str = "'orders', 'order_items', 'stock_movements', 'order_status_history'";

impl<'c> BulkWriter<'c> {
    /// Starts a bulk write. With `defer_indexes`, the non-unique indexes of the
    /// order tables are dropped now and built again by `finish` (in the same
    /// transaction): building an index once is much faster than growing it
    /// row by row, when the rows written outnumber those already there.
    pub fn new(conn: &'c Connection, defer_indexes: bool) -> Result<Self> {
        // Keep the indexes being filled in memory while writing.
        conn.execute_batch("PRAGMA cache_size = -100000;")?;
        let mut deferred = Vec::new();
        let mut daily = None;
        if defer_indexes {
            // Sort with a helper thread when the indexes are built again.
            conn.execute_batch("PRAGMA threads = 2;")?;
            let indexes: Vec<(String, String)> = conn
                .prepare(&format!(
                    "SELECT name, sql FROM sqlite_schema
                     WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({TABLES})
                       AND sql NOT LIKE 'CREATE UNIQUE%'"
                ))?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, sql) in indexes {
                if APPENDED.contains(&name.as_str()) {
                    continue;
                }
                conn.execute_batch(&format!("DROP INDEX \"{}\";", name.replace('"', "\"\"")))?;
                deferred.push(sql);
            }
            // The triggers that keep the daily summary: one upsert per order
            // costs more than adding the days up here.
            let triggers: Vec<(String, String)> = conn
                .prepare(
                    "SELECT name, sql FROM sqlite_schema
                     WHERE type = 'trigger' AND tbl_name = 'orders' AND name LIKE 'order\\_daily\\_%' ESCAPE '\\'",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, sql) in triggers {
                conn.execute_batch(&format!("DROP TRIGGER \"{}\";", name.replace('"', "\"\"")))?;
                deferred.push(sql);
            }
            daily = Some(HashMap::new());
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
            daily,
            customers: HashMap::new(),
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
        let spent = if status.is_sale() { total } else { 0 };
        match self.customers.get_mut(&customer_id) {
            Some(f) => {
                f.orders += 1;
                f.spent += spent;
                if *date < *f.first {
                    date.clone_into(&mut f.first);
                }
                if *date > *f.last {
                    date.clone_into(&mut f.last);
                }
            }
            None => {
                self.customers.insert(
                    customer_id,
                    Figures {
                        orders: 1,
                        spent,
                        first: date.to_owned(),
                        last: date.to_owned(),
                    },
                );
            }
        }
        if let Some(daily) = &mut self.daily {
            let d = daily.entry((date.to_owned(), status)).or_default();
            d.orders += 1;
            d.items += items;
            d.revenue += total;
        }
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

    /// Builds the dropped indexes and triggers again, writes the daily
    /// summary of the orders written, sets the stock of every product moved
    /// and adds the new orders to their customers' figures.
    pub fn finish(self) -> Result<()> {
        // Index builds sort in chunks on both threads; a big cache only slows them.
        self.conn.execute_batch("PRAGMA cache_size = -32000;")?;
        for sql in &self.deferred {
            self.conn.execute_batch(sql)?;
        }
        if let Some(daily) = &self.daily {
            let mut add = self.conn.prepare_cached(
                "INSERT INTO order_daily (order_date, status, orders, items, revenue) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (order_date, status) DO UPDATE SET
                     orders = orders + excluded.orders, items = items + excluded.items,
                     revenue = revenue + excluded.revenue",
            )?;
            for ((date, status), d) in daily {
                add.execute(params![date, status.code(), d.orders, d.items, d.revenue])?;
            }
        }
        let mut set = self
            .conn
            .prepare_cached("UPDATE products SET stock = ?2 WHERE id = ?1")?;
        for (id, stock) in &self.stock {
            set.execute(params![id, stock])?;
        }
        // Orders were only added: each customer's figures grow by the new ones.
        let mut figures = self.conn.prepare_cached(
            "UPDATE customers SET order_count = order_count + ?2, total_spent = total_spent + ?3,
                 first_order_date = min(coalesce(first_order_date, ?4), ?4),
                 last_order_date = max(coalesce(last_order_date, ?5), ?5)
             WHERE id = ?1",
        )?;
        let mut ids: Vec<&i64> = self.customers.keys().collect();
        ids.sort_unstable();
        for id in ids {
            let f = &self.customers[id];
            figures.execute(params![id, f.orders, f.spent, f.first, f.last])?;
        }
        self.conn
            .execute_batch("PRAGMA cache_size = -32000; PRAGMA threads = 0;")?;
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
