//! The queries of the reports about money: sales by date, tax, payments
//! and top customers (those about products are in `product_reports`). They all count money by one rule
//! (the README's "How money counts"): an order that ended cancelled or
//! returned does not count at all; any other order counts at its order date
//! with its figures (from the daily summaries `order_daily` and, per tax
//! rate, `tax_daily`, or its lines);
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
        Period::Quarter => format!(
            "substr({column}, 1, 4) || '-Q' || ((CAST(substr({column}, 6, 2) AS INTEGER) + 2) / 3)"
        ),
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
        // shipping's at its rate (from the daily tax summary `tax_daily`;
        // a rate is listed where something was sold at it, even for 0; tax
        // an import gave as an amount, with no rate, is "Tax as given", kept
        // apart from sales at no rate and no tax: `tax_daily::AS_GIVEN`),
        // each followed by what refunds dated in the period gave back at it
        // (negative; split per rate as their credit notes are:
        // `refund_rates`), so each rate's sales less its refunds can be read.
        ReportKind::Tax => format!(
            "WITH {refunds_per_rate},
rated AS (
    SELECT {pd} AS period, 0 AS k, rate, sum(taxable) AS taxable, sum(tax) AS tax
    FROM tax_daily d
    WHERE day BETWEEN :from AND :to AND parts > 0
    GROUP BY period, rate),
refunds AS (
    SELECT {pr} AS period, 1 AS k, rr.rate,
           -sum(rr.taxable) AS taxable, -sum(rr.tax) AS tax
    FROM refund_rates rr JOIN payments p ON p.id = rr.payment_id
    GROUP BY period, rr.rate),
rows AS (SELECT * FROM rated UNION ALL SELECT * FROM refunds)
SELECT period,
       CASE WHEN rate = {as_given} THEN 'Tax as given'
            ELSE coalesce((SELECT t.name FROM tax_rates t WHERE t.rate = x.rate ORDER BY t.archived, t.id LIMIT 1),
                          CASE WHEN rate = 0 THEN 'No tax' ELSE 'Tax' END) END
       || CASE WHEN k = 1 THEN ' (refunds)' ELSE '' END,
       CASE WHEN rate = {as_given} THEN '' ELSE {pct} END,
       taxable, tax, taxable + tax
FROM rows x
ORDER BY period, rate DESC, k",
            refunds_per_rate = super::refund_rates::ctes(&format!(
                "p.paid_on BETWEEN :from AND :to
                 AND (SELECT {o_sale} FROM orders o WHERE o.id = p.order_id)"
            )),
            pd = period(by, "day"),
            pr = period(by, "p.paid_on"),
            pct = percent_text("rate"),
            as_given = super::tax_daily::AS_GIVEN,
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
        // Per period and method: what came in (payments) and went out
        // (refunds), whatever became of the order, as the payments report.
        ReportKind::PaymentsByMethod => format!(
            "SELECT {pp}, method,
       sum(kind = 'payment'), sum(CASE WHEN kind = 'payment' THEN amount ELSE 0 END),
       sum(kind = 'refund'), sum(CASE WHEN kind = 'refund' THEN amount ELSE 0 END),
       sum(CASE WHEN kind = 'refund' THEN -amount ELSE amount END)
FROM payments
WHERE paid_on BETWEEN :from AND :to
GROUP BY 1, 2
ORDER BY 1, 2",
            pp = period(by, "paid_on"),
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
