//! The customer insights, read from the per-customer summary that
//! `customer_figures` keeps (so nothing here scans the orders): lifetime
//! value, RFM segments (`domain::segments`), cohorts and new against
//! returning customers, as reports (`report_sql`, run by `reports`) and as
//! the pages and counts the Insights view asks for.
//!
//! Money counts by the README's one rule: a customer's revenue is that of
//! their sales (orders not cancelled or returned) less the revenue part of
//! the refunds of those sales; only customers with at least one sale appear.

use rusqlite::{Connection, OptionalExtension};

use super::Result;
use crate::domain::segments::{self, Segment};
use crate::domain::{Money, ReportKind, ReportSpec};

/// The order every list of customers by value follows (the view, the
/// reports): revenue after refunds, then sales, then the newest customer.
const BY_VALUE: &str = "c.net_revenue DESC, c.sale_count DESC, c.id DESC";

/// The query behind one of the customer reports, or None for another report.
/// Top customers over all time (no dates given) reads the summary.
pub(crate) fn report_sql(spec: &ReportSpec) -> Option<String> {
    Some(match spec.kind {
        ReportKind::TopCustomers if spec.from.is_none() && spec.to.is_none() => format!(
            "SELECT c.name, coalesce(c.email, ''), c.sale_count, c.net_revenue
FROM customers c
WHERE c.sale_count > 0
ORDER BY {BY_VALUE}
LIMIT :limit"
        ),
        ReportKind::CustomerValue => format!(
            "SELECT c.id, c.name, coalesce(c.email, ''), c.sale_count, c.net_revenue,
       c.first_sale_date, c.last_sale_date, {average},
       CASE WHEN c.sale_count > 1
            THEN CAST(round((julianday(c.last_sale_date) - julianday(c.first_sale_date))
                            / (c.sale_count - 1)) AS INTEGER) END
FROM customers c
WHERE c.sale_count > 0
ORDER BY {BY_VALUE}",
            average = average("c.net_revenue", "c.sale_count")
        ),
        ReportKind::Segments => {
            let only = spec
                .segment
                .as_deref()
                .and_then(Segment::from_name)
                .map(|s| format!("\nWHERE c.segment = '{}'", s.name()))
                .unwrap_or_default();
            format!(
                "{}
SELECT c.id, c.name, coalesce(c.email, ''), c.segment,
       CAST(julianday(:to) - julianday(c.last_sale_date) AS INTEGER), c.sale_count, c.net_revenue,
       c.last_sale_date, c.rs, c.fs, c.ms
FROM scored c{only}
ORDER BY {BY_VALUE}",
                scored("")
            )
        }
        // Every month from the cohort's first to the range's last, nobody
        // ordering being a 0.
        ReportKind::Cohorts => {
            let to = month_index("substr(:to, 1, 7)");
            let cohort = month_index("s.cohort");
            format!(
                "WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 1200),
sizes AS (
    SELECT cohort, customers FROM cohort_months
    WHERE month = cohort AND customers > 0 AND cohort BETWEEN substr(:from, 1, 7) AND substr(:to, 1, 7)),
grid AS (
    SELECT s.cohort, s.customers, k.n AS since,
           printf('%04d-%02d', ({cohort} + k.n) / 12, ({cohort} + k.n) % 12 + 1) AS month
    FROM sizes s JOIN k ON k.n <= {to} - {cohort})
SELECT g.cohort, g.since, g.customers, coalesce(m.customers, 0),
       printf('%.1f', 100.0 * coalesce(m.customers, 0) / g.customers)
FROM grid g LEFT JOIN cohort_months m ON m.cohort = g.cohort AND m.month = g.month
ORDER BY g.cohort, g.since"
            )
        }
        ReportKind::NewReturning => "SELECT month,
       sum(CASE WHEN cohort = month THEN customers ELSE 0 END),
       sum(CASE WHEN cohort = month THEN revenue ELSE 0 END),
       sum(CASE WHEN cohort < month THEN customers ELSE 0 END),
       sum(CASE WHEN cohort < month THEN revenue ELSE 0 END),
       sum(revenue)
FROM cohort_months
WHERE month BETWEEN substr(:from, 1, 7) AND substr(:to, 1, 7)
GROUP BY month
HAVING sum(customers) <> 0 OR sum(revenue) <> 0
ORDER BY month"
            .to_owned(),
        _ => return None,
    })
}

/// A month 'YYYY-MM' as a number of months (year * 12 + month - 1).
fn month_index(column: &str) -> String {
    format!(
        "(CAST(substr({column}, 1, 4) AS INTEGER) * 12 + CAST(substr({column}, 6, 2) AS INTEGER) - 1)"
    )
}

/// An amount divided by a count, rounded to the cent, halves away from zero.
fn average(amount: &str, count: &str) -> String {
    format!(
        "CASE WHEN {amount} >= 0 THEN (2 * {amount} + {count}) / (2 * {count})
              ELSE -((2 * -{amount} + {count}) / (2 * {count})) END"
    )
}

/// `scored`: every customer with a sale (`and` narrows them), with their
/// recency, frequency and money scores (rs, fs, ms) and segment
/// (`segment_sql`). The quintile boundaries are read through the summary's
/// indexes.
fn scored(and: &str) -> String {
    let bound = |column: &str, k: usize| {
        format!(
            "(SELECT {column} FROM customers WHERE sale_count > 0 ORDER BY {column} LIMIT 1
              OFFSET (SELECT (n * {k} + 4) / 5 - 1 FROM n)) AS {}{k}",
            &column[..1]
        )
    };
    let mut bounds = Vec::new();
    for column in ["last_sale_date", "sale_count", "net_revenue"] {
        for k in 1..=4 {
            bounds.push(bound(column, k));
        }
    }
    let score = |column: &str, b: &str| {
        format!(
            "1 + (c.{column} > b.{b}1) + (c.{column} > b.{b}2) + (c.{column} > b.{b}3) + (c.{column} > b.{b}4)"
        )
    };
    format!(
        "WITH n AS (SELECT count(*) AS n FROM customers WHERE sale_count > 0),
b AS MATERIALIZED (SELECT {bounds}),
s AS (
    SELECT c.id, c.name, c.email, c.last_sale_date, c.sale_count, c.net_revenue,
           {rs} AS rs, {fs} AS fs, {ms} AS ms
    FROM customers c, b
    WHERE c.sale_count > 0{and}),
scored AS (SELECT s.*, {segment} AS segment FROM s)",
        bounds = bounds.join(",\n       "),
        rs = score("last_sale_date", "l"),
        fs = score("sale_count", "s"),
        ms = score("net_revenue", "n"),
        segment = segment_sql("rs", "fs", "ms")
    )
}

/// The segment of the scores `r`, `f`, `m` (each 1..=5) in SQL, by
/// `Segment::of`: the 125 combinations as a string of one letter each,
/// read at `25 r + 5 f + m - 30`, then the letter's name. A score is
/// evaluated once, where a CASE of the rules evaluated each score (itself
/// four comparisons) in every rule tried (segments of 94,061 customers:
/// 240 -> 170 ms of CPU for the query).
fn segment_sql(r: &str, f: &str, m: &str) -> String {
    let letter = |s: Segment| {
        let i = Segment::ALL.iter().position(|x| *x == s).unwrap_or(0);
        char::from(b'A' + i as u8)
    };
    let mut table = String::with_capacity(125);
    for rs in 1..=5 {
        for fs in 1..=5 {
            for ms in 1..=5 {
                table.push(letter(Segment::of(rs, fs, ms)));
            }
        }
    }
    let names: Vec<String> = Segment::ALL
        .iter()
        .map(|s| format!("WHEN '{}' THEN '{}'", letter(*s), s.name()))
        .collect();
    format!(
        "CASE substr('{table}', 25 * {r} + 5 * {f} + {m} - 30, 1) {} END",
        names.join(" ")
    )
}

/// A customer's lifetime value, as the Insights view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub orders: i64,
    pub revenue: Money,
    pub first: String,
    pub last: String,
    pub average: Money,
    /// Average days between their sales (None with a single sale).
    pub days_between: Option<i64>,
}

const VALUE_COLUMNS: &str = "c.id, c.name, coalesce(c.email, ''), c.sale_count, c.net_revenue,
       coalesce(c.first_sale_date, ''), coalesce(c.last_sale_date, '')";

fn value_row(r: &rusqlite::Row) -> rusqlite::Result<ValueRow> {
    let orders: i64 = r.get(3)?;
    let revenue: i64 = r.get(4)?;
    let first: String = r.get(5)?;
    let last: String = r.get(6)?;
    let days = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    let days_between = match (days(&first), days(&last)) {
        (Some(a), Some(b)) if orders > 1 => {
            let span = (b - a).num_days();
            Some((2 * span + (orders - 1)) / (2 * (orders - 1)))
        }
        _ => None,
    };
    let average = if orders > 0 {
        let half = orders;
        if revenue >= 0 {
            (2 * revenue + half) / (2 * orders)
        } else {
            -((2 * -revenue + half) / (2 * orders))
        }
    } else {
        0
    };
    Ok(ValueRow {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        orders,
        revenue: Money(revenue),
        first,
        last,
        average: Money(average),
        days_between,
    })
}

/// How many customers have at least one sale.
pub fn value_count(conn: &Connection) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM customers WHERE sale_count > 0")?
        .query_row([], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A page of customers by lifetime value, highest first (an indexed read).
pub fn value_page(conn: &Connection, offset: usize, limit: usize) -> Result<Vec<ValueRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VALUE_COLUMNS} FROM customers c WHERE c.sale_count > 0
         ORDER BY {BY_VALUE} LIMIT ?1 OFFSET ?2"
    ))?;
    let rows = stmt
        .query_map(
            [
                i64::try_from(limit).unwrap_or(i64::MAX),
                i64::try_from(offset).unwrap_or(i64::MAX),
            ],
            value_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The customers of `ids`, in that order (those not found left out).
pub fn value_rows(conn: &Connection, ids: &[i64]) -> Result<Vec<ValueRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VALUE_COLUMNS} FROM customers c WHERE c.id = ?1"
    ))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = stmt.query_row([id], value_row).optional()? {
            out.push(row);
        }
    }
    Ok(out)
}

/// Every customer with a sale by segment, each list by value (highest
/// first): what the segments view counts and pages through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SegmentLists {
    /// In the order of `Segment::ALL`.
    pub ids: [Vec<i64>; 8],
}

impl SegmentLists {
    pub fn of(&self, segment: Segment) -> &[i64] {
        let i = Segment::ALL.iter().position(|s| *s == segment).unwrap_or(0);
        &self.ids[i]
    }
}

/// Scores every customer with a sale: one read of them in value order
/// (through `customers_by_value`, which holds every column read here), the
/// quintile boundaries and segments then worked out here by
/// `domain::segments`, as the reports' SQL does (94,061 customers: about
/// 0.2 s in SQL, a few tens of ms this way).
pub fn segment_lists(conn: &Connection) -> Result<SegmentLists> {
    struct Scored {
        id: i64,
        last: Option<String>,
        sales: i64,
        net: i64,
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.last_sale_date, c.sale_count, c.net_revenue FROM customers c
         WHERE c.sale_count > 0 ORDER BY {BY_VALUE}"
    ))?;
    let mut all = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        all.push(Scored {
            id: r.get(0)?,
            last: r.get(1)?,
            sales: r.get(2)?,
            net: r.get(3)?,
        });
    }
    fn bounds<T: Ord + Clone>(mut values: Vec<T>) -> Option<[T; 4]> {
        values.sort_unstable();
        segments::boundaries(&values)
    }
    let mut out = SegmentLists::default();
    let (Some(rb), Some(fb), Some(mb)) = (
        bounds(all.iter().map(|c| c.last.as_deref()).collect()),
        bounds(all.iter().map(|c| c.sales).collect()),
        bounds(all.iter().map(|c| c.net).collect()),
    ) else {
        return Ok(out);
    };
    for c in &all {
        let segment = Segment::of(
            segments::score(&c.last.as_deref(), &rb),
            segments::score(&c.sales, &fb),
            segments::score(&c.net, &mb),
        );
        let i = Segment::ALL.iter().position(|s| *s == segment).unwrap_or(0);
        out.ids[i].push(c.id);
    }
    Ok(out)
}

/// `segment_lists` on a connection of its own (a worker's): one pass over
/// every customer needs no page cache, so it keeps a small one.
pub fn segment_lists_lean(conn: &Connection) -> Result<SegmentLists> {
    conn.execute_batch("PRAGMA cache_size = -2000; PRAGMA temp_store = FILE;")?;
    segment_lists(conn)
}

/// One customer's scores and segment (None without a sale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerSegment {
    pub segment: Segment,
    pub recency: u8,
    pub frequency: u8,
    pub money: u8,
}

pub fn segment_of(conn: &Connection, customer_id: i64) -> Result<Option<CustomerSegment>> {
    let sql = format!(
        "{}\nSELECT segment, rs, fs, ms FROM scored",
        scored(" AND c.id = ?1")
    );
    let found = conn
        .prepare_cached(&sql)?
        .query_row([customer_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u8>(1)?,
                r.get::<_, u8>(2)?,
                r.get::<_, u8>(3)?,
            ))
        })
        .optional()?;
    Ok(found.and_then(|(name, recency, frequency, money)| {
        Segment::from_name(&name).map(|segment| CustomerSegment {
            segment,
            recency,
            frequency,
            money,
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL reads the segment of every combination of scores as
    /// `Segment::of` names it.
    #[test]
    fn segment_sql_names_every_combination_as_the_rules_do() {
        let conn = Connection::open_in_memory().unwrap();
        let sql = format!("SELECT {}", segment_sql("?1", "?2", "?3"));
        let mut stmt = conn.prepare(&sql).unwrap();
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                for m in 1..=5u8 {
                    let name: String = stmt.query_row([r, f, m], |row| row.get(0)).unwrap();
                    assert_eq!(name, Segment::of(r, f, m).name(), "scores {r} {f} {m}");
                }
            }
        }
    }
}
