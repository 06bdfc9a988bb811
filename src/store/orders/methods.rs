//! The payment methods the shop offers (Settings edits the list): kept in
//! the settings key `payment_methods`, one a line. A shop that never set them
//! gets Cash, Card, Bank transfer, PayPal and Other.

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::check_text;
use crate::store::{Result, StoreError};

const DEFAULT: [&str; 5] = ["Cash", "Card", "Bank transfer", "PayPal", "Other"];

/// The payment methods the shop offers, in its order.
pub fn methods(conn: &Connection) -> Result<Vec<String>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = 'payment_methods'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let list: Vec<String> = text
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect();
    if list.is_empty() {
        return Ok(DEFAULT.map(str::to_owned).to_vec());
    }
    Ok(list)
}

/// Sets the payment methods (blank entries and repeats dropped). An empty
/// list is refused: an order needs some way to be paid. Payments already
/// recorded keep the method they were recorded with.
pub fn set_methods(conn: &Connection, list: &[String]) -> Result<()> {
    let mut clean: Vec<String> = Vec::new();
    for m in list {
        let m = m.trim();
        if m.is_empty() {
            continue;
        }
        check_text(m, false)
            .map_err(|why| StoreError::Refused(format!("the payment method \"{m}\": {why}")))?;
        if m.chars().count() > 60 {
            return Err(StoreError::Refused(format!(
                "keep the payment method \"{m}\" under 60 characters"
            )));
        }
        if !clean.iter().any(|c| c.eq_ignore_ascii_case(m)) {
            clean.push(m.to_owned());
        }
    }
    if clean.is_empty() {
        return Err(StoreError::Refused(
            "keep at least one payment method, such as Cash".into(),
        ));
    }
    conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES ('payment_methods', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![clean.join("\n")])?;
    Ok(())
}
