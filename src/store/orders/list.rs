//! The order lists the panels page through: filters, sorting, counts,
//! pages deep in a million orders found through the daily summary, and
//! finding an order by its number or reference (through the primary key and
//! the reference's index).

use rusqlite::{Connection, OptionalExtension, Row};

use crate::domain::{Money, OrderStatus};
use crate::store::{Direction, Result, fts_query};

/// One line of an order list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSummary {
    pub id: i64,
    pub order_date: String,
    pub order_time: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub status: OrderStatus,
    pub item_count: i64,
    pub total: Money,
    pub external_ref: Option<String>,
    /// What was given back of it (part refunds, or all when it ended).
    pub refunded: Money,
}

pub(super) const SUMMARY_COLUMNS: &str = "o.id, o.order_date, o.order_time, o.customer_id, c.name, o.status, o.item_count, o.total, o.external_ref, o.refunded";

pub(super) fn summary(r: &Row) -> rusqlite::Result<OrderSummary> {
    Ok(OrderSummary {
        id: r.get(0)?,
        order_date: r.get(1)?,
        order_time: r.get(2)?,
        customer_id: r.get(3)?,
        customer_name: r.get(4)?,
        status: r.get(5)?,
        item_count: r.get(6)?,
        total: Money(r.get(7)?),
        external_ref: r.get(8)?,
        refunded: Money(r.get(9)?),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderSort {
    #[default]
    Date,
    Number,
    Status,
    Items,
    Total,
}

impl OrderSort {
    fn columns(self, dir: &str) -> String {
        match self {
            OrderSort::Date => format!("o.order_date {dir}, o.order_time {dir}, o.id {dir}"),
            OrderSort::Number => format!("o.id {dir}"),
            OrderSort::Status => {
                format!("o.status {dir}, o.order_date {dir}, o.order_time {dir}, o.id {dir}")
            }
            OrderSort::Items => format!("o.item_count {dir}, o.id {dir}"),
            OrderSort::Total => format!("o.total {dir}, o.id {dir}"),
        }
    }

    /// The index whose order is this sort's (None: the table's own).
    fn index(self) -> Option<&'static str> {
        match self {
            OrderSort::Date => Some("orders_by_date"),
            OrderSort::Number => None,
            OrderSort::Status => Some("orders_by_status"),
            OrderSort::Items => Some("orders_by_items"),
            OrderSort::Total => Some("orders_by_total"),
        }
    }
}

/// What the Orders panel shows: filters and order. Newest first by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQuery {
    pub status: Option<OrderStatus>,
    /// Only orders not yet shipped: pending or paid (with `status` None).
    pub not_shipped: bool,
    /// Inclusive local dates 'YYYY-MM-DD'.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words matched against customer name, email and phone.
    pub customer_search: String,
    /// Only this customer's orders.
    pub customer_id: Option<i64>,
    /// An order number ("1001", "#000005") or the start of a reference, as
    /// typed; empty for no such filter.
    pub find: String,
    pub sort: OrderSort,
    pub direction: Direction,
}

impl Default for OrderQuery {
    fn default() -> Self {
        OrderQuery {
            status: None,
            not_shipped: false,
            from: None,
            to: None,
            customer_search: String::new(),
            customer_id: None,
            find: String::new(),
            sort: OrderSort::Date,
            direction: Direction::Descending,
        }
    }
}

struct Filter {
    sql: String,
    params: Vec<(&'static str, rusqlite::types::Value)>,
}

fn filter(q: &OrderQuery) -> Filter {
    use rusqlite::types::Value;
    let mut clauses = Vec::new();
    let mut params: Vec<(&'static str, Value)> = Vec::new();
    if let Some(s) = q.status {
        clauses.push("o.status = :status");
        params.push((":status", Value::Text(s.code().into())));
    } else if q.not_shipped {
        clauses.push("o.status IN (:pending, :paid)");
        params.push((":pending", Value::Text(OrderStatus::Pending.code().into())));
        params.push((":paid", Value::Text(OrderStatus::Paid.code().into())));
    }
    if let Some(from) = &q.from {
        clauses.push("o.order_date >= :from");
        params.push((":from", Value::Text(from.clone())));
    }
    if let Some(to) = &q.to {
        clauses.push("o.order_date <= :to");
        params.push((":to", Value::Text(to.clone())));
    }
    if let Some(id) = q.customer_id {
        clauses.push("o.customer_id = :customer");
        params.push((":customer", Value::Integer(id)));
    }
    if let Some(fts) = fts_query(&q.customer_search) {
        clauses.push(
            "o.customer_id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH :fts)",
        );
        params.push((":fts", Value::Text(fts)));
    }
    if let Some((number, reference)) = find_terms(&q.find) {
        // The primary key and the reference's (partial, unique) index: a
        // lookup and three short ranges (the start as typed, in capitals and
        // in small letters, so `shop-10` finds SHOP-1001), never a scan of
        // the orders.
        // A number typed without '#' also finds the references a platform
        // writes with one (Shopify's "#1004" from `1004`).
        clauses.push(
            "(o.id = :find_id OR (o.external_ref >= :find_ref AND o.external_ref < :find_end)
              OR (o.external_ref >= :find_up AND o.external_ref < :find_up_end)
              OR (o.external_ref >= :find_low AND o.external_ref < :find_low_end)
              OR (o.external_ref >= :find_hash AND o.external_ref < :find_hash_end))",
        );
        let hash = match number {
            Some(_) if !reference.starts_with('#') => format!("#{reference}"),
            _ => reference.clone(),
        };
        params.push((":find_hash_end", Value::Text(format!("{hash}\u{10FFFF}"))));
        params.push((":find_hash", Value::Text(hash)));
        params.push((":find_id", Value::Integer(number.unwrap_or(-1))));
        let up = reference.to_uppercase();
        let low = reference.to_lowercase();
        params.push((":find_end", Value::Text(format!("{reference}\u{10FFFF}"))));
        params.push((":find_ref", Value::Text(reference)));
        params.push((":find_up_end", Value::Text(format!("{up}\u{10FFFF}"))));
        params.push((":find_up", Value::Text(up)));
        params.push((":find_low_end", Value::Text(format!("{low}\u{10FFFF}"))));
        params.push((":find_low", Value::Text(low)));
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    Filter { sql, params }
}

/// The status and date filters of a query, on the daily summary.
fn daily_filter(q: &OrderQuery) -> Filter {
    use rusqlite::types::Value;
    let mut clauses = vec!["orders > 0"];
    let mut params: Vec<(&'static str, Value)> = Vec::new();
    if let Some(s) = q.status {
        clauses.push("status = :status");
        params.push((":status", Value::Text(s.code().into())));
    } else if q.not_shipped {
        clauses.push("status IN (:pending, :paid)");
        params.push((":pending", Value::Text(OrderStatus::Pending.code().into())));
        params.push((":paid", Value::Text(OrderStatus::Paid.code().into())));
    }
    if let Some(from) = &q.from {
        clauses.push("order_date >= :from");
        params.push((":from", Value::Text(from.clone())));
    }
    if let Some(to) = &q.to {
        clauses.push("order_date <= :to");
        params.push((":to", Value::Text(to.clone())));
    }
    Filter {
        sql: clauses.join(" AND "),
        params,
    }
}

fn bind<'a>(
    params: &'a [(&'static str, rusqlite::types::Value)],
) -> Vec<(&'static str, &'a dyn rusqlite::ToSql)> {
    params
        .iter()
        .map(|(k, v)| (*k, v as &dyn rusqlite::ToSql))
        .collect()
}

/// What a find box holds: the order number it names (with or without `#`
/// and leading zeros) and the reference prefix (as typed). None when empty.
pub fn find_terms(text: &str) -> Option<(Option<i64>, String)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let digits = t.strip_prefix('#').unwrap_or(t).trim();
    let number =
        (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<i64>().ok())
            .flatten();
    Some((number, t.to_owned()))
}

/// Filters that need the orders themselves (not the daily summary).
fn has_customer_filter(q: &OrderQuery) -> bool {
    q.customer_id.is_some()
        || fts_query(&q.customer_search).is_some()
        || find_terms(&q.find).is_some()
}

/// A page deep in the date order, found through the daily summary: the
/// counts per day say on which day row `offset` falls, so the query starts
/// there instead of stepping over every newer order.
fn page_by_day(
    conn: &Connection,
    q: &OrderQuery,
    offset: usize,
    limit: usize,
) -> Result<Vec<OrderSummary>> {
    let descending = q.direction == Direction::Descending;
    let daily = daily_filter(q);
    let sql = format!(
        "SELECT order_date, sum(orders) FROM order_daily WHERE {} GROUP BY order_date ORDER BY order_date {}",
        daily.sql,
        q.direction.sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(bind(&daily.params).as_slice())?;
    let mut before = 0usize;
    let mut day = None;
    while let Some(row) = rows.next()? {
        let n: i64 = row.get(1)?;
        let n = usize::try_from(n).unwrap_or(0);
        if before + n > offset {
            day = Some(row.get::<_, String>(0)?);
            break;
        }
        before += n;
    }
    let Some(day) = day else {
        return Ok(Vec::new());
    };
    let mut narrowed = q.clone();
    if descending {
        narrowed.to = Some(match &q.to {
            Some(to) if *to < day => to.clone(),
            _ => day,
        });
    } else {
        narrowed.from = Some(match &q.from {
            Some(from) if *from > day => from.clone(),
            _ => day,
        });
    }
    // Within the narrowed range the wanted rows start `offset - before` in.
    let f = filter(&narrowed);
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM orders o JOIN customers c ON c.id = o.customer_id {}
         ORDER BY {} LIMIT :limit OFFSET :offset",
        f.sql,
        q.sort.columns(q.direction.sql())
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let skip = i64::try_from(offset - before).unwrap_or(i64::MAX);
    let mut params = bind(&f.params);
    params.push((":limit", &limit));
    params.push((":offset", &skip));
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params.as_slice(), summary)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many orders the query finds. Without a customer filter the count comes
/// from the daily summary (a few thousand rows), not from the orders.
pub fn count(conn: &Connection, q: &OrderQuery) -> Result<usize> {
    let n: i64 = if !has_customer_filter(q) {
        let daily = daily_filter(q);
        conn.prepare_cached(&format!(
            "SELECT coalesce(sum(orders), 0) FROM order_daily WHERE {}",
            daily.sql
        ))?
        .query_row(bind(&daily.params).as_slice(), |r| r.get(0))?
    } else if q.status.is_none()
        && !q.not_shipped
        && q.from.is_none()
        && q.to.is_none()
        && find_terms(&q.find).is_none()
    {
        // Only a customer filter: each customer row already knows its order count.
        match (q.customer_id, fts_query(&q.customer_search)) {
            (Some(id), None) => conn
                .prepare_cached("SELECT order_count FROM customers WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
                .unwrap_or(0),
            (None, Some(fts)) => conn
                .prepare_cached(
                    "SELECT coalesce(sum(order_count), 0) FROM customers
                     WHERE id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?1)",
                )?
                .query_row([fts], |r| r.get(0))?,
            _ => {
                let f = filter(q);
                conn.prepare_cached(&format!("SELECT count(*) FROM orders o {}", f.sql))?
                    .query_row(bind(&f.params).as_slice(), |r| r.get(0))?
            }
        }
    } else {
        let f = filter(q);
        conn.prepare_cached(&format!("SELECT count(*) FROM orders o {}", f.sql))?
            .query_row(bind(&f.params).as_slice(), |r| r.get(0))?
    };
    Ok(usize::try_from(n).unwrap_or(0))
}

/// Rows `offset..offset+limit` of the query, in its order. Given the `total`,
/// a page past the middle is read from the other end of the index, so the
/// last page of a million orders costs what the first does.
pub fn page(
    conn: &Connection,
    q: &OrderQuery,
    offset: usize,
    limit: usize,
    total: usize,
) -> Result<Vec<OrderSummary>> {
    if q.sort == OrderSort::Date && offset > 1000 && !has_customer_filter(q) {
        return page_by_day(conn, q, offset, limit);
    }
    let f = filter(q);
    let from_end = offset > total / 2 && total > 0;
    let (dir, skip, take) = if from_end {
        let end = (offset + limit).min(total);
        (q.direction.flip(), total - end, end.saturating_sub(offset))
    } else {
        (q.direction, offset, limit)
    };
    let indexed = match q.sort.index() {
        Some(index) if has_customer_filter(q) && walk_the_index(conn, total, skip + take)? => {
            format!(" INDEXED BY {index}")
        }
        _ => String::new(),
    };
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM orders o{indexed} JOIN customers c ON c.id = o.customer_id {}
         ORDER BY {} LIMIT :limit OFFSET :offset",
        f.sql,
        q.sort.columns(dir.sql())
    );
    let limit = i64::try_from(take).unwrap_or(i64::MAX);
    let offset = i64::try_from(skip).unwrap_or(i64::MAX);
    let mut params = bind(&f.params);
    params.push((":limit", &limit));
    params.push((":offset", &offset));
    let mut rows = conn
        .prepare_cached(&sql)?
        .query_map(params.as_slice(), summary)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if from_end {
        rows.reverse();
    }
    Ok(rows)
}

/// Whether a page of a filtered list is found sooner by walking the sort's
/// index and skipping the orders the filter leaves out, than by reading
/// every order the filter keeps and sorting them (SQLite's choice for a
/// customer search: 300,000 orders read and sorted for "m", 50 ms, when
/// the newest 100 are among the first 350 of the date index). Walking reads
/// about `rows` x all / `total` orders; reading reads `total`: the walk
/// when `total`^2 > `rows` x all (as many orders as the highest number).
fn walk_the_index(conn: &Connection, total: usize, rows: usize) -> Result<bool> {
    let all: i64 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM orders")?
        .query_row([], |r| r.get(0))?;
    let total = u128::try_from(total).unwrap_or(u128::MAX);
    let rows = u128::try_from(rows).unwrap_or(u128::MAX);
    let all = u128::try_from(all).unwrap_or(0);
    Ok(total.saturating_mul(total) > rows.saturating_mul(all))
}

pub fn customer_order_count(conn: &Connection, customer_id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM orders WHERE customer_id = ?1")?
        .query_row([customer_id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A customer's orders, newest first.
pub fn customer_orders(
    conn: &Connection,
    customer_id: i64,
    offset: usize,
    limit: usize,
) -> Result<Vec<OrderSummary>> {
    let q = OrderQuery {
        customer_id: Some(customer_id),
        ..Default::default()
    };
    page(conn, &q, offset, limit, 0)
}

/// An order of a customer's history, with what was bought in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerOrder {
    pub order: OrderSummary,
    /// Its lines in order: (quantity, product name).
    pub goods: Vec<(i64, String)>,
}

/// A customer's orders, newest first, each with its goods: the page's
/// orders as `customer_orders` reads them, and their lines in one read
/// through the lines' index by order (a page is at most a hundred orders).
pub fn customer_history(
    conn: &Connection,
    customer_id: i64,
    offset: usize,
    limit: usize,
) -> Result<Vec<CustomerOrder>> {
    let orders = customer_orders(conn, customer_id, offset, limit)?;
    let ids: Vec<String> = orders.iter().map(|o| o.id.to_string()).collect();
    let mut goods: std::collections::HashMap<i64, Vec<(i64, String)>> =
        std::collections::HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT i.order_id, i.quantity, p.name
         FROM order_items i JOIN products p ON p.id = i.product_id
         WHERE i.order_id IN (SELECT value FROM json_each(?1))
         ORDER BY i.order_id, i.id",
    )?;
    let rows = stmt.query_map([format!("[{}]", ids.join(","))], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (order, quantity, name) = row?;
        goods.entry(order).or_default().push((quantity, name));
    }
    Ok(orders
        .into_iter()
        .map(|order| CustomerOrder {
            goods: goods.remove(&order.id).unwrap_or_default(),
            order,
        })
        .collect())
}
