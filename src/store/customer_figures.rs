//! The per-customer summary the customer insights read (migration 0011):
//! each customer's revenue after refunds (`net_revenue`), first and last
//! sale, and per month (`customer_months`) their sales, revenue and the
//! revenue part of refunds, with the month of their first sale (`cohort`);
//! `cohort_months` adds those up per cohort and month (kept by triggers on
//! `customer_months`). Money counts by the README's one rule: sales (not
//! cancelled or returned) at their order date, their refunds at their own.
//!
//! `refresh` recomputes a customer from their orders, in the caller's
//! transaction: every order write of the window (through
//! `orders::refresh_customer`). The bulk writer, which only adds orders,
//! adds what it wrote instead (`store::bulk`'s customers). `checks`
//! are the queries `shopkeeper check` runs to prove the summary equals its
//! recomputation from the raw tables.

use rusqlite::Connection;

use super::{Result, codes};

/// The summary rows of the customers matching `filter` (an SQL condition on
/// `customer_id`), recomputed from orders and payments. `scan` reads the
/// orders in table order instead of through the customer index: for every
/// customer at once (`checks`) that is several times faster than a random
/// read per order (1M orders: 25 s became 7 s).
fn months_sql(filter: &str, scan: bool) -> String {
    let plus = if scan { "+" } else { "" };
    let sale = codes::sale("status");
    let o_sale = codes::sale("o.status");
    format!(
        "WITH sales AS (
    SELECT customer_id, substr(order_date, 1, 7) AS month, count(*) AS orders, sum(revenue) AS revenue,
           0 AS refunds
    FROM orders WHERE {plus}customer_id {filter} AND {sale}
    GROUP BY 1, 2),
back AS (
    SELECT o.customer_id, substr(p.paid_on, 1, 7) AS month, 0 AS orders, 0 AS revenue, sum(p.revenue) AS refunds
    FROM orders o JOIN payments p ON p.order_id = o.id
    WHERE {plus}o.customer_id {filter} AND p.kind = 'refund' AND {o_sale}
    GROUP BY 1, 2),
firsts AS (SELECT customer_id, min(month) AS cohort FROM sales GROUP BY 1)
SELECT m.customer_id, m.month, f.cohort, sum(m.orders) AS orders, sum(m.revenue) AS revenue,
       sum(m.refunds) AS refunds
FROM (SELECT * FROM sales UNION ALL SELECT * FROM back) m
JOIN firsts f ON f.customer_id = m.customer_id
GROUP BY m.customer_id, m.month"
    )
}

/// Recomputes the summary of customer `id` from their orders.
pub fn refresh(conn: &Connection, id: i64) -> Result<()> {
    let sale = codes::sale("o.status");
    conn.prepare_cached("DELETE FROM customer_months WHERE customer_id = ?1")?
        .execute([id])?;
    conn.prepare_cached(&format!(
        "INSERT INTO customer_months (customer_id, month, cohort, orders, revenue, refunds) {}",
        months_sql("= ?1", false)
    ))?
    .execute([id])?;
    conn.prepare_cached(&format!(
        "UPDATE customers SET
             net_revenue = coalesce((SELECT sum(revenue - refunds) FROM customer_months
                                     WHERE customer_id = ?1), 0),
             first_sale_date = (SELECT min(o.order_date) FROM orders o WHERE o.customer_id = ?1 AND {sale}),
             last_sale_date = (SELECT max(o.order_date) FROM orders o WHERE o.customer_id = ?1 AND {sale})
         WHERE id = ?1"
    ))?
    .execute([id])?;
    Ok(())
}

/// `shopkeeper check`'s findings about the summary, each a name and a
/// query whose rows are problems: the summary equals its recomputation.
pub fn checks() -> Vec<(&'static str, String)> {
    let sale = codes::sale("status");
    let customers = (
        "customers' revenue after refunds and first and last sale match their orders",
        format!(
                "WITH s AS (SELECT customer_id, min(order_date) AS first, max(order_date) AS last
                            FROM orders WHERE {sale} GROUP BY 1),
                 m AS (SELECT customer_id, sum(revenue - refunds) AS net FROM ({}) GROUP BY 1)
                 SELECT c.name || ': revenue after refunds ' || c.net_revenue || ', orders say ' || coalesce(m.net, 0)
                        || '; first sale ' || coalesce(c.first_sale_date, 'none') || ', orders say '
                        || coalesce(s.first, 'none') || '; last sale ' || coalesce(c.last_sale_date, 'none')
                        || ', orders say ' || coalesce(s.last, 'none')
                 FROM customers c
                 LEFT JOIN s ON s.customer_id = c.id
                 LEFT JOIN m ON m.customer_id = c.id
                 WHERE c.net_revenue <> coalesce(m.net, 0) OR c.first_sale_date IS NOT s.first
                    OR c.last_sale_date IS NOT s.last",
                months_sql("IS NOT NULL", true)
            ),
    );
    let months = (
        "the monthly customer summary matches the orders and refunds",
        format!(
                "WITH actual AS ({}),
                 keys AS (SELECT customer_id, month FROM actual UNION SELECT customer_id, month FROM customer_months)
                 SELECT 'customer ' || k.customer_id || ' ' || k.month || ': kept ' || coalesce(d.orders, 0)
                        || ' sales of ' || coalesce(d.revenue, 0) || ' less ' || coalesce(d.refunds, 0)
                        || ' (cohort ' || coalesce(d.cohort, 'none') || '), orders say ' || coalesce(a.orders, 0)
                        || ' of ' || coalesce(a.revenue, 0) || ' less ' || coalesce(a.refunds, 0)
                        || ' (cohort ' || coalesce(a.cohort, 'none') || ')'
                 FROM keys k
                 LEFT JOIN actual a ON a.customer_id = k.customer_id AND a.month = k.month
                 LEFT JOIN customer_months d ON d.customer_id = k.customer_id AND d.month = k.month
                 WHERE a.cohort IS NOT d.cohort OR coalesce(a.orders, 0) <> coalesce(d.orders, 0)
                    OR coalesce(a.revenue, 0) <> coalesce(d.revenue, 0)
                    OR coalesce(a.refunds, 0) <> coalesce(d.refunds, 0)",
                months_sql("IS NOT NULL", true)
            ),
    );
    let cohorts = (
        "the cohort summary adds up the monthly customer summary",
        "WITH actual AS (SELECT cohort, month, sum(orders > 0) AS customers, sum(orders) AS orders,
                                    sum(revenue - refunds) AS revenue
                             FROM customer_months GROUP BY 1, 2),
                  kept AS (SELECT * FROM cohort_months WHERE customers <> 0 OR orders <> 0 OR revenue <> 0),
                  keys AS (SELECT cohort, month FROM actual UNION SELECT cohort, month FROM kept)
             SELECT k.cohort || ' ' || k.month || ': kept ' || coalesce(d.customers, 0) || ' customers, '
                    || coalesce(d.orders, 0) || ' sales, ' || coalesce(d.revenue, 0) || '; customers say '
                    || coalesce(a.customers, 0) || ', ' || coalesce(a.orders, 0) || ', ' || coalesce(a.revenue, 0)
             FROM keys k
             LEFT JOIN actual a ON a.cohort = k.cohort AND a.month = k.month
             LEFT JOIN kept d ON d.cohort = k.cohort AND d.month = k.month
             WHERE coalesce(a.customers, 0) <> coalesce(d.customers, 0)
                OR coalesce(a.orders, 0) <> coalesce(d.orders, 0)
                OR coalesce(a.revenue, 0) <> coalesce(d.revenue, 0)"
            .to_owned(),
    );
    vec![customers, months, cohorts]
}
