//! The change log: every change made in the window, with the row before and
//! after as JSON (each area makes its own snapshot), written in the same
//! transaction as the change itself. This room only records and reads
//! entries; it depends on no other area. Undo, which reads entries and asks
//! the areas to restore their rows, lives in `undo`.

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, params};

use super::codes::read_code;
use super::{Result, StoreError, now_local};

/// What a change was made to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Customer,
    Product,
    Order,
    Settings,
    Import,
}

impl Entity {
    pub const ALL: [Entity; 5] = [
        Entity::Customer,
        Entity::Product,
        Entity::Order,
        Entity::Settings,
        Entity::Import,
    ];

    /// The value stored in the log.
    pub fn code(self) -> &'static str {
        match self {
            Entity::Customer => "customer",
            Entity::Product => "product",
            Entity::Order => "order",
            Entity::Settings => "settings",
            Entity::Import => "import",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

impl TryFrom<&str> for Entity {
    type Error = StoreError;

    /// For callers that name the entity by its code ("customer").
    fn try_from(code: &str) -> Result<Self> {
        Entity::from_code(code)
            .ok_or_else(|| StoreError::Refused(format!("the change log knows no entity '{code}'")))
    }
}

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Create,
    Update,
    Archive,
    Unarchive,
    Delete,
    /// A manual stock adjustment of a product.
    Adjust,
    /// An order placed.
    Place,
    /// An order moved to another status.
    Status,
    /// A pending order's lines changed.
    Edit,
    /// A payment recorded on an order.
    Payment,
    /// Money (and units) given back on an order.
    Refund,
    /// The settings saved.
    Save,
    Import,
    Undo,
    /// A customer's personal data erased (never undone).
    Erase,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::Create,
        Action::Update,
        Action::Archive,
        Action::Unarchive,
        Action::Delete,
        Action::Adjust,
        Action::Place,
        Action::Status,
        Action::Edit,
        Action::Payment,
        Action::Refund,
        Action::Save,
        Action::Import,
        Action::Undo,
        Action::Erase,
    ];

    /// The value stored in the log.
    pub fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Archive => "archive",
            Action::Unarchive => "unarchive",
            Action::Delete => "delete",
            Action::Adjust => "adjust",
            Action::Place => "place",
            Action::Status => "status",
            Action::Edit => "edit",
            Action::Payment => "payment",
            Action::Refund => "refund",
            Action::Save => "save",
            Action::Import => "import",
            Action::Undo => "undo",
            Action::Erase => "erase",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

impl ToSql for Entity {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for Entity {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read_code(value, "change log entity", Entity::from_code)
    }
}

impl ToSql for Action {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for Action {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read_code(value, "change log action", Action::from_code)
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub at: String,
    pub who: String,
    pub action: Action,
    pub summary: String,
    pub undone: bool,
}

/// Writes one entry; call it in the transaction that makes the change.
pub fn record(
    conn: &Connection,
    entity: Entity,
    entity_id: Option<i64>,
    action: Action,
    summary: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO change_log (at, entity, entity_id, action, summary, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        now_local(),
        entity,
        entity_id,
        action,
        summary,
        before,
        after
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The newest entry's id: a session's undo reaches back to the entries after it.
pub fn latest_id(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT coalesce(max(id), 0) FROM change_log", [], |r| {
            r.get(0)
        })?,
    )
}

/// The changes to one customer, product or order, newest first. The entity
/// is an `Entity` or its code ("customer").
pub fn for_entity<E>(conn: &Connection, entity: E, id: i64, limit: usize) -> Result<Vec<Change>>
where
    E: TryInto<Entity>,
    StoreError: From<E::Error>,
{
    let entity: Entity = entity.try_into()?;
    let rows = conn
        .prepare_cached(
            "SELECT id, at, who, action, summary, undone_by IS NOT NULL FROM change_log
             WHERE entity = ?1 AND entity_id = ?2 ORDER BY id DESC LIMIT ?3",
        )?
        .query_map(params![entity, id, limit as i64], |r| {
            Ok(Change {
                id: r.get(0)?,
                at: r.get(1)?,
                who: r.get(2)?,
                action: r.get(3)?,
                summary: r.get(4)?,
                undone: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What the next undo would reverse (entries after `since`), if anything.
pub fn next_undo(conn: &Connection, since: i64) -> Result<Option<Change>> {
    Ok(conn
        .prepare_cached(
            // An erasure is never undone, and Undo goes on past it (the
            // menu had offered "Undo: Erased…" only to refuse it).
            "SELECT id, at, who, action, summary FROM change_log
             WHERE id > ?1 AND undone_by IS NULL AND undoes IS NULL AND action <> 'erase'
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([since], |r| {
            Ok(Change {
                id: r.get(0)?,
                at: r.get(1)?,
                who: r.get(2)?,
                action: r.get(3)?,
                summary: r.get(4)?,
                undone: false,
            })
        })
        .optional()?)
}

/// One entry with everything undo needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub entity: Entity,
    pub entity_id: Option<i64>,
    pub action: Action,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The entry with this id.
pub fn entry(conn: &Connection, id: i64) -> Result<Entry> {
    Ok(conn
        .prepare_cached(
            "SELECT id, entity, entity_id, action, summary, before, after FROM change_log WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Entry {
                id: r.get(0)?,
                entity: r.get(1)?,
                entity_id: r.get(2)?,
                action: r.get(3)?,
                summary: r.get(4)?,
                before: r.get(5)?,
                after: r.get(6)?,
            })
        })?)
}

/// Links entry `undone` and the entry `undo` that reversed it.
pub fn mark_undone(conn: &Connection, undone: i64, undo: i64) -> Result<()> {
    conn.execute(
        "UPDATE change_log SET undoes = ?2 WHERE id = ?1",
        params![undo, undone],
    )?;
    conn.execute(
        "UPDATE change_log SET undone_by = ?2 WHERE id = ?1",
        params![undone, undo],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_named() {
        let conn = Connection::open_in_memory().unwrap();
        for e in Entity::ALL {
            let back: Entity = conn.query_row("SELECT ?1", [e], |r| r.get(0)).unwrap();
            assert_eq!(back, e);
        }
        for a in Action::ALL {
            let back: Action = conn.query_row("SELECT ?1", [a], |r| r.get(0)).unwrap();
            assert_eq!(back, a);
        }
        let err = conn
            .query_row("SELECT 'shelf'", [], |r| r.get::<_, Entity>(0))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown change log entity code 'shelf'"),
            "{err}"
        );
        let err = conn
            .query_row("SELECT 'paint'", [], |r| r.get::<_, Action>(0))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown change log action code 'paint'"),
            "{err}"
        );
    }
}
