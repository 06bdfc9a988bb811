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

/// An order's lines just priced (`figures`), as sold: their `quantities`
/// in order, nothing returned yet.
pub fn sold_lines(quantities: impl IntoIterator<Item = i64>, f: &super::Figures) -> Vec<SoldLine> {
    quantities
        .into_iter()
        .zip(&f.lines)
        .map(|(quantity, lf)| SoldLine {
            quantity,
            returned: 0,
            revenue: lf.revenue,
            tax: lf.tax,
        })
        .collect()
}

/// The default parts of refunding `units` of each line (by index): those
/// units' share of what the line came to (revenue and tax together) and of
/// its tax, rounded per line, the revenue being the rest. So a unit gives
/// back what it cost the customer: one of two books of 17.00 with 0.89 of
/// tax in it is 8.50 (8.05 + 0.45), where rounding revenue and tax apart
/// made it 8.51 (8.06 + 0.45).
pub fn refund_parts(lines: &[SoldLine], units: &[(usize, i64)]) -> RefundParts {
    let mut parts = RefundParts::default();
    for &(i, n) in units {
        let Some(l) = lines.get(i) else { continue };
        if l.quantity <= 0 || n <= 0 {
            continue;
        }
        let n = n.min(l.quantity - l.returned);
        // The worth and tax of the line's first `upto` units.
        let share = |upto: i64| {
            let of = |v: i64| round_div(i128::from(v) * i128::from(upto), i128::from(l.quantity));
            (of(l.revenue + l.tax), of(l.tax))
        };
        // The last units take what is left, so a line refunded in several
        // steps gives back exactly what it earned.
        let (worth_after, tax_after) = if n + l.returned == l.quantity {
            (l.revenue + l.tax, l.tax)
        } else {
            share(l.returned + n)
        };
        let (worth_before, tax_before) = share(l.returned);
        let tax = tax_after - tax_before;
        parts.tax += tax;
        parts.revenue += worth_after - worth_before - tax;
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

/// Splits a refund `amount` whose default parts are `like` (the units'
/// share, and the shipping when asked). Up to them it is split the way they
/// are (`split_refund`). What is over them is first the shipping not yet
/// given back (`shipping`: that shipping and its tax, given back in
/// proportion), then more of the goods, split like their parts: a refund of
/// 18.00 for one unit of 10.00 + 2.00 tax on an order with 5.00 + 1.00 of
/// shipping gives back 10.00 of revenue, 3.00 of tax and 5.00 of shipping.
pub fn split_refund_over(amount: i64, like: RefundParts, shipping: (i64, i64)) -> RefundParts {
    let over = amount - like.amount();
    if over <= 0 {
        return split_refund(amount, like);
    }
    let (ship, ship_tax) = (shipping.0.max(0), shipping.1.max(0));
    let back = over.min(ship.saturating_add(ship_tax));
    let back = spread(back, &[ship, ship_tax]);
    let goods = spread(over - back[0] - back[1], &[like.revenue, like.tax]);
    RefundParts {
        revenue: like.revenue + goods[0],
        tax: like.tax + back[1] + goods[1],
        shipping: like.shipping + back[0],
    }
}

/// Splits a refund `amount` given with no units (a gesture, a price cut
/// after the sale) like the order's goods: `goods` is their revenue and
/// their tax (without the shipping's), so 60.00 back on 100.00 + 20.00 of
/// tax is 50.00 of revenue and 10.00 of tax. With no goods to go by, it is
/// all revenue.
pub fn split_refund_alone(amount: i64, goods: (i64, i64)) -> RefundParts {
    let parts = spread(amount, &[goods.0, goods.1]);
    RefundParts {
        revenue: parts[0],
        tax: parts[1],
        shipping: 0,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(revenue: i64, tax: i64, shipping: i64) -> RefundParts {
        RefundParts {
            revenue,
            tax,
            shipping,
        }
    }

    #[test]
    fn an_amount_over_the_units_gives_back_the_shipping_first() {
        // One unit of 10.00 + 2.00 tax; shipping 5.00 + 1.00 tax.
        let units = parts(1000, 200, 0);
        assert_eq!(
            split_refund_over(1800, units, (500, 100)),
            parts(1000, 300, 500)
        );
        // Part of the shipping: in proportion to it and its tax.
        assert_eq!(
            split_refund_over(1500, units, (500, 100)),
            parts(1000, 250, 250)
        );
        // More than the shipping: the rest is more of the goods.
        assert_eq!(
            split_refund_over(2400, units, (500, 100)),
            parts(1500, 400, 500)
        );
        // No shipping left: like the goods.
        assert_eq!(split_refund_over(1800, units, (0, 0)), parts(1500, 300, 0));
        // Up to the units' share: split like it, as before.
        assert_eq!(
            split_refund_over(600, units, (500, 100)),
            split_refund(600, units)
        );
        // With no units' share, what is over is the shipping, then revenue
        // (an amount alone is split by `split_refund_alone` instead).
        assert_eq!(
            split_refund_over(700, RefundParts::default(), (500, 100)),
            parts(100, 100, 500)
        );
    }

    #[test]
    fn an_amount_alone_is_split_like_the_goods() {
        // 100.00 of goods and 20.00 of tax: 60.00 back is 50.00 and 10.00.
        assert_eq!(
            split_refund_alone(6000, (10000, 2000)),
            parts(5000, 1000, 0)
        );
        // Odd cents to the largest remainder; the parts add up.
        assert_eq!(split_refund_alone(1001, (10000, 2000)), parts(834, 167, 0));
        // Untaxed goods, or nothing to go by: all revenue.
        assert_eq!(split_refund_alone(700, (10000, 0)), parts(700, 0, 0));
        assert_eq!(split_refund_alone(700, (0, 0)), parts(700, 0, 0));
    }

    #[test]
    fn the_parts_always_add_up_to_the_amount() {
        for amount in [0, 1, 7, 599, 1200, 1201, 1799, 1800, 1801, 5000] {
            for shipping in [(0, 0), (500, 100), (333, 0), (0, 77)] {
                let p = split_refund_over(amount, parts(1000, 200, 0), shipping);
                assert_eq!(p.amount(), amount, "{amount} {shipping:?}");
                assert!(p.shipping <= shipping.0.max(0));
            }
        }
    }
}
