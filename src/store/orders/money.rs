//! An order's payments and refunds: recording a payment ("Mark paid" pays
//! the balance), refunding some units of some lines (back into stock or
//! written off as damaged) with an amount that defaults to their share of
//! revenue and tax, shipping an order with its tracking, and keeping the
//! order's `paid`, `refunded` and `balance` equal to its payments. Every
//! write runs inside the caller's transaction.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::base::{head, refresh_customer, snapshot, write_status};
use super::order_number;
use crate::domain::pricing::{self, RefundParts, SoldLine};
use crate::domain::{Money, MovementReason, OrderStatus, check_text};
use crate::store::changelog::{self, Action, Entity};
use crate::store::{Result, StoreError, codes, now_local, stock};

/// A payment as typed in the window or read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub amount: Money,
    pub method: String,
    /// Local 'YYYY-MM-DD'.
    pub date: String,
    pub note: Option<String>,
}

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

/// A payment or refund as an order's detail lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: i64,
    pub refund: bool,
    pub date: String,
    pub method: String,
    pub amount: Money,
    pub note: Option<String>,
}

/// An order's payments and refunds, oldest first.
pub fn payments(conn: &Connection, order_id: i64) -> Result<Vec<PaymentRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, kind = 'refund', paid_on, method, amount, note FROM payments
             WHERE order_id = ?1 ORDER BY id",
        )?
        .query_map([order_id], |r| {
            Ok(PaymentRow {
                id: r.get(0)?,
                refund: r.get(1)?,
                date: r.get(2)?,
                method: r.get(3)?,
                amount: Money(r.get(4)?),
                note: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Keeps an order's paid, refunded and balance equal to its payments.
pub(crate) fn refresh(conn: &Connection, order_id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE orders SET
             paid = (SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = ?1 AND kind = 'payment'),
             refunded = (SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id = ?1 AND kind = 'refund')
         WHERE id = ?1;",
    )?
    .execute([order_id])?;
    conn.prepare_cached(&format!(
        "UPDATE orders SET balance = CASE WHEN {} THEN total - paid ELSE refunded - paid END WHERE id = ?1",
        codes::sale("status")
    ))?
    .execute([order_id])?;
    Ok(())
}

struct Money3 {
    paid: i64,
    refunded: i64,
    balance: i64,
}

fn money_of(conn: &Connection, order_id: i64) -> Result<Money3> {
    conn.prepare_cached("SELECT paid, refunded, balance FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| {
            Ok(Money3 {
                paid: r.get(0)?,
                refunded: r.get(1)?,
                balance: r.get(2)?,
            })
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("order {}", order_number(order_id))))
}

fn check_words(method: &str, note: Option<&str>) -> Result<()> {
    if method.trim().is_empty() {
        return Err(StoreError::Refused("choose how it was paid".into()));
    }
    check_text(method.trim(), false)
        .map_err(|why| StoreError::Refused(format!("the method: {why}")))?;
    if let Some(note) = note {
        check_text(note.trim(), true)
            .map_err(|why| StoreError::Refused(format!("the note: {why}")))?;
    }
    Ok(())
}

fn check_date(date: &str) -> Result<()> {
    let ok = date.len() == 10
        && jiff::civil::Date::strptime("%Y-%m-%d", date).is_ok()
        && date >= "1970-01-01";
    if ok {
        Ok(())
    } else {
        Err(StoreError::Refused(format!(
            "\"{date}\" is not a date such as 2026-03-31"
        )))
    }
}

#[allow(clippy::too_many_arguments)]
fn insert(
    conn: &Connection,
    order_id: i64,
    refund: bool,
    date: &str,
    method: &str,
    parts: RefundParts,
    amount: i64,
    note: Option<&str>,
    at: &str,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO payments (order_id, kind, paid_on, method, amount, revenue, tax, shipping, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        order_id,
        if refund { "refund" } else { "payment" },
        date,
        method.trim(),
        amount,
        parts.revenue,
        parts.tax,
        parts.shipping,
        note.map(str::trim).filter(|n| !n.is_empty()),
        at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Records a payment. It may not be more than the order's balance; an
/// order that is pending becomes paid once its balance is 0.
pub fn record_payment(conn: &Connection, order_id: i64, p: &NewPayment) -> Result<i64> {
    let before = snapshot(conn, order_id)?;
    let id = record_payment_unlogged(conn, order_id, p)?;
    let after = snapshot(conn, order_id)?;
    changelog::record(
        conn,
        Entity::Order,
        Some(order_id),
        Action::Payment,
        &format!(
            "Order {}: payment of {} recorded",
            order_number(order_id),
            p.amount
        ),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(id)
}

fn record_payment_unlogged(conn: &Connection, order_id: i64, p: &NewPayment) -> Result<i64> {
    let h = head(conn, order_id)?;
    if !h.status.is_sale() {
        return Err(StoreError::Refused(format!(
            "order {} is {}; it takes no payment",
            order_number(order_id),
            h.status.label().to_lowercase()
        )));
    }
    check_words(&p.method, p.note.as_deref())?;
    check_date(&p.date)?;
    let m = money_of(conn, order_id)?;
    if p.amount.0 <= 0 {
        return Err(StoreError::Refused("a payment must be more than 0".into()));
    }
    if p.amount.0 > m.balance {
        return Err(StoreError::Refused(format!(
            "order {} has {} left to pay; a payment cannot be more",
            order_number(order_id),
            Money(m.balance.max(0))
        )));
    }
    let now = now_local();
    let id = insert(
        conn,
        order_id,
        false,
        &p.date,
        &p.method,
        RefundParts::default(),
        p.amount.0,
        p.note.as_deref(),
        &now,
    )?;
    refresh(conn, order_id)?;
    if h.status == OrderStatus::Pending && money_of(conn, order_id)?.balance == 0 {
        write_status(conn, order_id, h.status, OrderStatus::Paid, &now)?;
    }
    refresh_customer(conn, h.customer_id)?;
    Ok(id)
}

/// "Mark paid": one payment of the balance, and the order becomes paid.
pub fn mark_paid(conn: &Connection, order_id: i64, method: &str, date: &str) -> Result<()> {
    let before = snapshot(conn, order_id)?;
    let h = head(conn, order_id)?;
    if !h.status.can_move_to(OrderStatus::Paid) {
        return Err(StoreError::Refused(format!(
            "order {} is {}; only a pending order can be marked paid",
            order_number(order_id),
            h.status.label().to_lowercase()
        )));
    }
    check_words(method, None)?;
    check_date(date)?;
    let now = now_local();
    pay_balance(conn, order_id, method, date, &now)?;
    if head(conn, order_id)?.status == OrderStatus::Pending {
        write_status(conn, order_id, h.status, OrderStatus::Paid, &now)?;
    }
    refresh(conn, order_id)?;
    refresh_customer(conn, h.customer_id)?;
    let after = snapshot(conn, order_id)?;
    changelog::record(
        conn,
        Entity::Order,
        Some(order_id),
        Action::Status,
        &format!("Order {}: pending → paid", order_number(order_id)),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// Records a payment of whatever is still owed (nothing when nothing is).
pub(super) fn pay_balance(
    conn: &Connection,
    order_id: i64,
    method: &str,
    date: &str,
    at: &str,
) -> Result<()> {
    let m = money_of(conn, order_id)?;
    if m.balance > 0 {
        insert(
            conn,
            order_id,
            false,
            date,
            method,
            RefundParts::default(),
            m.balance,
            None,
            at,
        )?;
        refresh(conn, order_id)?;
    }
    Ok(())
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
        let (left, tax) = shipping_left(conn, order_id)?;
        if left > 0 {
            parts.shipping = left;
            // The shipping's tax goes back with it (in proportion, when
            // part of the shipping was given back before).
            let (shipping, _) = conn
                .prepare_cached("SELECT shipping, 0 FROM orders WHERE id = ?1")?
                .query_row([order_id], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
                })?;
            parts.tax += pricing::round_div(
                i128::from(tax) * i128::from(left),
                i128::from(shipping.max(1)),
            );
        }
    }
    Ok(parts)
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
    let parts = pricing::split_refund(amount, default);
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

/// Takes back the payments recorded after `last_payment` (undo of what
/// recorded them). A refund was given and is not taken back.
pub(super) fn take_back_payments(
    conn: &Connection,
    order_id: i64,
    last_payment: i64,
) -> Result<()> {
    let refunds: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM payments WHERE order_id = ?1 AND id > ?2 AND kind = 'refund'",
        )?
        .query_row(params![order_id, last_payment], |r| r.get(0))?;
    if refunds > 0 {
        return Err(StoreError::Refused(
            "money was given back since; a refund cannot be undone".into(),
        ));
    }
    conn.prepare_cached("DELETE FROM payments WHERE order_id = ?1 AND id > ?2")?
        .execute(params![order_id, last_payment])?;
    refresh(conn, order_id)
}
