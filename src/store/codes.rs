//! The codes stored for typed values (an order's status, a movement's
//! reason) as SQLite values: written as their code, read back only if the
//! code is known. An unknown code is an error that names it, never a
//! silently wrong value. Also the one SQL definition of "counts as a sale",
//! built from `OrderStatus::is_sale`.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::{MovementReason, OrderStatus};

/// A stored code this version does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown {what} code '{code}'")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
}

/// Reads a text value as a code through `parse`, naming `what` when it is unknown.
pub(crate) fn read_code<T>(
    value: ValueRef<'_>,
    what: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> FromSqlResult<T> {
    let code = value.as_str()?;
    parse(code).ok_or_else(|| {
        FromSqlError::Other(Box::new(UnknownCode {
            what,
            code: code.to_owned(),
        }))
    })
}

impl ToSql for OrderStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for OrderStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read_code(value, "order status", OrderStatus::from_code)
    }
}

impl ToSql for MovementReason {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.code()))
    }
}

impl FromSql for MovementReason {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        read_code(value, "stock movement reason", MovementReason::from_code)
    }
}

/// The statuses that do not count as sales, as an SQL list: `'cancelled', 'returned'`.
fn not_sale_codes() -> String {
    OrderStatus::ALL
        .into_iter()
        .filter(|s| !s.is_sale())
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQL condition "the order whose status is in `column` counts as a
/// sale" (`status NOT IN ('cancelled', 'returned')`): the one definition
/// every report, Trends, insight, customer figure and check uses.
pub(crate) fn sale(column: &str) -> String {
    format!("{column} NOT IN ({})", not_sale_codes())
}

/// The SQL condition "the order whose status is in `column` does not count
/// as a sale" (cancelled or returned): the negation of `sale`.
pub(crate) fn not_sale(column: &str) -> String {
    format!("{column} IN ({})", not_sale_codes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn the_sale_condition_agrees_with_is_sale_for_every_status() {
        let conn = Connection::open_in_memory().unwrap();
        for s in OrderStatus::ALL {
            let (sale, not_sale): (bool, bool) = conn
                .query_row(
                    &format!(
                        "SELECT {}, {} FROM (SELECT ?1 AS status)",
                        super::sale("status"),
                        super::not_sale("status")
                    ),
                    [s],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            assert_eq!(sale, s.is_sale(), "{s:?}");
            assert_eq!(not_sale, !s.is_sale(), "{s:?}");
        }
        assert_eq!(
            super::sale("o.status"),
            "o.status NOT IN ('cancelled', 'returned')"
        );
    }

    #[test]
    fn codes_round_trip_and_unknown_ones_are_named() {
        let conn = Connection::open_in_memory().unwrap();
        for s in OrderStatus::ALL {
            let back: OrderStatus = conn.query_row("SELECT ?1", [s], |r| r.get(0)).unwrap();
            assert_eq!(back, s);
        }
        for m in MovementReason::ALL {
            let back: MovementReason = conn.query_row("SELECT ?1", [m], |r| r.get(0)).unwrap();
            assert_eq!(back, m);
        }
        let err = conn
            .query_row("SELECT 'foo'", [], |r| r.get::<_, OrderStatus>(0))
            .unwrap_err();
        assert!(
            err.to_string().contains("unknown order status code 'foo'"),
            "{err}"
        );
        let err = conn
            .query_row("SELECT 'bar'", [], |r| r.get::<_, MovementReason>(0))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("unknown stock movement reason code 'bar'"),
            "{err}"
        );
    }
}
