//! Shopify's orders export (Orders > Export): one row per line item, the
//! order's own columns (Email, statuses, Currency, Subtotal, Shipping,
//! Taxes, Total, Discount Amount, Created at, addresses, Payment Method,
//! Refunded Amount, Cancelled at, Tax 1..5 Value, Notes) only on its first
//! row. Rows are read here and each order's money checked against the
//! file's own sums; `orders_write` finds or makes its customer and
//! products and writes it.
//!
//! Money: the lines' prices less Discount Amount must come to Subtotal, and
//! Subtotal + Shipping + Taxes to Total (or Subtotal + Shipping, when prices
//! include tax), a cent per line allowed; otherwise the order is refused
//! with its name and the difference. The order discount is what Discount
//! Amount has beyond the line items' own discounts; the tax is Taxes as
//! given (else the sum of Tax 1..5 Value).
//!
//! Statuses (the preview shows them): Cancelled at, or "voided" ->
//! cancelled; "refunded" -> returned; "paid" or "partially_refunded" ->
//! shipped when fulfilled, else paid; "pending", "authorized",
//! "partially_paid", "unpaid", "expired" -> shipped when fulfilled, else
//! pending, with what was paid (Total less Outstanding Balance for a
//! partly paid one). Refunded Amount of a partly refunded order is one
//! refund on the order's day; all of it makes the order returned.
//! "Created at" keeps the day and time Shopify wrote (the shop's own time);
//! its UTC offset is checked and left.

use std::collections::HashMap;

use super::cols::{Col, Cols, col, needed};
pub(super) use super::shopify_shared::Shared;
use super::{Mapping, rows};
use crate::domain::{Currency, CustomerDraft, OrderStatus, Rate, parse_count};
use crate::import::{CsvIn, ImportError, ImportOptions, ImportSummary, Problems, echo};
use crate::store::Store;

pub(super) const NAME: usize = 0;
pub(super) const EMAIL: usize = 1;
const FINANCIAL: usize = 2;
const FULFILLMENT: usize = 3;
pub(super) const CURRENCY: usize = 4;
pub(super) const SUBTOTAL: usize = 5;
const SHIPPING: usize = 6;
const TAXES: usize = 7;
pub(super) const TOTAL: usize = 8;
const CODE: usize = 9;
const DISCOUNT: usize = 10;
const CREATED: usize = 11;
const QUANTITY: usize = 12;
pub(super) const ITEM: usize = 13;
const PRICE: usize = 14;
pub(super) const SKU: usize = 15;
const SHIPS: usize = 16;
pub(super) const LINE_DISCOUNT: usize = 17;
pub(super) const BILLING_NAME: usize = 18;
pub(super) const BILLING: [usize; 7] = [19, 20, 21, 22, 23, 24, 25];
pub(super) const BILLING_PHONE: usize = 26;
const SHIP_TO: [usize; 6] = [27, 28, 29, 30, 31, 32];
const NOTES: usize = 33;
const CANCELLED: usize = 34;
const METHOD: usize = 35;
const REFUNDED: usize = 36;
const OUTSTANDING: usize = 37;
const PHONE: usize = 38;
const TAX_VALUES: [usize; 5] = [39, 40, 41, 42, 43];
const TAX_NAMES: [usize; 5] = [44, 45, 46, 47, 48];
const TAXABLE: usize = 49;

pub(super) const COLUMNS: &[Col] = &[
    needed(&["Name"], "order_ref"),
    col(&["Email"], "customer_email"),
    needed(&["Financial Status"], "status"),
    col(&["Fulfillment Status"], "status"),
    col(&["Currency"], "currency"),
    needed(&["Subtotal"], "checks the lines"),
    col(&["Shipping"], "shipping"),
    col(&["Taxes"], "tax"),
    needed(&["Total"], "checks the lines"),
    col(&["Discount Code"], "discount_code"),
    col(&["Discount Amount"], "order_discount"),
    needed(&["Created at"], "order_date"),
    needed(&["Lineitem quantity"], "quantity"),
    needed(&["Lineitem name"], "product"),
    needed(&["Lineitem price"], "unit_price"),
    col(&["Lineitem sku"], "sku"),
    col(&["Lineitem requires shipping"], "does not track stock"),
    col(&["Lineitem discount"], "line_discount"),
    col(&["Billing Name"], "customer"),
    col(&["Billing Address1"], "customer address"),
    col(&["Billing Address2"], "customer address"),
    col(&["Billing Company"], "customer address"),
    col(&["Billing City"], "customer city"),
    col(&["Billing Zip"], "customer postal code"),
    col(&["Billing Province"], "customer city"),
    col(&["Billing Country"], "customer country"),
    col(&["Billing Phone"], "customer phone"),
    col(&["Shipping Name"], "ship_to"),
    col(&["Shipping Address1"], "ship_to"),
    col(&["Shipping Address2"], "ship_to"),
    col(&["Shipping City"], "ship_to"),
    col(&["Shipping Zip"], "ship_to"),
    col(&["Shipping Country"], "ship_to"),
    col(&["Notes"], "note"),
    col(&["Cancelled at"], "status"),
    col(&["Payment Method"], "payment_method"),
    col(&["Refunded Amount"], "refunded"),
    col(&["Outstanding Balance"], "paid"),
    col(&["Phone"], "customer phone"),
    col(&["Tax 1 Value"], "tax"),
    col(&["Tax 2 Value"], "tax"),
    col(&["Tax 3 Value"], "tax"),
    col(&["Tax 4 Value"], "tax"),
    col(&["Tax 5 Value"], "tax"),
    col(&["Tax 1 Name"], "tax rate"),
    col(&["Tax 2 Name"], "tax rate"),
    col(&["Tax 3 Name"], "tax rate"),
    col(&["Tax 4 Name"], "tax rate"),
    col(&["Tax 5 Name"], "tax rate"),
    col(&["Lineitem taxable"], "tax rate"),
];

/// What an order paid, by its financial status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Paid {
    Nothing,
    All,
    /// Total less Outstanding Balance.
    AllBut(i64),
}

/// An order as the file gives it, kept small (a million-line export holds
/// half a million of them): texts many orders repeat are `Shared::texts`
/// indexes, and its line items a range of the file's `Read::lines`.
pub(super) struct OrderIn {
    pub line: u64,
    pub name: Box<str>,
    /// Its customer as its first row gives them (an index into the
    /// customers read: one per email or billing name, not one per order).
    pub customer: u32,
    /// Where it ships to (a `Shared::texts` index: a customer's orders
    /// mostly ship to the same place).
    pub ship_to: u32,
    pub status: OrderStatus,
    pub paid: Paid,
    /// A refund of part of the order (amount), on its day.
    pub refund: i64,
    /// 'YYYY-MM-DD HH:MM:SS' (empty when "Created at" could not be read).
    pub at: Box<str>,
    /// When it was cancelled ('YYYY-MM-DD HH:MM:SS').
    pub ended: Option<Box<str>>,
    pub currency: u32,
    pub subtotal: i64,
    pub shipping: i64,
    pub taxes: i64,
    /// The rate its tax names give ("VAT 20%"; taxes stacked on the same
    /// goods add up: "State 6%" and "County 1%" are 7%); zero when a name
    /// gives none (see `orders_write::order_lines` for when it is used).
    pub rate: Rate,
    pub total: i64,
    pub discount: i64,
    pub code: u32,
    pub method: u32,
    pub note: Box<str>,
    /// Its line items in `Read::lines`, once they are gathered by order.
    pub lines: std::ops::Range<usize>,
}

impl OrderIn {
    /// 'YYYY-MM-DD'.
    pub fn date(&self) -> &str {
        self.at.get(..10).unwrap_or("")
    }

    /// 'HH:MM:SS'.
    pub fn time(&self) -> &str {
        self.at.get(11..).unwrap_or("")
    }
}

/// A line item.
pub(super) struct LineIn {
    pub line: u64,
    pub quantity: i64,
    pub price: i64,
    pub discount: i64,
    /// Its order, an index into `Read::orders`.
    pub order: u32,
    /// `Shared::texts` indexes.
    pub name: u32,
    pub sku: u32,
    /// A gift card (or anything else that is not shipped and has no SKU).
    pub untracked: bool,
    /// "Lineitem taxable" is not "false".
    pub taxable: bool,
}

/// The file read: its orders, and their line items gathered by order (each
/// order's in file order).
pub(super) struct Read {
    pub orders: Vec<OrderIn>,
    pub lines: Vec<LineIn>,
    pub shared: Shared,
}

/// The status an order ends with, and what it paid, from Shopify's
/// financial and fulfillment statuses and whether it was cancelled; None
/// for a financial status Shopify does not write.
pub(super) fn status(
    financial: &str,
    fulfillment: &str,
    cancelled: bool,
) -> Option<(OrderStatus, Paid)> {
    let financial = financial.trim().to_ascii_lowercase();
    let shipped = matches!(
        fulfillment.trim().to_ascii_lowercase().as_str(),
        "fulfilled" | "shipped"
    );
    let paid_before = matches!(
        financial.as_str(),
        "paid" | "partially_refunded" | "refunded"
    );
    if cancelled || financial == "voided" {
        let paid = if paid_before {
            Paid::All
        } else {
            Paid::Nothing
        };
        return Some((OrderStatus::Cancelled, paid));
    }
    let moved = |paid| if shipped { OrderStatus::Shipped } else { paid };
    Some(match financial.as_str() {
        "refunded" => (OrderStatus::Returned, Paid::All),
        "paid" | "partially_refunded" => (moved(OrderStatus::Paid), Paid::All),
        "pending" | "authorized" | "partially_paid" | "unpaid" | "expired" | "" => {
            (moved(OrderStatus::Pending), Paid::Nothing)
        }
        _ => return None,
    })
}

/// "Created at" as Shopify writes it ("2024-03-05 14:30:59 +0100", or ISO
/// "2024-03-05T14:30:59+01:00"): the day and time as written; the offset
/// must be one.
pub(super) fn created_at(text: &str) -> Result<(String, String), String> {
    let t = text.trim();
    let bad = || {
        format!(
            "\"{}\" is not a time Shopify writes; it looks like 2024-03-05 14:30:59 +0100",
            echo(t)
        )
    };
    let (stamp, offset) = match t.strip_suffix('Z') {
        Some(s) => (s, ""),
        None => match t.get(11..).and_then(|rest| rest.rfind(['+', '-'])) {
            Some(at) => (&t[..11 + at], &t[11 + at..]),
            None => (t, ""),
        },
    };
    if !offset.is_empty() {
        let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
        let ok = digits.len() == 4
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits[..2].parse::<u32>().is_ok_and(|h| h <= 14)
            && digits[2..].parse::<u32>().is_ok_and(|m| m < 60);
        if !ok {
            return Err(bad());
        }
    }
    crate::import::parse_order_date(stamp.trim()).map_err(|_| bad())
}

fn money(
    currency: &Currency,
    c: &Cols,
    column: usize,
    r: &csv::StringRecord,
    line: u64,
    problems: &mut Problems,
) -> i64 {
    let text = c.get(column, r);
    if text.is_empty() {
        return 0;
    }
    currency
        .parse_in_file(text, '.')
        .map(|m| m.0)
        .unwrap_or_else(|e| {
            problems.add(line, c.name(column), e.to_string());
            0
        })
}

fn customer(c: &Cols, r: &csv::StringRecord) -> CustomerDraft {
    use super::shopify_customers::{lines, unquote};
    let [a1, a2, company, city, zip, province, country] = BILLING.map(|i| c.get(i, r));
    let name = [
        c.get(BILLING_NAME, r),
        c.get(SHIP_TO[0], r),
        c.get(EMAIL, r),
    ]
    .into_iter()
    .find(|n| !n.is_empty())
    .unwrap_or("");
    let phone = match unquote(c.get(BILLING_PHONE, r)) {
        "" => unquote(c.get(PHONE, r)),
        p => p,
    };
    let mut draft = CustomerDraft {
        name: name.to_owned(),
        email: c.get(EMAIL, r).to_owned(),
        phone: phone.to_owned(),
        address: lines(&[company, a1, a2]),
        city: match (city, province) {
            (city, "") => city.to_owned(),
            ("", p) => p.to_owned(),
            (city, p) => format!("{city}, {p}"),
        },
        postal_code: unquote(zip).to_owned(),
        country: country.to_owned(),
        notes: String::new(),
    };
    super::shopify_customers::keep_phone(&mut draft);
    draft
}

/// Reads an order's own columns from its first row.
fn order(
    c: &Cols,
    r: &csv::StringRecord,
    line: u64,
    cur: &Currency,
    today: &str,
    shared: &mut Shared,
    p: &mut Problems,
) -> OrderIn {
    let (date, time) = created_at(c.get(CREATED, r)).unwrap_or_else(|why| {
        p.add(line, c.name(CREATED), why);
        (String::new(), String::new())
    });
    let at: Box<str> = if date.is_empty() {
        Box::default()
    } else {
        format!("{date} {time}").into()
    };
    if date.as_str() > today {
        p.add(line, c.name(CREATED), format!("{date} is in the future"));
    }
    let cancelled = c.get(CANCELLED, r);
    let ended = if cancelled.is_empty() {
        None
    } else {
        match created_at(cancelled) {
            Ok((d, t)) => Some(format!("{d} {t}").into()),
            Err(why) => {
                p.add(line, c.name(CANCELLED), why);
                None
            }
        }
    };
    let (financial, fulfillment) = (c.get(FINANCIAL, r), c.get(FULFILLMENT, r));
    let (mut status, mut paid) =
        status(financial, fulfillment, ended.is_some()).unwrap_or_else(|| {
            p.add(
                line,
                c.name(FINANCIAL),
                format!(
                    "\"{}\" is not a financial status Shopify writes (paid, pending, authorized, \
                 partially_paid, partially_refunded, refunded, voided)",
                    echo(financial)
                ),
            );
            (OrderStatus::Pending, Paid::Nothing)
        });
    let total = money(cur, c, TOTAL, r, line, p);
    if financial.eq_ignore_ascii_case("partially_paid") {
        paid = Paid::AllBut(money(cur, c, OUTSTANDING, r, line, p));
    }
    let mut refund = 0;
    if status.is_sale() && paid == Paid::All {
        refund = money(cur, c, REFUNDED, r, line, p);
        if refund > 0 && refund >= total {
            (status, refund) = (OrderStatus::Returned, 0);
        }
    }
    let mut taxes = money(cur, c, TAXES, r, line, p);
    let named: i64 = TAX_VALUES
        .iter()
        .map(|&t| money(cur, c, t, r, line, p))
        .sum();
    if c.get(TAXES, r).is_empty() {
        taxes = named;
    }
    let rate = named_rate(TAX_NAMES.iter().map(|&t| c.get(t, r)));
    let ship_to = {
        let [name, a1, a2, city, zip, country] = SHIP_TO.map(|i| c.get(i, r));
        let street = super::shopify_customers::lines(&[a1, a2]);
        shared
            .text(&crate::domain::address::lines(name, &street, zip, city, country, "").join("\n"))
    };
    OrderIn {
        line,
        // The name read keeps it (`import`), so it is kept once.
        name: Box::default(),
        customer: shared.customer(customer(c, r)),
        ship_to,
        status,
        paid,
        refund,
        at,
        ended,
        currency: shared.text(&c.get(CURRENCY, r).to_ascii_uppercase()),
        subtotal: money(cur, c, SUBTOTAL, r, line, p),
        shipping: money(cur, c, SHIPPING, r, line, p),
        taxes,
        rate,
        total,
        discount: money(cur, c, DISCOUNT, r, line, p),
        code: shared.text(&c.get(CODE, r).chars().take(64).collect::<String>()),
        method: shared.text(&c.get(METHOD, r).chars().take(64).collect::<String>()),
        note: c.get(NOTES, r).into(),
        lines: 0..0,
    }
}

fn item(
    c: &Cols,
    r: &csv::StringRecord,
    line: u64,
    order: u32,
    cur: &Currency,
    shared: &mut Shared,
    p: &mut Problems,
) -> LineIn {
    let quantity = parse_count(c.get(QUANTITY, r), false)
        .ok()
        .filter(|q| *q > 0)
        .unwrap_or_else(|| {
            p.add(
                line,
                c.name(QUANTITY),
                format!(
                    "\"{}\" is not a quantity: a line item's quantity is a whole number of at least 1",
                    crate::import::echo(c.get(QUANTITY, r))
                ),
            );
            1
        });
    let name = c.get(ITEM, r);
    if name.is_empty() {
        p.add(line, c.name(ITEM), "a line item needs its name");
    }
    let sku = super::shopify_customers::our_sku(c.get(SKU, r));
    let gift = name.to_lowercase().contains("gift card");
    let ships = !c.get(SHIPS, r).eq_ignore_ascii_case("false");
    LineIn {
        line,
        order,
        quantity,
        name: shared.text(name),
        price: money(cur, c, PRICE, r, line, p),
        discount: money(cur, c, LINE_DISCOUNT, r, line, p),
        untracked: sku.is_empty() || (gift && !ships),
        sku: shared.text(&sku),
        taxable: !c.get(TAXABLE, r).eq_ignore_ascii_case("false"),
    }
}

/// The rate an order's tax names give: each one's percent ("VAT 20%",
/// "FR TVA 5.5%", "VAT 20% (included)"), added up (taxes stacked on the
/// same goods); zero when there is none, or a name gives no percent.
pub(super) fn named_rate<'a>(names: impl Iterator<Item = &'a str>) -> Rate {
    let mut sum = 0i64;
    for name in names.map(str::trim).filter(|n| !n.is_empty()) {
        let Some(at) = name.rfind('%') else {
            return Rate::ZERO;
        };
        let before = &name[..at];
        let start = before
            .rfind(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == ','))
            .map_or(0, |i| i + 1);
        match Rate::parse(&before[start..]) {
            Ok(r) if r.0 > 0 => sum += r.0,
            _ => return Rate::ZERO,
        }
    }
    if sum > crate::domain::pricing::FULL.0 {
        return Rate::ZERO;
    }
    Rate(sum)
}

/// Notes for the preview: the statuses of the first rows' orders, the currency.
pub(super) fn preview_notes(c: &Cols, rows: &[(u64, Vec<String>)]) -> Vec<String> {
    let mut notes = vec![
        "Statuses come from Financial Status, Fulfillment Status and Cancelled at; the orders \
         are written as past orders (stock is left as it is), each under its Shopify name."
            .to_owned(),
    ];
    let mut seen = Vec::new();
    for (_, row) in rows {
        let (f, ful, cancelled) = (
            c.cell(FINANCIAL, row),
            c.cell(FULFILLMENT, row),
            !c.cell(CANCELLED, row).is_empty(),
        );
        if c.cell(CREATED, row).is_empty() || seen.contains(&(f, ful, cancelled)) {
            continue;
        }
        seen.push((f, ful, cancelled));
        if let Some((s, _)) = status(f, ful, cancelled) {
            let ful = if ful.is_empty() { "unfulfilled" } else { ful };
            let cancelled = if cancelled { ", cancelled" } else { "" };
            notes.push(format!("{f} / {ful}{cancelled} -> {}", s.label()));
        }
    }
    if let Some((_, row)) = rows.iter().find(|(_, r)| !c.cell(CURRENCY, r).is_empty()) {
        notes.push(format!(
            "The orders are in {}: a shop with no orders yet takes this currency, one whose orders are in another refuses them.",
            c.cell(CURRENCY, row)
        ));
    }
    notes
}

pub(super) fn import(
    store: &mut Store,
    csv: &mut CsvIn,
    c: &Cols,
    width: &Mapping,
    options: ImportOptions,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ImportSummary, ImportError> {
    let currency = crate::store::settings::currency(store.conn())?.plain_style();
    let mut problems = Problems::default();
    let mut orders: Vec<OrderIn> = Vec::new();
    let mut lines: Vec<LineIn> = Vec::new();
    let mut by_name: HashMap<Box<str>, u32> = HashMap::new();
    let mut shared = Shared::default();
    let now = crate::store::now_local();
    let today = now.get(..10).unwrap_or(&now);
    rows(csv, width, &mut problems, progress, |line, r, p| {
        let name = c.get(NAME, r);
        if name.is_empty() {
            p.add(
                line,
                c.name(NAME),
                "every row needs its order's Name, such as #1001",
            );
            return;
        }
        let i = match by_name.get(name) {
            Some(&i) => i,
            None => {
                let i = orders.len() as u32;
                by_name.insert(name.into(), i);
                orders.push(order(c, r, line, &currency, today, &mut shared, p));
                i
            }
        };
        lines.push(item(c, r, line, i, &currency, &mut shared, p));
    })?;
    for (name, i) in by_name {
        orders[i as usize].name = name;
    }
    // Each order's line items together, in file order (lines are unique).
    lines.sort_unstable_by_key(|l| (l.order, l.line));
    let mut start = 0;
    for (i, o) in orders.iter_mut().enumerate() {
        let n = lines[start..]
            .iter()
            .take_while(|l| l.order as usize == i)
            .count();
        o.lines = start..start + n;
        start += n;
    }
    let mut checked = Vec::with_capacity(orders.len());
    let first_currency = orders.first().map_or("", |o| shared.get(o.currency));
    for o in &orders {
        let currency_of = shared.get(o.currency);
        if currency_of != first_currency {
            problems.add(
                o.line,
                c.name(CURRENCY),
                format!(
                    "order {} is in {} but the file's first order is in {}; import one currency at a time",
                    echo(&o.name),
                    echo(currency_of),
                    echo(first_currency)
                ),
            );
        }
        match super::shopify_money::check_money(o, &lines[o.lines.clone()], &currency) {
            Ok(money) => checked.push(money),
            Err((line, column, why)) => {
                problems.add(line, c.name(column), why);
                checked.push((0, false));
            }
        }
    }
    problems.into_result()?;
    let first_currency = first_currency.to_owned();
    super::orders_write::write(
        store,
        csv,
        c,
        Read {
            orders,
            lines,
            shared,
        },
        checked,
        &first_currency,
        options,
    )
}

#[cfg(test)]
mod tests {
    use super::named_rate;
    use crate::domain::Rate;

    #[test]
    fn tax_names_give_their_rate() {
        let rate = |names: &[&str]| named_rate(names.iter().copied());
        assert_eq!(rate(&["VAT 20%"]), Rate(20_000));
        assert_eq!(rate(&["FR TVA 5,5%"]), Rate(5_500));
        assert_eq!(rate(&["VAT 20% (included)", ""]), Rate(20_000));
        // Stacked on the same goods: a state's and a county's.
        assert_eq!(
            rate(&["CA State Tax 6%", "LA County Tax 1.25%"]),
            Rate(7_250)
        );
        // A name without a percent says nothing of the others.
        assert_eq!(rate(&["VAT 20%", "Eco fee"]), Rate::ZERO);
        assert_eq!(rate(&["GST"]), Rate::ZERO);
        assert_eq!(rate(&[]), Rate::ZERO);
        assert_eq!(rate(&["Tax 60%", "Other 60%"]), Rate::ZERO);
    }
}
