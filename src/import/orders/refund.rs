//! What an orders file says was refunded of an order that stays a sale
//! (paid, shipped or delivered): each line's `returned` units and how many
//! of them were `restocked`, and the order's `refunded` amount on
//! `refunded_on`. They become one refund (`store::bulk::BulkRefund`); a
//! cancelled or returned order gives back everything by its status.

use crate::domain::pricing::{self, Figures};
use crate::domain::{Currency, Money, OrderStatus};

use super::read::{LineIn, OrderIn};

/// The units an order gives back, as (index of its line, units, back into
/// stock), when the file says some of a paid, shipped or delivered order's
/// units or money were refunded (a cancelled or returned order gives back
/// everything by its status).
pub(super) fn units(o: &OrderIn, lines: &[LineIn]) -> Option<Vec<(usize, i64, bool)>> {
    if !refundable(o.status) {
        return None;
    }
    let units: Vec<(usize, i64, bool)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.returned > 0)
        .map(|(i, l)| (i, l.returned, l.restocked > 0))
        .collect();
    (!units.is_empty() || o.money.refunded().is_some_and(|m| m.0 > 0)).then_some(units)
}

/// Whether the file says something of a paid, shipped or delivered order
/// was refunded (`any_returned`: a line of it has returned units) but gives
/// no `refunded_on`: the refund is then dated the order's day.
pub(super) fn undated(o: &OrderIn, any_returned: bool) -> bool {
    refundable(o.status)
        && o.money.refunded_on().is_none()
        && (any_returned || o.money.refunded().is_some_and(|m| m.0 > 0))
}

fn refundable(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Delivered
    )
}

/// Whether what an order's rows say was refunded fits it.
pub(super) fn check(o: &OrderIn, lines: &[LineIn]) -> Result<(), (u64, &'static str, String)> {
    for l in lines {
        if l.returned > l.quantity {
            return Err((
                l.line,
                "returned",
                format!("more than the line's {} units", l.quantity),
            ));
        }
        if l.restocked > l.returned {
            return Err((l.line, "restocked", "more than the units returned".into()));
        }
        if l.restocked > 0 && l.restocked < l.returned {
            return Err((
                l.line,
                "restocked",
                format!(
                    "a line's returned units all go back into stock or are all written off; write {} or 0",
                    l.returned
                ),
            ));
        }
    }
    // Whatever the order's status: nothing is given back before it was sold.
    if let Some(day) = o.money.refunded_on()
        && day.as_str() < o.at.date()
    {
        return Err((
            o.line,
            "refunded_on",
            format!("{day} is before the order's date, {}", o.at.date()),
        ));
    }
    if units(o, lines).is_none() {
        if o.status == OrderStatus::Pending
            && (lines.iter().any(|l| l.returned > 0) || o.money.refunded().is_some_and(|m| m.0 > 0))
        {
            return Err((
                o.line,
                "refunded",
                "a pending order has nothing to refund; only a paid, shipped or delivered order can be partly refunded".into(),
            ));
        }
        // A date of a refund that is not there (it was dropped).
        if refundable(o.status) && o.money.refunded_on().is_some() {
            return Err((
                o.line,
                "refunded_on",
                "gives the day of a refund, but the order's rows give no refunded amount and no returned units".into(),
            ));
        }
        return Ok(());
    }
    Ok(())
}

/// What an order was paid, by the file or else by its status
/// (`pricing::settle`), and what its refund gives back (the file's
/// `refunded`, or else the returned units' share of revenue and tax), when
/// the file says something of it was refunded.
pub(super) fn paid_and_refund(o: &OrderIn, lines: &[LineIn], f: &Figures) -> (i64, Option<i64>) {
    let (paid, _) = pricing::settle(o.status, f.total, o.money.paid().map(|m| m.0));
    let refund = units(o, lines).map(|units| match o.money.refunded() {
        Some(m) => m.0,
        None => {
            let sold = pricing::sold_lines(lines.iter().map(|l| l.quantity), f);
            let back: Vec<(usize, i64)> = units.iter().map(|&(i, n, _)| (i, n)).collect();
            pricing::refund_parts(&sold, &back).amount()
        }
    });
    (paid, refund)
}

/// Whether what the file says was paid fits the order's total, and its
/// refund what was paid (as the window refuses a payment over the balance
/// and a refund over what was paid).
pub(super) fn check_amounts(
    o: &OrderIn,
    lines: &[LineIn],
    f: &Figures,
    currency: &Currency,
) -> Result<(), (u64, &'static str, String)> {
    if let Some(paid) = o.money.paid()
        && paid.0 > f.total
    {
        return Err((
            o.line,
            "paid",
            format!(
                "{} is more than the order's total, {}",
                currency.format(paid),
                currency.format(Money(f.total))
            ),
        ));
    }
    // A cancelled or returned order gave back everything paid: a `refunded`
    // of another amount was replaced by that, without a word.
    if !o.status.is_sale()
        && let Some(refunded) = o.money.refunded()
    {
        let (paid, _) = pricing::settle(o.status, f.total, o.money.paid().map(|m| m.0));
        if refunded.0 != paid {
            return Err((
                o.line,
                "refunded",
                format!(
                    "a {} order gave back everything paid, {}; write that or leave refunded empty",
                    o.status.code(),
                    currency.format(Money(paid))
                ),
            ));
        }
    }
    if let (paid, Some(refund)) = paid_and_refund(o, lines, f)
        && refund > paid
    {
        return Err((
            o.line,
            "refunded",
            format!(
                "a refund of {} is more than was paid, {}",
                currency.format(Money(refund)),
                currency.format(Money(paid))
            ),
        ));
    }
    Ok(())
}

/// Whether what the file says was refunded of a sale gives back every
/// unit and everything paid: then the order ended returned, as the window
/// makes an order whose every unit and payment came back.
pub(super) fn all_back(o: &OrderIn, lines: &[LineIn], f: &Figures) -> bool {
    lines.iter().all(|l| l.returned == l.quantity)
        && matches!(paid_and_refund(o, lines, f), (paid, Some(refund)) if refund == paid)
}
