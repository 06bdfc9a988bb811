//! What an orders file says was refunded of an order that stays a sale
//! (paid, shipped or delivered): each line's `returned` units and how many
//! of them were `restocked`, and the order's `refunded` amount on
//! `refunded_on`. They become one refund (`store::bulk::BulkRefund`); a
//! cancelled or returned order gives back everything by its status.

use crate::domain::OrderStatus;

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
        return Ok(());
    }
    if let Some(day) = o.money.refunded_on()
        && day.as_str() < o.at.date()
    {
        return Err((
            o.line,
            "refunded_on",
            format!("{day} is before the order's date, {}", o.at.date()),
        ));
    }
    if let (Some(refunded), Some(paid)) = (o.money.refunded(), o.money.paid())
        && refunded > paid
    {
        return Err((o.line, "refunded", "more than was paid".into()));
    }
    Ok(())
}
