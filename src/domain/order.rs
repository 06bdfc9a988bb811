//! Order statuses and the moves allowed between them.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrderStatus {
    Pending,
    Paid,
    Shipped,
    Delivered,
    Cancelled,
    Returned,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Pending,
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Paid => "paid",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Returned => "returned",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(code))
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Pending => "Pending",
            OrderStatus::Paid => "Paid",
            OrderStatus::Shipped => "Shipped",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Cancelled => "Cancelled",
            OrderStatus::Returned => "Returned",
        }
    }

    /// The statuses this one may move to.
    pub fn next(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            Pending => &[Paid, Cancelled],
            Paid => &[Shipped, Cancelled],
            // A shipped order can be cancelled: its goods come back.
            Shipped => &[Delivered, Cancelled],
            Delivered => &[Returned],
            Cancelled | Returned => &[],
        }
    }

    pub fn can_move_to(self, to: OrderStatus) -> bool {
        self.next().contains(&to)
    }

    /// Whether the order counts as a sale (everything but cancelled and returned).
    pub fn is_sale(self) -> bool {
        !matches!(self, OrderStatus::Cancelled | OrderStatus::Returned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn allowed_transitions() {
        assert!(Pending.can_move_to(Paid));
        assert!(Paid.can_move_to(Shipped));
        assert!(Shipped.can_move_to(Delivered));
        assert!(Pending.can_move_to(Cancelled));
        assert!(Paid.can_move_to(Cancelled));
        assert!(Delivered.can_move_to(Returned));
        assert!(Shipped.can_move_to(Cancelled));
        assert!(!Delivered.can_move_to(Cancelled));
        assert!(!Pending.can_move_to(Delivered));
        assert!(!Cancelled.can_move_to(Pending));
        assert!(!Returned.can_move_to(Delivered));
        for s in OrderStatus::ALL {
            assert!(!s.can_move_to(s));
            assert_eq!(OrderStatus::from_code(s.code()), Some(s));
        }
    }
}

use super::pricing::{self, Discount, Figures, Rate, Terms};
use super::{Currency, MAX_AMOUNT, MAX_QUANTITY, Money, check_text, optional, parse_count};

/// One line of the order form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderLineDraft {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: String,
    pub unit_price: String,
    /// "10%" or an amount such as "2.50"; empty for none.
    pub discount: String,
    /// The product's tax rate, taken as sold.
    pub tax_rate: Rate,
    /// The product's cost, taken as sold.
    pub unit_cost: Money,
    /// What the shop has in stock (plus what this order already holds, when editing).
    pub available: i64,
}

/// The order form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderDraft {
    pub customer_id: Option<i64>,
    pub lines: Vec<OrderLineDraft>,
    pub note: String,
    /// The order's discount: "10%" or an amount; empty for none.
    pub discount: String,
    pub discount_code: String,
    /// The shipping charge; empty for none.
    pub shipping: String,
    /// Where it goes; empty for the customer's address.
    pub ship_to: String,
}

/// A checked order line: the unit price, discount, tax rate and cost as sold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderLine {
    pub product_id: i64,
    pub quantity: i64,
    pub unit_price: Money,
    pub discount: Discount,
    pub tax_rate: Rate,
    pub unit_cost: Money,
}

impl OrderLine {
    pub fn total(&self) -> Money {
        Money(self.quantity.saturating_mul(self.unit_price.0))
    }
}

/// A checked order, ready to be placed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewOrder {
    pub customer_id: i64,
    pub lines: Vec<OrderLine>,
    pub note: Option<String>,
    pub terms: Terms,
    pub discount_code: Option<String>,
    /// Where it goes, when not to the customer's address.
    pub ship_to: Option<String>,
}

impl NewOrder {
    /// A plain order: lines at their prices, no discount, shipping or tax.
    pub fn plain(customer_id: i64, lines: Vec<OrderLine>) -> Self {
        NewOrder {
            customer_id,
            lines,
            ..NewOrder::default()
        }
    }

    /// Its figures (`domain::pricing`).
    pub fn figures(&self) -> Result<Figures, pricing::PricingError> {
        pricing::figures(&self.lines, &self.terms)
    }

    /// What the customer pays (0 when the figures do not work out).
    pub fn total(&self) -> Money {
        Money(self.figures().map(|f| f.total).unwrap_or(0))
    }

    pub fn items(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
}

/// What is wrong with an order form, by place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderErrors {
    pub customer: Option<String>,
    pub lines: Vec<(usize, &'static str, String)>,
    pub general: Option<String>,
}

impl OrderErrors {
    pub fn is_empty(&self) -> bool {
        self.customer.is_none() && self.lines.is_empty() && self.general.is_none()
    }

    /// The message for line `i`'s field ("quantity" or "unit_price").
    pub fn line(&self, i: usize, field: &str) -> Option<&str> {
        self.lines
            .iter()
            .find(|(l, f, _)| *l == i && *f == field)
            .map(|(_, _, m)| m.as_str())
    }
}

/// Reads a discount as typed: "10%" (or "10 %") is a percent, anything else
/// an amount in the shop's currency; empty is none.
pub fn parse_discount(text: &str, currency: &Currency) -> Result<Discount, String> {
    parse_discount_with(text, |t| currency.parse(t))
}

/// `parse_discount` with the amount read by `amount` (a form's way or a
/// file's, whose decimal separator may differ).
pub fn parse_discount_with<E: std::fmt::Display>(
    text: &str,
    amount: impl FnOnce(&str) -> Result<Money, E>,
) -> Result<Discount, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(Discount::None);
    }
    if t.ends_with('%') {
        return Rate::parse(t).map(|r| {
            if r.0 == 0 {
                Discount::None
            } else {
                Discount::Percent(r)
            }
        });
    }
    match amount(t) {
        Ok(Money(0)) => Ok(Discount::None),
        Ok(m) => Ok(Discount::Amount(m)),
        Err(e) => Err(format!("{e} (or a percent such as 10%)")),
    }
}

/// A discount as it is typed back into a form: "10%" or "2.50".
pub fn discount_text(discount: Discount, currency: &Currency) -> String {
    match discount {
        Discount::None => String::new(),
        Discount::Amount(m) => currency.format_input(m),
        Discount::Percent(r) => format!("{}%", r.percent_text()),
    }
}

impl OrderDraft {
    /// Checks the form. `base` holds the shop's tax terms (whether prices
    /// include tax, the shipping rate); the form adds its discount and shipping.
    pub fn validate(&self, currency: &Currency, base: &Terms) -> Result<NewOrder, OrderErrors> {
        let mut errors = OrderErrors::default();
        if self.customer_id.is_none() {
            errors.customer = Some("choose the customer".into());
        }
        if self.lines.is_empty() {
            errors.general = Some("add at least one product".into());
        }
        let mut lines = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let quantity = match parse_count(&l.quantity, false) {
                Ok(0) => {
                    errors.lines.push((i, "quantity", "at least 1".into()));
                    None
                }
                Ok(q) if q > MAX_QUANTITY => {
                    errors.lines.push((
                        i,
                        "quantity",
                        format!("at most {MAX_QUANTITY} in one line"),
                    ));
                    None
                }
                Ok(q) if q > l.available => {
                    errors
                        .lines
                        .push((i, "quantity", format!("only {} in stock", l.available)));
                    None
                }
                Ok(q) => Some(q),
                Err(e) => {
                    errors.lines.push((i, "quantity", e));
                    None
                }
            };
            let price = match currency.parse(&l.unit_price) {
                Ok(p) => Some(p),
                Err(e) => {
                    errors.lines.push((i, "unit_price", e.to_string()));
                    None
                }
            };
            let discount = match parse_discount(&l.discount, currency) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.lines.push((i, "discount", e));
                    None
                }
            };
            if let (Some(quantity), Some(unit_price), Some(discount)) = (quantity, price, discount)
            {
                let line = OrderLine {
                    product_id: l.product_id,
                    quantity,
                    unit_price,
                    discount,
                    tax_rate: l.tax_rate,
                    unit_cost: l.unit_cost,
                };
                if pricing::figures(&[line], &Terms::default()).is_err() {
                    errors
                        .lines
                        .push((i, "discount", "more than the line is worth".into()));
                }
                lines.push(line);
            }
        }
        // The same product on two lines draws on one stock.
        let mut per_product: Vec<(i64, i64, i64)> = Vec::new();
        for (l, d) in lines.iter().zip(&self.lines) {
            match per_product.iter_mut().find(|(p, _, _)| *p == l.product_id) {
                Some(entry) => entry.1 += l.quantity,
                None => per_product.push((l.product_id, l.quantity, d.available)),
            }
        }
        if let Some((_, want, have)) = per_product.iter().find(|(_, w, a)| w > a) {
            errors.general = Some(format!("{want} asked in all, only {have} in stock"));
        }
        let mut terms = Terms {
            tax: None,
            ..base.clone()
        };
        match parse_discount(&self.discount, currency) {
            Ok(d) => terms.discount = d,
            Err(e) => errors.general = Some(format!("the order discount: {e}")),
        }
        if self.shipping.trim().is_empty() {
            terms.shipping = Money(0);
        } else {
            match currency.parse(&self.shipping) {
                Ok(m) => terms.shipping = m,
                Err(e) => errors.general = Some(format!("shipping: {e}")),
            }
        }
        if errors.is_empty() {
            match pricing::figures(&lines, &terms) {
                Ok(_) => {}
                Err(pricing::PricingError::TooLarge) => {
                    errors.general = Some(format!(
                        "the order's total would be over {}, the most one order may be; split it into several orders",
                        currency.format(Money(MAX_AMOUNT))
                    ));
                }
                Err(e) => errors.general = Some(e.to_string()),
            }
        }
        for (what, text) in [
            ("the note", &self.note),
            ("the discount code", &self.discount_code),
            ("the shipping address", &self.ship_to),
        ] {
            if let Err(why) = check_text(text.trim(), what != "the discount code") {
                errors.general = Some(format!("{what}: {why}"));
            }
        }
        match self.customer_id {
            Some(customer_id) if errors.is_empty() => Ok(NewOrder {
                customer_id,
                lines,
                note: optional(&self.note),
                terms,
                discount_code: optional(&self.discount_code),
                ship_to: optional(&self.ship_to),
            }),
            _ => Err(errors),
        }
    }

    /// The figures of what is typed so far, before a customer is chosen and
    /// whatever the stock: what the form shows as its total while it cannot
    /// be placed yet. None while a line, the order discount or the shipping
    /// does not read (a total without it would mislead).
    pub fn preview(&self, currency: &Currency, base: &Terms) -> Option<pricing::Figures> {
        let mut lines = Vec::with_capacity(self.lines.len());
        for l in &self.lines {
            lines.push(OrderLine {
                product_id: l.product_id,
                quantity: parse_count(&l.quantity, false)
                    .ok()
                    .filter(|q| (1..=MAX_QUANTITY).contains(q))?,
                unit_price: currency.parse(&l.unit_price).ok()?,
                discount: parse_discount(&l.discount, currency).ok()?,
                tax_rate: l.tax_rate,
                unit_cost: l.unit_cost,
            });
        }
        if lines.is_empty() {
            return None;
        }
        let shipping = match self.shipping.trim() {
            "" => Money(0),
            text => currency.parse(text).ok()?,
        };
        let terms = Terms {
            tax: None,
            discount: parse_discount(&self.discount, currency).ok()?,
            shipping,
            ..base.clone()
        };
        pricing::figures(&lines, &terms).ok()
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;

    fn line(qty: &str, price: &str, available: i64) -> OrderLineDraft {
        OrderLineDraft {
            product_id: 1,
            sku: "MUG".into(),
            name: "Mug".into(),
            quantity: qty.into(),
            unit_price: price.into(),
            available,
            ..OrderLineDraft::default()
        }
    }

    #[test]
    fn a_good_order_validates_with_totals() {
        let d = OrderDraft {
            customer_id: Some(3),
            lines: vec![line("2", "12.50", 5)],
            note: " gift ".into(),
            ..OrderDraft::default()
        };
        let o = d.validate(&Currency::default(), &Terms::default()).unwrap();
        assert_eq!(o.total(), Money(2500));
        assert_eq!(o.items(), 2);
        assert_eq!(o.note.as_deref(), Some("gift"));
    }

    #[test]
    fn each_problem_is_named() {
        let c = Currency::default();
        let t = Terms::default();
        let e = OrderDraft::default().validate(&c, &t).unwrap_err();
        assert!(e.customer.is_some() && e.general.is_some());
        let d = OrderDraft {
            customer_id: Some(1),
            lines: vec![line("6", "1", 5), line("0", "1", 5), line("1", "1.234", 5)],
            ..OrderDraft::default()
        };
        let e = d.validate(&c, &t).unwrap_err();
        assert_eq!(e.line(0, "quantity"), Some("only 5 in stock"));
        assert!(e.line(1, "quantity").is_some());
        assert!(e.line(2, "unit_price").is_some());
        let d = OrderDraft {
            customer_id: Some(1),
            lines: vec![line("3", "1", 5), line("3", "1", 5)],
            ..OrderDraft::default()
        };
        assert!(
            d.validate(&c, &t)
                .unwrap_err()
                .general
                .unwrap()
                .contains("only 5")
        );
    }
}
