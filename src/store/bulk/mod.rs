//! Fast writing of many orders at once (demo data, imports), inside one
//! transaction, in batches. The caller decides each order; the stock it
//! moves comes from the same rules as the window's (`domain::stock`), and
//! the writer keeps each product's stock as it goes, so every movement's
//! stock after follows the one before. `finish` then sets each product's
//! stock and every customer's figures from what was written, so the shop's
//! invariants hold. The rows are composed without the connection (`rows`)
//! and written through `pipe`, so an import can compose them on a helper
//! thread while this one writes (`BulkWriter::with_helper`).

mod batch;
mod customers;
mod hourly;
mod lookup;
mod money;
mod pipe;
mod products;
mod rows;

use batch::{Cell, IdHash, ROWS_PER_STATEMENT};
use pipe::Tables;
pub use pipe::{BulkRows, PlaceOrders};

pub use lookup::{
    ExternalRefs, ProductRef, back_to_mark, customer_emails, customer_ids, customer_numbers,
    keep_mark, mark, order_count, order_number_taken, product_stock, product_terms,
    products_by_sku,
};

use std::collections::HashMap;

use rusqlite::{Connection, params};

use crate::domain::{Money, OrderLine, OrderStatus, StockMove, Story, Terms};
use crate::store::Result;

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
    /// What is composed, waiting to be written.
    core: Core,
    tables: Tables<'c>,
    /// Indexes and triggers dropped while writing, made again by `finish`.
    deferred: Vec<String>,
}

/// The cells of one table's rows waiting to be written.
struct Rows {
    width: usize,
    cells: Vec<Cell>,
}

impl Rows {
    fn new(width: usize) -> Rows {
        Rows {
            width,
            cells: Vec::with_capacity(width * ROWS_PER_STATEMENT * 4),
        }
    }

    fn rows(&self) -> usize {
        self.cells.len() / self.width
    }
}

/// Everything a bulk write composes; it holds no connection, so it can be
/// handed to a helper thread (`BulkWriter::with_helper`).
struct Core {
    /// The number the next order gets: orders are numbered here, so their
    /// lines can wait in a batch with them.
    next_order: i64,
    /// The ids the next order line and payment get (refunds name them).
    next_item: i64,
    next_payment: i64,
    /// The text of the rows waiting to be written.
    texts: String,
    orders: Rows,
    items: Rows,
    history: Rows,
    movements: Rows,
    payments: Rows,
    refund_items: Rows,
    /// Each product's stock so far, and whether it moved.
    stock: HashMap<i64, (i64, bool), IdHash>,
    /// The products that do not track stock (a gift card): they move none.
    untracked: std::collections::HashSet<i64, IdHash>,
    /// The daily order summary of what was written, added up here while its
    /// triggers are dropped, and written once by `finish`.
    daily: Option<HashMap<String, Vec<(OrderStatus, Daily)>>>,
    /// The daily tax summary of what was written, the same way.
    tax: Option<crate::store::tax_daily::Sums>,
    /// Each customer's figures from the orders written.
    customers: HashMap<i64, Figures, IdHash>,
    /// Their sales and refunds per month, for the customer insights' summary.
    months: HashMap<(i64, customers::Month), customers::MonthSums, IdHash>,
    /// With the per-product and hourly summaries' triggers dropped: their
    /// sums of what was written, added by `finish`.
    products: Option<products::Summary>,
    hourly: Option<hourly::Hourly>,
    /// Where what is ready goes, and what waits to go there.
    out: Out,
    waiting: Vec<Work>,
    /// Chunks written on this thread, kept for their room.
    spare: Vec<Chunk>,
}

/// Rows ready to be written: the cells of each table (in `Tables` order)
/// and the text they point into. Once written, a chunk goes back to be
/// filled again (its room kept).
struct Chunk {
    tables: [Vec<Cell>; 6],
    texts: String,
}

impl Chunk {
    fn empty() -> Chunk {
        Chunk {
            tables: Default::default(),
            texts: String::new(),
        }
    }
}

/// What the composing side hands to the writing side.
enum Work {
    Rows(Chunk),
    /// Per-product sums to add now (so that memory stays bounded).
    Days(products::Days),
}

/// Where composed work goes.
enum Out {
    /// Kept until the writer, on the same thread, runs it.
    Here,
    /// Sent to the writer's thread, which sends the chunks back once written.
    There(
        std::sync::mpsc::SyncSender<Vec<Work>>,
        std::sync::mpsc::Receiver<Chunk>,
    ),
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
        // Every product's stock, so composing needs no connection.
        let stock = conn
            .prepare("SELECT id, stock FROM products")?
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, false))))?
            .collect::<rusqlite::Result<_>>()?;
        let [orders, items, history, movements, payments, refund_items] =
            Tables::WIDTHS.map(Rows::new);
        Ok(BulkWriter {
            conn,
            core: Core {
                next_order,
                next_item,
                next_payment,
                texts: String::new(),
                orders,
                items,
                history,
                movements,
                payments,
                refund_items,
                stock,
                untracked,
                tax: daily.as_ref().map(|_| super::tax_daily::Sums::default()),
                daily,
                customers: HashMap::default(),
                months: HashMap::default(),
                products: defer_indexes.then(products::Summary::default),
                hourly: defer_indexes.then(hourly::Hourly::default),
                out: Out::Here,
                waiting: Vec::new(),
                spare: Vec::new(),
            },
            tables: Tables::new(),
            deferred,
        })
    }

    /// Writes one order with its lines and the stock its placing takes
    /// (`domain::stock::placing`: the same rule as the window's), at its
    /// date and time, with its payment and refunds. Returns its number and
    /// what it gives back when it ended cancelled or returned (only when
    /// `story` is the whole story), for the caller to write with `movement`
    /// at the time it ended; or, with a `refund` of some units, those units
    /// back (and written off), for the caller to write at the refund's time.
    pub fn place(&mut self, o: &BulkOrder, story: Story) -> Result<(i64, Vec<StockMove>)> {
        let placed = self.core.place(o, story);
        self.run_waiting()?;
        placed
    }

    pub fn status(
        &mut self,
        order_id: i64,
        from: Option<OrderStatus>,
        to: OrderStatus,
        at: &str,
    ) -> Result<()> {
        self.core.status(order_id, from, to, at)?;
        self.run_waiting()
    }

    /// Orders placed without a number get numbers above `number` (the
    /// highest number the orders placed with one bring), so none of them
    /// takes a number an order of the same write comes with later.
    pub fn number_above(&mut self, number: i64) {
        self.core.next_order = self.core.next_order.max(number.saturating_add(1));
    }

    /// Whether a product tracks stock (one that does not, a gift card,
    /// sells whatever its stock and moves none).
    pub fn tracks(&self, product_id: i64) -> bool {
        self.core.tracks(product_id)
    }

    /// A product's stock as written so far.
    pub fn stock(&mut self, product_id: i64) -> Result<i64> {
        self.core.stock(product_id)
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
        let after = self.core.movement(m, order_id, note, at);
        self.run_waiting()?;
        after
    }

    /// Builds the dropped indexes and triggers again, writes the daily
    /// summaries of the orders written (`order_daily`, `tax_daily`), sets the stock of every product moved
    /// and adds the new orders to their customers' figures and to the
    /// summary the customer insights read (`customers`).
    pub fn finish(mut self) -> Result<()> {
        self.core.write_waiting()?;
        self.run_waiting()?;
        // Building an index sorts its keys. SQLite sorts them fastest in
        // small runs, spilled to temporary files and merged, on two threads:
        // with a big cache or temporary data kept in memory it sorts one long
        // list instead, two to three times slower (1M order lines: 2.6 s of
        // index building became 1.0 s).
        self.conn
            .execute_batch("PRAGMA cache_size = -2000; PRAGMA threads = 2;")?;
        // Inside a transaction SQLite changes where temporary data goes only
        // while the connection has not opened its temporary database (a
        // `check` run on it before opens it): then it sorts in memory, only
        // slower, rather than failing the write.
        let _ = self.conn.execute_batch("PRAGMA temp_store = FILE;");
        // The summaries are added before their triggers are made again
        // (they would add them twice).
        if let Some(summary) = self.core.products.take() {
            summary.finish(self.conn)?;
        }
        if let Some(hourly) = self.core.hourly.take() {
            hourly.write(self.conn)?;
        }
        for sql in &self.deferred {
            self.conn.execute_batch(sql)?;
        }
        crate::store::usual_memory(self.conn)?;
        if let Some(daily) = &self.core.daily {
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
        if let Some(tax) = &self.core.tax {
            tax.write(self.conn)?;
        }
        let mut set = self
            .conn
            .prepare_cached("UPDATE products SET stock = ?2 WHERE id = ?1")?;
        for (id, (stock, moved)) in &self.core.stock {
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
        let _ = crate::store::usual_memory(self.conn);
    }
}
