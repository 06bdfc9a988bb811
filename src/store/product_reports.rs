//! The reports about products, read from the per-product summaries
//! (`product_daily`, `product_monthly`; see `product_summary`) instead of
//! every order line: top products, margin by product, category and month,
//! ABC classes, the reorder list and dead stock.
//!
//! They count money by the one rule (the README's "How money counts"): an
//! order that ended cancelled or returned does not count at all; any other
//! order's lines count at its order date; each refund of such an order
//! counts at its own date, its revenue part split over the products of the
//! units it took back by their share of the lines' revenue (rounded per
//! line); what no unit carries (a refund of an amount alone) is named apart.
//! The summaries hold exactly those figures, so these reports give what a
//! computation over the raw tables gives (the tests compare them).
//!
//! A range is read as whole months from `product_monthly` and the days of
//! the months it starts and ends in from `product_daily`, each product's
//! days found by its key: a few hundred thousand rows at a million orders.

use super::codes;
use crate::domain::ReportKind;

/// The sums of each product over :from..:to, as `sums(product_id, sold,
/// refunded, revenue, known_revenue, cost, refund_revenue, known_lines,
/// lines)`, only products something counted for (lines > 0).
fn sums() -> String {
    let values = "sum(sold) AS sold, sum(refunded) AS refunded, sum(revenue) AS revenue,
           sum(known_revenue) AS known_revenue, sum(cost) AS cost, sum(refund_revenue) AS refund_revenue,
           sum(known_lines) AS known_lines, sum(lines) AS lines";
    let d_values = values.replace("sum(", "sum(d.");
    format!(
        "sums AS (
    SELECT product_id, {values}
    FROM (SELECT product_id, {values}
          FROM product_monthly
          WHERE month > substr(:from, 1, 7) AND month < substr(:to, 1, 7)
          GROUP BY product_id
          UNION ALL
          SELECT d.product_id, {d_values}
          FROM products p CROSS JOIN product_daily d
              ON d.product_id = p.id AND d.day BETWEEN :from AND min(:to, substr(:from, 1, 7) || '-31')
          GROUP BY d.product_id
          UNION ALL
          SELECT d.product_id, {d_values}
          FROM products p CROSS JOIN product_daily d
              ON d.product_id = p.id AND d.day BETWEEN max(:from, substr(:to, 1, 7) || '-01') AND :to
          WHERE substr(:to, 1, 7) > substr(:from, 1, 7)
          GROUP BY d.product_id)
    GROUP BY product_id
    HAVING sum(lines) > 0)"
    )
}

/// What refunds in the range gave back that no unit carries (negative).
fn loose() -> String {
    let sale = codes::sale("status");
    format!(
        "coalesce((SELECT sum(refund_revenue) FROM sums), 0)
           - coalesce((SELECT sum(revenue) FROM refund_daily WHERE paid_on BETWEEN :from AND :to AND {sale}), 0)"
    )
}

/// The query of a product report (None: not one of them).
pub(super) fn report_sql(kind: ReportKind) -> Option<String> {
    let sums = sums();
    let sql = match kind {
        ReportKind::TopProducts => format!(
            "WITH {sums}
SELECT p.sku, p.name, s.sold - s.refunded, s.revenue
FROM sums s JOIN products p ON p.id = s.product_id
ORDER BY 4 DESC, 3 DESC, p.sku
LIMIT :limit"
        ),
        // Per product (or category): sales and refunds as for top products;
        // cost and margin only over the lines sold at a known cost (a cost
        // of 0 is unknown), the rest under revenue_without_cost. Refunds no
        // unit carries are a row of their own, last.
        ReportKind::Margin | ReportKind::MarginByCategory => {
            let (names, key, shown, label) = if kind == ReportKind::Margin {
                (
                    "p.sku AS sku, p.name AS product",
                    "s.product_id",
                    "sku, product",
                    "'' AS sku, 'Refunds not tied to a product' AS product",
                )
            } else {
                (
                    "coalesce(p.category, 'No category') AS category",
                    "coalesce(p.category, 'No category')",
                    "category",
                    "'Refunds not tied to a product' AS category",
                )
            };
            format!(
                "WITH {sums},
per AS (
    SELECT 0 AS k, {names}, sum(s.sold - s.refunded) AS quantity, sum(s.revenue) AS revenue,
           sum(s.known_revenue) AS known, sum(s.cost) AS cost, sum(s.revenue - s.known_revenue) AS unknown,
           max(s.known_lines > 0) AS any_known
    FROM sums s JOIN products p ON p.id = s.product_id
    GROUP BY {key}),
loose AS (SELECT 1 AS k, {label}, 0 AS quantity, {loose} AS revenue)
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
                loose = loose(),
            )
        }
        _ => return None,
    };
    Some(sql)
}
