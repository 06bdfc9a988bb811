//! The invoice and the credit note: the shop (logo, legal name, address,
//! tax number), the document's number and date, the order's number and
//! reference, bill-to and ship-to; the invoice's lines (quantity, unit
//! price, its own discount, tax rate, amount after it) and totals
//! (subtotal, the order's discount, shipping, tax per rate, total, paid,
//! refunded, balance), payment terms.

use std::collections::BTreeMap;

use super::Shop;
use super::flow::{BODY, Column, Flow, LINE, MARGIN, SMALL};
use super::page::{Op, Sheet};
use super::text::Fonts;
use crate::domain::pricing::RefundParts;
use crate::domain::{Money, Rate};
use crate::store::invoices::{CreditNote, OrderDocument};
use crate::store::orders::{PaymentRow, order_number};

const TITLE: f32 = 18.0;
const NAME: f32 = 12.0;

/// The top of a document: the shop on the left (under its logo), the
/// document's title and facts on the right; then bill-to and ship-to.
pub(super) fn head(
    flow: &mut Flow,
    shop: &Shop,
    logo: Option<(f32, f32)>,
    title: &str,
    facts: &[(&str, String)],
    addresses: &[(&str, &[String])],
) {
    let top = flow.y;
    let mut y = top;
    if let Some((w, h)) = logo {
        let scale = (48.0 / h).min(160.0 / w);
        let (w, h) = (w * scale, h * scale);
        flow.sheet().ops.push(Op::Logo { x: MARGIN, y, w, h });
        y += h + 4.0;
    }
    let id = shop.identity;
    y += NAME + 2.0;
    flow.sheet().text(MARGIN, y, NAME, shop.title());
    let mut left: Vec<String> = id.address.lines().map(str::to_owned).collect();
    for extra in [&id.email, &id.phone] {
        if !extra.trim().is_empty() {
            left.push(extra.clone());
        }
    }
    if !id.tax_number.trim().is_empty() {
        left.push(format!(
            "{}: {}",
            crate::domain::invoice::tax_number_label(shop.country),
            id.tax_number.trim()
        ));
    }
    for l in left.iter().filter(|l| !l.trim().is_empty()) {
        y += LINE;
        flow.sheet().text(MARGIN, y, BODY, l.trim());
    }
    let right = flow.right();
    let mut ry = top + TITLE;
    let fonts = flow.fonts;
    flow.sheet().text_right(fonts, right, ry, TITLE, title);
    ry += 6.0;
    for (label, value) in facts {
        ry += LINE;
        let text = format!("{label}: {value}");
        flow.sheet().text_right(fonts, right, ry, BODY, &text);
    }
    flow.y = y.max(ry) + 2.0 * LINE;
    let column = (flow.width - 2.0 * MARGIN) / addresses.len().max(1) as f32;
    let start = flow.y;
    let mut end = start;
    for (i, (label, lines)) in addresses.iter().enumerate() {
        let x = MARGIN + i as f32 * column;
        let mut y = start + BODY;
        flow.sheet().text(x, y, SMALL, label.to_uppercase());
        for l in lines.iter() {
            for part in fonts.wrap(l, BODY, column - 12.0) {
                y += LINE;
                flow.sheet().text(x, y, BODY, part);
            }
        }
        end = end.max(y);
    }
    flow.y = end + LINE;
}

/// "TAX INVOICE" as a title is written: "Tax invoice".
fn sentence_case(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn ship_lines(order: &OrderDocument) -> Vec<String> {
    order
        .detail
        .ship_to
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn order_facts(shop: &Shop, order: &OrderDocument) -> Vec<(&'static str, String)> {
    let s = &order.detail.summary;
    let mut facts = vec![
        ("Order", order_number(s.id)),
        ("Order date", shop.date(&s.order_date)),
    ];
    if let Some(r) = &s.external_ref {
        facts.push(("Reference", r.clone()));
    }
    facts
}

/// The day an order was first shipped (or marked delivered without being
/// shipped first): 'YYYY-MM-DD'.
fn supplied_on(order: &OrderDocument) -> Option<&str> {
    use crate::domain::OrderStatus;
    order
        .detail
        .history
        .iter()
        .filter(|h| matches!(h.to, OrderStatus::Shipped | OrderStatus::Delivered))
        .map(|h| h.at.get(..10).unwrap_or(&h.at))
        .min()
}

/// The tax a refund gave back on each of its items (`returned`: line and
/// units), its shipping's part left out: the refund's tax spread as
/// `refund_tax_per_rate` weighs it, by each item's tax as sold.
fn line_taxes(
    order: &OrderDocument,
    returned: &[(&crate::store::orders::LineDetail, i64)],
    parts: RefundParts,
) -> Vec<i64> {
    let share = |amount: i64, n: i64, of: i64| {
        let (amount, n, of) = (i128::from(amount), i128::from(n), i128::from(of.max(1)));
        i64::try_from((amount * n * 2 + of) / (2 * of)).unwrap_or(i64::MAX)
    };
    let mut weights: Vec<i64> = returned
        .iter()
        .map(|(l, n)| share(l.tax.0, *n, l.quantity))
        .collect();
    let m = &order.detail.money;
    if parts.shipping > 0 && m.shipping.0 > 0 {
        let lines: i64 = order.detail.lines.iter().map(|l| l.tax.0).sum();
        weights.push(share(m.tax.0 - lines, parts.shipping, m.shipping.0));
    }
    let mut taxes = crate::domain::pricing::spread(parts.tax, &weights);
    taxes.truncate(returned.len());
    taxes
}

/// A line of totals: the label left of the amount column, the amount right.
fn total_row(flow: &mut Flow, label: &str, value: &str, size: f32) {
    flow.need(LINE + 2.0);
    flow.y += LINE + (size - BODY);
    let (y, right, fonts) = (flow.y, flow.right(), flow.fonts);
    flow.sheet()
        .text_right(fonts, right - 110.0, y, size, label);
    flow.sheet().text_right(fonts, right, y, size, value);
}

fn paragraph(flow: &mut Flow, label: &str, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    flow.gap(LINE);
    flow.line(MARGIN, SMALL, &label.to_uppercase());
    let width = flow.width - 2.0 * MARGIN;
    for l in flow.fonts.wrap(text, BODY, width) {
        flow.line(MARGIN, BODY, &l);
    }
}

/// The order's taxable amount and tax per rate, as an invoice must give
/// them: the lines' revenue (after discounts, without tax) and tax by their
/// rates, and the shipping (without tax) with its tax (what the order's tax
/// holds beyond its lines') at the shipping's rate (as the tax report files
/// it). Rates that come to nothing are left out.
pub(super) fn tax_per_rate(order: &OrderDocument) -> BTreeMap<Rate, (Money, Money)> {
    let mut by_rate: BTreeMap<Rate, (Money, Money)> = BTreeMap::new();
    let mut add = |rate: Rate, base: Money, tax: Money| {
        let (b, t) = by_rate.entry(rate).or_default();
        *b = *b + base;
        *t = *t + tax;
    };
    for l in &order.detail.lines {
        add(l.tax_rate, l.revenue, l.tax);
    }
    let m = &order.detail.money;
    let lines: i64 = order.detail.lines.iter().map(|l| l.tax.0).sum();
    add(m.terms.shipping_rate, m.shipping, Money(m.tax.0 - lines));
    by_rate.retain(|_, (base, tax)| base.0 != 0 || tax.0 != 0);
    by_rate
}

/// A refund's amount without tax and its tax per rate, as the invoice it
/// corrects gives them (`tax_per_rate`). The tax is spread over the rates
/// in proportion to what each gave back of its tax (its units' share of
/// their lines' tax, and the shipping's tax at the shipping rate when
/// shipping came back), and the goods and shipping given back in
/// proportion to what each gave back without tax. For an amount given back
/// with no units, in proportion to the goods' per rate (as
/// `pricing::split_refund_alone` splits it). A refund with nothing to weigh
/// it by (goods worth nothing) is all at no rate. The parts add up to the
/// refund's. `store::refund_rates` is the same rule in SQL (the tax report).
pub fn refund_tax_per_rate(
    order: &OrderDocument,
    units: &[(i64, i64)],
    parts: RefundParts,
) -> BTreeMap<Rate, (Money, Money)> {
    // (weight of the amount without tax, weight of the tax) per rate.
    let mut weights: BTreeMap<Rate, (i64, i64)> = BTreeMap::new();
    // Rounded half up, as the refund's own parts are (in i128: two amounts
    // multiplied may pass an i64).
    let share = |amount: i64, n: i64, of: i64| {
        let (amount, n, of) = (i128::from(amount), i128::from(n), i128::from(of));
        i64::try_from((amount * n * 2 + of) / (2 * of)).unwrap_or(i64::MAX)
    };
    for l in &order.detail.lines {
        let n = units
            .iter()
            .find(|(item, _)| *item == l.item_id)
            .map_or(0, |(_, n)| *n);
        let (base, tax) = if units.is_empty() {
            // An amount alone: split like the goods (none when it gave
            // back only shipping).
            if parts.revenue > 0 {
                (l.revenue.0, l.tax.0)
            } else {
                (0, 0)
            }
        } else if l.quantity > 0 {
            (
                share(l.revenue.0, n, l.quantity),
                share(l.tax.0, n, l.quantity),
            )
        } else {
            (0, 0)
        };
        let w = weights.entry(l.tax_rate).or_default();
        w.0 += base;
        w.1 += tax;
    }
    let m = &order.detail.money;
    let lines: i64 = order.detail.lines.iter().map(|l| l.tax.0).sum();
    if parts.shipping > 0 && m.shipping.0 > 0 {
        let shipping_tax = m.tax.0 - lines;
        let w = weights.entry(m.terms.shipping_rate).or_default();
        w.0 += parts.shipping;
        w.1 += share(shipping_tax, parts.shipping, m.shipping.0);
    }
    weights.retain(|_, (base, tax)| *base > 0 || *tax > 0);
    if weights.is_empty() {
        weights.insert(Rate::ZERO, (0, 0));
    }
    let spread = |amount: i64, pick: fn(&(i64, i64)) -> i64| {
        crate::domain::pricing::spread(amount, &weights.values().map(pick).collect::<Vec<_>>())
    };
    let bases = spread(parts.revenue + parts.shipping, |w| w.0);
    let taxes = spread(parts.tax, |w| w.1);
    let mut by_rate: BTreeMap<Rate, (Money, Money)> = weights
        .keys()
        .zip(bases.into_iter().zip(taxes))
        .map(|(rate, (base, tax))| (*rate, (Money(base), Money(tax))))
        .collect();
    by_rate.retain(|_, (base, tax)| base.0 != 0 || tax.0 != 0);
    by_rate
}

/// The rows of tax per rate of an invoice or credit note, each with the
/// amount without tax it was charged on; none when no rate charged any.
fn tax_rows(
    flow: &mut Flow,
    shop: &Shop,
    by_rate: &BTreeMap<Rate, (Money, Money)>,
    names: &BTreeMap<Rate, String>,
    included: bool,
) -> usize {
    let taxed = by_rate.keys().filter(|rate| **rate != Rate::ZERO).count();
    for (rate, (base, tax)) in by_rate.iter().filter(|_| taxed > 0) {
        let on = shop.money(*base);
        // By the rate's name, as the shop calls it ("GST 10%", "VAT 20%";
        // an Australian tryout read "Tax 10%" and no GST anywhere).
        let percent = shop.rate(*rate);
        let name = match names.get(rate).map(|n| n.trim()) {
            Some(n) if n.ends_with(&percent) || n.ends_with(&rate.to_string()) => n.to_owned(),
            Some(n) if !n.is_empty() => format!("{n} {percent}"),
            _ => format!("Tax {percent}"),
        };
        let label = match (*rate == Rate::ZERO, included) {
            (true, _) => format!("No tax on {on}"),
            (false, true) => format!("{name} included, on {on} before tax"),
            (false, false) => format!("{name} on {on}"),
        };
        total_row(flow, &label, &shop.money(*tax), BODY);
    }
    // Tax is worked out per line, each rounded to the cent: a rate's tax can
    // then be a cent or two from its percent of the sum, which a tryout took
    // for a mistake ("7.25% on $129.60" is $9.40; the lines' $9.39).
    let rounded_apart = by_rate.iter().any(|(rate, (base, tax))| {
        *rate != Rate::ZERO && crate::domain::pricing::tax_of(base.0, *rate, false) != tax.0
    });
    if taxed > 0 && rounded_apart {
        flow.line(
            MARGIN,
            SMALL,
            "Tax is worked out on each line and rounded to the cent, so it can differ by a cent from the percent of the sum.",
        );
    }
    taxed
}

pub(super) fn invoice(
    shop: &Shop,
    fonts: &Fonts,
    order: &OrderDocument,
    logo: Option<(f32, f32)>,
) -> Vec<Sheet> {
    let (number, date) = match &order.invoice {
        Some(i) => (i.number.clone(), shop.date(&i.issued_on)),
        None => (
            "(not issued)".to_owned(),
            shop.date(&order.detail.summary.order_date),
        ),
    };
    let title = crate::domain::invoice::invoice_title(shop.country);
    let mut flow = Flow::new(shop, fonts, format!("{} {number}", sentence_case(title)));
    let mut facts = vec![("Invoice number", number.clone()), ("Invoice date", date)];
    // The day the goods went out, which an invoice must give where it is
    // not the invoice's own (a German tryout's accountant looked for it).
    if let Some(day) = supplied_on(order) {
        facts.push(("Date of supply", shop.date(day)));
    }
    facts.extend(order_facts(shop, order));
    let ship = ship_lines(order);
    let mut addresses = vec![("Bill to", &order.bill_to[..])];
    // A customer with no address has no ship-to.
    if !ship.is_empty() {
        addresses.push(("Ship to", &ship[..]));
    }
    head(&mut flow, shop, logo, title, &facts, &addresses);
    let right = flow.right();
    let cols = [
        Column {
            title: "Item",
            left: MARGIN,
            right: right - 260.0,
            right_aligned: false,
        },
        Column {
            title: "Qty",
            left: 0.0,
            right: right - 225.0,
            right_aligned: true,
        },
        Column {
            title: "Unit price",
            left: 0.0,
            right: right - 160.0,
            right_aligned: true,
        },
        Column {
            title: "Discount",
            left: 0.0,
            right: right - 100.0,
            right_aligned: true,
        },
        Column {
            title: "Tax",
            left: 0.0,
            right: right - 62.0,
            right_aligned: true,
        },
        Column {
            title: "Amount",
            left: 0.0,
            right,
            right_aligned: true,
        },
    ];
    flow.start_table(&cols);
    let name_width = cols[0].right - cols[0].left - 6.0;
    // Tax a platform's file gave as an amount, with no rate: the lines have
    // no rate to show ("0%" beside a tax of 14.50 below contradicted it), so
    // each shows its share of that tax instead (an empty column told
    // nothing), as the order's detail does.
    let tax_as_given =
        order.detail.money.tax.0 != 0 && tax_per_rate(order).keys().all(|rate| *rate == Rate::ZERO);
    // Each line as sold after its own discount; the order's discount comes
    // off below the subtotal, once (spread over the lines only for tax).
    for l in &order.detail.lines {
        let mut item = fonts.wrap(&l.name, BODY, name_width);
        item.push(format!("SKU {}", l.sku));
        let discount = if l.line_discount.0 == 0 {
            String::new()
        } else {
            format!("-{}", shop.money(l.line_discount))
        };
        flow.row(&[
            (cols[0], item),
            (cols[1], vec![l.quantity.to_string()]),
            (cols[2], vec![shop.money(l.unit_price)]),
            (cols[3], vec![discount]),
            (
                cols[4],
                vec![if tax_as_given {
                    shop.money(l.tax)
                } else {
                    shop.rate(l.tax_rate)
                }],
            ),
            (
                cols[5],
                vec![shop.money(Money(l.line_total.0 - l.line_discount.0))],
            ),
        ]);
    }
    flow.end_table();
    flow.rule(0.8);
    let m = &order.detail.money;
    let line_discounts = order
        .detail
        .lines
        .iter()
        .fold(Money(0), |sum, l| sum + l.line_discount);
    let order_discount = Money(m.discounts.0 - line_discounts.0);
    // The sum of the lines' amounts above.
    let subtotal = match (&m.discount_code, order_discount.0) {
        (Some(code), 0) => format!("Subtotal (code {code})"),
        _ => "Subtotal".to_owned(),
    };
    total_row(
        &mut flow,
        &subtotal,
        &shop.money(Money(m.gross_sales.0 - line_discounts.0)),
        BODY,
    );
    if order_discount.0 != 0 {
        let label = match &m.discount_code {
            Some(code) => format!("Order discount ({code})"),
            None => "Order discount".to_owned(),
        };
        total_row(
            &mut flow,
            &label,
            &format!("-{}", shop.money(order_discount)),
            BODY,
        );
    }
    let included = m.terms.tax_included;
    // As the goods above: with its tax when prices include tax (the charge
    // as the customer saw it), so that the rows add up to the total.
    let shipping = if included {
        m.terms.shipping
    } else {
        m.shipping
    };
    if shipping.0 != 0 {
        total_row(&mut flow, "Shipping", &shop.money(shipping), BODY);
    }
    // Each rate with the amount it was charged on; a shop that charged no
    // tax at all gives its tax as nothing.
    let taxed = tax_rows(
        &mut flow,
        shop,
        &tax_per_rate(order),
        &order.tax_names,
        included,
    );
    if taxed == 0 {
        // No rate charged any: no tax, or tax an import gave as an amount.
        let label = if included && m.tax.0 != 0 {
            "Tax (included)"
        } else {
            "Tax"
        };
        total_row(&mut flow, label, &shop.money(m.tax), BODY);
    } else if taxed > 1 {
        let label = if included { "Tax (included)" } else { "Tax" };
        total_row(&mut flow, label, &shop.money(m.tax), BODY);
    }
    total_row(&mut flow, "Total", &shop.money(m.total), NAME);
    // The sale as made: refunds are on their credit notes, and a refund
    // here as well was counted twice by an accountant (the balance is what
    // is still to pay of the total, refunds apart).
    total_row(&mut flow, "Paid", &shop.money(m.paid), BODY);
    total_row(&mut flow, "Balance", &shop.money(m.balance), BODY);
    paragraph(&mut flow, "Payment terms", &shop.identity.payment_terms);
    flow.finish()
}

pub(super) fn credit_note(
    shop: &Shop,
    fonts: &Fonts,
    order: &OrderDocument,
    note: &CreditNote,
    refund: &PaymentRow,
    units: &[(i64, i64)],
    logo: Option<(f32, f32)>,
) -> Vec<Sheet> {
    let number = &note.issued.number;
    let mut flow = Flow::new(shop, fonts, format!("Credit note {number}"));
    let mut facts = vec![
        ("Credit note", number.clone()),
        ("Date", shop.date(&note.issued.issued_on)),
    ];
    if let Some(i) = &order.invoice {
        facts.push(("For invoice", i.number.clone()));
    }
    facts.extend(order_facts(shop, order));
    head(
        &mut flow,
        shop,
        logo,
        "CREDIT NOTE",
        &facts,
        &[("Bill to", &order.bill_to)],
    );
    let right = flow.right();
    // This refund's own units (an order refunded twice has two notes, each
    // with its units), as (line, units).
    let mut returned: Vec<_> = order
        .detail
        .lines
        .iter()
        .filter_map(|l| {
            units
                .iter()
                .find(|(item, _)| *item == l.item_id)
                .map(|(_, n)| (l, *n))
        })
        .collect();
    // The refund a cancellation made (the cancelled order's last, with no
    // units of its own) credits the units not given back before it.
    let cancelled = order.detail.summary.status == crate::domain::OrderStatus::Cancelled
        && units.is_empty()
        && order
            .detail
            .payments
            .iter()
            .rev()
            .find(|p| p.refund)
            .map(|p| p.id)
            == Some(refund.id);
    if cancelled {
        returned = order
            .detail
            .lines
            .iter()
            .map(|l| (l, l.quantity - l.returned))
            .filter(|(_, n)| *n > 0)
            .collect();
    }
    // What the amount gives back: goods, shipping, tax (each without the
    // others, as the invoice shows them), when it is split so.
    let parts = refund.parts;
    let split = parts.amount() == refund.amount.0;
    if !returned.is_empty() {
        // Each item with its part of the goods given back ("Goods" below,
        // spread by what its units sold for: after discounts, without tax):
        // a credit note read "Goods $35.61" for a towel invoiced at $42.00
        // less 10 % with nothing to show why.
        let valued = split && parts.revenue > 0;
        let cols = [
            Column {
                title: if cancelled {
                    "Item cancelled"
                } else {
                    "Item returned"
                },
                left: MARGIN,
                right: right - 220.0,
                right_aligned: false,
            },
            Column {
                title: "SKU",
                left: right - 210.0,
                right: right - 140.0,
                right_aligned: false,
            },
            Column {
                title: "Qty",
                left: 0.0,
                right: if valued { right - 100.0 } else { right },
                right_aligned: true,
            },
            Column {
                title: "Amount",
                left: 0.0,
                right,
                right_aligned: true,
            },
        ];
        flow.start_table(if valued { &cols } else { &cols[..3] });
        let weights: Vec<i64> = returned
            .iter()
            .map(|(l, n)| {
                if l.quantity > 0 {
                    let (revenue, n, q) = (
                        i128::from(l.revenue.0),
                        i128::from(*n),
                        i128::from(l.quantity),
                    );
                    i64::try_from(revenue * n / q).unwrap_or(i64::MAX)
                } else {
                    0
                }
            })
            .collect();
        let mut amounts = crate::domain::pricing::spread(parts.revenue, &weights);
        // Prices with their tax: each item with its tax, as its invoice line
        // showed it (a German tryout read a book's 12,53 € on the note
        // against 13,41 € refunded for it).
        let included = order.detail.money.terms.tax_included;
        if included {
            for (amount, tax) in amounts.iter_mut().zip(line_taxes(order, &returned, parts)) {
                *amount += tax;
            }
        }
        for ((l, n), amount) in returned.iter().zip(amounts) {
            let mut row = vec![
                (
                    cols[0],
                    fonts.wrap(&l.name, BODY, cols[0].right - cols[0].left - 6.0),
                ),
                (cols[1], vec![l.sku.clone()]),
                (cols[2], vec![n.to_string()]),
            ];
            if valued {
                row.push((cols[3], vec![shop.money(Money(amount))]));
            }
            flow.row(&row);
        }
        flow.end_table();
        if valued {
            let said = if included {
                "Amounts with tax, as on the invoice, after the line's discount and its share of the order's."
            } else {
                "Amounts after the line's discount and its share of the order's; they add up to Goods below."
            };
            flow.line(MARGIN, SMALL, said);
        }
        flow.rule(0.8);
    }
    total_row(&mut flow, "Refund date", &shop.date(&refund.date), BODY);
    total_row(&mut flow, "Method", &refund.method, BODY);
    if split {
        // Said when the invoice it corrects shows prices with their tax.
        let without = if order.detail.money.terms.tax_included {
            " (without tax)"
        } else {
            ""
        };
        total_row(
            &mut flow,
            &format!("Goods{without}"),
            &shop.money(Money(parts.revenue)),
            BODY,
        );
        if parts.shipping != 0 {
            total_row(
                &mut flow,
                &format!("Shipping{without}"),
                &shop.money(Money(parts.shipping)),
                BODY,
            );
        }
        // Per rate, as the invoice it corrects shows its tax (without tax,
        // as the goods and shipping above are).
        let taxes = refund_tax_per_rate(order, units, parts);
        let taxed = tax_rows(&mut flow, shop, &taxes, &order.tax_names, false);
        if taxed > 1 || (taxed == 0 && parts.tax != 0) {
            total_row(&mut flow, "Tax", &shop.money(Money(parts.tax)), BODY);
        }
    }
    total_row(&mut flow, "Credited", &shop.money(refund.amount), NAME);
    if let Some(n) = &refund.note {
        paragraph(&mut flow, "Note", n);
    }
    // No payment terms: a credit note asks for no payment (a tryout read
    // "Payment due on order" under a refund).
    flow.finish()
}
