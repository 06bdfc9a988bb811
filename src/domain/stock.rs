//! Why stock moved, and which movements an order causes. Every change of a
//! product's stock is a movement with one of these reasons; the stored
//! product stock is only a cache of their sum. The window, demo data and
//! imports all take an order's movements from `placing`, `moving` and
//! `editing`, so an order moves stock the same way whoever writes it.

use std::collections::BTreeMap;

use super::{OrderLine, OrderStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MovementReason {
    /// The stock a product started with.
    Opening,
    /// An order took it.
    Sale,
    /// A pending order's lines were changed.
    OrderEdit,
    /// An order was cancelled and its goods put back.
    OrderCancelled,
    /// A delivered order came back.
    OrderReturned,
    /// Manual adjustments.
    Received,
    Correction,
    Damaged,
    Returned,
    Other,
    /// A change undone from the change log.
    Undo,
}

impl MovementReason {
    pub const ALL: [MovementReason; 11] = [
        MovementReason::Opening,
        MovementReason::Sale,
        MovementReason::OrderEdit,
        MovementReason::OrderCancelled,
        MovementReason::OrderReturned,
        MovementReason::Received,
        MovementReason::Correction,
        MovementReason::Damaged,
        MovementReason::Returned,
        MovementReason::Other,
        MovementReason::Undo,
    ];

    /// The reasons a user may pick for a manual adjustment.
    pub const MANUAL: [MovementReason; 5] = [
        MovementReason::Received,
        MovementReason::Correction,
        MovementReason::Damaged,
        MovementReason::Returned,
        MovementReason::Other,
    ];

    /// Whether a manual adjustment of `change` units may give this reason:
    /// goods received or returned come in, damaged goods go out; a
    /// correction or another change goes either way. (A count of -2 saved
    /// as "Received" would show as goods received in the movements.)
    pub fn fits(self, change: i64) -> Result<(), String> {
        match self {
            MovementReason::Received | MovementReason::Returned if change < 0 => Err(format!(
                "\"{}\" adds to the stock; for units taken out choose Damaged, Correction or Other",
                self.label()
            )),
            MovementReason::Damaged if change > 0 => Err(
                "\"Damaged\" takes units out (-3); for units that came in choose Received, Returned by a customer, Correction or Other"
                    .into(),
            ),
            _ => Ok(()),
        }
    }

    /// The value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            MovementReason::Opening => "opening",
            MovementReason::Sale => "sale",
            MovementReason::OrderEdit => "order_edit",
            MovementReason::OrderCancelled => "order_cancelled",
            MovementReason::OrderReturned => "order_returned",
            MovementReason::Received => "received",
            MovementReason::Correction => "correction",
            MovementReason::Damaged => "damaged",
            MovementReason::Returned => "returned",
            MovementReason::Other => "other",
            MovementReason::Undo => "undo",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Words for the screen.
    pub fn label(self) -> &'static str {
        match self {
            MovementReason::Opening => "Opening stock",
            MovementReason::Sale => "Sale",
            MovementReason::OrderEdit => "Order edited",
            MovementReason::OrderCancelled => "Order cancelled",
            // Units a refund or a return took back, the order a sale or not.
            MovementReason::OrderReturned => "Back from the order",
            MovementReason::Received => "Received",
            MovementReason::Correction => "Correction",
            MovementReason::Damaged => "Damaged",
            // Goods a customer brought back outside an order's refund (not
            // goods sent back to a supplier: those go out, as a correction).
            MovementReason::Returned => "Returned by a customer",
            MovementReason::Other => "Other",
            MovementReason::Undo => "Undo",
        }
    }
}

/// One product's stock change caused by an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StockMove {
    pub product_id: i64,
    /// Units in (positive) or out (negative).
    pub change: i64,
    pub reason: MovementReason,
}

/// How much of an order's story is known when it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Story {
    /// Placed in the window, or demo data with its whole story: the order
    /// takes its lines out of stock when placed and, if it ended cancelled or
    /// returned, puts them back when it ended.
    Whole,
    /// Imported: only where the order ended is known. A cancelled or returned
    /// one took nothing and gave nothing back, so it moves no stock.
    EndOnly,
}

/// The reason goods come back when an order reaches `status`, if they do.
fn restock_reason(status: OrderStatus) -> Option<MovementReason> {
    match status {
        OrderStatus::Cancelled => Some(MovementReason::OrderCancelled),
        OrderStatus::Returned => Some(MovementReason::OrderReturned),
        _ => None,
    }
}

/// Each product's quantity over an order's lines, by product id.
pub fn per_product(lines: &[OrderLine]) -> BTreeMap<i64, i64> {
    let mut m = BTreeMap::new();
    for l in lines {
        *m.entry(l.product_id).or_insert(0) += l.quantity;
    }
    m
}

/// The movements of writing an order that has reached `status`: what it
/// takes when placed (a sale per line), and what it gives back when it ended
/// (each product once, for one that ended cancelled or returned).
pub fn placing(
    lines: &[OrderLine],
    status: OrderStatus,
    story: Story,
) -> (impl Iterator<Item = StockMove> + '_, Vec<StockMove>) {
    let ended = restock_reason(status).is_some();
    let taken = if ended && story == Story::EndOnly {
        &lines[..0]
    } else {
        lines
    };
    let sales = taken.iter().map(|l| StockMove {
        product_id: l.product_id,
        change: -l.quantity,
        reason: MovementReason::Sale,
    });
    let back = match story {
        Story::Whole => moving(lines, OrderStatus::Pending, status),
        Story::EndOnly => Vec::new(),
    };
    (sales, back)
}

/// The movements of an order moving from one status to another: reaching
/// cancelled or returned puts each product back once; going back from there
/// (an undo) takes them out again. Other moves leave stock alone.
pub fn moving(lines: &[OrderLine], from: OrderStatus, to: OrderStatus) -> Vec<StockMove> {
    let (sign, reason) = match (restock_reason(from), restock_reason(to)) {
        (None, Some(reason)) => (1, reason),
        (Some(_), None) => (-1, MovementReason::Undo),
        _ => return Vec::new(),
    };
    per_product(lines)
        .into_iter()
        .map(|(product_id, qty)| StockMove {
            product_id,
            change: sign * qty,
            reason,
        })
        .collect()
}

/// The movements of changing a pending order's lines from `old` to `new`:
/// per product, the difference in quantity.
pub fn editing(old: &[OrderLine], new: &[OrderLine]) -> Vec<StockMove> {
    let mut diff = per_product(old);
    for (product_id, qty) in per_product(new) {
        *diff.entry(product_id).or_insert(0) -= qty;
    }
    diff.into_iter()
        .filter(|(_, change)| *change != 0)
        .map(|(product_id, change)| StockMove {
            product_id,
            change,
            reason: MovementReason::OrderEdit,
        })
        .collect()
}

/// What a list of movements takes out of stock, per product (for checking
/// that the stock is there first).
pub fn taken(moves: &[StockMove]) -> BTreeMap<i64, i64> {
    let mut m = BTreeMap::new();
    for mv in moves.iter().filter(|m| m.change < 0) {
        *m.entry(mv.product_id).or_insert(0) -= mv.change;
    }
    m
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_manual_reason_fits_the_direction_of_its_change() {
        use MovementReason::*;
        for (reason, change, fits) in [
            (Received, 5, true),
            (Received, -2, false),
            (Returned, 1, true),
            (Returned, -1, false),
            (Damaged, -3, true),
            (Damaged, 3, false),
            (Correction, -4, true),
            (Correction, 4, true),
            (Other, -1, true),
            (Other, 1, true),
        ] {
            assert_eq!(reason.fits(change).is_ok(), fits, "{reason:?} {change}");
        }
    }
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in MovementReason::ALL {
            assert_eq!(MovementReason::from_code(r.code()), Some(r));
        }
        assert_eq!(MovementReason::from_code("nope"), None);
    }

    fn line(product_id: i64, quantity: i64) -> OrderLine {
        OrderLine {
            product_id,
            quantity,
            unit_price: crate::domain::Money(100),
            ..OrderLine::default()
        }
    }

    #[test]
    fn an_order_moves_stock_by_one_rule() {
        use MovementReason::*;
        use OrderStatus::*;
        let lines = [line(2, 1), line(1, 3), line(2, 2)];
        let mv = |product_id, change, reason| StockMove {
            product_id,
            change,
            reason,
        };
        let (taken, back) = placing(&lines, Pending, Story::Whole);
        assert_eq!(
            taken.collect::<Vec<_>>(),
            [mv(2, -1, Sale), mv(1, -3, Sale), mv(2, -2, Sale)]
        );
        assert!(back.is_empty());
        let (taken, back) = placing(&lines, Cancelled, Story::Whole);
        assert_eq!(taken.count(), 3);
        assert_eq!(back, [mv(1, 3, OrderCancelled), mv(2, 3, OrderCancelled)]);
        let (taken, back) = placing(&lines, OrderStatus::Returned, Story::EndOnly);
        assert_eq!((taken.count(), back.len()), (0, 0));
        let (taken, _) = placing(&lines, Delivered, Story::EndOnly);
        assert_eq!(taken.count(), 3);
        assert_eq!(
            moving(&lines, Delivered, OrderStatus::Returned),
            [mv(1, 3, OrderReturned), mv(2, 3, OrderReturned)]
        );
        assert_eq!(
            moving(&lines, Cancelled, Paid),
            [mv(1, -3, Undo), mv(2, -3, Undo)]
        );
        assert!(moving(&lines, Pending, Paid).is_empty());
        let edited = editing(&lines, &[line(1, 1), line(3, 2)]);
        assert_eq!(
            edited,
            [
                mv(1, 2, OrderEdit),
                mv(2, 3, OrderEdit),
                mv(3, -2, OrderEdit)
            ]
        );
        assert_eq!(taken_of(&edited), [(3, 2)]);
    }

    fn taken_of(moves: &[StockMove]) -> Vec<(i64, i64)> {
        super::taken(moves).into_iter().collect()
    }
}
