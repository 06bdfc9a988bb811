//! Invoices and credit notes: the shop's identity as its documents print it
//! (kept in `settings`, the logo in `shop_logo`), what an order's documents
//! print, and issuing their numbers on demand (`invoice_numbers` keeps the
//! sequences; the order writes use it to number an order when it is paid and
//! a refund of an invoiced order, in their own transaction).
//!
//! An invoice number is given the first time an invoice is issued for an
//! order and kept on it: issuing again gives the same number. A credit note
//! is given once per refund and names the order's invoice (issuing one
//! issues the invoice first if it had none). Each kind has its own sequence,
//! consecutive and never reused (see `invoice_numbers`). Numbers are never
//! given back: nothing here is undone.

use rusqlite::{Connection, OptionalExtension, params};

pub use super::invoice_numbers::{
    Issued, Kind, credit_note_of, format, invoice_of, next_seq, set_next_seq,
};
use super::invoice_numbers::{check_date, give};
use super::orders::{OrderDetail, detail, order_number};
use super::{Result, StoreError};
use crate::domain::OrderStatus;
use crate::domain::invoice::{LogoKind, Paper, ShopIdentity, check_logo};

/// A credit note and the refund it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNote {
    pub issued: Issued,
    /// The refund (a payments row), None if that refund was undone since.
    pub payment_id: Option<i64>,
}

/// Everything a document of an order prints, apart from the shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDocument {
    pub detail: OrderDetail,
    /// The customer's name and address (and email), one item a line.
    pub bill_to: Vec<String>,
    pub invoice: Option<Issued>,
    /// The names of the shop's tax rates by rate ("GST"), for the
    /// documents' tax rows ("GST 10%"); the first kept, then the first
    /// archived, when two share a rate.
    pub tax_names: std::collections::BTreeMap<crate::domain::Rate, String>,
}

const TEXT_KEYS: [&str; 9] = [
    "shop_legal_name",
    "shop_address",
    "shop_email",
    "shop_phone",
    "shop_tax_number",
    "invoice_terms",
    "invoice_footer",
    "invoice_prefix",
    "credit_prefix",
];

/// The shop's identity as saved (defaults for what was never saved).
pub fn identity(conn: &Connection) -> Result<ShopIdentity> {
    let mut s = ShopIdentity::default();
    let mut stmt = conn.prepare_cached(
        "SELECT key, value FROM settings WHERE key IN ('shop_legal_name', 'shop_address',
             'shop_email', 'shop_phone', 'shop_tax_number', 'invoice_terms', 'invoice_footer', 'paper_size',
             'invoice_when_paid')",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        match key.as_str() {
            "shop_legal_name" => s.legal_name = value,
            "shop_address" => s.address = value,
            "shop_email" => s.email = value,
            "shop_phone" => s.phone = value,
            "shop_tax_number" => s.tax_number = value,
            "invoice_terms" => s.payment_terms = value,
            "invoice_footer" => s.footer = value,
            "paper_size" => s.paper = Paper::from_code(&value),
            "invoice_when_paid" => s.invoice_when_paid = value == "1",
            _ => {}
        }
    }
    s.invoice_format = format(conn, Kind::Invoice)?;
    s.credit_format = format(conn, Kind::Credit)?;
    Ok(s)
}

/// Saves the shop's identity (checked first: a refused field writes nothing).
pub fn save_identity(conn: &Connection, s: &ShopIdentity) -> Result<()> {
    s.validate().map_err(StoreError::Invalid)?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?;
    let texts = [
        &s.legal_name,
        &s.address,
        &s.email,
        &s.phone,
        &s.tax_number,
        &s.payment_terms,
        &s.footer,
        &s.invoice_format.prefix,
        &s.credit_format.prefix,
    ];
    for (key, value) in TEXT_KEYS.iter().zip(texts) {
        stmt.execute(params![key, value])?;
    }
    stmt.execute(params![
        "invoice_digits",
        s.invoice_format.digits.to_string()
    ])?;
    stmt.execute(params!["credit_digits", s.credit_format.digits.to_string()])?;
    stmt.execute(params!["paper_size", s.paper.code()])?;
    stmt.execute(params![
        "invoice_when_paid",
        if s.invoice_when_paid { "1" } else { "0" }
    ])?;
    Ok(())
}

/// The logo's bytes and kind, if the shop has one.
pub fn logo(conn: &Connection) -> Result<Option<(LogoKind, Vec<u8>)>> {
    let row: Option<(String, Vec<u8>)> = conn
        .prepare_cached("SELECT kind, data FROM shop_logo WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(kind, data)| LogoKind::from_code(&kind).map(|k| (k, data))))
}

/// Keeps `bytes` as the logo (a PNG or JPEG of at most 4 MB; anything else is
/// refused and the old logo stays), or removes it (None).
pub fn set_logo(conn: &Connection, bytes: Option<&[u8]>) -> Result<()> {
    match bytes {
        None => {
            conn.execute("DELETE FROM shop_logo", [])?;
        }
        Some(bytes) => {
            let kind = check_logo(bytes).map_err(|e| StoreError::field("logo", e))?;
            conn.execute(
                "INSERT INTO shop_logo (id, kind, data) VALUES (1, ?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, data = excluded.data",
                params![kind.code(), bytes],
            )?;
        }
    }
    Ok(())
}

fn status(conn: &Connection, order_id: i64) -> Result<OrderStatus> {
    conn.prepare_cached("SELECT status FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("order {}", order_number(order_id))))
}

/// Issues the order's invoice dated `date` ('YYYY-MM-DD'), or gives the one
/// it has. A cancelled order gets none. Run inside a write transaction.
pub fn issue_invoice(conn: &Connection, order_id: i64, date: &str) -> Result<Issued> {
    if status(conn, order_id)? == OrderStatus::Cancelled {
        return Err(StoreError::Refused(format!(
            "order {} is cancelled, so it gets no invoice",
            order_number(order_id)
        )));
    }
    if let Some(issued) = invoice_of(conn, order_id)? {
        return Ok(issued);
    }
    give(conn, Kind::Invoice, order_id, None, date)
}

/// The credit notes of an order, oldest first.
pub fn credit_notes(conn: &Connection, order_id: i64) -> Result<Vec<CreditNote>> {
    Ok(conn
        .prepare_cached(
            "SELECT number, seq, issued_on, payment_id FROM invoices
             WHERE order_id = ?1 AND kind = 'credit' ORDER BY seq",
        )?
        .query_map([order_id], |r| {
            Ok(CreditNote {
                issued: Issued {
                    number: r.get(0)?,
                    seq: r.get(1)?,
                    issued_on: r.get(2)?,
                },
                payment_id: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Issues the credit note of a refund (a payments row of kind 'refund'), or
/// gives the one it has; the order's invoice is issued first if it had none
/// (a cancelled order never invoiced is refused: there is nothing to credit).
pub fn issue_credit_note(conn: &Connection, payment_id: i64, date: &str) -> Result<CreditNote> {
    let refund: Option<(i64, bool)> = conn
        .prepare_cached("SELECT order_id, kind = 'refund' FROM payments WHERE id = ?1")?
        .query_row([payment_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let order_id = match refund {
        Some((order_id, true)) => order_id,
        Some(_) => {
            return Err(StoreError::Refused(
                "that payment is not a refund; a credit note is for a refund".into(),
            ));
        }
        None => return Err(StoreError::NotFound("that refund".into())),
    };
    if let Some(note) = credit_notes(conn, order_id)?
        .into_iter()
        .find(|n| n.payment_id == Some(payment_id))
    {
        return Ok(note);
    }
    check_date(date)?;
    if invoice_of(conn, order_id)?.is_none() {
        if status(conn, order_id)? == OrderStatus::Cancelled {
            return Err(StoreError::Refused(format!(
                "order {} was cancelled before it was invoiced, so what it gave back needs no credit note",
                order_number(order_id)
            )));
        }
        give(conn, Kind::Invoice, order_id, None, date)?;
    }
    Ok(CreditNote {
        issued: give(conn, Kind::Credit, order_id, Some(payment_id), date)?,
        payment_id: Some(payment_id),
    })
}

/// The order a payment or refund belongs to.
pub fn order_of_payment(conn: &Connection, payment_id: i64) -> Result<i64> {
    conn.prepare_cached("SELECT order_id FROM payments WHERE id = ?1")?
        .query_row([payment_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| StoreError::NotFound("that refund".into()))
}

/// What an order's documents print: its detail, who it is billed to, and its
/// invoice (if issued).
/// The name an order's invoice was made out to, once it has one (a file's
/// name follows it: after an erasure the customer is "Erased customer").
pub fn made_out_to(conn: &Connection, order_id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT bill_name FROM invoices WHERE order_id = ?1 AND kind = 'invoice'")?
        .query_row([order_id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

pub fn document(conn: &Connection, order_id: i64) -> Result<OrderDocument> {
    let detail = detail(conn, order_id)?;
    let bill_to: Vec<String> = conn
        // As the invoice was made out, once the order has one (a reprint
        // kept its number and date but named the customer as edited since).
        .prepare_cached(
            "SELECT coalesce(i.bill_name, c.name),
                    CASE WHEN i.id IS NULL THEN c.address ELSE i.bill_address END,
                    CASE WHEN i.id IS NULL THEN c.postal_code ELSE i.bill_postal_code END,
                    CASE WHEN i.id IS NULL THEN c.city ELSE i.bill_city END,
                    CASE WHEN i.id IS NULL THEN c.country ELSE i.bill_country END,
                    CASE WHEN i.id IS NULL THEN c.email ELSE i.bill_email END,
                    (SELECT value FROM settings WHERE key = 'country')
             FROM orders o JOIN customers c ON c.id = o.customer_id
             LEFT JOIN invoices i ON i.order_id = o.id AND i.kind = 'invoice'
             WHERE o.id = ?1",
        )?
        .query_row([order_id], |r| {
            let part = |i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default);
            let mut out = crate::domain::address::lines(
                &part(0)?,
                &part(1)?,
                &part(2)?,
                &part(3)?,
                &part(4)?,
                &part(6)?,
            );
            let email = part(5)?;
            if !email.trim().is_empty() {
                out.push(email.trim().to_owned());
            }
            Ok(out)
        })?;
    let mut tax_names = std::collections::BTreeMap::new();
    let mut names =
        conn.prepare_cached("SELECT rate, name FROM tax_rates ORDER BY archived, id")?;
    for row in names.query_map([], |r| {
        Ok((crate::domain::Rate(r.get(0)?), r.get::<_, String>(1)?))
    })? {
        let (rate, name) = row?;
        tax_names.entry(rate).or_insert(name);
    }
    Ok(OrderDocument {
        detail,
        bill_to,
        tax_names,
        invoice: invoice_of(conn, order_id)?,
    })
}

/// Finds an order by what a user typed: its number ("42", "#000042") or its
/// reference (the shop's or another system's). A reference typed exactly
/// as it is kept comes first ("1001" is the order imported as 1001, even
/// when the shop has an order #001001); the number written as the window
/// shows it ("#001001") is always that order.
pub fn find_order(conn: &Connection, text: &str) -> Result<i64> {
    let t = text.trim();
    let digits = t.strip_prefix('#').unwrap_or(t);
    let by_number: Option<i64> =
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.len() <= 15 {
            let id: i64 = digits.parse().unwrap_or(0);
            conn.prepare_cached("SELECT id FROM orders WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
        } else {
            None
        };
    if let Some(id) = by_number
        && t == order_number(id)
    {
        return Ok(id);
    }
    let by_ref: Option<i64> = conn
        .prepare_cached("SELECT id FROM orders WHERE external_ref = ?1 ORDER BY id LIMIT 1")?
        .query_row([t], |r| r.get(0))
        .optional()?;
    // A number typed without '#' names a platform's "#1004" too, when the
    // shop has no order of that number.
    let by_hash_ref: Option<i64> = match (&by_ref, &by_number) {
        (None, None)
            if !t.starts_with('#')
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit()) =>
        {
            conn.prepare_cached(
                "SELECT id FROM orders WHERE external_ref = ?1 ORDER BY id LIMIT 1",
            )?
            .query_row([format!("#{t}")], |r| r.get(0))
            .optional()?
        }
        _ => None,
    };
    by_ref.or(by_number).or(by_hash_ref).ok_or_else(|| {
        StoreError::Refused(format!(
            "there is no order \"{t}\"; give its number (such as 42 or #000042) or its reference"
        ))
    })
}

/// The orders dated `from`..=`to` that are not cancelled, by date then
/// number: the range of a batch of documents (ids only; each document reads
/// its own order, so memory does not grow with the range).
/// Those of `ids` that have no invoice yet, in the order they were placed
/// (their date and time, then their number): the order their invoice
/// numbers are given in, so that the numbers follow the orders' dates.
pub fn without_invoice_by_date(conn: &Connection, ids: &[i64]) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT order_date, order_time FROM orders o WHERE id = ?1
           AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.id AND i.kind = 'invoice')",
    )?;
    let mut found = Vec::new();
    for &id in ids {
        let placed: Option<(String, String)> = stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((date, time)) = placed {
            found.push((date, time, id));
        }
    }
    found.sort();
    Ok(found.into_iter().map(|(_, _, id)| id).collect())
}

pub fn orders_between(conn: &Connection, from: &str, to: &str) -> Result<Vec<i64>> {
    check_date(from)?;
    check_date(to)?;
    Ok(conn
        .prepare_cached(
            "SELECT id FROM orders WHERE order_date BETWEEN ?1 AND ?2 AND status <> 'cancelled'
             ORDER BY order_date, order_time, id",
        )?
        .query_map([from, to], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}
