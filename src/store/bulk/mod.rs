//! Fast writing of many orders at once (demo data, imports), inside one
//! transaction, in batches. The caller decides each order; the stock it
//! moves comes from the same rules as the window's (`domain::stock`), and
//! the writer keeps each product's stock as it goes, so every movement's
//! stock after follows the one before. `finish` then sets each product's
//! stock and every customer's figures from what was written, so the shop's
//! invariants hold.

mod batch;
mod customers;
mod hourly;
mod lookup;
mod money;
mod products;

use batch::{Batch, Cell, IdHash, ROWS_PER_STATEMENT};

pub use lookup::{
    ExternalRefs, ProductRef, back_to_mark, customer_emails, customer_ids, customer_numbers,
    keep_mark, mark, order_count, order_number_taken, product_stock, product_terms,
    products_by_sku,
};

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::pricing;
use crate::domain::stock as stock_rules;
use crate::domain::{Money, OrderLine, OrderStatus, StockMove, Story, Terms};
use crate::store::{MEMORY_PRAGMAS, Result, StoreError};

/// An order for `BulkWriter::place`.
#[derive(Debug, Clone, Copy)]
pub struct BulkOrder<'a> {
    pub customer_id: i64,
    /// Local 'YYYY-MM-DD' and 'HH:MM:SS' it was placed.
    pub date: &'a str,
    pub time: &'a str,
    /// Where it ended up.
    pub status: OrderStatus,
    pub lines: &'a [OrderLine],
    pub note: Option<&'a str>,
    pub external_ref: Option<&'a str>,
    /// Its number, when the file gave one (checked free by the caller);
    /// otherwise the next one.
    pub number: Option<i64>,
    /// False for past orders recorded without moving stock (`import --history`).
    pub track_stock: bool,
    /// The time of its last status.
    pub updated_at: &'a str,
    /// Its discount, shipping and tax terms.
    pub terms: &'a Terms,
    pub discount_code: Option<&'a str>,
    pub ship_to: Option<&'a str>,
    /// What was paid, when known; otherwise `pricing::settle` works it
    /// out from the status.
    pub paid: Option<Money>,
    /// How it was paid, and how what it gives back went (None: "Other").
    pub method: Option<&'a str>,
    /// Some units given back after the sale (the order stays a sale; a
    /// whole return is the status `Returned`).
    pub refund: Option<BulkRefund<'a>>,
}

/// A refund of some units of an order that stays a sale, as the window's
/// refund makes it: those units' share of revenue and tax (or an amount
/// split the same way), the units back into stock or written off.
#[derive(Debug, Clone, Copy)]
pub struct BulkRefund<'a> {
    /// (index of the order's line, units, whether they go back into stock).
    pub units: &'a [(usize, i64, bool)],
    /// Local 'YYYY-MM-DD HH:MM:SS' it was made, not before the order.
    pub at: &'a str,
    /// What was given back; None: the units' share of revenue and tax.
    pub amount: Option<Money>,
}

pub struct BulkWriter<'c> {
    conn: &'c Connection,
    /// The number the next order gets: orders are numbered here, so their
    /// lines can wait in a batch with them.
    next_order: i64,
    /// The ids the next order line and payment get (refunds name them).
    next_item: i64,
    next_payment: i64,
    /// The text of the rows waiting to be written.
    texts: String,
    orders: Batch<'c>,
    items: Batch<'c>,
    history: Batch<'c>,
    movements: Batch<'c>,
    payments: Batch<'c>,
    refund_items: Batch<'c>,
    /// Each product's stock so far (read when first needed), and whether it moved.
    stock: HashMap<i64, (i64, bool), IdHash>,
    /// The products that do not track stock (a gift card): they move none.
    untracked: std::collections::HashSet<i64, IdHash>,
    /// Indexes and triggers dropped while writing, made again by `finish`.
    deferred: Vec<String>,
    /// The daily order summary of what was written, added up here while its
    /// triggers are dropped, and written once by `finish`.
    daily: Option<HashMap<String, Vec<(OrderStatus, Daily)>>>,
    /// The daily tax summary of what was written, the same way.
    tax: Option<super::tax_daily::Sums>,
    /// Each customer's figures from the orders written.
    customers: HashMap<i64, Figures>,
    /// Their sales and refunds per month, for the customer insights' summary.
    months: HashMap<(i64, customers::Month), customers::MonthSums, IdHash>,
    /// With the per-product and hourly summaries' triggers dropped: their
    /// sums of what was written, added by `finish`.
    products: Option<products::Summary>,
    hourly: Option<hourly::Hourly>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Daily {
    orders: i64,
    items: i64,
    revenue: i64,
    gross_sales: i64,
    discounts: i64,
    shipping: i64,
    tax: i64,
    total: i64,
    cost: i64,
}

#[derive(Debug, Clone)]
struct Figures {
    orders: i64,
    sales: i64,
    spent: i64,
    first: String,
    last: String,
    /// Revenue of their sales less the refunds' revenue parts.
    net: i64,
    first_sale: Option<String>,
    last_sale: Option<String>,
}

/// Indexes whose keys a bulk write adds in ascending order (orders are
/// written in the order they happened): growing them at their right edge is
/// cheaper than sorting them again, so they stay while writing.
const APPENDED: [&str; 6] = [
    "orders_by_date",
    "payments_by_order",
    "order_items_by_order",
    "order_status_history_by_order",
    "stock_movements_by_order",
    "stock_movements_by_date",
];

/// The tables a bulk write fills.
const TABLES: &str = "'orders', 'order_items', 'stock_movements', 'order_status_history', 'payments', 'refund_items'";

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
            // And those of the per-product summaries, a few upserts per line,
            // of the hourly sales summary, one upsert per order, and of the
            // tax summary, one per line.
            let mut summaries = super::product_summary::triggers(conn)?;
            summaries.extend(super::order_hourly::triggers(conn)?);
            summaries.extend(super::tax_daily::triggers(conn)?);
            for (name, sql) in summaries {
                conn.execute_batch(&format!("DROP TRIGGER \"{}\";", name.replace('"', "\"\"")))?;
                deferred.push(sql);
            }
            daily = Some(HashMap::new());
        }
        let next = |table: &str| -> Result<i64> {
            Ok(conn.query_row(
                &format!("SELECT coalesce(max(rowid), 0) + 1 FROM {table}"),
                [],
                |r| r.get(0),
            )?)
        };
        let (next_order, next_item, next_payment) =
            (next("orders")?, next("order_items")?, next("payments")?);
        let untracked = conn
            .prepare("SELECT id FROM products WHERE track_stock = 0")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(BulkWriter {
            conn,
            next_order,
            next_item,
            next_payment,
            texts: String::new(),
            orders: Batch::new(
                "INSERT INTO orders (id, customer_id, order_date, order_time, status, item_count, total, note,
                                     external_ref, stock_tracked, created_at, updated_at,
                                     gross_sales, discounts, order_discount, discount_percent, discount_code,
                                     revenue, shipping, shipping_tax, shipping_rate, tax, tax_included, cost,
                                     paid, refunded, balance, ship_to) VALUES ",
                28,
            ),
            items: Batch::new(
                "INSERT INTO order_items (id, order_id, product_id, quantity, unit_price, line_total, discount,
                                          discount_percent, order_discount, tax_rate, tax, revenue, unit_cost,
                                          returned) VALUES ",
                14,
            ),
            payments: Batch::new(
                "INSERT INTO payments (id, order_id, kind, paid_on, method, amount, revenue, tax, shipping,
                                       created_at) VALUES ",
                10,
            ),
            refund_items: Batch::new(
                "INSERT INTO refund_items (payment_id, order_item_id, quantity, restocked) VALUES ",
                4,
            ),
            movements: Batch::new(
                "INSERT INTO stock_movements (product_id, change, reason, order_id, note, stock_after, created_at) VALUES ",
                7,
            ),
            history: Batch::new(
                "INSERT INTO order_status_history (order_id, from_status, to_status, changed_at) VALUES ",
                4,
            ),
            stock: HashMap::default(),
            untracked,
            deferred,
            tax: daily.as_ref().map(|_| super::tax_daily::Sums::default()),
            daily,
            customers: HashMap::new(),
            months: HashMap::default(),
            products: defer_indexes.then(products::Summary::default),
            hourly: defer_indexes.then(hourly::Hourly::default),
        })
    }

    fn text(&mut self, text: &str) -> Cell {
        let start = self.texts.len();
        self.texts.push_str(text);
        // A batch holds a few hundred rows of short text.
        Cell::Text(start as u32, self.texts.len() as u32)
    }

    fn optional_text(&mut self, text: Option<&str>) -> Cell {
        text.map_or(Cell::Null, |t| self.text(t))
    }

    /// Writes what waits once enough has gathered, orders before what refers to them.
    fn maybe_write(&mut self) -> Result<()> {
        let full = ROWS_PER_STATEMENT;
        if self.orders.rows() >= full
            || self.items.rows() >= 4 * full
            || self.history.rows() >= 4 * full
            || self.movements.rows() >= 4 * full
            || self.payments.rows() >= 2 * full
            || self.refund_items.rows() >= 4 * full
        {
            self.write_waiting()?;
        }
        Ok(())
    }

    fn write_waiting(&mut self) -> Result<()> {
        for batch in [
            &mut self.orders,
            &mut self.items,
            &mut self.history,
            &mut self.movements,
            &mut self.payments,
            &mut self.refund_items,
        ] {
            batch.write(self.conn, &self.texts)?;
        }
        self.texts.clear();
        Ok(())
    }

    /// Writes one order with its lines and the stock its placing takes
    /// (`domain::stock::placing`: the same rule as the window's), at its
    /// date and time, with its payment and refunds. Returns its number and
    /// what it gives back when it ended cancelled or returned (only when
    /// `story` is the whole story), for the caller to write with `movement`
    /// at the time it ended; or, with a `refund` of some units, those units
    /// back (and written off), for the caller to write at the refund's time.
    pub fn place(&mut self, o: &BulkOrder, story: Story) -> Result<(i64, Vec<StockMove>)> {
        let f = pricing::figures(o.lines, o.terms)
            .map_err(|e| StoreError::Refused(format!("{e}; nothing was saved")))?;
        let (paid, whole) = pricing::settle(o.status, f.total, o.paid.map(|m| m.0));
        let partial = match &o.refund {
            Some(r) => Some(money::partial(o, r, &f, paid - whole)?),
            None => None,
        };
        let refunded = whole + partial.as_ref().map_or(0, |(parts, _)| parts.amount());
        let id = o.number.unwrap_or(self.next_order);
        self.next_order = self.next_order.max(id.saturating_add(1));
        let at = self.text(&format!("{} {}", o.date, o.time));
        let t = o.terms;
        let row = [
            Cell::Int(id),
            Cell::Int(o.customer_id),
            self.text(o.date),
            self.text(o.time),
            Cell::Code(o.status.code()),
            Cell::Int(f.items),
            Cell::Int(f.total),
            self.optional_text(o.note),
            self.optional_text(o.external_ref),
            Cell::Int(i64::from(o.track_stock)),
            at,
            self.text(o.updated_at),
            Cell::Int(f.gross_sales),
            Cell::Int(f.discounts),
            Cell::Int(f.order_discount),
            t.discount.percent().map_or(Cell::Null, |p| Cell::Int(p.0)),
            self.optional_text(o.discount_code),
            Cell::Int(f.revenue),
            Cell::Int(f.shipping),
            Cell::Int(f.shipping_tax),
            Cell::Int(t.shipping_rate.0),
            Cell::Int(f.tax),
            Cell::Int(i64::from(t.tax_included)),
            Cell::Int(f.cost),
            Cell::Int(paid),
            Cell::Int(refunded),
            Cell::Int(pricing::balance(o.status, f.total, paid, refunded)),
            self.optional_text(o.ship_to),
        ];
        self.orders.cells.extend_from_slice(&row);
        let returned = o.status == OrderStatus::Returned;
        let first_item = self.next_item;
        for (i, (l, lf)) in o.lines.iter().zip(&f.lines).enumerate() {
            let back = match &partial {
                _ if returned => l.quantity,
                Some((_, units)) => units.get(i).copied().unwrap_or(0),
                None => 0,
            };
            self.items.cells.extend_from_slice(&[
                Cell::Int(self.next_item),
                Cell::Int(id),
                Cell::Int(l.product_id),
                Cell::Int(l.quantity),
                Cell::Int(l.unit_price.0),
                Cell::Int(lf.gross),
                Cell::Int(lf.discount),
                l.discount.percent().map_or(Cell::Null, |p| Cell::Int(p.0)),
                Cell::Int(lf.order_discount),
                Cell::Int(l.tax_rate.0),
                Cell::Int(lf.tax),
                Cell::Int(lf.revenue),
                Cell::Int(l.unit_cost.0),
                Cell::Int(back),
            ]);
            self.next_item += 1;
        }
        self.add_products(o, &f, partial.as_ref().map(|(parts, _)| parts))?;
        if let Some(tax) = &mut self.tax {
            tax.add(o.date, o.status, o.lines, t, &f);
        }
        self.add_figures(o.customer_id, o.date, o.status, &f, refunded);
        if o.status.is_sale() {
            self.add_sale(o.customer_id, o.date, f.revenue)?;
            if let Some(hourly) = &mut self.hourly {
                hourly.sale(o.date, o.time, f.revenue)?;
            }
        }
        let refund_back = self.payments(o, id, &f, paid, whole, partial, first_item, at)?;
        let mut back = Vec::new();
        if o.track_stock {
            let (taken, later) = stock_rules::placing(o.lines, o.status, story);
            for m in taken {
                self.push_movement(m, Some(id), Cell::Null, at)?;
            }
            back = later;
            back.extend(refund_back);
        }
        self.maybe_write()?;
        Ok((id, back))
    }

    pub fn status(
        &mut self,
        order_id: i64,
        from: Option<OrderStatus>,
        to: OrderStatus,
        at: &str,
    ) -> Result<()> {
        let row = [
            Cell::Int(order_id),
            from.map_or(Cell::Null, |f| Cell::Code(f.code())),
            Cell::Code(to.code()),
            self.text(at),
        ];
        self.history.cells.extend_from_slice(&row);
        self.maybe_write()
    }

    /// Whether a product tracks stock (one that does not, a gift card,
    /// sells whatever its stock and moves none).
    pub fn tracks(&self, product_id: i64) -> bool {
        !self.untracked.contains(&product_id)
    }

    /// A product's stock as written so far.
    pub fn stock(&mut self, product_id: i64) -> Result<i64> {
        if let Some(&(stock, _)) = self.stock.get(&product_id) {
            return Ok(stock);
        }
        let stock: i64 = self
            .conn
            .prepare_cached("SELECT stock FROM products WHERE id = ?1")?
            .query_row([product_id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("product {product_id}")))?;
        self.stock.insert(product_id, (stock, false));
        Ok(stock)
    }

    /// Writes a stock movement at `at` (a delivery received, an order's goods
    /// back when it ended); returns the product's stock after it.
    pub fn movement(
        &mut self,
        m: StockMove,
        order_id: Option<i64>,
        note: Option<&str>,
        at: &str,
    ) -> Result<i64> {
        let note = self.optional_text(note);
        let at = self.text(at);
        let after = self.push_movement(m, order_id, note, at)?;
        self.maybe_write()?;
        Ok(after)
    }

    /// Adds a movement to its batch and to the product's stock (none for a
    /// product that does not track stock).
    fn push_movement(
        &mut self,
        m: StockMove,
        order_id: Option<i64>,
        note: Cell,
        at: Cell,
    ) -> Result<i64> {
        let before = self.stock(m.product_id)?;
        if !self.tracks(m.product_id) {
            return Ok(before);
        }
        let after = before
            .checked_add(m.change)
            .filter(|after| *after >= 0)
            .ok_or_else(|| {
                StoreError::Refused(format!(
                    "product {} has {before} in stock; cannot move {}",
                    m.product_id, m.change
                ))
            })?;
        self.stock.insert(m.product_id, (after, true));
        let row = [
            Cell::Int(m.product_id),
            Cell::Int(m.change),
            Cell::Code(m.reason.code()),
            order_id.map_or(Cell::Null, Cell::Int),
            note,
            Cell::Int(after),
            at,
        ];
        self.movements.cells.extend_from_slice(&row);
        Ok(after)
    }

    /// Builds the dropped indexes and triggers again, writes the daily
    /// summaries of the orders written (`order_daily`, `tax_daily`), sets the stock of every product moved
    /// and adds the new orders to their customers' figures and to the
    /// summary the customer insights read (`customers`).
    pub fn finish(mut self) -> Result<()> {
        self.write_waiting()?;
        // Building an index sorts its keys. SQLite sorts them fastest in
        // small runs, spilled to temporary files and merged, on two threads:
        // with a big cache or temporary data kept in memory it sorts one long
        // list instead, two to three times slower (1M order lines: 2.6 s of
        // index building became 1.0 s).
        self.conn.execute_batch(
            "PRAGMA cache_size = -2000; PRAGMA temp_store = FILE; PRAGMA threads = 2;",
        )?;
        // The summaries are added before their triggers are made again
        // (they would add them twice).
        if let Some(summary) = self.products.take() {
            summary.finish(self.conn)?;
        }
        if let Some(hourly) = self.hourly.take() {
            hourly.write(self.conn)?;
        }
        for sql in &self.deferred {
            self.conn.execute_batch(sql)?;
        }
        self.conn.execute_batch(MEMORY_PRAGMAS)?;
        if let Some(daily) = &self.daily {
            let mut add = self.conn.prepare_cached(
                "INSERT INTO order_daily (order_date, status, orders, items, revenue, gross_sales, discounts,
                                          shipping, tax, total, cost)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (order_date, status) DO UPDATE SET
                     orders = orders + excluded.orders, items = items + excluded.items,
                     revenue = revenue + excluded.revenue, gross_sales = gross_sales + excluded.gross_sales,
                     discounts = discounts + excluded.discounts, shipping = shipping + excluded.shipping,
                     tax = tax + excluded.tax, total = total + excluded.total, cost = cost + excluded.cost",
            )?;
            for (date, day) in daily {
                for (status, d) in day {
                    add.execute(params![
                        date,
                        status.code(),
                        d.orders,
                        d.items,
                        d.revenue,
                        d.gross_sales,
                        d.discounts,
                        d.shipping,
                        d.tax,
                        d.total,
                        d.cost
                    ])?;
                }
            }
        }
        if let Some(tax) = &self.tax {
            tax.write(self.conn)?;
        }
        let mut set = self
            .conn
            .prepare_cached("UPDATE products SET stock = ?2 WHERE id = ?1")?;
        for (id, (stock, moved)) in &self.stock {
            if *moved {
                set.execute(params![id, stock])?;
            }
        }
        // Orders were only added: each customer's figures grow by the new ones.
        self.write_customers()
    }
}

impl Drop for BulkWriter<'_> {
    /// The connection's usual memory settings come back, whether the bulk
    /// write finished or was given up.
    fn drop(&mut self) {
        let _ = self.conn.execute_batch(MEMORY_PRAGMAS);
    }
}
