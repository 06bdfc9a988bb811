//! An order's payments: recording one ("Mark paid" pays the balance),
//! taking back those an undone change recorded, and keeping the order's
//! `paid`, `refunded` and `balance` equal to its payments and refunds
//! (`refund`). Every write runs inside the caller's transaction.

use rusqlite::{Connection, OptionalExtension, params};

use super::base::{head, refresh_customer, snapshot, write_status};
use super::order_number;
use crate::domain::pricing::RefundParts;
use crate::domain::{Money, OrderStatus, check_text};
use crate::store::changelog::{self, Action, Entity};
use crate::store::{Result, StoreError, codes, invoice_numbers, now_local};

/// A payment as typed in the window or read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub amount: Money,
    pub method: String,
    /// Local 'YYYY-MM-DD'.
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
    /// What a refund gave back of revenue, tax and shipping (none for a payment).
    pub parts: RefundParts,
    /// A refund's credit note, once issued ("CN-00001").
    pub credit_note: Option<String>,
}

/// An order's payments and refunds, oldest first.
pub fn payments(conn: &Connection, order_id: i64) -> Result<Vec<PaymentRow>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, kind = 'refund', paid_on, method, amount, note, revenue, tax, shipping
             FROM payments WHERE order_id = ?1 ORDER BY id",
        )?
        .query_map([order_id], |r| {
            Ok(PaymentRow {
                id: r.get(0)?,
                refund: r.get(1)?,
                date: r.get(2)?,
                method: r.get(3)?,
                amount: Money(r.get(4)?),
                note: r.get(5)?,
                parts: RefundParts {
                    revenue: r.get(6)?,
                    tax: r.get(7)?,
                    shipping: r.get(8)?,
                },
                credit_note: None,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut rows = rows;
    if rows.iter().any(|p| p.refund) {
        // The order's credit notes (through its index), to their refunds.
        let notes: Vec<(i64, String)> = conn
            .prepare_cached(
                "SELECT payment_id, number FROM invoices
                 WHERE order_id = ?1 AND kind = 'credit' AND payment_id IS NOT NULL",
            )?
            .query_map([order_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (payment, number) in notes {
            if let Some(p) = rows.iter_mut().find(|p| p.id == payment) {
                p.credit_note = Some(number);
            }
        }
    }
    Ok(rows)
}

/// The units one refund took back: (the order line's id, units), by line.
pub fn refund_units(conn: &Connection, payment_id: i64) -> Result<Vec<(i64, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT order_item_id, quantity FROM refund_items WHERE payment_id = ?1
             ORDER BY order_item_id",
        )?
        .query_map([payment_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
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

pub(super) struct Money3 {
    pub paid: i64,
    pub refunded: i64,
    pub balance: i64,
}

pub(super) fn money_of(conn: &Connection, order_id: i64) -> Result<Money3> {
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

pub(super) fn check_words(method: &str, note: Option<&str>) -> Result<()> {
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

pub(super) fn check_date(date: &str) -> Result<()> {
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
pub(super) fn insert(
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
/// order that is pending becomes paid once its balance is 0 (and, when the
/// shop asks for it, any order paid in full gets its invoice number).
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
    if money_of(conn, order_id)?.balance == 0 {
        if h.status == OrderStatus::Pending {
            write_status(conn, order_id, h.status, OrderStatus::Paid, &now)?;
        } else {
            // Paid in full after it moved on (an order imported part paid).
            invoice_numbers::when_paid(conn, order_id, &now[..10])?;
        }
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
        &format!("Order {}: paid (was pending)", order_number(order_id)),
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
        return Err(StoreError::Irreversible(
            "money was given back to the customer (by this change or after it), and a refund cannot be undone".into(),
        ));
    }
    conn.prepare_cached("DELETE FROM payments WHERE order_id = ?1 AND id > ?2")?
        .execute(params![order_id, last_payment])?;
    refresh(conn, order_id)
}
