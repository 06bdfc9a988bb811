//! The queries of the reports about money: sales by date, tax, payments,
//! margin, top products and top customers. They all count money by one rule
//! (the README's "How money counts"): an order that ended cancelled or
//! returned does not count at all; any other order counts at its order date
//! with its figures (from the daily summary `order_daily`, or its lines);
//! each refund of such an order counts at its own date, taken off (from the
//! daily refund summary `refund_daily`, or the payments and their units).
//! A refund's revenue part is split over the products of the units it took
//! back by their share of the lines' revenue (rounded per line; what no
//! unit carries, such as a refund of an amount alone, is named apart).

use super::codes;
use crate::domain::{Period, ReportKind};

/// The period a day falls in, as the reports write it.
pub(crate) fn period(by: Period, column: &str) -> String {
    match by {
        Period::Day => column.to_owned(),
        // The Monday that starts the ISO week.
        // The day that starts the week, the shop's first day of the week
        // (Settings > Formats; Monday, as ISO weeks, unless it says otherwise).
        Period::Week => format!("date({column}, '-6 days', 'weekday ' || {})", week_start()),
        Period::Month => format!("substr({column}, 1, 7)"),
    }
}

/// The shop's first day of the week as SQLite counts weekdays (0 is
/// Sunday), read from the settings once per query.
pub(crate) fn week_start() -> String {
    use crate::domain::format::WeekStart;
    let cases: Vec<String> = WeekStart::ALL
        .iter()
        .map(|w| format!("WHEN '{}' THEN {}", w.code(), w.weekday_number()))
        .collect();
    format!(
        "coalesce((SELECT CASE value {} END FROM settings WHERE key = 'week_start'), 1)",
        cases.join(" ")
    )
}

/// A rate in thousandths of a percent as its percent text: 20000 -> '20', 5500 -> '5.5'.
fn percent_text(column: &str) -> String {
    format!(
        "CASE WHEN {column} % 1000 = 0 THEN CAST({column} / 1000 AS TEXT)
              ELSE rtrim(printf('%d.%03d', {column} / 1000, {column} % 1000), '0') END"
    )
}

/// The units refunds dated in the range took back from sales, each with its
/// product, its share of the refund's revenue (negative: taken off), and
/// its cost when it went back into stock. `whole` is what the refund's
/// units were worth, by which its revenue part is split.
fn refunded_units() -> String {
    let o_sale = codes::sale("o.status");
    format!(
        "refund_lines AS (
    SELECT p.id AS payment, p.revenue AS paid_back, i.product_id, i.unit_cost, r.quantity, r.restocked,
           (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth
    FROM payments p
    JOIN orders o ON o.id = p.order_id
    JOIN refund_items r ON r.payment_id = p.id
    JOIN order_items i ON i.id = r.order_item_id
    WHERE p.kind = 'refund' AND p.paid_on BETWEEN :from AND :to AND {o_sale}),
refund_shares AS (
    SELECT *, sum(worth) OVER (PARTITION BY payment) AS whole FROM refund_lines),
refunded AS (
    SELECT product_id, unit_cost, -quantity AS quantity,
           -CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS revenue,
           CASE WHEN restocked THEN -quantity * unit_cost ELSE 0 END AS cost
    FROM refund_shares)"
    )
}

/// The lines of sales dated in the range, as `refunded` has them.
fn sold_lines() -> String {
    let o_sale = codes::sale("o.status");
    format!(
        "sold AS (
    SELECT i.product_id, i.unit_cost, i.quantity, i.revenue, i.quantity * i.unit_cost AS cost
    FROM order_items i
    JOIN orders o ON o.id = i.order_id
    WHERE o.order_date BETWEEN :from AND :to AND {o_sale})"
    )
}

/// The query of a money report (None: not one of them).
pub(super) fn report_sql(kind: ReportKind, by: Period) -> Option<String> {
    let sale = codes::sale("status");
    let o_sale = codes::sale("o.status");
    let sql = match kind {
        // Every period of the range, empty ones as zeros: each day of the
        // range (as zeros), the daily summary's rows of sales and the daily
        // refunds, summed per period in one pass (a join of the days to the
        // summary, then of the periods to the refunds, took a fifth longer).
        ReportKind::SalesByDate => format!(
            "WITH RECURSIVE days(d) AS (
    SELECT :from
    UNION ALL SELECT date(d, '+1 day') FROM days WHERE d < :to),
parts(day, orders, items, gross_sales, discounts, revenue, shipping, tax, total, refunds) AS (
    SELECT d, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM days
    UNION ALL
    SELECT order_date, orders, items, gross_sales, discounts, revenue, shipping, tax, total, 0
    FROM order_daily
    WHERE order_date BETWEEN :from AND :to AND {sale}
    UNION ALL
    SELECT paid_on, 0, 0, 0, 0, 0, 0, 0, 0, amount
    FROM refund_daily
    WHERE paid_on BETWEEN :from AND :to AND {sale})
SELECT {pd}, sum(orders), sum(items), sum(gross_sales), sum(discounts), sum(revenue), sum(shipping),
       sum(tax), sum(total), sum(refunds)
FROM parts
GROUP BY 1
ORDER BY 1",
            pd = period(by, "day"),
        ),
        // Per period and rate as sold: the goods' revenue and tax, the
        // shipping's at its rate, then what refunds gave back (their tax
        // part is not kept per rate, so it is a row of its own).
        ReportKind::Tax => format!(
            "WITH parts AS (
    SELECT {po} AS period, i.tax_rate AS rate, i.revenue AS taxable, i.tax AS tax
    FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE o.order_date BETWEEN :from AND :to AND {o_sale}
    UNION ALL
    SELECT {po}, o.shipping_rate, o.shipping, o.shipping_tax
    FROM orders o
    WHERE o.order_date BETWEEN :from AND :to AND {o_sale} AND (o.shipping <> 0 OR o.shipping_tax <> 0)),
rated AS (
    SELECT period, 0 AS k, rate,
           coalesce((SELECT t.name FROM tax_rates t WHERE t.rate = parts.rate ORDER BY t.archived, t.id LIMIT 1),
                    CASE WHEN rate = 0 THEN 'No tax' ELSE 'Tax' END) AS name,
           {pct} AS percent, sum(taxable) AS taxable, sum(tax) AS tax
    FROM parts GROUP BY period, rate),
refunds AS (
    SELECT {pr} AS period, 1 AS k, 0 AS rate, 'Refunds' AS name, '' AS percent,
           -sum(revenue + shipping) AS taxable, -sum(tax) AS tax
    FROM refund_daily
    WHERE paid_on BETWEEN :from AND :to AND {sale}
    GROUP BY 1
    HAVING sum(amount) <> 0)
SELECT period, name, percent, taxable, tax
FROM (SELECT * FROM rated UNION ALL SELECT * FROM refunds)
ORDER BY period, k, rate DESC",
            po = period(by, "o.order_date"),
            pr = period(by, "paid_on"),
            pct = percent_text("rate"),
        ),
        // Money in and out, whatever became of the order: refunds negative.
        ReportKind::Payments => "SELECT p.paid_on, printf('#%06d', p.order_id), c.name, p.method,
       CASE WHEN p.kind = 'refund' THEN -p.amount ELSE p.amount END, p.kind
FROM payments p
JOIN orders o ON o.id = p.order_id
JOIN customers c ON c.id = o.customer_id
WHERE p.paid_on BETWEEN :from AND :to
ORDER BY p.paid_on, p.id"
            .to_owned(),
        // Per product (or category): sales and refunds as for top products;
        // cost and margin only over the lines sold at a known cost (a cost
        // of 0 is unknown), the rest under revenue_without_cost. Refunds no
        // unit carries are a row of their own, last.
        ReportKind::Margin | ReportKind::MarginByCategory => {
            let (names, key, loose) = if kind == ReportKind::Margin {
                (
                    "p.sku AS sku, p.name AS product",
                    "l.product_id",
                    "'' AS sku, 'Refunds not tied to a product' AS product",
                )
            } else {
                (
                    "coalesce(p.category, 'No category') AS category",
                    "coalesce(p.category, 'No category')",
                    "'Refunds not tied to a product' AS category",
                )
            };
            let shown = if kind == ReportKind::Margin {
                "sku, product"
            } else {
                "category"
            };
            format!(
                "WITH {sold},
{refunded},
lines AS (SELECT * FROM sold UNION ALL SELECT product_id, unit_cost, quantity, revenue, cost FROM refunded),
per AS (
    SELECT 0 AS k, {names}, sum(l.quantity) AS quantity, sum(l.revenue) AS revenue,
           sum(CASE WHEN l.unit_cost > 0 THEN l.revenue ELSE 0 END) AS known,
           sum(CASE WHEN l.unit_cost > 0 THEN l.cost ELSE 0 END) AS cost,
           sum(CASE WHEN l.unit_cost > 0 THEN 0 ELSE l.revenue END) AS unknown,
           max(l.unit_cost > 0) AS any_known
    FROM lines l JOIN products p ON p.id = l.product_id
    GROUP BY {key}),
loose AS (
    SELECT 1 AS k, {loose}, 0 AS quantity,
           -coalesce((SELECT sum(revenue) FROM refunded), 0)
           - coalesce((SELECT sum(revenue) FROM refund_daily WHERE paid_on BETWEEN :from AND :to AND {sale}), 0)
           AS revenue)
SELECT {shown}, quantity, revenue, cost, margin, margin_percent, unknown FROM (
    SELECT k, {shown}, quantity, revenue, cost,
           CASE WHEN any_known THEN known - cost END AS margin,
           CASE WHEN any_known AND known <> 0 THEN printf('%.1f', 100.0 * (known - cost) / known) END
               AS margin_percent,
           unknown
    FROM per
    UNION ALL
    SELECT k, {shown}, quantity, revenue, 0, revenue, NULL, 0 FROM loose WHERE revenue <> 0)
ORDER BY k, revenue DESC, {shown}",
                sold = sold_lines(),
                refunded = refunded_units(),
            )
        }
        ReportKind::TopProducts => format!(
            "WITH {sold},
{refunded},
lines AS (SELECT product_id, quantity, revenue FROM sold
          UNION ALL SELECT product_id, quantity, revenue FROM refunded)
SELECT p.sku, p.name, sum(l.quantity), sum(l.revenue)
FROM lines l JOIN products p ON p.id = l.product_id
GROUP BY l.product_id
ORDER BY 4 DESC, 3 DESC, p.sku
LIMIT :limit",
            sold = sold_lines(),
            refunded = refunded_units(),
        ),
        // Revenue after refunds: the customer's sales dated in the range,
        // less the revenue part of their refunds dated in it.
        ReportKind::TopCustomers => format!(
            "WITH sales AS (
    SELECT o.customer_id, count(*) AS orders, sum(o.revenue) AS revenue
    FROM orders o
    WHERE o.order_date BETWEEN :from AND :to AND {o_sale}
    GROUP BY o.customer_id),
back AS (
    SELECT o.customer_id, 0 AS orders, -sum(p.revenue) AS revenue
    FROM payments p JOIN orders o ON o.id = p.order_id
    WHERE p.kind = 'refund' AND p.paid_on BETWEEN :from AND :to AND {o_sale}
    GROUP BY o.customer_id),
money AS (
    SELECT customer_id, sum(orders) AS orders, sum(revenue) AS revenue
    FROM (SELECT * FROM sales UNION ALL SELECT * FROM back)
    GROUP BY customer_id)
SELECT c.name, coalesce(c.email, ''), m.orders, m.revenue
FROM money m JOIN customers c ON c.id = m.customer_id
ORDER BY 4 DESC, 3 DESC, c.name
LIMIT :limit"
        ),
        _ => return None,
    };
    Some(sql)
}
