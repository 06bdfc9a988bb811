//! An orders file's money columns: a line's `line_discount`, `tax_rate`,
//! `returned` and `restocked`, and the order's `order_discount`,
//! `discount_code`, `shipping`, `tax`, `paid`, `payment_method`,
//! `shipping_tax_rate`, `prices_include_tax`, `refunded` and `refunded_on`,
//! given on the order's first line or repeated equal on its other lines (an
//! empty cell says nothing). Then, once an order is complete, whether its
//! money works out (`domain::pricing::figures`). Each line's tax rate is the
//! file's when it has a `tax_rate` column (an empty cell: no tax), else its
//! product's, on the shop's tax terms; the tax is worked out from the rates,
//! unless the file gives a tax amount that differs (kept as given).

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
const TAX_RATE: usize = 16;
const RETURNED: usize = 17;
const RESTOCKED: usize = 18;
const SHIPPING_RATE: usize = 19;
const INCLUDED: usize = 20;
const REFUNDED: usize = 21;
const REFUNDED_ON: usize = 22;
const UNIT_COST: usize = 23;

/// An amount cell left empty.
const UNSET: i64 = -1;
/// An empty cell of an order-level column the file has: says nothing next
/// to a value, and "none" (no tax, prices without tax) alone.
const EMPTY: i64 = -2;

/// A discount in one number, so a million orders' lines stay small: 0 none,
/// more than 0 an amount, less than 0 a percent (-1 - its thousandths).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Packed(i64);

impl Packed {
    fn of(d: Discount) -> Packed {
        Packed(match d {
            Discount::None => 0,
            Discount::Amount(m) => m.0,
            Discount::Percent(r) => -1 - r.0,
        })
    }

    pub(super) fn get(self) -> Discount {
        match self.0 {
            0 => Discount::None,
            n if n > 0 => Discount::Amount(Money(n)),
            n => Discount::Percent(Rate(-1 - n)),
        }
    }
}

/// An order's discount code and payment method; one copy of each pair
/// (`Interner`), as a file names only a few.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Names {
    code: Option<Box<str>>,
    method: Option<Box<str>>,
}

/// One copy of each code and method pair a file names, and the tax rates
/// it names ("VAT 20%": the name and the rate in thousandths).
#[derive(Default)]
pub(super) struct Interner {
    pairs: HashMap<String, Arc<Names>>,
    key: String,
    last: Option<Arc<Names>>,
    pub(super) rates: Vec<(Box<str>, Rate)>,
}

impl Interner {
    fn intern(&mut self, code: Option<&str>, method: Option<&str>) -> Option<Arc<Names>> {
        if code.is_none() && method.is_none() {
            return None;
        }
        // Most rows name the pair the row before named.
        if let Some(last) = &self.last
            && last.code.as_deref() == code
            && last.method.as_deref() == method
        {
            return Some(last.clone());
        }
        // Neither holds a control character (`check_text`).
        self.key.clear();
        self.key.push_str(code.unwrap_or(""));
        self.key.push('\0');
        self.key.push_str(method.unwrap_or(""));
        if let Some(pair) = self.pairs.get(self.key.as_str()) {
            self.last = Some(pair.clone());
            return Some(pair.clone());
        }
        let pair = Arc::new(Names {
            code: code.map(Into::into),
            method: method.map(Into::into),
        });
        self.pairs.insert(self.key.clone(), pair.clone());
        self.last = Some(pair.clone());
        Some(pair)
    }
}

/// The order-level money a row gives (or an order has gathered): each
/// value unset when no row gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct OrderMoney {
    /// A `Packed` discount, or unset.
    discount: i64,
    names: Option<Arc<Names>>,
    shipping: i64,
    tax: i64,
    paid: i64,
    /// The shipping's tax rate in thousandths, `EMPTY`, or unset.
    shipping_rate: i64,
    /// 1 when prices include tax, 0 when not, `EMPTY`, or unset.
    included: i64,
    refunded: i64,
    /// The refund's date as YYYYMMDD, or unset.
    refunded_on: i64,
}

impl Default for OrderMoney {
    fn default() -> Self {
        OrderMoney {
            discount: UNSET,
            names: None,
            shipping: UNSET,
            tax: UNSET,
            paid: UNSET,
            shipping_rate: UNSET,
            included: UNSET,
            refunded: UNSET,
            refunded_on: UNSET,
        }
    }
}

/// A line's money as a row gives it: its discount, its tax rate (in
/// thousandths; unset when the file has no `tax_rate` column) and the units
/// refunded and put back into stock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct LineMoney {
    pub(super) discount: Packed,
    pub(super) rate: i64,
    pub(super) returned: i64,
    pub(super) restocked: i64,
    /// Its unit cost as sold, or unset (its product's).
    pub(super) cost: i64,
}

/// A YYYYMMDD date as 'YYYY-MM-DD'.
fn date_text(day: i64) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day / 10_000,
        day / 100 % 100,
        day % 100
    )
}

fn given(amount: i64) -> Option<i64> {
    (amount != UNSET).then_some(amount)
}

impl OrderMoney {
    pub(super) fn paid(&self) -> Option<Money> {
        given(self.paid).map(Money)
    }

    pub(super) fn method(&self) -> Option<&str> {
        self.names.as_ref().and_then(|n| n.method.as_deref())
    }

    pub(super) fn code(&self) -> Option<&str> {
        self.names.as_ref().and_then(|n| n.code.as_deref())
    }

    fn discount(&self) -> Option<Discount> {
        given(self.discount).map(|d| Packed(d).get())
    }

    pub(super) fn refunded(&self) -> Option<Money> {
        given(self.refunded).map(Money)
    }

    /// The refund's date, 'YYYY-MM-DD'.
    pub(super) fn refunded_on(&self) -> Option<String> {
        given(self.refunded_on).map(date_text)
    }

    /// Takes a later row's values into the order's: a value the order has
    /// not had yet is taken; one that differs from the order's is refused,
    /// naming the column and the order's value.
    pub(super) fn merge(
        &mut self,
        row: &OrderMoney,
        currency: &Currency,
        names: &mut Interner,
    ) -> Result<(), (&'static str, String)> {
        /// The value kept, or the order's when the row's differs.
        fn one<T: PartialEq + Copy>(mine: Option<T>, theirs: Option<T>) -> Result<Option<T>, T> {
            match (mine, theirs) {
                (m, None) => Ok(m),
                (None, t) => Ok(t),
                (Some(m), Some(t)) if m == t => Ok(Some(m)),
                (Some(m), Some(_)) => Err(m),
            }
        }
        let amount = |m: i64| currency.format_plain(Money(m));
        let shown = |column: &str, v: i64| match column {
            "shipping_tax_rate" => {
                crate::domain::order::discount_text(Discount::Percent(Rate(v)), currency)
            }
            "prices_include_tax" => if v == 1 { "yes" } else { "no" }.to_owned(),
            "refunded_on" => date_text(v),
            _ => amount(v),
        };
        self.discount = one(given(self.discount), given(row.discount))
            .map_err(|d| {
                let shown = crate::domain::order::discount_text(Packed(d).get(), currency);
                ("order_discount", shown)
            })?
            .unwrap_or(UNSET);
        for (column, mine, theirs) in [
            ("shipping", &mut self.shipping, row.shipping),
            ("tax", &mut self.tax, row.tax),
            ("paid", &mut self.paid, row.paid),
            (
                "shipping_tax_rate",
                &mut self.shipping_rate,
                row.shipping_rate,
            ),
            ("prices_include_tax", &mut self.included, row.included),
            ("refunded", &mut self.refunded, row.refunded),
            ("refunded_on", &mut self.refunded_on, row.refunded_on),
        ] {
            // An empty cell says nothing next to a value.
            let theirs = if theirs == EMPTY && *mine != UNSET {
                UNSET
            } else {
                theirs
            };
            if *mine == EMPTY && theirs != UNSET {
                *mine = UNSET;
            }
            *mine = one(given(*mine), given(theirs))
                .map_err(|v| (column, shown(column, v)))?
                .unwrap_or(UNSET);
        }
        let code = one(self.code(), row.code()).map_err(|c| ("discount_code", echo(c)))?;
        let method = one(self.method(), row.method()).map_err(|m| ("payment_method", echo(m)))?;
        if code != self.code() || method != self.method() {
            self.names = names.intern(code, method);
        }
        Ok(())
    }
}

/// Reads a row's money cells: its line's and the order's values. Bad
/// cells become problems (and give nothing).
pub(super) fn read_row(
    m: &Mapping,
    r: &csv::StringRecord,
    line: u64,
    currency: &Currency,
    decimal: char,
    names: &mut Interner,
    problems: &mut Problems,
) -> (LineMoney, OrderMoney) {
    let mut order = OrderMoney::default();
    let mut own = LineMoney {
        rate: UNSET,
        cost: UNSET,
        ..LineMoney::default()
    };
    // A rate column that is there says "no tax" in an empty cell.
    for (column, cell) in [("tax_rate", TAX_RATE), ("shipping_tax_rate", SHIPPING_RATE)] {
        if !m.has(cell) {
            continue;
        }
        let text = m.get(cell, r);
        let rate = match crate::import::tax_rate(text, &mut names.rates) {
            Ok(_) if cell == SHIPPING_RATE && text.trim().is_empty() => EMPTY,
            Ok(rate) => rate.0,
            Err(e) => {
                problems.add(line, column, e);
                continue;
            }
        };
        match cell {
            TAX_RATE => own.rate = rate,
            _ => order.shipping_rate = rate,
        }
    }
    if m.has(INCLUDED) {
        let text = m.get(INCLUDED, r).trim();
        match text.to_ascii_lowercase().as_str() {
            "" => order.included = EMPTY,
            "no" => order.included = 0,
            "yes" => order.included = 1,
            _ => problems.add(
                line,
                "prices_include_tax",
                format!("\"{}\" is neither yes nor no (empty)", echo(text)),
            ),
        }
    }
    for (column, cell) in [("returned", RETURNED), ("restocked", RESTOCKED)] {
        let text = m.get(cell, r);
        if text.trim().is_empty() {
            continue;
        }
        match crate::domain::parse_count(text, false) {
            Ok(n) if cell == RETURNED => own.returned = n,
            Ok(n) => own.restocked = n,
            Err(e) => problems.add(line, column, e),
        }
    }
    let day = m.get(REFUNDED_ON, r).trim();
    if !day.is_empty() {
        match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            // As an order's date cannot be: nothing was refunded yet.
            Ok(d) if day.len() == 10 && d > chrono::Local::now().date_naive() => {
                problems.add(line, "refunded_on", format!("{day} is in the future"));
            }
            Ok(d) if day.len() == 10 => {
                use chrono::Datelike;
                order.refunded_on =
                    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day());
            }
            _ => problems.add(
                line,
                "refunded_on",
                format!(
                    "\"{}\" is not a date; write it as YYYY-MM-DD, for example 2026-01-31",
                    echo(day)
                ),
            ),
        }
    }
    let line_discount = discount(m.get(LINE_DISCOUNT, r), currency, decimal)
        .map_err(|e| problems.add(line, "line_discount", e))
        .unwrap_or_default();
    let d = m.get(ORDER_DISCOUNT, r);
    if !d.trim().is_empty()
        && let Ok(d) =
            discount(d, currency, decimal).map_err(|e| problems.add(line, "order_discount", e))
    {
        order.discount = Packed::of(d).0;
    }
    for (column, cell) in [
        ("shipping", SHIPPING),
        ("tax", TAX),
        ("paid", PAID),
        ("refunded", REFUNDED),
        ("unit_cost", UNIT_COST),
    ] {
        let text = m.get(cell, r);
        if text.trim().is_empty() {
            continue;
        }
        let value = match currency.parse_in_file(text, decimal) {
            Ok(v) => v.0,
            Err(e) => {
                problems.add(
                    line,
                    column,
                    crate::import::amount_problem(text, &e, decimal),
                );
                continue;
            }
        };
        match column {
            "shipping" => order.shipping = value,
            "tax" => order.tax = value,
            "paid" => order.paid = value,
            "refunded" => order.refunded = value,
            _ => own.cost = value,
        }
    }
    let mut texts = [None, None];
    for (i, (column, cell)) in [("discount_code", CODE), ("payment_method", METHOD)]
        .into_iter()
        .enumerate()
    {
        let text = m.get(cell, r).trim();
        if text.is_empty() {
            continue;
        }
        if let Err(why) = check_text(text, false) {
            problems.add(line, column, why);
        } else if text.chars().count() > 64 {
            problems.add(line, column, "keep it under 64 characters");
        } else {
            texts[i] = Some(text);
        }
    }
    order.names = names.intern(texts[0], texts[1]);
    own.discount = Packed::of(line_discount);
    (own, order)
}

/// "10%" or an amount, as a file writes it.
fn discount(text: &str, currency: &Currency, decimal: char) -> Result<Discount, String> {
    crate::domain::order::parse_discount_with(text, |t| {
        currency
            .parse_in_file(t, decimal)
            .map_err(|e| crate::import::amount_problem(t, &e, decimal))
    })
}

/// An order's lines and terms as the file gives them, each line with the
/// tax rate the file gives (or else its product's) and its product's cost,
/// on the shop's `base` terms. The tax is the file's when it gives one and
/// no rates; with rates, the rates' unless the file's tax differs.
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
            discount: l.discount.get(),
            tax_rate: given(l.rate).map_or(p.rate, Rate),
            unit_cost: given(l.cost).map_or(p.cost, Money),
        }
    }));
    let rated = lines.iter().any(|l| l.rate != UNSET) || o.money.shipping_rate != UNSET;
    let explicit = given(o.money.tax).map(Money);
    let mut terms = Terms {
        discount: o.money.discount().unwrap_or_default(),
        shipping: Money(given(o.money.shipping).unwrap_or(0)),
        tax: explicit,
        ..base.clone()
    };
    if let Some(rate) = given(o.money.shipping_rate) {
        terms.shipping_rate = Rate(rate.max(0));
    }
    if let Some(included) = given(o.money.included) {
        terms.tax_included = included == 1;
    }
    if rated {
        terms.tax = None;
        if let Some(tax) = explicit
            && pricing::figures(buffer, &terms).is_ok_and(|f| f.tax != tax.0)
        {
            terms.tax = Some(tax);
        }
    }
    terms
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
    super::refund::check(o, lines)?;
    let terms = order_terms(o, lines, products, base, buffer);
    match pricing::figures(buffer, &terms) {
        Ok(f) => super::refund::check_amounts(o, lines, &f, currency),
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
