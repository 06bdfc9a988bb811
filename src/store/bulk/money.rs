//! The bulk writer's money: an order's payment, the refund of one that
//! ended cancelled or returned, a refund of some units of one that stays a
//! sale (with the stock those units move), and the customers' and daily
//! figures the orders add up to.

use std::collections::BTreeMap;

use super::batch::Cell;
use super::{BulkOrder, BulkRefund, Core, Daily, Figures};
use crate::domain::pricing::{self, RefundParts};
use crate::domain::{MovementReason, OrderStatus, StockMove};
use crate::store::{Result, StoreError};

/// Checks a refund of some units of `o` (at most `can` given back) and
/// works out its parts and the units it takes back from each line.
pub(super) fn partial(
    o: &BulkOrder,
    r: &BulkRefund,
    f: &pricing::Figures,
    can: i64,
) -> Result<(RefundParts, Vec<i64>)> {
    let refused = |why: &str| Err(StoreError::Refused(format!("{why}; nothing was saved")));
    if !o.status.is_sale() {
        return refused("only an order that stays a sale can have some of its units refunded");
    }
    if r.at.len() < 10 || r.at.get(..10).is_none_or(|day| day < o.date) {
        return refused("a refund is made on or after the order's date");
    }
    let mut units = vec![0i64; o.lines.len()];
    let mut seen = vec![false; o.lines.len()];
    for &(i, n, _) in r.units {
        let Some(l) = o.lines.get(i) else {
            return refused("a refund names a line the order does not have");
        };
        if seen[i] {
            return refused("a line is refunded twice");
        }
        seen[i] = true;
        if n <= 0 || n > l.quantity {
            return refused("a refund takes back between 1 and the line's quantity");
        }
        units[i] = n;
    }
    let sold = pricing::sold_lines(o.lines.iter().map(|l| l.quantity), f);
    let back: Vec<(usize, i64)> = units
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(i, n)| (i, *n))
        .collect();
    let default = pricing::refund_parts(&sold, &back);
    let amount = r.amount.map_or(default.amount(), |m| m.0);
    if amount < 0 || amount > can {
        return refused("a refund is more than was paid");
    }
    if back.is_empty() && amount == 0 {
        return refused("a refund gives back some units or an amount");
    }
    // An amount over the units' share gives back the shipping first; an
    // amount alone, with no units, is split like the order's goods, as the
    // window splits one.
    let parts = if back.is_empty() {
        pricing::split_refund_alone(amount, (f.revenue, f.tax - f.shipping_tax))
    } else {
        pricing::split_refund_over(amount, default, (f.shipping, f.shipping_tax))
    };
    Ok((parts, units))
}

impl Core {
    /// Writes the payment and refunds of order `id`, just placed: `paid`,
    /// the refund of everything (`whole`) of one that ended cancelled or
    /// returned, and a `partial` refund of some units. Returns the stock
    /// the partial refund's units move, for the caller to write at its time.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn payments(
        &mut self,
        o: &BulkOrder,
        id: i64,
        f: &pricing::Figures,
        paid: i64,
        whole: i64,
        partial: Option<(RefundParts, Vec<i64>)>,
        first_item: i64,
        at: Cell,
    ) -> Result<Vec<StockMove>> {
        let returned = o.status == OrderStatus::Returned;
        let method = o.method.unwrap_or("Other");
        if paid > 0 {
            let method = self.text(method);
            self.payment(
                id,
                "payment",
                o.date,
                method,
                paid,
                RefundParts::default(),
                at,
            );
        }
        if whole > 0 || returned {
            let method = self.text(method);
            let parts = pricing::split_refund(
                whole,
                RefundParts {
                    revenue: f.revenue,
                    tax: f.tax,
                    shipping: f.shipping,
                },
            );
            let day = o.updated_at.get(..10).unwrap_or(o.date).max(o.date);
            let refund = self.payment(id, "refund", day, method, whole, parts, at);
            if returned {
                for (i, l) in o.lines.iter().enumerate() {
                    self.refund_items.cells.extend_from_slice(&[
                        Cell::Int(refund),
                        Cell::Int(first_item + i as i64),
                        Cell::Int(l.quantity),
                        Cell::Int(i64::from(o.track_stock)),
                    ]);
                }
            }
        }
        let mut moves = Vec::new();
        if let (Some(r), Some((parts, _))) = (&o.refund, partial) {
            let method = self.text(method);
            let made = self.text(r.at);
            let day = r.at.get(..10).unwrap_or(o.date);
            let refund = self.payment(id, "refund", day, method, parts.amount(), parts, made);
            // `partial` made sure the order stays a sale.
            self.add_refund(o.customer_id, day, parts.revenue)?;
            let mut back: BTreeMap<(i64, bool), i64> = BTreeMap::new();
            // Units of a past order (not tracked) keep whether they went
            // back into stock, though they move none.
            for &(i, n, restock) in r.units {
                self.refund_items.cells.extend_from_slice(&[
                    Cell::Int(refund),
                    Cell::Int(first_item + i as i64),
                    Cell::Int(n),
                    Cell::Int(i64::from(restock)),
                ]);
                if let Some(l) = o.lines.get(i) {
                    *back.entry((l.product_id, restock)).or_insert(0) += n;
                }
            }
            if o.track_stock {
                for ((product_id, restock), n) in back {
                    moves.push(StockMove {
                        product_id,
                        change: n,
                        reason: MovementReason::OrderReturned,
                    });
                    if !restock {
                        moves.push(StockMove {
                            product_id,
                            change: -n,
                            reason: MovementReason::Damaged,
                        });
                    }
                }
            }
        }
        Ok(moves)
    }

    /// Adds a payment or refund row; returns its id.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn payment(
        &mut self,
        order_id: i64,
        kind: &'static str,
        date: &str,
        method: Cell,
        amount: i64,
        parts: RefundParts,
        at: Cell,
    ) -> i64 {
        let id = self.next_payment;
        self.next_payment += 1;
        let date = self.text(date);
        self.payments.cells.extend_from_slice(&[
            Cell::Int(id),
            Cell::Int(order_id),
            Cell::Code(kind),
            date,
            method,
            Cell::Int(amount),
            Cell::Int(parts.revenue),
            Cell::Int(parts.tax),
            Cell::Int(parts.shipping),
            at,
        ]);
        id
    }

    /// Adds an order to its customer's figures and to the daily summary.
    pub(super) fn add_figures(
        &mut self,
        customer_id: i64,
        date: &str,
        status: OrderStatus,
        f: &pricing::Figures,
        refunded: i64,
    ) {
        let spent = if status.is_sale() {
            f.total - refunded
        } else {
            0
        };
        match self.customers.get_mut(&customer_id) {
            Some(f) => {
                f.orders += 1;
                f.sales += i64::from(status.is_sale());
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
                        sales: i64::from(status.is_sale()),
                        spent,
                        first: date.to_owned(),
                        last: date.to_owned(),
                        net: 0,
                        first_sale: None,
                        last_sale: None,
                    },
                );
            }
        }
        if let Some(daily) = &mut self.daily {
            // Most orders fall on a day already seen: no key is made for them.
            let day = match daily.get_mut(date) {
                Some(day) => day,
                None => daily.entry(date.to_owned()).or_default(),
            };
            let d = match day.iter().position(|(s, _)| *s == status) {
                Some(i) => &mut day[i].1,
                None => {
                    let i = day.len();
                    day.push((status, Daily::default()));
                    &mut day[i].1
                }
            };
            d.orders += 1;
            d.items += f.items;
            d.revenue += f.revenue;
            d.gross_sales += f.gross_sales;
            d.discounts += f.discounts;
            d.shipping += f.shipping;
            d.tax += f.tax;
            d.total += f.total;
            d.cost += f.cost;
        }
    }
}
