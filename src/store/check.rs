//! `shopkeeper check`: SQLite's own checks plus the shop's invariants. Each
//! finding says what was checked and, when it fails, the first offenders.

use rusqlite::Connection;

use super::{Result, codes};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub name: &'static str,
    pub ok: bool,
    /// What was wrong (empty when ok).
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.findings.iter().all(|f| f.ok)
    }
}

/// Runs a query whose rows are problems, each rendered as one string; keeps the first few.
fn problems(conn: &Connection, sql: &str) -> Result<(usize, Vec<String>)> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut found = Vec::new();
    let mut n = 0;
    while let Some(row) = rows.next()? {
        n += 1;
        if found.len() < 5 {
            found.push(row.get::<_, String>(0)?);
        }
    }
    Ok((n, found))
}

fn finding(name: &'static str, (n, examples): (usize, Vec<String>)) -> Finding {
    Finding {
        name,
        ok: n == 0,
        detail: if n == 0 {
            String::new()
        } else {
            format!("{n} found, for example: {}", examples.join("; "))
        },
    }
}

pub fn run(conn: &Connection) -> Result<Report> {
    run_showing(conn, |_, _| {})
}

/// What has been found so far, each finding handed on as it is made.
struct Findings<'a> {
    findings: Vec<Finding>,
    since: std::time::Instant,
    each: &'a mut dyn FnMut(&Finding, std::time::Duration),
}

impl Findings<'_> {
    fn push(&mut self, f: Finding) {
        (self.each)(&f, self.since.elapsed());
        self.findings.push(f);
        self.since = std::time::Instant::now();
    }
}

/// `run`, handing each finding to `each` as soon as it is made, with how
/// long it took: at a million orders the whole check takes about a minute,
/// and the command line says what it has done so far.
pub fn run_showing(
    conn: &Connection,
    mut each: impl FnMut(&Finding, std::time::Duration),
) -> Result<Report> {
    let mut report = Findings {
        findings: Vec::new(),
        since: std::time::Instant::now(),
        each: &mut each,
    };
    let quick: Vec<String> = conn
        .prepare("PRAGMA quick_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let quick_ok = quick.len() == 1 && quick[0] == "ok";
    report.push(Finding {
        name: "SQLite quick_check",
        ok: quick_ok,
        detail: if quick_ok {
            String::new()
        } else {
            quick.into_iter().take(5).collect::<Vec<_>>().join("; ")
        },
    });
    report.push(finding(
        "foreign keys point at existing rows",
        problems(
            conn,
            "SELECT \"table\" || ' row ' || rowid || ' -> ' || parent FROM pragma_foreign_key_check",
        )?,
    ));
    report.push(finding(
        "no stock below zero",
        problems(
            conn,
            "SELECT sku || ': ' || stock FROM products WHERE stock < 0",
        )?,
    ));
    report.push(finding(
        "stock equals the sum of its movements",
        problems(
            conn,
            "SELECT p.sku || ': stock ' || p.stock || ', movements ' || coalesce(m.total, 0)
             FROM products p
             LEFT JOIN (SELECT product_id, sum(change) AS total FROM stock_movements GROUP BY product_id) m
               ON m.product_id = p.id
             WHERE p.stock <> coalesce(m.total, 0)",
        )?,
    ));
    report.push(finding(
        "each product's latest movement shows its stock",
        problems(
            conn,
            "SELECT p.sku || ': stock ' || p.stock || ', last movement says ' || m.stock_after
             FROM products p
             JOIN stock_movements m ON m.id = (SELECT max(id) FROM stock_movements WHERE product_id = p.id)
             WHERE m.stock_after <> p.stock",
        )?,
    ));
    report.push(finding(
        "order totals equal the sum of their lines",
        problems(
            conn,
            "WITH l AS (
                 SELECT order_id, sum(line_total) AS gross, sum(quantity) AS items,
                        sum(discount + order_discount) AS discounts, sum(revenue) AS revenue,
                        sum(tax) AS tax, sum(quantity * unit_cost) AS cost
                 FROM order_items GROUP BY order_id),
             c AS (
                 SELECT o.id, o.total, o.revenue + o.shipping + o.tax AS sum_total,
                        o.item_count, coalesce(l.items, 0) AS items,
                        o.gross_sales, coalesce(l.gross, 0) AS gross,
                        o.discounts, coalesce(l.discounts, 0) AS l_discounts,
                        o.revenue, coalesce(l.revenue, 0) AS l_revenue,
                        o.tax, coalesce(l.tax, 0) + o.shipping_tax AS l_tax,
                        o.cost, coalesce(l.cost, 0) AS l_cost
                 FROM orders o LEFT JOIN l ON l.order_id = o.id)
             SELECT '#' || id || ':'
                    || CASE WHEN total <> sum_total
                            THEN ' total ' || total || ', revenue + shipping + tax say ' || sum_total || ';' ELSE '' END
                    || CASE WHEN item_count <> items THEN ' items ' || item_count || ', lines say ' || items || ';' ELSE '' END
                    || CASE WHEN gross_sales <> gross THEN ' gross sales ' || gross_sales || ', lines say ' || gross || ';' ELSE '' END
                    || CASE WHEN discounts <> l_discounts THEN ' discounts ' || discounts || ', lines say ' || l_discounts || ';' ELSE '' END
                    || CASE WHEN revenue <> l_revenue THEN ' revenue ' || revenue || ', lines say ' || l_revenue || ';' ELSE '' END
                    || CASE WHEN tax <> l_tax THEN ' tax ' || tax || ', lines and shipping say ' || l_tax || ';' ELSE '' END
                    || CASE WHEN cost <> l_cost THEN ' cost ' || cost || ', lines say ' || l_cost || ';' ELSE '' END
             FROM c
             WHERE total <> sum_total OR item_count <> items OR gross_sales <> gross OR discounts <> l_discounts
                OR revenue <> l_revenue OR tax <> l_tax OR cost <> l_cost",
        )?,
    ));
    report.push(finding(
        "each line's revenue is its price after discounts and without tax",
        problems(
            conn,
            "SELECT '#' || i.order_id || ' line ' || i.id || ': revenue ' || i.revenue
                    || ', price after discounts says ' || (i.line_total - i.discount - i.order_discount
                       - CASE WHEN o.tax_included THEN i.tax ELSE 0 END)
             FROM order_items i JOIN orders o ON o.id = i.order_id
             WHERE i.revenue <> i.line_total - i.discount - i.order_discount
                               - CASE WHEN o.tax_included THEN i.tax ELSE 0 END
                OR i.returned > i.quantity
                OR i.returned <> coalesce((SELECT sum(r.quantity) FROM refund_items r WHERE r.order_item_id = i.id), 0)",
        )?,
    ));
    report.push(finding(
        "paid, refunded and balance match the payments",
        problems(
            conn,
            &format!(
                "WITH p AS (
                     SELECT order_id, sum(CASE WHEN kind = 'payment' THEN amount ELSE 0 END) AS paid,
                            sum(CASE WHEN kind = 'refund' THEN amount ELSE 0 END) AS refunded
                     FROM payments GROUP BY order_id)
                 SELECT '#' || o.id || ': paid ' || o.paid || ' (payments say ' || coalesce(p.paid, 0)
                        || '), refunded ' || o.refunded || ' (refunds say ' || coalesce(p.refunded, 0)
                        || '), balance ' || o.balance
                 FROM orders o LEFT JOIN p ON p.order_id = o.id
                 WHERE o.paid <> coalesce(p.paid, 0) OR o.refunded <> coalesce(p.refunded, 0)
                    OR o.refunded > o.paid
                    OR o.balance <> CASE WHEN {} THEN o.total - o.paid ELSE o.refunded - o.paid END",
                codes::sale("o.status")
            ),
        )?,
    ));
    // Per order and product: a live order has taken its quantity out of
    // stock less the units refunded back into stock; a cancelled or returned
    // one has put everything back but the units written off as damaged. A
    // product that does not track stock (a gift card) moves none.
    report.push(finding(
        "orders moved stock exactly as their lines say",
        problems(
            conn,
            &format!("WITH lines AS (
                 SELECT i.order_id, i.product_id, sum(i.quantity) AS qty,
                        sum(coalesce((SELECT sum(r.quantity) FROM refund_items r
                                      WHERE r.order_item_id = i.id AND r.restocked), 0)) AS restocked,
                        sum(coalesce((SELECT sum(r.quantity) FROM refund_items r
                                      WHERE r.order_item_id = i.id AND NOT r.restocked), 0)) AS written_off
                 FROM order_items i GROUP BY 1, 2),
             moved AS (
                 SELECT order_id, product_id, sum(change) AS net
                 FROM stock_movements WHERE order_id IS NOT NULL GROUP BY 1, 2),
             pairs AS (
                 SELECT order_id, product_id FROM lines UNION SELECT order_id, product_id FROM moved)
             SELECT '#' || o.id || ' product ' || pr.product_id || ': ' || o.status
                    || ', ordered ' || coalesce(l.qty, 0) || ', stock moved ' || coalesce(m.net, 0)
             FROM pairs pr
             JOIN orders o ON o.id = pr.order_id
             LEFT JOIN lines l ON l.order_id = pr.order_id AND l.product_id = pr.product_id
             LEFT JOIN moved m ON m.order_id = pr.order_id AND m.product_id = pr.product_id
             WHERE CASE
                 WHEN o.stock_tracked = 0 OR (SELECT track_stock = 0 FROM products WHERE id = pr.product_id)
                     THEN coalesce(m.net, 0) <> 0
                 WHEN {} THEN coalesce(m.net, 0) <> -coalesce(l.written_off, 0)
                 ELSE coalesce(m.net, 0) <> -coalesce(l.qty, 0) + coalesce(l.restocked, 0)
             END",
            codes::not_sale("o.status")
        ))?,
    ));
    report.push(finding(
        "customers' order counts and totals match their orders",
        problems(
            conn,
            &format!(
                "SELECT c.name || ':'
                    || CASE WHEN c.order_count <> coalesce(o.n, 0)
                            THEN ' ' || c.order_count || ' orders, orders say ' || coalesce(o.n, 0) || ';' ELSE '' END
                    || CASE WHEN c.sale_count <> coalesce(o.sales, 0)
                            THEN ' ' || c.sale_count || ' sales, orders say ' || coalesce(o.sales, 0) || ';' ELSE '' END
                    || CASE WHEN c.total_spent <> coalesce(o.spent, 0)
                            THEN ' spent ' || c.total_spent || ', orders say ' || coalesce(o.spent, 0) || ';' ELSE '' END
                    || CASE WHEN c.first_order_date IS NOT o.first
                            THEN ' first order ' || coalesce(c.first_order_date, 'none') || ', orders say '
                                 || coalesce(o.first, 'none') || ';' ELSE '' END
                    || CASE WHEN c.last_order_date IS NOT o.last
                            THEN ' last order ' || coalesce(c.last_order_date, 'none') || ', orders say '
                                 || coalesce(o.last, 'none') || ';' ELSE '' END
             FROM customers c
             LEFT JOIN (SELECT customer_id, count(*) AS n,
                               sum(CASE WHEN {0} THEN 0 ELSE 1 END) AS sales,
                               sum(CASE WHEN {0} THEN 0 ELSE total - refunded END) AS spent,
                               min(order_date) AS first, max(order_date) AS last
                        FROM orders GROUP BY customer_id) o ON o.customer_id = c.id
             WHERE c.order_count <> coalesce(o.n, 0) OR c.total_spent <> coalesce(o.spent, 0)
                OR c.sale_count <> coalesce(o.sales, 0)
                OR c.first_order_date IS NOT o.first OR c.last_order_date IS NOT o.last",
                codes::not_sale("status")
            ),
        )?,
    ));
    report.push(finding(
        "the daily refund summary matches the refunds",
        problems(
            conn,
            "WITH actual AS (
                 SELECT p.paid_on, o.status, count(*) AS refunds, sum(p.amount) AS amount,
                        sum(p.revenue) AS revenue, sum(p.tax) AS tax, sum(p.shipping) AS shipping
                 FROM payments p JOIN orders o ON o.id = p.order_id
                 WHERE p.kind = 'refund' GROUP BY 1, 2),
             kept AS (SELECT * FROM refund_daily
                      WHERE refunds <> 0 OR amount <> 0 OR revenue <> 0 OR tax <> 0 OR shipping <> 0),
             keys AS (SELECT paid_on, status FROM actual UNION SELECT paid_on, status FROM kept)
             SELECT k.paid_on || ' ' || k.status || ': kept ' || coalesce(d.refunds, 0) || ' refunds of '
                    || coalesce(d.amount, 0) || ' (revenue ' || coalesce(d.revenue, 0) || ', tax '
                    || coalesce(d.tax, 0) || ', shipping ' || coalesce(d.shipping, 0) || '), payments say '
                    || coalesce(a.refunds, 0) || ' of ' || coalesce(a.amount, 0) || ' (revenue '
                    || coalesce(a.revenue, 0) || ', tax ' || coalesce(a.tax, 0) || ', shipping '
                    || coalesce(a.shipping, 0) || ')'
             FROM keys k
             LEFT JOIN actual a ON a.paid_on = k.paid_on AND a.status = k.status
             LEFT JOIN kept d ON d.paid_on = k.paid_on AND d.status = k.status
             WHERE coalesce(a.refunds, 0) <> coalesce(d.refunds, 0) OR coalesce(a.amount, 0) <> coalesce(d.amount, 0)
                OR coalesce(a.revenue, 0) <> coalesce(d.revenue, 0) OR coalesce(a.tax, 0) <> coalesce(d.tax, 0)
                OR coalesce(a.shipping, 0) <> coalesce(d.shipping, 0)",
        )?,
    ));
    report.push(finding(
        "the daily order summary matches the orders",
        problems(
            conn,
            "WITH actual AS (
                 SELECT order_date, status, count(*) AS orders, sum(item_count) AS items, sum(revenue) AS revenue,
                        sum(gross_sales) AS gross_sales, sum(discounts) AS discounts, sum(shipping) AS shipping,
                        sum(tax) AS tax, sum(total) AS total, sum(cost) AS cost
                 FROM orders GROUP BY 1, 2),
             kept AS (SELECT * FROM order_daily WHERE orders > 0),
             keys AS (SELECT order_date, status FROM actual UNION SELECT order_date, status FROM kept)
             SELECT k.order_date || ' ' || k.status || ':'
                    || CASE WHEN coalesce(a.orders, 0) <> coalesce(d.orders, 0)
                            THEN ' kept ' || coalesce(d.orders, 0) || ' orders, orders say ' || coalesce(a.orders, 0) || ';' ELSE '' END
                    || CASE WHEN coalesce(a.items, 0) <> coalesce(d.items, 0)
                            THEN ' kept ' || coalesce(d.items, 0) || ' items, orders say ' || coalesce(a.items, 0) || ';' ELSE '' END
                    || CASE WHEN coalesce(a.revenue, 0) <> coalesce(d.revenue, 0)
                            THEN ' kept revenue ' || coalesce(d.revenue, 0) || ', orders say ' || coalesce(a.revenue, 0) || ';' ELSE '' END
                    || CASE WHEN coalesce(a.gross_sales, 0) <> coalesce(d.gross_sales, 0)
                            THEN ' kept gross sales ' || coalesce(d.gross_sales, 0) || ', orders say ' || coalesce(a.gross_sales, 0) || ';' ELSE '' END
                    || CASE WHEN coalesce(a.discounts, 0) <> coalesce(d.discounts, 0)
                            THEN ' kept discounts ' || coalesce(d.discounts, 0) || ', orders say ' || coalesce(a.discounts, 0) || ';' ELSE '' END
                    || CASE WHEN coalesce(a.shipping, 0) <> coalesce(d.shipping, 0)
                            THEN ' kept shipping ' || coalesce(d.shipping, 0) || ', orders say ' || coalesce(a.shipping, 0) || ';' ELSE '' END
                    || CASE WHEN coalesce(a.tax, 0) <> coalesce(d.tax, 0)
                            THEN ' kept tax ' || coalesce(d.tax, 0) || ', orders say ' || coalesce(a.tax, 0) || ';' ELSE '' END
                    || CASE WHEN coalesce(a.total, 0) <> coalesce(d.total, 0)
                            THEN ' kept total ' || coalesce(d.total, 0) || ', orders say ' || coalesce(a.total, 0) || ';' ELSE '' END
                    || CASE WHEN coalesce(a.cost, 0) <> coalesce(d.cost, 0)
                            THEN ' kept cost ' || coalesce(d.cost, 0) || ', orders say ' || coalesce(a.cost, 0) || ';' ELSE '' END
             FROM keys k
             LEFT JOIN actual a ON a.order_date = k.order_date AND a.status = k.status
             LEFT JOIN kept d ON d.order_date = k.order_date AND d.status = k.status
             WHERE coalesce(a.orders, 0) <> coalesce(d.orders, 0) OR coalesce(a.items, 0) <> coalesce(d.items, 0)
                OR coalesce(a.revenue, 0) <> coalesce(d.revenue, 0)
                OR coalesce(a.gross_sales, 0) <> coalesce(d.gross_sales, 0)
                OR coalesce(a.discounts, 0) <> coalesce(d.discounts, 0)
                OR coalesce(a.shipping, 0) <> coalesce(d.shipping, 0)
                OR coalesce(a.tax, 0) <> coalesce(d.tax, 0)
                OR coalesce(a.total, 0) <> coalesce(d.total, 0)
                OR coalesce(a.cost, 0) <> coalesce(d.cost, 0)",
        )?,
    ));
    report.push(finding(
        "the hourly sales summary matches the orders",
        problems(conn, &super::order_hourly::check_sql())?,
    ));
    report.push(finding(
        "the daily tax summary matches the orders",
        problems(conn, &super::tax_daily::check_sql())?,
    ));
    report.push(finding(
        "the daily product summary matches the orders and refunds",
        problems(conn, &super::product_summary::check_sql(false))?,
    ));
    report.push(finding(
        "the monthly product summary matches the orders and refunds",
        problems(conn, &super::product_summary::check_sql(true))?,
    ));
    report.push(finding(
        "the daily totals over the products match the daily product summary",
        problems(conn, &super::product_summary::totals_check_sql())?,
    ));
    report.push(finding(
        "each product's totals over all time match the monthly product summary",
        problems(conn, &super::product_summary::lifetime_check_sql())?,
    ));
    // Each order's status history is one chain: it starts from nothing (an
    // order placed here) or from the status an order was imported with (an
    // import records no history, so its first change starts there; an order
    // the change log says was placed here must start from nothing), each
    // change starts where the one before ended, and the last ends at the
    // order's status (a row moved to another order breaks both chains).
    report.push(finding(
        "each order's status history leads to its status",
        problems(
            conn,
            "WITH h AS (
                 SELECT order_id, id, from_status, to_status,
                        lag(to_status) OVER (PARTITION BY order_id ORDER BY id) AS before,
                        row_number() OVER (PARTITION BY order_id ORDER BY id DESC) AS from_end
                 FROM order_status_history)
             SELECT '#' || h.order_id || ' history row ' || h.id || ': '
                    || coalesce(h.from_status, 'new') || ' -> ' || h.to_status
                    || CASE WHEN h.from_status IS NOT h.before
                            THEN ', but the change before ended at ' || coalesce(h.before, 'nothing')
                            ELSE ', but the order is ' || coalesce(o.status, 'missing') END
             FROM h LEFT JOIN orders o ON o.id = h.order_id
             WHERE (h.from_status IS NOT h.before
                    AND (h.before IS NOT NULL
                         OR EXISTS (SELECT 1 FROM change_log c
                                    WHERE c.entity = 'order' AND c.entity_id = h.order_id
                                      AND c.action = 'place')))
                OR (h.from_end = 1 AND h.to_status IS NOT o.status)",
        )?,
    ));
    for (name, sql) in super::customer_figures::checks() {
        report.push(finding(name, problems(conn, &sql)?));
    }
    report.push(finding("every text is valid UTF-8", bad_text(conn)?));
    Ok(Report {
        findings: report.findings,
    })
}

/// Texts whose bytes are not UTF-8 (a flipped bit in a name or a
/// timestamp), in every column of the shop's own (STRICT) tables.
fn bad_text(conn: &Connection) -> Result<(usize, Vec<String>)> {
    let tables: Vec<(String, bool)> = conn
        .prepare(
            "SELECT name, wr FROM pragma_table_list
             WHERE schema = 'main' AND type = 'table' AND strict = 1 ORDER BY name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut n = 0;
    let mut found = Vec::new();
    for (table, without_rowid) in tables {
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_xinfo(?1) WHERE type = 'TEXT' ORDER BY cid")?
            .query_map([&table], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if columns.is_empty() {
            continue;
        }
        let quoted: Vec<String> = columns
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        let key = if without_rowid { "NULL" } else { "rowid" };
        let sql = format!(
            "SELECT {key}, {} FROM \"{}\"",
            quoted.join(", "),
            table.replace('"', "\"\"")
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for (i, column) in columns.iter().enumerate() {
                if let rusqlite::types::ValueRef::Text(bytes) = row.get_ref(i + 1)?
                    && std::str::from_utf8(bytes).is_err()
                {
                    n += 1;
                    if found.len() < 5 {
                        let at: Option<i64> = row.get(0)?;
                        found.push(match at {
                            Some(id) => format!("{table}.{column} of row {id}"),
                            None => format!("{table}.{column}"),
                        });
                    }
                }
            }
        }
    }
    Ok((n, found))
}
