//! The settings the product insights read: the shop's sales-rate window,
//! lead time, cover days and dead-stock age (`settings` rows), and a
//! product's own lead time and cover days where they differ from the shop's
//! (`products.lead_days`, `products.cover_days`; none: the shop's).

use rusqlite::{Connection, OptionalExtension, params};

use super::product_reports::{COVER_DAYS, DEAD_DAYS, LEAD_DAYS, RATE_DAYS};
use super::{Result, StoreError};

/// The longest any of these may be: ten years of days.
pub const MAX_DAYS: i64 = 3650;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReorderSettings {
    /// The sales rate is that of the last this many days (at least 1).
    pub rate_days: i64,
    /// Days from ordering until the goods arrive.
    pub lead_days: i64,
    /// Days of sales the stock should last once they arrived.
    pub cover_days: i64,
    /// A product in stock that did not sell for this many days is dead stock (at least 1).
    pub dead_days: i64,
}

impl Default for ReorderSettings {
    fn default() -> Self {
        ReorderSettings {
            rate_days: RATE_DAYS.1,
            lead_days: LEAD_DAYS.1,
            cover_days: COVER_DAYS.1,
            dead_days: DEAD_DAYS.1,
        }
    }
}

fn read(conn: &Connection, (key, default): (&str, i64)) -> Result<i64> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.trim().parse().ok()).unwrap_or(default))
}

pub fn settings(conn: &Connection) -> Result<ReorderSettings> {
    Ok(ReorderSettings {
        rate_days: read(conn, RATE_DAYS)?,
        lead_days: read(conn, LEAD_DAYS)?,
        cover_days: read(conn, COVER_DAYS)?,
        dead_days: read(conn, DEAD_DAYS)?,
    })
}

/// A number of days checked: `least` to `MAX_DAYS`, or a sentence saying why not.
fn days(what: &str, value: i64, least: i64) -> Result<i64> {
    if (least..=MAX_DAYS).contains(&value) {
        Ok(value)
    } else {
        Err(StoreError::Refused(format!(
            "the {what} must be {least} to {MAX_DAYS} days (it was {value}); nothing was saved"
        )))
    }
}

/// Saves the shop's settings; bad values are refused and nothing is saved.
pub fn save_settings(conn: &Connection, s: &ReorderSettings) -> Result<()> {
    let values = [
        (RATE_DAYS.0, days("sales-rate window", s.rate_days, 1)?),
        (LEAD_DAYS.0, days("lead time", s.lead_days, 0)?),
        (COVER_DAYS.0, days("cover", s.cover_days, 0)?),
        (DEAD_DAYS.0, days("dead-stock age", s.dead_days, 1)?),
    ];
    let mut put = conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?;
    for (key, value) in values {
        put.execute(params![key, value.to_string()])?;
    }
    Ok(())
}

/// A product's own lead time and cover days (None: the shop's).
pub fn product_days(conn: &Connection, product_id: i64) -> Result<(Option<i64>, Option<i64>)> {
    conn.prepare_cached("SELECT lead_days, cover_days FROM products WHERE id = ?1")?
        .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::Refused("that product no longer exists".into()))
}

/// Sets a product's own lead time and cover days (None: the shop's).
pub fn set_product_days(
    conn: &Connection,
    product_id: i64,
    lead: Option<i64>,
    cover: Option<i64>,
) -> Result<()> {
    let lead = lead.map(|d| days("lead time", d, 0)).transpose()?;
    let cover = cover.map(|d| days("cover", d, 0)).transpose()?;
    let n = conn
        .prepare_cached("UPDATE products SET lead_days = ?2, cover_days = ?3 WHERE id = ?1")?
        .execute(params![product_id, lead, cover])?;
    if n == 0 {
        return Err(StoreError::Refused(
            "that product no longer exists; nothing was saved".into(),
        ));
    }
    Ok(())
}
