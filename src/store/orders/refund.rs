//! Refunds: some units of some lines back (into stock or written off as
//! damaged) with an amount that defaults to their share of revenue and tax
//! (and the shipping when asked), and the whole rest given back when an
//! order is cancelled or returned. A refund (of money) of an invoiced order
//! gets its credit note number with it. Every write runs inside the
//! caller's transaction.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::base::{head, refresh_customer, snapshot, write_status};
use super::money::{check_date, check_words, insert, money_of, refresh};
use super::order_number;
use crate::domain::pricing::{self, RefundParts, SoldLine};
use crate::domain::{Money, MovementReason, OrderStatus};
use crate::store::changelog::{self, Action, Entity};
use crate::store::{Result, StoreError, invoice_numbers, now_local, stock};

/// Units of one line to refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefundLine {
    pub order_item_id: i64,
    pub quantity: i64,
    /// Back into stock (true) or written off as damaged.
    pub restock: bool,
}

/// A refund as asked in the window.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RefundRequest {
    pub lines: Vec<RefundLine>,
    /// Give back the shipping (and its tax) too.
    pub shipping: bool,
    /// The amount, when not the default (those units' share).
    pub amount: Option<Money>,
    pub method: String,
    pub date: String,
    pub note: Option<String>,
}

/// The lines of an order as sold, with what was already returned.
struct Line {
    id: i64,
    product_id: i64,
    sold: SoldLine,
}

fn sold_lines(conn: &Connection, order_id: i64) -> Result<Vec<Line>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, product_id, quantity, returned, revenue, tax FROM order_items
             WHERE order_id = ?1 ORDER BY id",
        )?
        .query_map([order_id], |r| {
            Ok(Line {
                id: r.get(0)?,
                product_id: r.get(1)?,
                sold: SoldLine {
                    quantity: r.get(2)?,
                    returned: r.get(3)?,
                    revenue: r.get(4)?,
                    tax: r.get(5)?,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The shipping (with its tax) not yet given back.
fn shipping_left(conn: &Connection, order_id: i64) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(
            "SELECT o.shipping - coalesce((SELECT sum(p.shipping) FROM payments p
                                           WHERE p.order_id = o.id AND p.kind = 'refund'), 0),
                    o.shipping_tax
             FROM orders o WHERE o.id = ?1",
        )?
        .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// What a refund gives back by default: the units' share of revenue and
/// tax, and the shipping left with its tax when asked.
pub fn refund_default(
    conn: &Connection,
    order_id: i64,
    req: &RefundRequest,
) -> Result<RefundParts> {
    let lines = sold_lines(conn, order_id)?;
    let sold: Vec<SoldLine> = lines.iter().map(|l| l.sold).collect();
    let mut units = Vec::new();
    for r in &req.lines {
        let i = lines
            .iter()
            .position(|l| l.id == r.order_item_id)
            .ok_or_else(|| {
                StoreError::Refused(format!(
                    "that line is not on order {}",
                    order_number(order_id)
                ))
            })?;
        units.push((i, r.quantity));
    }
    let mut parts = pricing::refund_parts(&sold, &units);
    if req.shipping {
        let (left, tax) = shipping_back(conn, order_id)?;
        parts.shipping = left;
        parts.tax += tax;
    }
    Ok(parts)
}

/// The shipping not yet given back, and its tax (in proportion, when part
/// of the shipping was given back before).
fn shipping_back(conn: &Connection, order_id: i64) -> Result<(i64, i64)> {
    let (left, tax) = shipping_left(conn, order_id)?;
    if left <= 0 {
        return Ok((0, 0));
    }
    let shipping: i64 = conn
        .prepare_cached("SELECT shipping FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))?;
    let tax = pricing::round_div(
        i128::from(tax) * i128::from(left),
        i128::from(shipping.max(1)),
    );
    Ok((left, tax))
}

/// Refunds some units of some lines (and the shipping when asked): the
/// units go back into stock or are written off as damaged, the amount
/// (by default their share of revenue and tax) is recorded as a refund. An
/// order whose every unit and every payment came back becomes returned.
pub fn refund(conn: &Connection, order_id: i64, req: &RefundRequest) -> Result<i64> {
    let before = snapshot(conn, order_id)?;
    let h = head(conn, order_id)?;
    if !matches!(
        h.status,
        OrderStatus::Paid | OrderStatus::Shipped | OrderStatus::Delivered
    ) {
        return Err(StoreError::Refused(format!(
            "order {} is {}; only a paid, shipped or delivered order can be refunded",
            order_number(order_id),
            h.status.label().to_lowercase()
        )));
    }
    check_words(&req.method, req.note.as_deref())?;
    check_date(&req.date)?;
    let lines = sold_lines(conn, order_id)?;
    let mut seen = Vec::new();
    for r in &req.lines {
        let Some(l) = lines.iter().find(|l| l.id == r.order_item_id) else {
            return Err(StoreError::Refused(format!(
                "that line is not on order {}",
                order_number(order_id)
            )));
        };
        if seen.contains(&r.order_item_id) {
            return Err(StoreError::Refused("a line is refunded twice".into()));
        }
        seen.push(r.order_item_id);
        let left = l.sold.quantity - l.sold.returned;
        if r.quantity <= 0 || r.quantity > left {
            return Err(StoreError::Refused(format!(
                "line {}: {left} left to refund, {} asked",
                lines.iter().position(|x| x.id == l.id).unwrap_or(0) + 1,
                r.quantity
            )));
        }
    }
    let default = refund_default(conn, order_id, req)?;
    let amount = req.amount.map_or(default.amount(), |m| m.0);
    let m = money_of(conn, order_id)?;
    let can = m.paid - m.refunded;
    if amount < 0 {
        return Err(StoreError::Refused("a refund cannot be negative".into()));
    }
    if req.lines.is_empty() && amount == 0 {
        return Err(StoreError::Refused(
            "choose the units to refund, the shipping, or an amount".into(),
        ));
    }
    if amount > can {
        return Err(StoreError::Refused(format!(
            "{} was paid and not yet refunded on order {}; a refund of {} is more (change the amount)",
            Money(can),
            order_number(order_id),
            Money(amount)
        )));
    }
    let now = now_local();
    // An amount over the units' share gives back the shipping first (when
    // it was not asked for), the same rule as an imported refund's; an
    // amount alone, with no units and no shipping, is split like the
    // order's goods (revenue and their tax).
    let parts = if req.lines.is_empty() && !req.shipping {
        let goods: (i64, i64) = conn
            .prepare_cached("SELECT revenue, tax - shipping_tax FROM orders WHERE id = ?1")?
            .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        pricing::split_refund_alone(amount, goods)
    } else {
        let shipping = if req.shipping {
            (0, 0)
        } else {
            shipping_back(conn, order_id)?
        };
        pricing::split_refund_over(amount, default, shipping)
    };
    let payment = insert(
        conn,
        order_id,
        true,
        &req.date,
        &req.method,
        parts,
        amount,
        req.note.as_deref(),
        &now,
    )?;
    if amount > 0 {
        // Money back on an invoiced order: its credit note comes with it.
        invoice_numbers::when_refunded(conn, order_id, payment, &now[..10])?;
    }
    let mut back: BTreeMap<(i64, bool), i64> = BTreeMap::new();
    for r in &req.lines {
        conn.prepare_cached(
            "INSERT INTO refund_items (payment_id, order_item_id, quantity, restocked) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![payment, r.order_item_id, r.quantity, r.restock && h.stock_tracked])?;
        conn.prepare_cached("UPDATE order_items SET returned = returned + ?2 WHERE id = ?1")?
            .execute(params![r.order_item_id, r.quantity])?;
        if let Some(l) = lines.iter().find(|l| l.id == r.order_item_id) {
            *back.entry((l.product_id, r.restock)).or_insert(0) += r.quantity;
        }
    }
    if h.stock_tracked {
        for ((product_id, restock), qty) in back {
            // A product that does not track stock (a gift card) moves none.
            if !crate::store::platform::tracks_stock(conn, product_id)? {
                continue;
            }
            stock::apply(
                conn,
                product_id,
                qty,
                MovementReason::OrderReturned,
                Some(order_id),
                None,
                &now,
            )?;
            if !restock {
                stock::apply(
                    conn,
                    product_id,
                    -qty,
                    MovementReason::Damaged,
                    Some(order_id),
                    Some("returned damaged, written off"),
                    &now,
                )?;
            }
        }
    }
    refresh(conn, order_id)?;
    let all_back: bool = conn
        .prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM order_items WHERE order_id = ?1 AND returned < quantity)
                AND (SELECT refunded = paid FROM orders WHERE id = ?1)",
        )?
        .query_row([order_id], |r| r.get(0))?;
    if all_back {
        write_status(conn, order_id, h.status, OrderStatus::Returned, &now)?;
        refresh(conn, order_id)?;
    }
    refresh_customer(conn, h.customer_id)?;
    let after = snapshot(conn, order_id)?;
    changelog::record(
        conn,
        Entity::Order,
        Some(order_id),
        Action::Refund,
        &format!(
            "Order {}: refund of {}",
            order_number(order_id),
            Money(amount)
        ),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(payment)
}

/// On cancelling or returning a whole order: what was paid and not given
/// back goes back, in one refund on the method of the last payment. A
/// return takes back every unit still out (a refund row even when nothing
/// was paid, so the units' return is recorded).
pub(super) fn give_back_rest(
    conn: &Connection,
    order_id: i64,
    to: OrderStatus,
    at: &str,
) -> Result<()> {
    let m = money_of(conn, order_id)?;
    let left = m.paid - m.refunded;
    let lines = sold_lines(conn, order_id)?;
    let out: Vec<&Line> = lines
        .iter()
        .filter(|l| l.sold.quantity > l.sold.returned)
        .collect();
    if left <= 0 && (to != OrderStatus::Returned || out.is_empty()) {
        return Ok(());
    }
    let method: String = conn
        .prepare_cached(
            "SELECT method FROM payments WHERE order_id = ?1 AND kind = 'payment' ORDER BY id DESC LIMIT 1",
        )?
        .query_row([order_id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "Other".to_owned());
    let req = RefundRequest {
        lines: out
            .iter()
            .map(|l| RefundLine {
                order_item_id: l.id,
                quantity: l.sold.quantity - l.sold.returned,
                restock: true,
            })
            .collect(),
        shipping: true,
        ..RefundRequest::default()
    };
    let default = refund_default(conn, order_id, &req)?;
    let parts = pricing::split_refund(left.max(0), default);
    let stock_tracked = head(conn, order_id)?.stock_tracked;
    let payment = insert(
        conn,
        order_id,
        true,
        &at[..10],
        &method,
        parts,
        left.max(0),
        None,
        at,
    )?;
    if left > 0 {
        invoice_numbers::when_refunded(conn, order_id, payment, &at[..10])?;
    }
    if to == OrderStatus::Returned {
        for l in out {
            conn.prepare_cached(
                "INSERT INTO refund_items (payment_id, order_item_id, quantity, restocked) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                payment,
                l.id,
                l.sold.quantity - l.sold.returned,
                stock_tracked
            ])?;
        }
        conn.prepare_cached("UPDATE order_items SET returned = quantity WHERE order_id = ?1")?
            .execute([order_id])?;
    }
    refresh(conn, order_id)
}

/// The payment (and refund) of an order written where it ended (an import
/// or demo order): `paid` on its date, `refunded` back at `at`.
pub(super) fn settle_placed(
    conn: &Connection,
    order_id: i64,
    date: &str,
    method: &str,
    paid: i64,
    refunded: i64,
    at: &str,
) -> Result<()> {
    if paid > 0 {
        insert(
            conn,
            order_id,
            false,
            date,
            method,
            RefundParts::default(),
            paid,
            None,
            at,
        )?;
        refresh(conn, order_id)?;
    }
    let status = head(conn, order_id)?.status;
    if refunded > 0 || status == OrderStatus::Returned {
        give_back_rest(conn, order_id, status, at)?;
    }
    refresh(conn, order_id)
}
