//! An order's money: from its lines (quantity, unit price as sold, line
//! discount, tax rate as sold, cost as sold) and its terms (order discount,
//! shipping and its tax rate, whether prices include tax) to the figures the
//! store keeps on the order and each line, and that `shopkeeper check`
//! proves. One function, `figures`, used by the order form as the user
//! types, by the store when it writes, by imports and by demo data.
//!
//! The rules (also in the README):
//! - amounts are whole cents; every rounding is per line, half away from zero;
//! - a line's discount is an amount or a percent of its gross (quantity x
//!   unit price); the order's discount (an amount or a percent of the goods
//!   after line discounts) is spread over the lines in proportion to what
//!   each is worth after its own discount, the odd cents to the largest
//!   remainders, so the shares add up to the order discount exactly;
//! - each line's tax is its rate of what it is worth after both discounts:
//!   on top of it when prices exclude tax, its part of it when they include
//!   tax; shipping is taxed the same way at the shipping rate (none: 0);
//! - an explicit tax amount (from an import) is kept as given and spread
//!   over the lines and shipping like the order discount;
//! - revenue is the goods after discounts and without tax; total = revenue +
//!   shipping + tax.

use super::{MAX_AMOUNT, MAX_QUANTITY, Money, OrderLine};

mod settle;
pub use settle::{
    RefundParts, SoldLine, balance, refund_parts, settle, sold_lines, split_refund,
    split_refund_alone, split_refund_over,
};

/// A percentage in thousandths of a percent: 20% is 20_000, 5.5% is 5_500.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(pub i64);

/// 100%: no rate or percent discount may be more.
pub const FULL: Rate = Rate(100_000);

impl Rate {
    pub const ZERO: Rate = Rate(0);

    /// Parses "20", "5.5", "8.875" or "20 %" (at most three decimals, 0 to 100).
    pub fn parse(text: &str) -> Result<Rate, String> {
        let t = text.trim().trim_end_matches('%').trim();
        let t = t.replace(',', ".");
        let bad = || format!("\"{}\" is not a percent such as 20 or 5.5", text.trim());
        if t.is_empty() {
            return Err("type a percent such as 20 or 5.5".into());
        }
        let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        if frac.len() > 3 {
            return Err(format!(
                "\"{}\": at most three decimals in a percent",
                text.trim()
            ));
        }
        if whole.len() > 3 {
            return Err("a percent is at most 100".into());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let mut milli: i64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            milli += i64::from(b - b'0') * [100, 10, 1][i];
        }
        let rate = Rate(whole * 1000 + milli);
        if rate > FULL {
            return Err("a percent is at most 100".into());
        }
        Ok(rate)
    }

    /// "20", "5.5", "8.875": the percent without its sign.
    pub fn percent_text(self) -> String {
        let (whole, milli) = (self.0 / 1000, self.0 % 1000);
        if milli == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{milli:03}")
                .trim_end_matches('0')
                .to_owned()
        }
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%", self.percent_text())
    }
}

/// A discount on a line or on the whole order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Discount {
    #[default]
    None,
    Amount(Money),
    Percent(Rate),
}

impl Discount {
    /// The percent, when it is one (stored beside the amount it gave).
    pub fn percent(self) -> Option<Rate> {
        match self {
            Discount::Percent(r) => Some(r),
            _ => None,
        }
    }

    /// From the stored amount and percent: a percent when there is one.
    pub fn stored(amount: i64, percent: Option<i64>) -> Discount {
        match percent {
            Some(p) => Discount::Percent(Rate(p)),
            None if amount > 0 => Discount::Amount(Money(amount)),
            None => Discount::None,
        }
    }

    /// The amount it takes off `base` cents.
    fn of(self, base: i64) -> i64 {
        match self {
            Discount::None => 0,
            Discount::Amount(m) => m.0,
            Discount::Percent(r) => round_div(i128::from(base) * i128::from(r.0), 100_000),
        }
    }
}

/// An order's money apart from its lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    pub discount: Discount,
    /// The shipping charge as the customer sees it (tax included when the
    /// shop's prices include tax).
    pub shipping: Money,
    /// The rate shipping is taxed at (0: not taxed).
    pub shipping_rate: Rate,
    /// Whether unit prices and the shipping charge include tax.
    pub tax_included: bool,
    /// A tax amount given by an import, kept as given instead of the rates'.
    pub tax: Option<Money>,
}

/// One line's figures, in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineFigures {
    /// quantity x unit price.
    pub gross: i64,
    /// The line's own discount.
    pub discount: i64,
    /// Its share of the order's discount.
    pub order_discount: i64,
    pub tax: i64,
    /// What the goods earned: after discounts, without tax.
    pub revenue: i64,
    /// quantity x unit cost.
    pub cost: i64,
}

/// An order's figures, in cents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub gross_sales: i64,
    /// Line and order discounts together.
    pub discounts: i64,
    /// The order discount alone.
    pub order_discount: i64,
    pub revenue: i64,
    /// Shipping without its tax.
    pub shipping: i64,
    pub shipping_tax: i64,
    /// The goods' and shipping's tax together.
    pub tax: i64,
    pub total: i64,
    pub cost: i64,
    pub items: i64,
    pub lines: Vec<LineFigures>,
}

/// Rounds n / d to the nearest whole number, halves away from zero (d > 0).
pub fn round_div(n: i128, d: i128) -> i64 {
    let q = (2 * n.abs() + d) / (2 * d);
    let q = if n < 0 { -q } else { q };
    i64::try_from(q).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

/// The tax in `amount` cents at `rate`: on top of it, or its part of it
/// when `included`.
pub fn tax_of(amount: i64, rate: Rate, included: bool) -> i64 {
    let (n, d) = if included {
        (
            i128::from(amount) * i128::from(rate.0),
            100_000 + i128::from(rate.0),
        )
    } else {
        (i128::from(amount) * i128::from(rate.0), 100_000)
    };
    round_div(n, d)
}

/// Spreads `amount` over `weights` in proportion, the odd cents to the
/// largest remainders (the first on a tie); the parts add up to `amount`.
/// With no weight at all, everything goes to the first part.
pub fn spread(amount: i64, weights: &[i64]) -> Vec<i64> {
    let total: i128 = weights.iter().map(|w| i128::from(*w.max(&0))).sum();
    let mut parts = vec![0i64; weights.len()];
    if weights.is_empty() || amount == 0 {
        return parts;
    }
    if total == 0 {
        parts[0] = amount;
        return parts;
    }
    let mut rest = amount;
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let n = i128::from(amount) * i128::from(*w.max(&0));
        let part = n.div_euclid(total);
        parts[i] = i64::try_from(part).unwrap_or(0);
        rest -= parts[i];
        remainders.push((n.rem_euclid(total), i));
    }
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let step = rest.signum();
    for (_, i) in remainders.iter().cycle().take(rest.unsigned_abs() as usize) {
        parts[*i] += step;
    }
    parts
}

/// Why an order's money does not work out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    #[error("line {line}: the discount is more than the line is worth")]
    LineDiscount { line: usize },
    #[error("the order discount is more than the goods are worth after line discounts")]
    OrderDiscount,
    #[error("a percent is at most 100")]
    Percent,
    #[error("a quantity must be between 1 and {MAX_QUANTITY} and an amount not negative")]
    Bounds,
    #[error(
        "the order's total would be over the most one order may be; split it into several orders"
    )]
    TooLarge,
}

/// Works out an order's figures from its lines and terms.
pub fn figures(lines: &[OrderLine], terms: &Terms) -> Result<Figures, PricingError> {
    let too_large = |v: i128| v > i128::from(MAX_AMOUNT);
    let mut f = Figures::default();
    let mut bases = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        if l.quantity <= 0 || l.quantity > MAX_QUANTITY || l.unit_price.0 < 0 || l.unit_cost.0 < 0 {
            return Err(PricingError::Bounds);
        }
        if l.tax_rate > FULL || l.discount.percent().is_some_and(|p| p > FULL || p.0 < 0) {
            return Err(PricingError::Percent);
        }
        let gross = i128::from(l.quantity) * i128::from(l.unit_price.0);
        let cost = i128::from(l.quantity) * i128::from(l.unit_cost.0);
        if too_large(gross) || too_large(cost) {
            return Err(PricingError::TooLarge);
        }
        let gross = gross as i64;
        let discount = l.discount.of(gross);
        if discount < 0 || discount > gross {
            return Err(PricingError::LineDiscount { line: i + 1 });
        }
        bases.push(gross - discount);
        f.lines.push(LineFigures {
            gross,
            discount,
            cost: cost as i64,
            ..LineFigures::default()
        });
        f.items += l.quantity;
    }
    let goods: i128 = bases.iter().map(|b| i128::from(*b)).sum();
    if too_large(goods) {
        return Err(PricingError::TooLarge);
    }
    if terms
        .discount
        .percent()
        .is_some_and(|p| p > FULL || p.0 < 0)
        || terms.shipping_rate > FULL
        || terms.shipping_rate.0 < 0
    {
        return Err(PricingError::Percent);
    }
    if terms.shipping.0 < 0 || terms.shipping.0 > MAX_AMOUNT || terms.tax.is_some_and(|t| t.0 < 0) {
        return Err(PricingError::Bounds);
    }
    let order_discount = terms.discount.of(goods as i64);
    if order_discount < 0 || i128::from(order_discount) > goods {
        return Err(PricingError::OrderDiscount);
    }
    let shares = spread(order_discount, &bases);
    let mut nets = Vec::with_capacity(lines.len());
    for ((lf, share), base) in f.lines.iter_mut().zip(shares).zip(&bases) {
        lf.order_discount = share;
        nets.push(base - share);
    }
    // Tax: from the rates, or an explicit amount spread over what is taxed.
    let shipping_tax;
    match terms.tax {
        None => {
            for ((lf, l), net) in f.lines.iter_mut().zip(lines).zip(&nets) {
                lf.tax = tax_of(*net, l.tax_rate, terms.tax_included);
            }
            shipping_tax = tax_of(terms.shipping.0, terms.shipping_rate, terms.tax_included);
        }
        Some(tax) => {
            // In proportion to what the rates give each line and the
            // shipping, so a line at 5.5 % takes a 5.5 % line's part (by
            // what each is worth, a reduced-rate line took as much as a
            // full-rate one); with no rates to go by, by what each is worth.
            let mut weights: Vec<i64> = lines
                .iter()
                .zip(&nets)
                .map(|(l, net)| tax_of(*net, l.tax_rate, terms.tax_included))
                .collect();
            weights.push(tax_of(
                terms.shipping.0,
                terms.shipping_rate,
                terms.tax_included,
            ));
            if weights.iter().all(|w| *w <= 0) {
                weights = nets.clone();
                weights.push(terms.shipping.0);
            }
            let parts = spread(tax.0, &weights);
            for (lf, part) in f.lines.iter_mut().zip(&parts) {
                lf.tax = *part;
            }
            shipping_tax = parts.last().copied().unwrap_or(0);
        }
    }
    for (lf, net) in f.lines.iter_mut().zip(&nets) {
        lf.revenue = if terms.tax_included {
            net - lf.tax
        } else {
            *net
        };
        f.gross_sales += lf.gross;
        f.discounts += lf.discount + lf.order_discount;
        f.revenue += lf.revenue;
        f.tax += lf.tax;
        f.cost += lf.cost;
    }
    if f.lines.iter().any(|l| l.revenue < 0) {
        return Err(PricingError::Bounds);
    }
    f.order_discount = order_discount;
    f.shipping = if terms.tax_included {
        terms.shipping.0 - shipping_tax
    } else {
        terms.shipping.0
    };
    if f.shipping < 0 {
        return Err(PricingError::Bounds);
    }
    f.shipping_tax = shipping_tax;
    f.tax += shipping_tax;
    let total = i128::from(f.revenue) + i128::from(f.shipping) + i128::from(f.tax);
    if too_large(total) || too_large(i128::from(f.gross_sales)) {
        return Err(PricingError::TooLarge);
    }
    f.total = total as i64;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(qty: i64, price: i64, rate: i64, discount: Discount) -> OrderLine {
        OrderLine {
            product_id: 1,
            quantity: qty,
            unit_price: Money(price),
            discount,
            tax_rate: Rate(rate),
            unit_cost: Money(0),
        }
    }

    #[test]
    fn rates_parse_and_show() {
        assert_eq!(Rate::parse("20"), Ok(Rate(20_000)));
        assert_eq!(Rate::parse("5.5 %"), Ok(Rate(5_500)));
        assert_eq!(Rate::parse("8,875"), Ok(Rate(8_875)));
        assert_eq!(Rate::parse("0.5"), Ok(Rate(500)));
        assert!(Rate::parse("100.001").is_err());
        assert!(Rate::parse("1.2345").is_err());
        assert!(Rate::parse("-5").is_err());
        assert!(Rate::parse("abc").is_err());
        assert!(Rate::parse("").is_err());
        assert_eq!(Rate(5_500).to_string(), "5.5%");
        assert_eq!(Rate(8_875).to_string(), "8.875%");
        assert_eq!(Rate(20_000).to_string(), "20%");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_div(5, 10), 1);
        assert_eq!(round_div(-5, 10), -1);
        assert_eq!(round_div(4, 10), 0);
        assert_eq!(round_div(15, 10), 2);
        assert_eq!(tax_of(250, Rate(20_000), false), 50);
        // 12.34 at 5.5% = 0.6787 -> 0.68
        assert_eq!(tax_of(1234, Rate(5_500), false), 68);
        // 12.00 including 20% holds 2.00 of tax.
        assert_eq!(tax_of(1200, Rate(20_000), true), 200);
    }

    #[test]
    fn spread_adds_up_and_gives_odd_cents_to_the_largest_remainders() {
        assert_eq!(spread(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(spread(10, &[300, 100]), [8, 2]);
        assert_eq!(spread(7, &[0, 0]), [7, 0]);
        assert_eq!(spread(0, &[5]), [0]);
        let parts = spread(999, &[3, 7, 11, 13]);
        assert_eq!(parts.iter().sum::<i64>(), 999);
    }

    #[test]
    fn a_plain_order_keeps_todays_figures() {
        let f = figures(
            &[
                line(2, 1250, 0, Discount::None),
                line(1, 99, 0, Discount::None),
            ],
            &Terms::default(),
        )
        .unwrap();
        assert_eq!(
            (f.gross_sales, f.discounts, f.revenue, f.tax, f.total),
            (2599, 0, 2599, 0, 2599)
        );
        assert_eq!(f.items, 3);
    }

    #[test]
    fn discounts_shipping_and_tax_excluded() {
        // 2 x 10.00 with 10% off, 1 x 5.00 with 1.00 off; 10% off the order;
        // shipping 4.90 taxed at 20%; goods at 20% and 5.5%.
        let lines = [
            line(2, 1000, 20_000, Discount::Percent(Rate(10_000))),
            line(1, 500, 5_500, Discount::Amount(Money(100))),
        ];
        let terms = Terms {
            discount: Discount::Percent(Rate(10_000)),
            shipping: Money(490),
            shipping_rate: Rate(20_000),
            ..Terms::default()
        };
        let f = figures(&lines, &terms).unwrap();
        assert_eq!(f.gross_sales, 2500);
        // Line bases 18.00 and 4.00; order discount 2.20 spread 1.80 / 0.40.
        assert_eq!(f.lines[0].order_discount, 180);
        assert_eq!(f.lines[1].order_discount, 40);
        assert_eq!(f.discounts, 200 + 100 + 220);
        assert_eq!(f.revenue, 1620 + 360);
        // 16.20 x 20% = 3.24; 3.60 x 5.5% = 0.198 -> 0.20; shipping 0.98.
        assert_eq!(f.lines[0].tax, 324);
        assert_eq!(f.lines[1].tax, 20);
        assert_eq!(f.shipping_tax, 98);
        assert_eq!(f.tax, 324 + 20 + 98);
        assert_eq!(f.total, f.revenue + f.shipping + f.tax);
        assert_eq!(f.total, 1980 + 490 + 442);
    }

    #[test]
    fn prices_including_tax_keep_the_total_the_customer_saw() {
        let lines = [line(3, 1200, 20_000, Discount::None)];
        let terms = Terms {
            shipping: Money(600),
            shipping_rate: Rate(20_000),
            tax_included: true,
            ..Terms::default()
        };
        let f = figures(&lines, &terms).unwrap();
        assert_eq!(f.total, 3600 + 600);
        assert_eq!(f.tax, 600 + 100);
        assert_eq!(f.revenue, 3000);
        assert_eq!(f.shipping, 500);
    }

    #[test]
    fn an_explicit_tax_is_kept() {
        let lines = [
            line(1, 1000, 0, Discount::None),
            line(1, 3000, 0, Discount::None),
        ];
        let terms = Terms {
            shipping: Money(1000),
            tax: Some(Money(501)),
            ..Terms::default()
        };
        let f = figures(&lines, &terms).unwrap();
        assert_eq!(f.tax, 501);
        assert_eq!(f.lines[0].tax + f.lines[1].tax + f.shipping_tax, 501);
        assert_eq!(f.total, 4000 + 1000 + 501);
    }

    #[test]
    fn an_explicit_tax_is_spread_by_what_the_rates_give() {
        // 12.50 at 20 % (2.50) and 6.90 at 5.5 % (0.38); 2.90 given. By the
        // rates' parts: 2.52 and 0.38 (by what each is worth it was 1.87 and
        // 1.03, 15 % of the tea).
        let lines = [
            line(1, 1250, 20_000, Discount::None),
            line(1, 690, 5_500, Discount::None),
        ];
        let terms = Terms {
            tax: Some(Money(290)),
            ..Terms::default()
        };
        let f = figures(&lines, &terms).unwrap();
        assert_eq!((f.lines[0].tax, f.lines[1].tax), (252, 38));
        assert_eq!(f.tax, 290);
    }

    #[test]
    fn impossible_discounts_are_refused() {
        let err = figures(
            &[line(1, 100, 0, Discount::Amount(Money(101)))],
            &Terms::default(),
        );
        assert_eq!(err, Err(PricingError::LineDiscount { line: 1 }));
        let err = figures(
            &[line(1, 100, 0, Discount::None)],
            &Terms {
                discount: Discount::Amount(Money(101)),
                ..Terms::default()
            },
        );
        assert_eq!(err, Err(PricingError::OrderDiscount));
        let full = figures(
            &[line(1, 100, 0, Discount::Percent(FULL))],
            &Terms::default(),
        )
        .unwrap();
        assert_eq!(full.total, 0);
    }

    #[test]
    fn a_unit_refunded_gives_back_what_it_cost_the_customer() {
        // Two books of 8.50 with tax included at 5.5 %: 16.11 + 0.89.
        let sold = [SoldLine {
            quantity: 2,
            returned: 0,
            revenue: 1611,
            tax: 89,
        }];
        let first = refund_parts(&sold, &[(0, 1)]);
        assert_eq!((first.revenue, first.tax), (805, 45));
        let second = refund_parts(
            &[SoldLine {
                returned: 1,
                ..sold[0]
            }],
            &[(0, 1)],
        );
        assert_eq!((second.revenue, second.tax), (806, 44));
    }

    #[test]
    fn refunds_in_steps_give_back_exactly_what_a_line_earned() {
        let sold = [SoldLine {
            quantity: 3,
            returned: 0,
            revenue: 1000,
            tax: 200,
        }];
        let first = refund_parts(&sold, &[(0, 1)]);
        assert_eq!((first.revenue, first.tax), (333, 67));
        let sold2 = [SoldLine {
            returned: 1,
            ..sold[0]
        }];
        let second = refund_parts(&sold2, &[(0, 1)]);
        let sold3 = [SoldLine {
            returned: 2,
            ..sold[0]
        }];
        let third = refund_parts(&sold3, &[(0, 1)]);
        assert_eq!(first.revenue + second.revenue + third.revenue, 1000);
        assert_eq!(first.tax + second.tax + third.tax, 200);
        // More than is left is cut to what is left.
        assert_eq!(refund_parts(&sold3, &[(0, 5)]), third);
    }
}
