//! Every report is one SQL query with named parameters. `run` reads a
//! report for the screen (`run_lightly` in the background, in little
//! memory), `for_each` streams it to a file, and `sql` shows the query itself, so a figure is made the same way everywhere
//! (exceptions, for speed, each giving the rows its query gives:
//! `inventory-movements` in its own order sums each row's running stock
//! while it streams the movements, see `movements_in_order`; `sales-by-date`
//! in its own order walks the days over the daily summaries, see
//! `sales_by_date`; `abc`, `top-products`, `margin` (by product and by
//! category), `reorder` and `dead-stock` in their own order add up and rank
//! the products' summaries in Rust, see `abc`, `product_rows` and
//! `stock_lists`). The reports
//! about money have their queries in `money_reports`, those of Insights >
//! Time in `insights_time`, the customer insights (and Top customers over all
//! time) in `customer_insights`.

use rusqlite::{Connection, OptionalExtension, types::Value};

use super::{
    MEMORY_PRAGMAS, Result, StoreError, abc, codes, insights_time, money_reports, product_reports,
    product_rows, sales_by_date, stock_lists,
};
use crate::domain::{Cell, CellKind, Money, ReportKind, ReportSpec, ReportTable, TotalsSum};

/// The query behind a report, exactly as it runs: the report's own query,
/// sorted by the column the spec asks for (ties by every column in order,
/// so the screen and a file come out alike).
pub fn sql(spec: &ReportSpec) -> String {
    let inner = report_sql(spec);
    let columns = spec.kind.columns().len();
    match spec.sort {
        Some(sort) if sort.column < columns => {
            let dir = if sort.descending { " DESC" } else { "" };
            let ties: Vec<String> = (1..=columns)
                .filter(|c| *c != sort.column + 1)
                .map(|c| c.to_string())
                .collect();
            format!(
                "SELECT * FROM (\n{inner}\n)\nORDER BY {}{dir}, {}",
                sort.column + 1,
                ties.join(", ")
            )
        }
        _ => inner,
    }
}

fn report_sql(spec: &ReportSpec) -> String {
    if let Some(sql) = super::customer_insights::report_sql(spec) {
        return sql;
    }
    if let Some(sql) = product_reports::report_sql(spec.kind) {
        return sql;
    }
    if let Some(sql) = money_reports::report_sql(spec.kind, spec.by) {
        return sql;
    }
    if let Some(sql) = insights_time::report_sql(spec.kind) {
        return sql;
    }
    let o_sale = codes::sale("o.status");
    match spec.kind {
        // Every order, its total under "sales" when it counts as one (with
        // what was refunded of it, whenever) and under "cancelled_or_returned"
        // when not: sales less refunded sums to what the customer spent.
        ReportKind::CustomerHistory => format!(
            "SELECT printf('#%06d', o.id), o.order_date, o.status, o.item_count,
       CASE WHEN {o_sale} THEN o.total END, CASE WHEN {o_sale} AND o.refunded <> 0 THEN o.refunded END,
       CASE WHEN {o_sale} THEN NULL ELSE o.total END
FROM orders o
WHERE o.customer_id = :customer AND o.order_date BETWEEN :from AND :to
ORDER BY o.order_date, o.order_time, o.id"
        ),
        // Everything held about one customer, all time, one fact a row:
        // their record, each order with its lines, payments and documents
        // (as made out), then the change log's record of them.
        ReportKind::CustomerData => "WITH c AS (SELECT * FROM customers WHERE id = :customer),
o AS (SELECT o.* FROM orders o WHERE o.customer_id = :customer),
facts (k, day, oid, s, n, section, reference, date, field, value, amount) AS (
    SELECT 0, '', 0, 0, n, 'customer', printf('%d', c.id), substr(c.created_at, 1, 10), field, value, NULL
    FROM c, (SELECT 1 AS n, 'name' AS field, c.name AS value FROM c
             UNION ALL SELECT 2, 'email', c.email FROM c
             UNION ALL SELECT 3, 'phone', c.phone FROM c
             UNION ALL SELECT 4, 'address', c.address FROM c
             UNION ALL SELECT 5, 'postal_code', c.postal_code FROM c
             UNION ALL SELECT 6, 'city', c.city FROM c
             UNION ALL SELECT 7, 'country', c.country FROM c
             UNION ALL SELECT 8, 'notes', c.notes FROM c)
    WHERE value IS NOT NULL AND value <> ''
    UNION ALL
    SELECT 1, o.order_date, o.id, 0, n, 'order', printf('#%06d', o.id), o.order_date, field, value, amount
    FROM o, (SELECT o2.id AS id, 1 AS n, 'status' AS field, o2.status AS value, NULL AS amount FROM o o2
             UNION ALL SELECT id, 2, 'total', NULL, total FROM o
             UNION ALL SELECT id, 3, 'paid', NULL, paid FROM o
             UNION ALL SELECT id, 4, 'refunded', NULL, refunded FROM o WHERE refunded <> 0
             UNION ALL SELECT id, 5, 'ship_to', ship_to, NULL FROM o WHERE ship_to IS NOT NULL
             UNION ALL SELECT id, 6, 'note', note, NULL FROM o WHERE note IS NOT NULL
             UNION ALL SELECT id, 7, 'discount_code', discount_code, NULL FROM o WHERE discount_code IS NOT NULL
             UNION ALL SELECT id, 8, 'carrier', carrier, NULL FROM o WHERE carrier IS NOT NULL
             UNION ALL SELECT id, 9, 'tracking', tracking, NULL FROM o WHERE tracking IS NOT NULL
             UNION ALL SELECT id, 10, 'reference', external_ref, NULL FROM o WHERE external_ref IS NOT NULL) f
    WHERE f.id = o.id
    UNION ALL
    SELECT 1, o.order_date, o.id, 1, i.id, 'line', printf('#%06d', o.id), o.order_date,
           p.name || ' (' || p.sku || ')', printf('%d', i.quantity), i.line_total
    FROM o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
    UNION ALL
    SELECT 1, o.order_date, o.id, 2, pm.id, pm.kind, printf('#%06d', o.id), pm.paid_on,
           pm.method, pm.note, pm.amount
    FROM o JOIN payments pm ON pm.order_id = o.id
    UNION ALL
    SELECT 1, o.order_date, o.id, 3, inv.id, CASE inv.kind WHEN 'invoice' THEN 'invoice' ELSE 'credit_note' END,
           inv.number, inv.issued_on, 'made out to',
           concat_ws(', ', inv.bill_name, inv.bill_address, inv.bill_postal_code, inv.bill_city,
                     inv.bill_country, inv.bill_email), NULL
    FROM o JOIN invoices inv ON inv.order_id = o.id
    UNION ALL
    -- A change, one row per value it changed (\"address\", \"3 rue X -> 9 quai Y\"),
    -- read out of the log's before and after (raw JSON read as code to a
    -- tryout); a change that kept no values, one row of its own.
    SELECT 2, l.at, l.id, 0, 0, 'change', l.summary, l.at, k.key,
           CASE WHEN l.before IS NULL THEN coalesce(CAST(k.value AS TEXT), '')
                ELSE coalesce(json_extract(l.before, '$.' || k.key), '') || ' -> '
                     || coalesce(json_extract(l.after, '$.' || k.key), '') END,
           NULL
    FROM change_log l, json_each(coalesce(l.after, l.before)) k
    WHERE l.entity = 'customer' AND l.entity_id = :customer
      AND (l.before IS NULL OR l.after IS NULL
           OR json_extract(l.before, '$.' || k.key) IS NOT json_extract(l.after, '$.' || k.key))
      AND k.value IS NOT NULL
    UNION ALL
    SELECT 2, l.at, l.id, 0, 0, 'change', l.summary, l.at, '', '', NULL
    FROM change_log l
    WHERE l.entity = 'customer' AND l.entity_id = :customer
      AND l.before IS NULL AND l.after IS NULL)
SELECT section, reference, date, field, value, amount FROM facts
ORDER BY k, day, oid, s, n".to_owned(),
        // stock_after is the running balance in the order shown (by date),
        // summed from the product's first movement: a back-dated order's
        // stored balance is only right in the order it was recorded.
        ReportKind::InventoryMovements => format!(
            "WITH m AS (
    SELECT m.*, sum(m.change) OVER (PARTITION BY m.product_id ORDER BY m.created_at, m.id) AS running
    FROM stock_movements m
    WHERE m.created_at < date(:to, '+1 day'){})
SELECT substr(m.created_at, 1, 10), p.sku, p.name, m.change, m.reason,
       CASE WHEN m.order_id IS NULL THEN '' ELSE printf('#%06d', m.order_id) END, m.running
FROM m JOIN products p ON p.id = m.product_id
WHERE m.created_at >= :from
ORDER BY m.created_at, m.id",
            if spec.product.is_some() {
                " AND m.product_id = :product"
            } else {
                ""
            }
        ),
        ReportKind::StockLevels => format!(
            "SELECT p.sku, p.name, coalesce(p.category, ''), p.stock, p.reorder_level, p.stock * p.cost
FROM products p
WHERE p.archived = 0{}
ORDER BY p.sku COLLATE NOCASE",
            if spec.low_only {
                " AND p.track_stock = 1 AND p.stock <= p.reorder_level"
            } else {
                ""
            }
        ),
        ReportKind::OrderLines => "SELECT o.order_date, printf('#%06d', o.id), c.name, p.sku, p.name,
       i.quantity, i.unit_price, i.line_total, o.status
FROM orders o
JOIN order_items i ON i.order_id = o.id
JOIN customers c ON c.id = o.customer_id
JOIN products p ON p.id = i.product_id
WHERE o.order_date BETWEEN :from AND :to
ORDER BY o.order_date, o.order_time, o.id, i.id"
            .to_owned(),
        // The customer's number is the key an orders file refers to.
        // Archived customers too (marked so), as orders may name them.
        ReportKind::Customers => "SELECT id, name, email, phone, address, city, postal_code, country, notes,
       CASE WHEN archived THEN 'yes' ELSE '' END
FROM customers
ORDER BY id"
            .to_owned(),
        // Whether it tracks stock and its own reorder days (empty: the shop's).
        // Its tax rate as an import takes it back: the rate's name and
        // percent ("VAT 20%"), empty for none; each rate's text made once
        // (made per product, 10,000 products took 5 ms more).
        ReportKind::Products => format!(
            "WITH rate_texts AS MATERIALIZED (SELECT id, {} AS text FROM tax_rates)
SELECT p.sku, p.name, p.category, p.price, p.cost, p.stock, p.reorder_level, p.description,
       CASE WHEN p.archived THEN 'yes' ELSE '' END, CASE WHEN p.track_stock THEN 'yes' ELSE 'no' END,
       p.lead_days, p.cover_days, r.text
FROM products p LEFT JOIN rate_texts r ON r.id = p.tax_rate_id
ORDER BY p.id",
            named_rate_text()
        ),
        // The order's number and the reference it was imported with, kept
        // apart; the customer by number (and email, for other programs);
        // the date and time as one local date-time, so a re-import keeps both.
        // Its money as an import takes it back: discounts as a percent
        // ("10%") or an amount, the shipping charge as the customer saw it,
        // the tax as charged, what was paid and how (the first payment's
        // method), repeated on every line of the order. Then the line's tax
        // rate as sold ("VAT 20%", named after the shop's rate of that
        // percent), its units refunded and restocked, and the order's
        // shipping rate, tax terms, what was refunded and when (the last
        // refund's day; the units only of an order that stays a sale: a
        // cancelled or returned one gave everything back), and the line's
        // cost as sold.
        ReportKind::Orders => format!(
            "WITH rate_texts AS MATERIALIZED (
    SELECT rate, {named_pct} AS text
    FROM (SELECT rate, name, row_number() OVER (PARTITION BY rate ORDER BY archived, id) AS k
          FROM tax_rates)
    WHERE k = 1)
SELECT printf('#%06d', o.id), coalesce(o.external_ref, ''),
       o.order_date || ' ' || o.order_time, c.id, c.email, o.status, p.sku, i.quantity, i.unit_price,
       CASE WHEN i.discount_percent IS NOT NULL THEN {line_pct} WHEN i.discount > 0 THEN i.discount END,
       CASE WHEN o.discount_percent IS NOT NULL THEN {order_pct} WHEN o.order_discount > 0 THEN o.order_discount END,
       o.discount_code, o.shipping + CASE WHEN o.tax_included THEN o.shipping_tax ELSE 0 END, o.tax, o.paid,
       CASE WHEN o.paid > 0 THEN (SELECT y.method FROM payments y WHERE y.order_id = o.id AND y.kind = 'payment'
                                  ORDER BY y.id LIMIT 1) END,
       CASE WHEN i.tax_rate <> 0 THEN {line_rate} END,
       CASE WHEN i.returned > 0 AND {o_sale} THEN i.returned END,
       CASE WHEN i.returned > 0 AND {o_sale} THEN (SELECT coalesce(sum(r.quantity), 0) FROM refund_items r
                                      WHERE r.order_item_id = i.id AND r.restocked = 1) END,
       CASE WHEN o.shipping_rate <> 0 THEN {shipping_rate} END,
       CASE WHEN o.tax_included THEN 'yes' END,
       CASE WHEN o.refunded > 0 THEN o.refunded END,
       CASE WHEN o.refunded > 0 THEN (SELECT max(y.paid_on) FROM payments y
                                      WHERE y.order_id = o.id AND y.kind = 'refund') END,
       i.unit_cost
FROM orders o
JOIN order_items i ON i.order_id = o.id
JOIN customers c ON c.id = o.customer_id
JOIN products p ON p.id = i.product_id
WHERE o.order_date BETWEEN :from AND :to
ORDER BY o.order_date, o.order_time, o.id, i.id",
            line_pct = percent_text("i.discount_percent"),
            order_pct = percent_text("o.discount_percent"),
            named_pct = named_rate_text(),
            line_rate = rate_text("i.tax_rate"),
            shipping_rate = rate_text("o.shipping_rate"),
        ),
        // The money reports (above).
        ReportKind::SalesByDate
        | ReportKind::TopProducts
        | ReportKind::TopCustomers
        | ReportKind::Tax
        | ReportKind::Payments
        | ReportKind::PaymentsByMethod
        | ReportKind::Margin
        | ReportKind::MarginByCategory
        | ReportKind::YearOverYear
        | ReportKind::WeekdayHour => String::new(),
        // The customer insights (customer_insights).
        ReportKind::CustomerValue
        | ReportKind::Segments
        | ReportKind::Cohorts
        | ReportKind::NewReturning => String::new(),
        ReportKind::MarginByMonth
        | ReportKind::Abc
        | ReportKind::Reorder
        | ReportKind::DeadStock => String::new(),
    }
}

/// A percent kept in thousandths as text: 5500 -> '5.5%', 20000 -> '20%'.
fn percent_text(column: &str) -> String {
    format!("rtrim(rtrim(printf('%d.%03d', {column} / 1000, {column} % 1000), '0'), '.') || '%'")
}

/// A rate of `tax_rates` as a file names it: its name and percent ("VAT
/// 20%"), or its name alone when that ends with its percent already (a
/// rate an import named "VAT 5.5%" beside another "VAT").
fn named_rate_text() -> String {
    let pct = percent_text("rate");
    format!(
        "CASE WHEN substr(name, -length({pct}) - 1) = ' ' || {pct} THEN name
              ELSE name || ' ' || {pct} END"
    )
}

/// A tax rate as an orders file writes it: the name of the shop's rate of
/// that percent and the percent ("VAT 20%"), or the percent alone. Looked
/// up in `rate_texts`, made once per query (a lookup in `tax_rates` per
/// line made the export half as fast again).
fn rate_text(column: &str) -> String {
    format!(
        "coalesce((SELECT n.text FROM rate_texts n WHERE n.rate = {column}), {})",
        percent_text(column)
    )
}

/// A report's parameters checked against the database: dates filled in,
/// customer and product found. Errors name what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub from: String,
    pub to: String,
    customer: Option<i64>,
    product: Option<i64>,
    limit: i64,
}

impl Resolved {
    /// Every named parameter a report's query may use, with its value.
    fn candidates(&self) -> [(&'static str, Value); 5] {
        [
            (":from", Value::Text(self.from.clone())),
            (":to", Value::Text(self.to.clone())),
            (
                ":customer",
                self.customer.map_or(Value::Null, Value::Integer),
            ),
            (":product", self.product.map_or(Value::Null, Value::Integer)),
            (":limit", Value::Integer(self.limit)),
        ]
    }

    /// The values the query `sql` ran with, as SQL would write them:
    /// `[(":from", "'2026-03-01'"), (":customer", "42")]`.
    pub fn values(&self, sql: &str) -> Vec<(&'static str, String)> {
        self.candidates()
            .into_iter()
            .filter(|(name, _)| sql.contains(name))
            .map(|(name, v)| {
                let text = match v {
                    Value::Text(t) => format!("'{}'", t.replace('\'', "''")),
                    Value::Integer(n) => n.to_string(),
                    _ => "NULL".to_owned(),
                };
                (name, text)
            })
            .collect()
    }
}

fn check_date(text: &str, which: &str) -> Result<String> {
    let t = text.trim();
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .filter(|_| t.len() == 10)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .ok_or_else(|| StoreError::Refused(format!("the {which} date \"{t}\" is not a date; write it as YYYY-MM-DD, for example 2026-01-31")))
}

pub fn resolve(conn: &Connection, spec: &ReportSpec) -> Result<Resolved> {
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    let from = match &spec.from {
        Some(f) => check_date(f, "start")?,
        None => {
            let first: Option<String> = match spec.kind {
                ReportKind::InventoryMovements => conn
                    .query_row(
                        "SELECT substr(min(created_at), 1, 10) FROM stock_movements",
                        [],
                        |r| r.get(0),
                    )
                    .optional()?
                    .flatten(),
                _ => conn
                    .query_row(
                        "SELECT min(order_date) FROM order_daily WHERE orders > 0",
                        [],
                        |r| r.get(0),
                    )
                    .optional()?
                    .flatten(),
            };
            first.unwrap_or_else(|| today.clone())
        }
    };
    let to = match &spec.to {
        Some(t) => check_date(t, "end")?,
        None => today.clone().max(from.clone()),
    };
    if from > to {
        return Err(StoreError::Refused(format!(
            "the start date {from} is after the end date {to}"
        )));
    }
    let customer = match (&spec.kind, &spec.customer) {
        (ReportKind::CustomerHistory | ReportKind::CustomerData, None) => {
            return Err(StoreError::Refused(
                "choose the customer (an email or a customer number)".into(),
            ));
        }
        (ReportKind::CustomerHistory | ReportKind::CustomerData, Some(key)) => Some(
            super::customers::find(conn, key)?
                .ok_or_else(|| {
                    StoreError::Refused(format!(
                        "no customer has the email or number \"{}\"",
                        key.trim()
                    ))
                })?
                .id,
        ),
        _ => None,
    };
    let product = match &spec.product {
        Some(sku) if spec.kind == ReportKind::InventoryMovements => Some(
            super::products::find_by_sku(conn, sku)?
                .ok_or_else(|| {
                    StoreError::Refused(format!("no product has the SKU \"{}\"", sku.trim()))
                })?
                .id,
        ),
        _ => None,
    };
    if let Some(name) = &spec.segment
        && crate::domain::segments::Segment::from_name(name).is_none()
    {
        let names: Vec<&str> = crate::domain::segments::Segment::ALL
            .iter()
            .map(|s| s.name())
            .collect();
        return Err(StoreError::Refused(format!(
            "there is no segment called \"{}\"; choose one of {}",
            name.trim(),
            names.join(", ")
        )));
    }
    let limit = spec.limit.unwrap_or(10);
    if limit == 0 {
        return Err(StoreError::Refused("the limit must be at least 1".into()));
    }
    Ok(Resolved {
        from,
        to,
        customer,
        product,
        limit: i64::try_from(limit).unwrap_or(i64::MAX),
    })
}

/// Streams the report's rows to `f`, which returns false to stop early.
/// Returns the dates the report covered.
pub fn for_each(
    conn: &Connection,
    spec: &ReportSpec,
    mut f: impl FnMut(Vec<Cell>) -> Result<bool>,
) -> Result<Resolved> {
    let r = resolve(conn, spec)?;
    if spec.kind == ReportKind::InventoryMovements && spec.sort.is_none() {
        movements_in_order(conn, &r, spec.kind.columns(), &mut f)?;
        return Ok(r);
    }
    if spec.kind == ReportKind::SalesByDate
        && spec.sort.is_none()
        && let Some(rows) = sales_by_date::rows(conn, &r.from, &r.to, spec.by)?
    {
        for cells in rows {
            if !f(cells)? {
                break;
            }
        }
        return Ok(r);
    }
    if spec.sort.is_none()
        && let Some(rows) = worked_out(conn, spec.kind, &r)?
    {
        for cells in rows {
            if !f(cells)? {
                break;
            }
        }
        return Ok(r);
    }
    let sql = sql(spec);
    let candidates = r.candidates();
    let params: Vec<(&str, &dyn rusqlite::ToSql)> = candidates
        .iter()
        .filter(|(name, _)| sql.contains(name))
        .map(|(name, v)| (*name, v as &dyn rusqlite::ToSql))
        .collect();
    let columns = spec.kind.columns();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params.as_slice())?;
    while let Some(row) = rows.next()? {
        if !f(cells(row, columns)?)? {
            break;
        }
    }
    Ok(r)
}

/// The rows of a report worked out in Rust in its own order (`abc`,
/// `top-products`, `margin`, `reorder`, `dead-stock`), or None when its query gives them.
fn worked_out(conn: &Connection, kind: ReportKind, r: &Resolved) -> Result<Option<Vec<Vec<Cell>>>> {
    Ok(match kind {
        ReportKind::Abc => abc::rows(conn, &r.from, &r.to)?,
        ReportKind::TopProducts => product_rows::top(conn, &r.from, &r.to, r.limit)?,
        ReportKind::Margin => product_rows::margin(conn, &r.from, &r.to, false)?,
        ReportKind::MarginByCategory => product_rows::margin(conn, &r.from, &r.to, true)?,
        ReportKind::Reorder => stock_lists::lists(conn, &r.to)?.map(|l| l.reorder),
        ReportKind::DeadStock => stock_lists::lists(conn, &r.to)?.map(|l| l.dead),
        _ => None,
    })
}

/// The page cache of a read that visits each page about once (what
/// Insights > Products reads): 2 MB holds the B-trees' inner pages, and a
/// bigger one only made closing the connection and giving its memory back
/// slower (with 8 MB: 10-14 ms more after the view's figures).
const ONE_PASS: &str = "PRAGMA cache_size = -2000; PRAGMA temp_store = FILE;";

/// Reads a report as [`run`] does, with the small cache of a read that
/// visits each page about once (`abc`, worked out in Rust); the
/// connection's usual settings come back after.
pub fn run_one_pass(
    conn: &Connection,
    spec: &ReportSpec,
    max_rows: usize,
) -> Result<(ReportTable, Resolved)> {
    conn.execute_batch(ONE_PASS)?;
    let read = run(conn, spec, max_rows);
    conn.execute_batch(MEMORY_PRAGMAS)?;
    read
}

/// `reorder` and `dead-stock` as of today, both from one read of the
/// products' recent days, at most `max_rows` rows each, with the small
/// cache of a read that visits each page about once: what Insights >
/// Products shows beside ABC.
pub fn stock_lists_lightly(
    conn: &Connection,
    max_rows: usize,
) -> Result<(ReportTable, ReportTable)> {
    conn.execute_batch(ONE_PASS)?;
    let read = both_lists(conn, max_rows);
    conn.execute_batch(MEMORY_PRAGMAS)?;
    read
}

fn both_lists(conn: &Connection, max_rows: usize) -> Result<(ReportTable, ReportTable)> {
    let (reorder, dead) = (
        ReportSpec::new(ReportKind::Reorder),
        ReportSpec::new(ReportKind::DeadStock),
    );
    let r = resolve(conn, &reorder)?;
    let Some(lists) = stock_lists::lists(conn, &r.to)? else {
        return Ok((
            run(conn, &reorder, max_rows)?.0,
            run(conn, &dead, max_rows)?.0,
        ));
    };
    Ok(lists.tables(max_rows))
}

/// A row's cells, one per column of the report.
fn cells(row: &rusqlite::Row, columns: &[(&str, CellKind)]) -> Result<Vec<Cell>> {
    let mut cells = Vec::with_capacity(columns.len());
    for (i, (_, kind)) in columns.iter().enumerate() {
        let cell = match kind {
            CellKind::Int => row.get::<_, Option<i64>>(i)?.map_or(Cell::Empty, Cell::Int),
            // An amount, or a text in its place (a discount of "10%").
            CellKind::Amount => match row.get_ref(i)? {
                rusqlite::types::ValueRef::Text(t) => {
                    Cell::Text(String::from_utf8_lossy(t).into_owned())
                }
                _ => row
                    .get::<_, Option<i64>>(i)?
                    .map_or(Cell::Empty, |v| Cell::Amount(Money(v))),
            },
            CellKind::Text | CellKind::Date | CellKind::Percent => row
                .get::<_, Option<String>>(i)?
                .map_or(Cell::Empty, Cell::Text),
        };
        cells.push(cell);
    }
    Ok(cells)
}

/// `inventory-movements` in its own order, the rows its query (`sql`) gives,
/// without the query's two sorts of every movement: the movements of the
/// range are read in date order through their index, and each row's
/// `stock_after` (the product's running stock in that order) is summed
/// here, from what the product's movements before the range add up to. The
/// first page shows at once, and an export keeps nothing in memory but one
/// figure per product. A sorted report runs the query itself.
fn movements_in_order(
    conn: &Connection,
    r: &Resolved,
    columns: &[(&str, CellKind)],
    f: &mut impl FnMut(Vec<Cell>) -> Result<bool>,
) -> Result<()> {
    let product = if r.product.is_some() {
        " AND m.product_id = :product"
    } else {
        ""
    };
    let mut running: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    // Through the date index: the planner would rather read every movement
    // in product order, seconds for the usual range that starts with the
    // first movement (and so has none before it).
    let by = if r.product.is_some() {
        ""
    } else {
        " INDEXED BY stock_movements_by_date"
    };
    let mut before = conn.prepare_cached(&format!(
        "SELECT m.product_id, sum(m.change) FROM stock_movements m{by}
         WHERE m.created_at < :from{product}
         GROUP BY m.product_id"
    ))?;
    let mut rows = match r.product {
        Some(p) => before.query(rusqlite::named_params! {":from": r.from, ":product": p})?,
        None => before.query(rusqlite::named_params! {":from": r.from})?,
    };
    while let Some(row) = rows.next()? {
        running.insert(row.get(0)?, row.get(1)?);
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT substr(m.created_at, 1, 10), p.sku, p.name, m.change, m.reason,
       CASE WHEN m.order_id IS NULL THEN '' ELSE printf('#%06d', m.order_id) END, m.product_id
FROM stock_movements m JOIN products p ON p.id = m.product_id
WHERE m.created_at >= :from AND m.created_at < date(:to, '+1 day'){product}
ORDER BY m.created_at, m.id"
    ))?;
    let mut rows = match r.product {
        Some(p) => {
            stmt.query(rusqlite::named_params! {":from": r.from, ":to": r.to, ":product": p})?
        }
        None => stmt.query(rusqlite::named_params! {":from": r.from, ":to": r.to})?,
    };
    let shown = columns.len() - 1;
    while let Some(row) = rows.next()? {
        let mut cells = cells(row, &columns[..shown])?;
        let change: i64 = row.get(3)?;
        let stock = running.entry(row.get(shown)?).or_insert(0);
        *stock = stock.checked_add(change).ok_or_else(|| {
            StoreError::Refused("the stock of a product is too large to add up".into())
        })?;
        cells.push(Cell::Int(*stock));
        if !f(cells)? {
            break;
        }
    }
    Ok(())
}

/// Reads a report for the screen, at most `max_rows` rows.
pub fn run(
    conn: &Connection,
    spec: &ReportSpec,
    max_rows: usize,
) -> Result<(ReportTable, Resolved)> {
    let mut table = ReportTable {
        kind: spec.kind,
        rows: Vec::new(),
        truncated: false,
    };
    let resolved = for_each(conn, spec, |cells| {
        if table.rows.len() >= max_rows {
            table.truncated = true;
            return Ok(false);
        }
        table.rows.push(cells);
        Ok(true)
    })?;
    Ok((table, resolved))
}

/// Every row of a report added up without keeping them: how many rows it
/// has and its totals row (for a report longer than the screen holds,
/// whose rows on screen are only its first). In little memory, as
/// [`run_lightly`]. The rows are those of the screen's query, sort and
/// limit included, so the totals are of exactly the report shown.
pub fn totals_lightly(conn: &Connection, spec: &ReportSpec) -> Result<TotalsSum> {
    let mut sum = TotalsSum::new(spec.kind);
    conn.execute_batch("PRAGMA cache_size = -8000; PRAGMA temp_store = FILE;")?;
    let read = for_each(conn, spec, |cells| {
        sum.add(&cells);
        Ok(true)
    });
    conn.execute_batch(MEMORY_PRAGMAS)?;
    read?;
    Ok(sum)
}

/// Reads a report as [`run`] does, in little memory: a small page cache and
/// sorting spilled to a temporary file, for a report read in the background
/// beside the window (grouping a million orders sorts every one of them,
/// which in memory added tens of MB to the window per report running). The
/// connection's usual settings come back after.
pub fn run_lightly(
    conn: &Connection,
    spec: &ReportSpec,
    max_rows: usize,
) -> Result<(ReportTable, Resolved)> {
    conn.execute_batch("PRAGMA cache_size = -8000; PRAGMA temp_store = FILE;")?;
    let read = run(conn, spec, max_rows);
    conn.execute_batch(MEMORY_PRAGMAS)?;
    read
}
