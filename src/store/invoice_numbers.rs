//! Invoice and credit-note numbers: the two sequences and the rows that keep
//! the numbers given. This file depends on no store area, so the order
//! writes can give numbers inside their own transaction: an order that
//! becomes paid gets its invoice (when the shop asks for it, the setting
//! `invoice_when_paid`), and a refund of an invoiced order gets its credit
//! note (`when_paid`, `when_refunded`). `invoices` builds on it (the shop's
//! identity, the documents, issuing on demand).
//!
//! The next number of a kind is the larger of the setting `invoice_next` /
//! `credit_next` and one more than the last given, taken inside the
//! caller's one `BEGIN IMMEDIATE` transaction, so numbers are consecutive
//! and two windows never get the same one (`UNIQUE (kind, seq)` and
//! `UNIQUE (number)` would refuse it if they did). A number is never given
//! back: a write that fails gives none (its transaction is rolled back),
//! and an undo keeps the numbers given.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError};
use crate::domain::check_text;
use crate::domain::invoice::{MAX_DIGITS, NumberFormat};

/// Which sequence a number comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invoice,
    Credit,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Invoice => "invoice",
            Kind::Credit => "credit",
        }
    }

    fn next_key(self) -> &'static str {
        match self {
            Kind::Invoice => "invoice_next",
            Kind::Credit => "credit_next",
        }
    }

    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Kind::Invoice => ("invoice_prefix", "invoice_digits"),
            Kind::Credit => ("credit_prefix", "credit_digits"),
        }
    }
}

/// An issued invoice or credit note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub number: String,
    pub seq: i64,
    /// Local 'YYYY-MM-DD'.
    pub issued_on: String,
}

/// How the numbers of `kind` are written (prefix and digits), as saved in
/// Settings > Shop identity (the defaults `INV-` / `CN-` and 5 digits).
pub fn format(conn: &Connection, kind: Kind) -> Result<NumberFormat> {
    let mut f = match kind {
        Kind::Invoice => NumberFormat::invoice_default(),
        Kind::Credit => NumberFormat::credit_default(),
    };
    let (prefix_key, digits_key) = kind.keys();
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings WHERE key IN (?1, ?2)")?;
    let rows = stmt.query_map([prefix_key, digits_key], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (key, value) = row?;
        if key == prefix_key {
            f.prefix = value;
        } else if let Some(d) = value.parse::<u32>().ok().filter(|d| *d <= MAX_DIGITS) {
            f.digits = d;
        }
    }
    Ok(f)
}

/// The number the next invoice or credit note gets.
pub fn next_seq(conn: &Connection, kind: Kind) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT max(
                 coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?2), 1),
                 coalesce((SELECT max(seq) FROM invoices WHERE kind = ?1), 0) + 1)",
        )?
        .query_row(params![kind.code(), kind.next_key()], |r| r.get(0))?)
}

/// Sets the number the next one gets: never one already given (or below it).
pub fn set_next_seq(conn: &Connection, kind: Kind, next: i64) -> Result<()> {
    let last: i64 = conn.query_row(
        "SELECT coalesce(max(seq), 0) FROM invoices WHERE kind = ?1",
        [kind.code()],
        |r| r.get(0),
    )?;
    if next <= last || next > 999_999_999_999 {
        return Err(StoreError::field(
            "next_number",
            format!(
                "the next number must be more than {last}, the last one given (numbers are never reused)"
            ),
        ));
    }
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![kind.next_key(), next.to_string()],
    )?;
    Ok(())
}

/// The order's invoice, if one was issued.
pub fn invoice_of(conn: &Connection, order_id: i64) -> Result<Option<Issued>> {
    Ok(conn
        .prepare_cached(
            "SELECT number, seq, issued_on FROM invoices WHERE order_id = ?1 AND kind = 'invoice'",
        )?
        .query_row([order_id], issued_from)
        .optional()?)
}

/// The credit note of a refund, if one was issued.
pub fn credit_note_of(conn: &Connection, payment_id: i64) -> Result<Option<Issued>> {
    Ok(conn
        .prepare_cached(
            "SELECT number, seq, issued_on FROM invoices WHERE payment_id = ?1 AND kind = 'credit'",
        )?
        .query_row([payment_id], issued_from)
        .optional()?)
}

fn issued_from(r: &rusqlite::Row) -> rusqlite::Result<Issued> {
    Ok(Issued {
        number: r.get(0)?,
        seq: r.get(1)?,
        issued_on: r.get(2)?,
    })
}

/// Gives the next number of `kind` to the order (a credit note: to its
/// refund, `payment_id`), dated `date`. The caller has checked that it has
/// none yet and may have one. Run inside a write transaction.
pub(crate) fn give(
    conn: &Connection,
    kind: Kind,
    order_id: i64,
    payment_id: Option<i64>,
    date: &str,
) -> Result<Issued> {
    check_date(date)?;
    let format = format(conn, kind)?;
    let seq = next_seq(conn, kind)?;
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![kind.next_key(), (seq + 1).to_string()])?;
    let number = format.number(seq);
    // Who it is made out to, as they are now: a reprint names them so
    // after the customer's name or address changed.
    conn.prepare_cached(
        "INSERT INTO invoices (kind, seq, number, order_id, payment_id, issued_on,
                               bill_name, bill_address, bill_postal_code, bill_city,
                               bill_country, bill_email)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6,
                c.name, c.address, c.postal_code, c.city, c.country, c.email
         FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?4",
    )?
    .execute(params![
        kind.code(),
        seq,
        number,
        order_id,
        payment_id,
        date
    ])
    .map_err(|e| {
        super::unique_violation(
            e,
            "number",
            &format!(
                "{number} was given already; change the prefix or the next number in Settings > Shop identity"
            ),
        )
    })?;
    Ok(Issued {
        number,
        seq,
        issued_on: date.to_owned(),
    })
}

/// An order has just become paid (its status moved to paid, or a payment
/// brought what it owes to 0): when the shop issues invoices on payment
/// (Settings > Shop identity) and the order has no invoice yet, it gets
/// the next number, dated `date`, in the caller's transaction.
pub(crate) fn when_paid(conn: &Connection, order_id: i64, date: &str) -> Result<()> {
    let on: bool = conn
        .prepare_cached("SELECT value = '1' FROM settings WHERE key = 'invoice_when_paid'")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(false);
    if on && invoice_of(conn, order_id)?.is_none() {
        give(conn, Kind::Invoice, order_id, None, date)?;
    }
    Ok(())
}

/// A refund (`payment_id`) has just been given: when its order has an
/// invoice, the refund gets its credit note (the next credit number, dated
/// `date`) in the caller's transaction. A refund of an order never invoiced
/// gets one when its credit note is first asked for.
pub(crate) fn when_refunded(
    conn: &Connection,
    order_id: i64,
    payment_id: i64,
    date: &str,
) -> Result<()> {
    if invoice_of(conn, order_id)?.is_some() && credit_note_of(conn, payment_id)?.is_none() {
        give(conn, Kind::Credit, order_id, Some(payment_id), date)?;
    }
    Ok(())
}

/// 'YYYY-MM-DD' (the shape; the schema's CHECK says the same).
pub(crate) fn check_date(date: &str) -> Result<()> {
    let ok = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if ok && check_text(date, false).is_ok() {
        Ok(())
    } else {
        Err(StoreError::field("date", "a date is written YYYY-MM-DD"))
    }
}
