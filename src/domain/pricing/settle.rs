//! After the sale: the parts of a refund (what it gives back of revenue,
//! tax and shipping), and the money an order written in one go has from
//! where it ended (what was paid, what was given back, the balance).

use super::{round_div, spread};
use crate::domain::OrderStatus;

/// The parts of a refund: what it gives back of the goods' revenue, of
/// tax, and of shipping (without its tax); its amount is their sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RefundParts {
    pub revenue: i64,
    pub tax: i64,
    pub shipping: i64,
}

impl RefundParts {
    pub fn amount(&self) -> i64 {
        self.revenue + self.tax + self.shipping
    }
}

/// A line as sold, for working out a refund.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SoldLine {
    pub quantity: i64,
    pub returned: i64,
    pub revenue: i64,
    pub tax: i64,
}

/// The default parts of refunding `units` of each line (by index): those
/// units' share of each line's revenue and tax, rounded per line.
pub fn refund_parts(lines: &[SoldLine], units: &[(usize, i64)]) -> RefundParts {
    let mut parts = RefundParts::default();
    for &(i, n) in units {
        let Some(l) = lines.get(i) else { continue };
        if l.quantity <= 0 || n <= 0 {
            continue;
        }
        let n = n.min(l.quantity - l.returned);
        if n + l.returned == l.quantity {
            // The last units take what is left, so a line refunded in
            // several steps gives back exactly what it earned.
            let before = |v: i64| {
                round_div(
                    i128::from(v) * i128::from(l.returned),
                    i128::from(l.quantity),
                )
            };
            parts.revenue += l.revenue - before(l.revenue);
            parts.tax += l.tax - before(l.tax);
        } else {
            let share = |v: i64, upto: i64| {
                round_div(i128::from(v) * i128::from(upto), i128::from(l.quantity))
            };
            parts.revenue += share(l.revenue, l.returned + n) - share(l.revenue, l.returned);
            parts.tax += share(l.tax, l.returned + n) - share(l.tax, l.returned);
        }
    }
    parts
}

/// Splits a refund `amount` the way `like` is split (the odd cents to the
/// largest part); with nothing to go by, it is all revenue.
pub fn split_refund(amount: i64, like: RefundParts) -> RefundParts {
    if like.amount() == amount {
        return like;
    }
    let parts = spread(amount, &[like.revenue, like.tax, like.shipping]);
    RefundParts {
        revenue: parts[0],
        tax: parts[1],
        shipping: parts[2],
    }
}

/// The money an order written in one go has, from where it ended: what was
/// paid (as given, or its total once it reached paid) and what was given
/// back (everything paid, for one that ended cancelled or returned).
pub fn settle(status: OrderStatus, total: i64, paid: Option<i64>) -> (i64, i64) {
    use OrderStatus::*;
    let reached_paid = matches!(status, Paid | Shipped | Delivered | Returned);
    let paid = paid.unwrap_or(if reached_paid { total } else { 0 });
    let refunded = if status.is_sale() { 0 } else { paid };
    (paid, refunded)
}

/// What the customer still owes on an order (negative: what the shop still
/// owes them). A cancelled or returned order is owed nothing, so only what
/// was paid and not yet given back counts.
pub fn balance(status: OrderStatus, total: i64, paid: i64, refunded: i64) -> i64 {
    if status.is_sale() {
        total - paid
    } else {
        refunded - paid
    }
}
