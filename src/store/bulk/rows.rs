//! The rows a bulk write makes, composed without the database: each
//! order's figures, lines, payments, refunds and stock movements as cells
//! waiting in their tables, and the sums `finish` adds (daily, tax,
//! per-product, hourly and customers' figures). What is ready goes to the
//! writer as `Work` (`pipe`), on the same thread or from a helper thread,
//! so composing the next rows can overlap SQLite writing the last ones.

use super::batch::{Cell, ROWS_PER_STATEMENT};
use super::{BulkOrder, Chunk, Core, Out, Work, money};
use crate::domain::pricing;
use crate::domain::stock as stock_rules;
use crate::domain::{OrderStatus, StockMove, Story};
use crate::store::{Result, StoreError};

/// How many pieces of work the helper thread hands over at a time.
const HAND_OVER: usize = 16;

impl Core {
    pub(super) fn text(&mut self, text: &str) -> Cell {
        let start = self.texts.len();
        self.texts.push_str(text);
        // A batch holds a few hundred rows of short text.
        Cell::Text(start as u32, self.texts.len() as u32)
    }

    pub(super) fn optional_text(&mut self, text: Option<&str>) -> Cell {
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

    /// Hands the rows waiting over to be written, orders before what refers
    /// to them.
    pub(super) fn write_waiting(&mut self) -> Result<()> {
        // A chunk written before, its room kept, or else a new one.
        let spare = match &self.out {
            Out::Here => self.spare.pop(),
            Out::There(_, back) => back.try_recv().ok(),
        };
        let mut chunk = spare.unwrap_or_else(Chunk::empty);
        let tables = [
            &mut self.orders,
            &mut self.items,
            &mut self.history,
            &mut self.movements,
            &mut self.payments,
            &mut self.refund_items,
        ];
        for (rows, cells) in tables.into_iter().zip(&mut chunk.tables) {
            std::mem::swap(&mut rows.cells, cells);
        }
        std::mem::swap(&mut self.texts, &mut chunk.texts);
        self.emit(Work::Rows(chunk))
    }

    /// Sends `work` to be written: kept for the writer's own thread, or
    /// sent to it from the helper thread, several pieces at a time (each
    /// hand-over wakes the other thread).
    pub(super) fn emit(&mut self, work: Work) -> Result<()> {
        self.waiting.push(work);
        if let Out::There(send, _) = &self.out
            && self.waiting.len() >= HAND_OVER
        {
            send.send(std::mem::take(&mut self.waiting)).map_err(|_| {
                StoreError::Refused("the writing stopped; nothing was saved".into())
            })?;
        }
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
        if paid > f.total {
            // As the window refuses a payment over the balance.
            return Err(StoreError::Refused(
                "what was paid is more than the order's total; nothing was saved".into(),
            ));
        }
        let partial = match &o.refund {
            Some(r) => Some(money::partial(o, r, &f, paid - whole)?),
            None => None,
        };
        let refunded = whole + partial.as_ref().map_or(0, |(parts, _)| parts.amount());
        let id = o.number.unwrap_or(self.next_order);
        self.next_order = self.next_order.max(id.saturating_add(1));
        let start = self.texts.len();
        self.texts.push_str(o.date);
        self.texts.push(' ');
        self.texts.push_str(o.time);
        let at = Cell::Text(start as u32, self.texts.len() as u32);
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

    /// A product's stock as written so far (every product's stock is read
    /// when the writer starts).
    pub fn stock(&mut self, product_id: i64) -> Result<i64> {
        match self.stock.get(&product_id) {
            Some(&(stock, _)) => Ok(stock),
            None => Err(StoreError::NotFound(format!("product {product_id}"))),
        }
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
}
