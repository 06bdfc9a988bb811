//! How the rows a bulk write composes (`rows::Core`) reach SQLite: as
//! `Work`, run by the writer on the connection's thread, in the order it
//! was made. `BulkWriter::with_helper` composes on a helper thread while the
//! connection's thread writes what is ready (SQLite's inserting is most of
//! an import; composing the rows, the rest, then overlaps it): the same
//! statements, in the same order, as when one thread does both.

use std::sync::mpsc;

use rusqlite::Connection;

use super::batch::Batch;
use super::{BulkOrder, BulkWriter, Chunk, Core, Out, Work};
use crate::domain::{StockMove, Story};
use crate::store::{Result, StoreError};

/// The statements that write the tables' rows, prepared when first needed.
pub(super) struct Tables<'c>([Batch<'c>; 6]);

impl<'c> Tables<'c> {
    pub(super) fn new() -> Tables<'c> {
        Tables([
            Batch::new(
                "INSERT INTO orders (id, customer_id, order_date, order_time, status, item_count, total, note,
                                     external_ref, stock_tracked, created_at, updated_at,
                                     gross_sales, discounts, order_discount, discount_percent, discount_code,
                                     revenue, shipping, shipping_tax, shipping_rate, tax, tax_included, cost,
                                     paid, refunded, balance, ship_to) VALUES ",
                28,
            ),
            Batch::new(
                "INSERT INTO order_items (id, order_id, product_id, quantity, unit_price, line_total, discount,
                                          discount_percent, order_discount, tax_rate, tax, revenue, unit_cost,
                                          returned) VALUES ",
                14,
            ),
            Batch::new(
                "INSERT INTO order_status_history (order_id, from_status, to_status, changed_at) VALUES ",
                4,
            ),
            Batch::new(
                "INSERT INTO stock_movements (product_id, change, reason, order_id, note, stock_after, created_at) VALUES ",
                7,
            ),
            Batch::new(
                "INSERT INTO payments (id, order_id, kind, paid_on, method, amount, revenue, tax, shipping,
                                       created_at) VALUES ",
                10,
            ),
            Batch::new(
                "INSERT INTO refund_items (payment_id, order_item_id, quantity, restocked) VALUES ",
                4,
            ),
        ])
    }

    /// The widths of the tables' rows, in order (`Core`'s `Rows`).
    pub(super) const WIDTHS: [usize; 6] = [28, 14, 4, 7, 10, 4];

    /// Writes one piece of work; gives back its chunk, emptied.
    pub(super) fn run(&mut self, conn: &'c Connection, work: Work) -> Result<Option<Chunk>> {
        match work {
            Work::Rows(mut chunk) => {
                for (batch, cells) in self.0.iter_mut().zip(&mut chunk.tables) {
                    std::mem::swap(&mut batch.cells, cells);
                    batch.write(conn, &chunk.texts)?;
                    std::mem::swap(&mut batch.cells, cells);
                }
                chunk.texts.clear();
                Ok(Some(chunk))
            }
            Work::Days(days) => days.write(conn).map(|()| None),
        }
    }
}

/// Writing an order and its stock, directly (`BulkWriter`) or composed on
/// a helper thread (`BulkRows`).
pub trait PlaceOrders {
    /// `BulkWriter::place`.
    fn place(&mut self, o: &BulkOrder, story: Story) -> Result<(i64, Vec<StockMove>)>;
    /// `BulkWriter::movement`.
    fn movement(
        &mut self,
        m: StockMove,
        order_id: Option<i64>,
        note: Option<&str>,
        at: &str,
    ) -> Result<i64>;
}

/// The composing side of a bulk write on a helper thread
/// (`BulkWriter::with_helper`).
pub struct BulkRows<'a>(&'a mut Core);

impl BulkRows<'_> {
    /// A product's stock as composed so far (`BulkWriter::stock`).
    pub fn stock(&mut self, product_id: i64) -> Result<i64> {
        self.0.stock(product_id)
    }

    /// The number the next order without one gets: every number from it
    /// up is free, none of them being in the shop or composed so far.
    pub fn next_number(&self) -> i64 {
        self.0.next_order
    }
}

impl PlaceOrders for BulkRows<'_> {
    fn place(&mut self, o: &BulkOrder, story: Story) -> Result<(i64, Vec<StockMove>)> {
        self.0.place(o, story)
    }

    fn movement(
        &mut self,
        m: StockMove,
        order_id: Option<i64>,
        note: Option<&str>,
        at: &str,
    ) -> Result<i64> {
        self.0.movement(m, order_id, note, at)
    }
}

impl PlaceOrders for BulkWriter<'_> {
    fn place(&mut self, o: &BulkOrder, story: Story) -> Result<(i64, Vec<StockMove>)> {
        BulkWriter::place(self, o, story)
    }

    fn movement(
        &mut self,
        m: StockMove,
        order_id: Option<i64>,
        note: Option<&str>,
        at: &str,
    ) -> Result<i64> {
        BulkWriter::movement(self, m, order_id, note, at)
    }
}

/// Sends the composing side's work back to its own thread when the helper
/// ends, even by a panic (the writer's thread then stops waiting for more).
struct Restore<'a>(&'a mut Core);

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        self.0.out = Out::Here;
    }
}

impl<'c> BulkWriter<'c> {
    /// Runs what was composed on this thread.
    pub(super) fn run_waiting(&mut self) -> Result<()> {
        if !self.core.waiting.is_empty() {
            for work in std::mem::take(&mut self.core.waiting) {
                if let Some(chunk) = self.tables.run(self.conn, work)? {
                    self.core.spare.push(chunk);
                }
            }
        }
        Ok(())
    }

    /// Runs `compose` on a helper thread, which places orders through its
    /// `BulkRows`, while this thread writes the rows as they are ready.
    /// `written` is called on this thread after each piece is written;
    /// returning false stops both (and the helper's error is returned).
    /// Returns what `compose` returns; the first error of either side ends
    /// both (a write that fails is the error returned). `finish` comes after.
    pub fn with_helper<T: Send, E: From<StoreError> + Send>(
        &mut self,
        compose: impl FnOnce(&mut BulkRows) -> std::result::Result<T, E> + Send,
        mut written: impl FnMut() -> bool,
    ) -> std::result::Result<T, E> {
        self.run_waiting()?;
        let (send, receive) = mpsc::sync_channel::<Vec<Work>>(2);
        let (give_back, back) = mpsc::channel::<Chunk>();
        let BulkWriter {
            conn, core, tables, ..
        } = &mut *self;
        let conn: &'c Connection = conn;
        core.out = Out::There(send, back);
        let composed = std::thread::scope(|scope| {
            let helper = scope.spawn(move || {
                let restore = Restore(core);
                let composed = compose(&mut BulkRows(restore.0));
                // The per-product days left are sorted here too (when the
                // writing stopped, the error that stopped it is returned).
                if composed.is_ok() {
                    let _ = restore.0.days_left();
                }
                composed
            });
            let mut failed = None;
            'received: for works in receive.iter() {
                for work in works {
                    match tables.run(conn, work) {
                        Ok(chunk) => {
                            // The helper may have ended: then the chunk is dropped.
                            if let Some(chunk) = chunk {
                                let _ = give_back.send(chunk);
                            }
                        }
                        Err(e) => {
                            failed = Some(e);
                            break 'received;
                        }
                    }
                }
                if !written() {
                    break;
                }
            }
            // The helper's next hand-over fails, and it stops.
            drop(receive);
            let composed = helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            match failed {
                Some(e) => Err(e.into()),
                None => composed,
            }
        })?;
        // What the helper composed last.
        self.run_waiting()?;
        Ok(composed)
    }
}
