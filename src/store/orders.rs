//! Orders: placing them with their lines and stock movements, moving them
//! through their statuses, editing a pending order, and the lists the panels
//! page through. Every write here runs inside the caller's one transaction.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Direction, Result, StoreError, fts_query, now_local, stock};
use crate::domain::{Money, MovementReason, NewOrder, OrderLine, OrderStatus};

/// "#000123": how an order number is shown.
pub fn order_number(id: i64) -> String {
    format!("#{id:06}")
}

/// How an order is placed: now and pending from the window; imports and demo
/// data give a date, a status and a reference.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Local date 'YYYY-MM-DD' and time 'HH:MM:SS'; None for now.
    pub at: Option<(String, String)>,
    pub status: OrderStatus,
    pub external_ref: Option<String>,
    /// False for past orders recorded without moving stock (`import --history`).
    pub track_stock: bool,
}

impl Default for Placement {
    fn default() -> Self {
        Placement {
            at: None,
            status: OrderStatus::Pending,
            external_ref: None,
            track_stock: true,
        }
    }
}

/// A product an order asked more of than the shop has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortage {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub wanted: i64,
    pub available: i64,
}

impl std::fmt::Display for Shortage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} asked, only {} in stock",
            self.name, self.sku, self.wanted, self.available
        )
    }
}

fn shortage_error(shortages: Vec<Shortage>) -> StoreError {
    let list: Vec<String> = shortages.iter().map(ToString::to_string).collect();
    StoreError::Refused(format!(
        "not enough stock, nothing was saved: {}",
        list.join("; ")
    ))
}

/// Checks that every product can give the quantity asked (summed per product).
fn check_stock(conn: &Connection, wanted: &BTreeMap<i64, i64>) -> Result<()> {
    let mut shortages = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT stock, sku, name FROM products WHERE id = ?1")?;
    for (&product_id, &qty) in wanted {
        if qty <= 0 {
            continue;
        }
        let (stock, sku, name): (i64, String, String) = stmt
            .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("product {product_id}")))?;
        if qty > stock {
            shortages.push(Shortage {
                product_id,
                sku,
                name,
                wanted: qty,
                available: stock,
            });
        }
    }
    if shortages.is_empty() {
        Ok(())
    } else {
        Err(shortage_error(shortages))
    }
}

fn per_product(lines: &[OrderLine]) -> BTreeMap<i64, i64> {
    let mut m = BTreeMap::new();
    for l in lines {
        *m.entry(l.product_id).or_insert(0) += l.quantity;
    }
    m
}

/// Recomputes a customer's order count, total spent and first/last order
/// from their orders (an indexed read of one customer's orders).
pub fn refresh_customer(conn: &Connection, customer_id: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE customers SET
             order_count = (SELECT count(*) FROM orders WHERE customer_id = ?1),
             total_spent = (SELECT coalesce(sum(total), 0) FROM orders
                            WHERE customer_id = ?1 AND {}),
             first_order_date = (SELECT min(order_date) FROM orders WHERE customer_id = ?1),
             last_order_date = (SELECT max(order_date) FROM orders WHERE customer_id = ?1)
         WHERE id = ?1",
        super::codes::sale("status")
    ))?
    .execute([customer_id])?;
    Ok(())
}

fn history(
    conn: &Connection,
    order_id: i64,
    from: Option<OrderStatus>,
    to: OrderStatus,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO order_status_history (order_id, from_status, to_status, changed_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![order_id, from.map(OrderStatus::code), to.code(), at])?;
    Ok(())
}

fn insert_lines(conn: &Connection, order_id: i64, lines: &[OrderLine]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price, line_total) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for l in lines {
        stmt.execute(params![
            order_id,
            l.product_id,
            l.quantity,
            l.unit_price.0,
            l.total().0
        ])?;
    }
    Ok(())
}

/// Places an order: the order, its lines at the prices as sold, one stock
/// movement per line and the first status, all in the caller's transaction.
/// Refuses (writing nothing) when any product has too little stock.
pub fn place(conn: &Connection, order: &NewOrder, how: &Placement) -> Result<i64> {
    if order.lines.is_empty() {
        return Err(StoreError::Refused(
            "an order needs at least one line".into(),
        ));
    }
    if order
        .lines
        .iter()
        .any(|l| l.quantity <= 0 || l.unit_price.0 < 0)
    {
        return Err(StoreError::Refused(
            "quantities must be at least 1 and prices not negative".into(),
        ));
    }
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM customers WHERE id = ?1")?
        .query_row([order.customer_id], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Err(StoreError::NotFound(format!(
            "customer {}",
            order.customer_id
        )));
    }
    let takes_stock = how.track_stock;
    if takes_stock {
        check_stock(conn, &per_product(&order.lines))?;
    }
    let now = now_local();
    let (date, time) = match &how.at {
        Some((d, t)) => (d.clone(), t.clone()),
        None => (now[..10].to_owned(), now[11..].to_owned()),
    };
    let at = format!("{date} {time}");
    conn.prepare_cached(
        "INSERT INTO orders (customer_id, order_date, order_time, status, item_count, total, note,
                             external_ref, stock_tracked, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        order.customer_id,
        date,
        time,
        how.status.code(),
        order.items(),
        order.total().0,
        order.note,
        how.external_ref,
        takes_stock,
        at
    ])
    .map_err(|e| {
        super::unique_violation(
            e,
            "order_ref",
            "an order with this reference already exists",
        )
    })?;
    let order_id = conn.last_insert_rowid();
    insert_lines(conn, order_id, &order.lines)?;
    if takes_stock {
        for l in &order.lines {
            stock::apply(
                conn,
                l.product_id,
                -l.quantity,
                MovementReason::Sale,
                Some(order_id),
                None,
                &at,
            )?;
        }
        // An order recorded as already cancelled or returned has its goods back.
        if let Some(reason) = restock_reason(how.status) {
            for (product_id, qty) in per_product(&order.lines) {
                stock::apply(conn, product_id, qty, reason, Some(order_id), None, &at)?;
            }
        }
    }
    history(conn, order_id, None, how.status, &at)?;
    refresh_customer(conn, order.customer_id)?;
    // Orders placed in the window are logged; imported and demo ones are not.
    if how.at.is_none() {
        let after = super::changes::order_json(conn, order_id)?;
        super::changes::record(
            conn,
            "order",
            Some(order_id),
            "place",
            &format!(
                "Placed order {} ({} items)",
                order_number(order_id),
                order.items()
            ),
            None,
            after.as_deref(),
        )?;
    }
    Ok(order_id)
}

fn restock_reason(status: OrderStatus) -> Option<MovementReason> {
    match status {
        OrderStatus::Cancelled => Some(MovementReason::OrderCancelled),
        OrderStatus::Returned => Some(MovementReason::OrderReturned),
        _ => None,
    }
}

/// The parts of an order the workflow needs.
struct OrderHead {
    customer_id: i64,
    status: OrderStatus,
    stock_tracked: bool,
}

fn head(conn: &Connection, order_id: i64) -> Result<OrderHead> {
    conn.prepare_cached("SELECT customer_id, status, stock_tracked FROM orders WHERE id = ?1")?
        .query_row([order_id], |r| {
            Ok(OrderHead {
                customer_id: r.get(0)?,
                status: r.get(1)?,
                stock_tracked: r.get(2)?,
            })
        })
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("order {}", order_number(order_id))))
}

fn lines_of(conn: &Connection, order_id: i64) -> Result<Vec<OrderLine>> {
    let rows = conn
        .prepare_cached("SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = ?1 ORDER BY id")?
        .query_map([order_id], |r| {
            Ok(OrderLine {
                product_id: r.get(0)?,
                quantity: r.get(1)?,
                unit_price: Money(r.get(2)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Moves an order to another status. Only the allowed moves are accepted;
/// cancelling or returning puts every line back into stock in the same transaction.
pub fn set_status(conn: &Connection, order_id: i64, to: OrderStatus) -> Result<()> {
    let before = super::changes::order_json(conn, order_id)?;
    let from = head(conn, order_id)?.status;
    set_status_unlogged(conn, order_id, to)?;
    let after = super::changes::order_json(conn, order_id)?;
    super::changes::record(
        conn,
        "order",
        Some(order_id),
        "status",
        &format!(
            "Order {}: {} → {}",
            order_number(order_id),
            from.label().to_lowercase(),
            to.label().to_lowercase()
        ),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// `set_status` without a change-log entry (undo writes its own).
pub(crate) fn set_status_unlogged(conn: &Connection, order_id: i64, to: OrderStatus) -> Result<()> {
    let h = head(conn, order_id)?;
    if !h.status.can_move_to(to) {
        let allowed: Vec<&str> = h.status.next().iter().map(|s| s.label()).collect();
        let hint = if allowed.is_empty() {
            "it cannot change any more".to_owned()
        } else {
            format!("it can only become {}", allowed.join(" or "))
        };
        return Err(StoreError::Refused(format!(
            "order {} is {}: {hint}",
            order_number(order_id),
            h.status.label().to_lowercase()
        )));
    }
    let now = now_local();
    if h.stock_tracked
        && let Some(reason) = restock_reason(to)
    {
        // One movement per product, however many lines it has.
        for (product_id, qty) in per_product(&lines_of(conn, order_id)?) {
            stock::apply(conn, product_id, qty, reason, Some(order_id), None, &now)?;
        }
    }
    conn.prepare_cached("UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![order_id, to.code(), now])?;
    history(conn, order_id, Some(h.status), to, &now)?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

/// Replaces a pending order's lines (and note). The difference in quantity of
/// each product is written as stock movements; more than is in stock is refused.
pub fn edit_lines(
    conn: &Connection,
    order_id: i64,
    lines: &[OrderLine],
    note: Option<&str>,
) -> Result<()> {
    let before = super::changes::order_json(conn, order_id)?;
    edit_lines_unlogged(conn, order_id, lines, note)?;
    let after = super::changes::order_json(conn, order_id)?;
    super::changes::record(
        conn,
        "order",
        Some(order_id),
        "edit",
        &format!("Order {}: lines changed", order_number(order_id)),
        before.as_deref(),
        after.as_deref(),
    )?;
    Ok(())
}

/// Puts an order back to an earlier status (undo): a restocked order takes
/// its goods out of stock again, if they are there.
pub(crate) fn revert_status(conn: &Connection, order_id: i64, to: OrderStatus) -> Result<()> {
    let h = head(conn, order_id)?;
    if h.status == to {
        return Ok(());
    }
    let now = now_local();
    if h.stock_tracked && restock_reason(h.status).is_some() && restock_reason(to).is_none() {
        let wanted = per_product(&lines_of(conn, order_id)?);
        check_stock(conn, &wanted)?;
        for (product_id, qty) in wanted {
            stock::apply(
                conn,
                product_id,
                -qty,
                MovementReason::Undo,
                Some(order_id),
                None,
                &now,
            )?;
        }
    }
    conn.prepare_cached("UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![order_id, to.code(), now])?;
    history(conn, order_id, Some(h.status), to, &now)?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

/// `edit_lines` without a change-log entry (undo writes its own).
pub(crate) fn edit_lines_unlogged(
    conn: &Connection,
    order_id: i64,
    lines: &[OrderLine],
    note: Option<&str>,
) -> Result<()> {
    let h = head(conn, order_id)?;
    if h.status != OrderStatus::Pending {
        return Err(StoreError::Refused(format!(
            "order {} is {}; only pending orders can be changed",
            order_number(order_id),
            h.status.label().to_lowercase()
        )));
    }
    if lines.is_empty() {
        return Err(StoreError::Refused(
            "an order needs at least one line; cancel it instead".into(),
        ));
    }
    if lines.iter().any(|l| l.quantity <= 0 || l.unit_price.0 < 0) {
        return Err(StoreError::Refused(
            "quantities must be at least 1 and prices not negative".into(),
        ));
    }
    let old = per_product(&lines_of(conn, order_id)?);
    let new = per_product(lines);
    let mut diff: BTreeMap<i64, i64> = BTreeMap::new();
    for (&p, &q) in &new {
        *diff.entry(p).or_insert(0) += q;
    }
    for (&p, &q) in &old {
        *diff.entry(p).or_insert(0) -= q;
    }
    let now = now_local();
    if h.stock_tracked {
        check_stock(conn, &diff)?;
        for (&product_id, &more) in &diff {
            if more != 0 {
                stock::apply(
                    conn,
                    product_id,
                    -more,
                    MovementReason::OrderEdit,
                    Some(order_id),
                    None,
                    &now,
                )?;
            }
        }
    }
    conn.prepare_cached("DELETE FROM order_items WHERE order_id = ?1")?
        .execute([order_id])?;
    insert_lines(conn, order_id, lines)?;
    let items: i64 = lines.iter().map(|l| l.quantity).sum();
    let total: i64 = lines.iter().map(|l| l.total().0).sum();
    conn.prepare_cached(
        "UPDATE orders SET item_count = ?2, total = ?3, note = ?4, updated_at = ?5 WHERE id = ?1",
    )?
    .execute(params![
        order_id,
        items,
        total,
        note.map(str::trim).filter(|n| !n.is_empty()),
        now
    ])?;
    refresh_customer(conn, h.customer_id)?;
    Ok(())
}

// ----- Reading -----

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
}

const SUMMARY_COLUMNS: &str = "o.id, o.order_date, o.order_time, o.customer_id, c.name, o.status, o.item_count, o.total, o.external_ref";

fn summary(r: &Row) -> rusqlite::Result<OrderSummary> {
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
}

/// What the Orders panel shows: filters and order. Newest first by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQuery {
    pub status: Option<OrderStatus>,
    /// Inclusive local dates 'YYYY-MM-DD'.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words matched against customer name, email and phone.
    pub customer_search: String,
    /// Only this customer's orders.
    pub customer_id: Option<i64>,
    pub sort: OrderSort,
    pub direction: Direction,
}

impl Default for OrderQuery {
    fn default() -> Self {
        OrderQuery {
            status: None,
            from: None,
            to: None,
            customer_search: String::new(),
            customer_id: None,
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

fn has_customer_filter(q: &OrderQuery) -> bool {
    q.customer_id.is_some() || fts_query(&q.customer_search).is_some()
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
    let n: i64 = if q.customer_id.is_none() && fts_query(&q.customer_search).is_none() {
        let daily = daily_filter(q);
        conn.prepare_cached(&format!(
            "SELECT coalesce(sum(orders), 0) FROM order_daily WHERE {}",
            daily.sql
        ))?
        .query_row(bind(&daily.params).as_slice(), |r| r.get(0))?
    } else if q.status.is_none() && q.from.is_none() && q.to.is_none() {
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
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM orders o JOIN customers c ON c.id = o.customer_id {}
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

/// One line of an order's detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDetail {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub line_total: Money,
    /// The product's stock now.
    pub stock: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovementDetail {
    pub at: String,
    pub sku: String,
    pub change: i64,
    pub reason: MovementReason,
    pub stock_after: i64,
}

/// Everything the order detail shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDetail {
    pub summary: OrderSummary,
    pub note: Option<String>,
    pub customer_email: Option<String>,
    pub lines: Vec<LineDetail>,
    pub history: Vec<StatusChange>,
    pub movements: Vec<MovementDetail>,
}

pub fn detail(conn: &Connection, order_id: i64) -> Result<OrderDetail> {
    let (summary, note, customer_email) = conn
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS}, o.note, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = ?1"
        ))?
        .query_row([order_id], |r| Ok((summary(r)?, r.get(9)?, r.get(10)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("order {}", order_number(order_id))))?;
    let lines = conn
        .prepare_cached(
            "SELECT i.product_id, p.sku, p.name, i.quantity, i.unit_price, i.line_total, p.stock
             FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ?1 ORDER BY i.id",
        )?
        .query_map([order_id], |r| {
            Ok(LineDetail {
                product_id: r.get(0)?,
                sku: r.get(1)?,
                name: r.get(2)?,
                quantity: r.get(3)?,
                unit_price: Money(r.get(4)?),
                line_total: Money(r.get(5)?),
                stock: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let history = conn
        .prepare_cached(
            "SELECT from_status, to_status, changed_at FROM order_status_history WHERE order_id = ?1 ORDER BY id",
        )?
        .query_map([order_id], |r| {
            Ok(StatusChange {
                from: r.get(0)?,
                to: r.get(1)?,
                at: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let movements = conn
        .prepare_cached(
            "SELECT m.created_at, p.sku, m.change, m.reason, m.stock_after
             FROM stock_movements m JOIN products p ON p.id = m.product_id WHERE m.order_id = ?1 ORDER BY m.id",
        )?
        .query_map([order_id], |r| {
            Ok(MovementDetail {
                at: r.get(0)?,
                sku: r.get(1)?,
                change: r.get(2)?,
                reason: r.get(3)?,
                stock_after: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(OrderDetail {
        summary,
        note,
        customer_email,
        lines,
        history,
        movements,
    })
}

/// What a product sold: over orders that count as sales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProductSales {
    pub orders: i64,
    pub units: i64,
    pub revenue: Money,
}

pub fn product_sales(conn: &Connection, product_id: i64) -> Result<ProductSales> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT count(DISTINCT i.order_id), coalesce(sum(i.quantity), 0), coalesce(sum(i.line_total), 0)
             FROM order_items i JOIN orders o ON o.id = i.order_id
             WHERE i.product_id = ?1 AND {}",
            super::codes::sale("o.status")
        ))?
        .query_row([product_id], |r| {
            Ok(ProductSales {
                orders: r.get(0)?,
                units: r.get(1)?,
                revenue: Money(r.get(2)?),
            })
        })?)
}

/// One sale of a product, for its detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSale {
    pub order_id: i64,
    pub order_date: String,
    pub customer_name: String,
    pub status: OrderStatus,
    pub quantity: i64,
    pub unit_price: Money,
}

pub fn product_sale_count(conn: &Connection, product_id: i64) -> Result<usize> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM order_items WHERE product_id = ?1")?
        .query_row([product_id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// A product's order lines, newest order first.
pub fn product_sale_page(
    conn: &Connection,
    product_id: i64,
    offset: usize,
    limit: usize,
) -> Result<Vec<ProductSale>> {
    let rows = conn
        .prepare_cached(
            "SELECT o.id, o.order_date, c.name, o.status, i.quantity, i.unit_price
             FROM order_items i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id
             WHERE i.product_id = ?1 ORDER BY i.order_id DESC, i.id DESC LIMIT ?2 OFFSET ?3",
        )?
        .query_map(
            params![
                product_id,
                i64::try_from(limit).unwrap_or(i64::MAX),
                i64::try_from(offset).unwrap_or(i64::MAX)
            ],
            |r| {
                Ok(ProductSale {
                    order_id: r.get(0)?,
                    order_date: r.get(1)?,
                    customer_name: r.get(2)?,
                    status: r.get(3)?,
                    quantity: r.get(4)?,
                    unit_price: Money(r.get(5)?),
                })
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A customer offered by the order form's picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerPick {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
}

/// A short list of customers for the order form's picker (word-prefix search).
pub fn pick_customers(conn: &Connection, search: &str, limit: usize) -> Result<Vec<CustomerPick>> {
    let Some(fts) = fts_query(search) else {
        return Ok(Vec::new());
    };
    let rows = conn
        .prepare_cached(
            "SELECT c.id, c.name, c.email FROM customers c
             WHERE c.archived = 0 AND c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?1)
             ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?2",
        )?
        .query_map(params![fts, i64::try_from(limit).unwrap_or(20)], |r| {
            Ok(CustomerPick {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
