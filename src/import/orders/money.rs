//! An orders file's money columns: a line's `line_discount`, and the
//! order's `order_discount`, `discount_code`, `shipping`, `tax`, `paid` and
//! `payment_method`, given on the order's first line or repeated equal on
//! its other lines (an empty cell says nothing). Then, once an order is
//! complete, whether its money works out (`domain::pricing::figures`), with
//! each line's tax rate and cost taken from its product and the shop's tax
//! terms, unless the file gives the tax itself.

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::{Currency, Discount, Money, OrderLine, Rate, Terms, check_text, pricing};
use crate::import::{Mapping, Problems, echo};
use crate::store::bulk::ProductRef;

use super::read::{LineIn, OrderIn};

/// The columns, by their place in `ImportKind::Orders.columns()`.
const LINE_DISCOUNT: usize = 9;
const ORDER_DISCOUNT: usize = 10;
const CODE: usize = 11;
const SHIPPING: usize = 12;
const TAX: usize = 13;
const PAID: usize = 14;
const METHOD: usize = 15;

/// An amount cell left empty.
const UNSET: i64 = -1;

/// The order-level money a row gives (or an order has gathered): each
/// value unset when no row gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct OrderMoney {
    pub(super) discount: Option<Discount>,
    pub(super) code: Option<Arc<str>>,
    pub(super) shipping: i64,
    pub(super) tax: i64,
    pub(super) paid: i64,
    pub(super) method: Option<Arc<str>>,
}

impl Default for OrderMoney {
    fn default() -> Self {
        OrderMoney {
            discount: None,
            code: None,
            shipping: UNSET,
            tax: UNSET,
            paid: UNSET,
            method: None,
        }
    }
}

fn given(amount: i64) -> Option<i64> {
    (amount != UNSET).then_some(amount)
}

impl OrderMoney {
    pub(super) fn paid(&self) -> Option<Money> {
        given(self.paid).map(Money)
    }

    pub(super) fn method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    pub(super) fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Takes a later row's values into the order's: a value the order has
    /// not had yet is taken; one that differs from the order's is refused,
    /// naming the column and the order's value.
    pub(super) fn merge(
        &mut self,
        row: &OrderMoney,
        currency: &Currency,
    ) -> Result<(), (&'static str, String)> {
        fn one<T: PartialEq + Clone>(
            mine: &mut Option<T>,
            theirs: &Option<T>,
        ) -> Result<(), Option<T>> {
            match (mine.as_ref(), theirs) {
                (_, None) => Ok(()),
                (None, Some(t)) => {
                    *mine = Some(t.clone());
                    Ok(())
                }
                (Some(m), Some(t)) if m == t => Ok(()),
                (Some(m), Some(_)) => Err(Some(m.clone())),
            }
        }
        let amount = |m: Option<i64>| m.map_or(String::new(), |m| currency.format_plain(Money(m)));
        let text = |t: Option<Arc<str>>| t.map_or(String::new(), |t| echo(&t));
        one(&mut self.discount, &row.discount).map_err(|d| {
            let shown = d.map_or(String::new(), |d| {
                crate::domain::order::discount_text(d, currency)
            });
            ("order_discount", shown)
        })?;
        one(&mut self.code, &row.code).map_err(|c| ("discount_code", text(c)))?;
        for (column, mine, theirs) in [
            ("shipping", &mut self.shipping, row.shipping),
            ("tax", &mut self.tax, row.tax),
            ("paid", &mut self.paid, row.paid),
        ] {
            let mut m = given(*mine);
            one(&mut m, &given(theirs)).map_err(|v| (column, amount(v)))?;
            *mine = m.unwrap_or(UNSET);
        }
        one(&mut self.method, &row.method).map_err(|m| ("payment_method", text(m)))?;
        Ok(())
    }
}

/// Reads a row's money cells: its line's discount and the order's values.
/// Bad cells become problems (and give nothing). `names` keeps one copy of
/// each code and method the file names.
pub(super) fn read_row(
    m: &Mapping,
    r: &csv::StringRecord,
    line: u64,
    currency: &Currency,
    decimal: char,
    names: &mut HashMap<Box<str>, Arc<str>>,
    problems: &mut Problems,
) -> (Discount, OrderMoney) {
    let mut order = OrderMoney::default();
    let line_discount = discount(m.get(LINE_DISCOUNT, r), currency, decimal)
        .map_err(|e| problems.add(line, "line_discount", e))
        .unwrap_or_default();
    let d = m.get(ORDER_DISCOUNT, r);
    if !d.trim().is_empty() {
        order.discount = discount(d, currency, decimal)
            .map_err(|e| problems.add(line, "order_discount", e))
            .ok();
    }
    for (column, cell) in [("shipping", SHIPPING), ("tax", TAX), ("paid", PAID)] {
        let text = m.get(cell, r);
        if text.trim().is_empty() {
            continue;
        }
        let value = match currency.parse_in_file(text, decimal) {
            Ok(v) => v.0,
            Err(e) => {
                problems.add(line, column, e.to_string());
                continue;
            }
        };
        match column {
            "shipping" => order.shipping = value,
            "tax" => order.tax = value,
            _ => order.paid = value,
        }
    }
    for (column, cell) in [("discount_code", CODE), ("payment_method", METHOD)] {
        let text = m.get(cell, r).trim();
        if text.is_empty() {
            continue;
        }
        if let Err(why) = check_text(text, false) {
            problems.add(line, column, why);
            continue;
        }
        if text.chars().count() > 64 {
            problems.add(line, column, "keep it under 64 characters");
            continue;
        }
        let name = match names.get(text) {
            Some(n) => n.clone(),
            None => {
                let n: Arc<str> = text.into();
                names.insert(text.into(), n.clone());
                n
            }
        };
        if column == "discount_code" {
            order.code = Some(name);
        } else {
            order.method = Some(name);
        }
    }
    (line_discount, order)
}

/// "10%" or an amount, as a file writes it.
fn discount(text: &str, currency: &Currency, decimal: char) -> Result<Discount, String> {
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
    match currency.parse_in_file(t, decimal) {
        Ok(Money(0)) => Ok(Discount::None),
        Ok(m) => Ok(Discount::Amount(m)),
        Err(e) => Err(format!("{e} (or a percent such as 10%)")),
    }
}

/// An order's lines and terms as the file gives them, each line with the
/// tax rate and cost of its product, on the shop's `base` terms; the tax is
/// the file's when it gives one.
pub(super) fn order_terms(
    o: &OrderIn,
    lines: &[LineIn],
    products: &[ProductRef],
    base: &Terms,
    buffer: &mut Vec<OrderLine>,
) -> Terms {
    buffer.clear();
    buffer.extend(lines.iter().map(|l| {
        let p = &products[l.product as usize];
        OrderLine {
            product_id: p.id,
            quantity: l.quantity,
            unit_price: Money(l.price),
            discount: l.discount,
            tax_rate: p.rate,
            unit_cost: p.cost,
        }
    }));
    Terms {
        discount: o.money.discount.unwrap_or_default(),
        shipping: Money(given(o.money.shipping).unwrap_or(0)),
        tax: given(o.money.tax).map(Money),
        ..base.clone()
    }
}

/// Whether an order's money works out; if not, the problem's line, column
/// and reason.
pub(super) fn check(
    o: &OrderIn,
    lines: &[LineIn],
    products: &[ProductRef],
    base: &Terms,
    currency: &Currency,
    buffer: &mut Vec<OrderLine>,
) -> Result<(), (u64, &'static str, String)> {
    let terms = order_terms(o, lines, products, base, buffer);
    match pricing::figures(buffer, &terms) {
        Ok(_) => Ok(()),
        Err(pricing::PricingError::LineDiscount { line }) => Err((
            lines.get(line - 1).map_or(o.line, |l| l.line),
            "line_discount",
            "the discount is more than the line is worth".into(),
        )),
        Err(pricing::PricingError::OrderDiscount) => Err((
            o.line,
            "order_discount",
            format!(
                "the discount is more than order {} is worth after its line discounts",
                o.reference
            ),
        )),
        Err(pricing::PricingError::TooLarge) => {
            Err((o.line, "quantity", super::read::over_the_bound(currency)))
        }
        Err(e) => Err((o.line, "", e.to_string())),
    }
}
