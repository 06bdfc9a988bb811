//! Undo: reverses the newest change of this session that is not undone yet,
//! and logs the undo too. It reads the entry from the change log and asks
//! the area that owns the rows (customers, products, stock, orders,
//! settings) to restore them from the entry's snapshot; nothing here knows a
//! table's columns.

use rusqlite::Connection;

use super::changelog::{self, Action, Entity};
use super::{Result, StoreError, customers, orders, products, settings, stock};
use crate::domain::OrderStatus;

fn refused(what: &str, why: &str) -> StoreError {
    StoreError::Refused(format!("\"{what}\" cannot be undone: {why}"))
}

/// What an area answered when asked to reverse `what`: a change that can
/// never be reversed stays so (Undo stops there); any other refusal names
/// the change.
fn refused_by(what: &str, err: StoreError) -> StoreError {
    match err {
        StoreError::Irreversible(why) => {
            StoreError::Irreversible(format!("\"{what}\" cannot be undone: {why}"))
        }
        other => refused(what, &other.to_string()),
    }
}

/// Reverses the newest change after `since` that is not undone yet, in the
/// caller's transaction, and logs the undo. Returns what was undone, or None
/// when there is nothing left to undo in this session.
pub fn undo_last(conn: &Connection, since: i64) -> Result<Option<String>> {
    let Some(next) = changelog::next_undo(conn, since)? else {
        return Ok(None);
    };
    let e = changelog::entry(conn, next.id)?;
    let id = e.entity_id.unwrap_or(0);
    let before = e.before.as_deref().unwrap_or("{}");
    let what = e.summary.as_str();
    match (e.entity, e.action) {
        (Entity::Customer, Action::Create) => {
            if customers::has_orders(conn, id)? {
                return Err(refused(what, "the customer has orders now"));
            }
            customers::remove_unlogged(conn, id)?;
        }
        (Entity::Customer, Action::Update | Action::Archive | Action::Unarchive) => {
            customers::restore(conn, id, before)?;
        }
        (Entity::Customer, Action::Delete) => customers::reinsert(conn, id, before)?,
        (Entity::Product, Action::Create) => {
            if products::was_ordered(conn, id)? {
                return Err(refused(what, "the product was ordered since"));
            }
            products::delete(conn, id)?;
        }
        (Entity::Product, Action::Update | Action::Archive | Action::Unarchive) => {
            products::restore(conn, id, before)?;
        }
        (Entity::Product, Action::Delete) => products::reinsert(conn, id, before, what)?,
        (Entity::Product, Action::Adjust) => {
            stock::undo_adjust(conn, id, e.after.as_deref().unwrap_or("{}"), what)
                .map_err(|err| refused(what, &err.to_string()))?;
        }
        (Entity::Order, Action::Place) => {
            // As cancelling would: every line goes back into stock.
            let status = orders::status_of(conn, id)?;
            if status != OrderStatus::Cancelled {
                if !status.can_move_to(OrderStatus::Cancelled) {
                    return Err(refused(
                        what,
                        "the order was shipped since; mark it returned instead",
                    ));
                }
                orders::set_status_unlogged(conn, id, OrderStatus::Cancelled)?;
            }
        }
        (Entity::Order, Action::Status | Action::Payment) => {
            let (from, last_payment) = orders::status_in(conn, before)?;
            let from = from.ok_or_else(|| refused(what, "the earlier status is not known"))?;
            orders::revert_status(conn, id, from, last_payment)
                .map_err(|err| refused_by(what, err))?;
            orders::restore_shipping(conn, id, before)?;
        }
        (Entity::Order, Action::Update) => orders::restore_shipping(conn, id, before)?,
        (Entity::Order, Action::Edit) => {
            let order = orders::order_in(conn, id, before)?;
            orders::edit_unlogged(conn, id, &order)
                .map_err(|err| refused(what, &err.to_string()))?;
        }
        (Entity::Settings, Action::Save) => settings::restore(conn, before)?,
        (Entity::Customer, Action::Erase) => {
            return Err(StoreError::Irreversible(format!(
                "\"{what}\" cannot be undone: what was erased is gone for good"
            )));
        }
        (Entity::Import, _) => {
            return Err(StoreError::Irreversible(format!(
                "\"{what}\" cannot be undone: an import is not undone row by row; restore the backup from before it (File > Backups…)"
            )));
        }
        (entity, action) => {
            return Err(refused(
                what,
                &format!("{} {} has no undo", entity.code(), action.code()),
            ));
        }
    }
    let undo = changelog::record(
        conn,
        e.entity,
        e.entity_id,
        Action::Undo,
        &format!("Undid: {}", e.summary),
        e.after.as_deref(),
        e.before.as_deref(),
    )?;
    changelog::mark_undone(conn, e.id, undo)?;
    Ok(Some(e.summary))
}
