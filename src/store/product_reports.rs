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
//! the months it starts and ends in from `product_daily` (kept in day
//! order: each run of days is one range of pages), a few hundred thousand
//! rows at a million orders.
//! Margin by month needs no product apart: it reads the days' totals over
//! the products (`product_day_totals`), a row per day. Top products,
//! margin by product and category, ABC, the reorder list and dead stock in
//! their own order are worked out in Rust from the same summaries
//! (`product_rows`, `abc`, `stock_lists`; a partial month's days read only
//! where they hold something, see `product_range`), giving the rows of
//! these queries; the queries answer when the rows are sorted another way.

use super::codes;
use crate::domain::ReportKind;

/// The shop's settings the product reports read, with their defaults.
pub const RATE_DAYS: (&str, i64) = ("insights_rate_days", 30);
pub const LEAD_DAYS: (&str, i64) = ("insights_lead_days", 7);
pub const COVER_DAYS: (&str, i64) = ("insights_cover_days", 14);
pub const DEAD_DAYS: (&str, i64) = ("insights_dead_days", 90);

/// A setting as an SQL integer expression, its default when unset.
pub(super) fn setting((key, default): (&str, i64)) -> String {
    format!(
        "coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = '{key}'), {default})"
    )
}

/// The last day on or before :to that the product `:product` sold on
/// (NULL when none). The daily summary is kept in day order, so a product's
/// days are looked up one by one: those of :to's month up to :to (the days
/// anything sold, `product_day_totals`), else those of the last month before
/// it that the product sold in (`product_monthly`, by its key). A day's
/// `sold` is never negative, so a month that sold has a day that did.
pub(super) const LAST_SALE: &str = "coalesce(
        (SELECT max(d.day) FROM product_daily d
         WHERE d.product_id = :product AND d.sold > 0
           AND d.day IN (SELECT t.day FROM product_day_totals t
                         WHERE t.day BETWEEN substr(:to, 1, 7) || '-01' AND :to)),
        (SELECT max(d.day) FROM product_daily d
         WHERE d.product_id = :product AND d.sold > 0
           AND d.day IN (SELECT t.day FROM product_day_totals t,
                             (SELECT max(m.month) AS month FROM product_monthly m
                              WHERE m.product_id = :product AND m.month < substr(:to, 1, 7) AND m.sold > 0) l
                         WHERE t.day BETWEEN l.month || '-01' AND l.month || '-31')))";

/// The sums of each product over :from..:to, as `sums(product_id, sold,
/// refunded, revenue, known_revenue, cost, refund_revenue, known_lines,
/// lines)`, only products something counted for (lines > 0).
fn sums() -> String {
    sums_of(&super::product_summary::VALUES)
}

/// `sums` with only the `columns` named (`lines` among them): fewer sums
/// over a few hundred thousand rows are a good part of the time.
fn sums_of(columns: &[&str]) -> String {
    let list = |prefix: &str| -> String {
        columns
            .iter()
            .map(|c| format!("sum({prefix}{c}) AS {c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (values, d_values) = (list(""), list("d."));
    format!(
        "sums AS (
    SELECT product_id, {values}
    FROM (SELECT product_id, {values}
          FROM product_monthly
          WHERE month > substr(:from, 1, 7) AND month < substr(:to, 1, 7)
          GROUP BY product_id
          UNION ALL
          SELECT d.product_id, {d_values}
          FROM product_daily d
          WHERE d.day BETWEEN :from AND min(:to, substr(:from, 1, 7) || '-31')
          GROUP BY d.product_id
          UNION ALL
          SELECT d.product_id, {d_values}
          FROM product_daily d
          WHERE d.day BETWEEN max(:from, substr(:to, 1, 7) || '-01') AND :to
            AND substr(:to, 1, 7) > substr(:from, 1, 7)
          GROUP BY d.product_id)
    GROUP BY product_id
    HAVING sum(lines) > 0)"
    )
}

/// The products' sums over :from..:to by month, as `rows(month, sold,
/// refunded, revenue, known_revenue, cost, refund_revenue, known_lines,
/// lines)`, from the daily totals over the products (`product_day_totals`:
/// a row per day, where `product_monthly` has one per product and month);
/// `known_lines` counts lines with a known cost (only whether it is 0 is read).
fn month_rows() -> &'static str {
    "rows AS (
    SELECT substr(day, 1, 7) AS month, sum(sold) AS sold, sum(refunded) AS refunded, sum(revenue) AS revenue,
           sum(known_revenue) AS known_revenue, sum(cost) AS cost, sum(refund_revenue) AS refund_revenue,
           sum(known_lines) AS known_lines, sum(lines) AS lines
    FROM product_day_totals
    WHERE day BETWEEN :from AND :to
    GROUP BY 1)"
}

/// What refunds in the range gave back that no unit carries (negative),
/// from the products' sums in the CTE `from` (`sums` or `rows`).
fn loose(from: &str) -> String {
    let sale = codes::sale("status");
    format!(
        "coalesce((SELECT sum(refund_revenue) FROM {from}), 0)
           - coalesce((SELECT sum(revenue) FROM refund_daily WHERE paid_on BETWEEN :from AND :to AND {sale}), 0)"
    )
}

/// The query of a product report (None: not one of them).
pub(super) fn report_sql(kind: ReportKind) -> Option<String> {
    let sums = sums();
    let few = sums_of(&["sold", "refunded", "revenue", "lines"]);
    let sql = match kind {
        ReportKind::TopProducts => format!(
            "WITH {few}
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
           CASE WHEN any_known AND known > 0 THEN printf('%.1f', 100.0 * (known - cost) / known) END
               AS margin_percent,
           unknown
    FROM per
    UNION ALL
    SELECT k, {shown}, quantity, revenue, 0, revenue, NULL, 0 FROM loose WHERE revenue <> 0)
ORDER BY k, revenue DESC, {shown}",
                loose = loose("sums"),
            )
        }
        // Per month, as margin by product: the products' revenue after
        // their refunds; refunds no unit carries a row of their own, last.
        ReportKind::MarginByMonth => format!(
            "WITH {rows},
per AS (
    SELECT month, sum(sold - refunded) AS quantity, sum(revenue) AS revenue, sum(known_revenue) AS known,
           sum(cost) AS cost, sum(revenue - known_revenue) AS unknown, max(known_lines > 0) AS any_known
    FROM rows GROUP BY month HAVING sum(lines) > 0)
SELECT month, quantity, revenue, cost, margin, margin_percent, unknown FROM (
    SELECT 0 AS k, month, quantity, revenue, cost,
           CASE WHEN any_known THEN known - cost END AS margin,
           CASE WHEN any_known AND known > 0 THEN printf('%.1f', 100.0 * (known - cost) / known) END
               AS margin_percent,
           unknown
    FROM per
    UNION ALL
    SELECT 1, 'Refunds not tied to a product', 0, revenue, 0, revenue, NULL, 0
    FROM (SELECT {loose} AS revenue) WHERE revenue <> 0)
ORDER BY k, month",
            rows = month_rows(),
            loose = loose("rows"),
        ),
        // Products by revenue, most first (ties by SKU). A product is in A
        // when the revenue before it is under 80% of the whole, in B when
        // under 95%, else in C (and in C when it earned nothing): A is the
        // first 80% of revenue, the product that crosses 80% included.
        ReportKind::Abc => format!(
            "WITH {few},
ranked AS (
    SELECT p.sku, p.name, coalesce(p.category, '') AS category, s.sold - s.refunded AS quantity, s.revenue,
           sum(s.revenue) OVER (ORDER BY s.revenue DESC, p.sku ROWS UNBOUNDED PRECEDING) - s.revenue AS before,
           sum(s.revenue) OVER () AS total
    FROM sums s JOIN products p ON p.id = s.product_id)
SELECT sku, name, category, quantity, revenue,
       CASE WHEN total > 0 THEN printf('%.1f', 100.0 * revenue / total) END,
       CASE WHEN total > 0 THEN printf('%.1f', 100.0 * (before + revenue) / total) END,
       CASE WHEN total <= 0 OR revenue <= 0 THEN 'C'
            WHEN before * 100 < total * 80 THEN 'A'
            WHEN before * 100 < total * 95 THEN 'B'
            ELSE 'C' END
FROM ranked
ORDER BY revenue DESC, sku"
        ),
        // As of :to: the units each product sold (less those refunded) in
        // the last `RATE_DAYS`, its days of stock left at that rate, and,
        // when that is less than its lead time plus cover days (its own,
        // or the shop's), the units that cover them (rounded up) less its
        // stock. Archived products, and those that do not track stock (a
        // gift card), are left out.
        ReportKind::Reorder => format!(
            "WITH recent AS (
    SELECT p.id, sum(d.sold - d.refunded) AS units
    FROM product_daily d JOIN products p ON p.id = d.product_id
    WHERE d.day BETWEEN date(:to, '-' || ({rate} - 1) || ' days') AND :to
      AND p.archived = 0 AND p.track_stock = 1
    GROUP BY p.id),
r AS (
    SELECT p.sku, p.name, coalesce(p.category, '') AS category, p.stock, p.cost, r.units, {rate} AS n,
           coalesce(p.lead_days, {lead}) AS lead, coalesce(p.cover_days, {cover}) AS cover
    FROM recent r JOIN products p ON p.id = r.id
    WHERE r.units > 0),
need AS (SELECT *, (units * (lead + cover) + n - 1) / n - stock AS suggested FROM r
         WHERE stock * n < units * (lead + cover))
SELECT sku, name, category, stock, units, stock * n / units, lead, cover, suggested, cost, suggested * cost
FROM need
ORDER BY stock * n / units, sku",
            rate = setting(RATE_DAYS),
            lead = setting(LEAD_DAYS),
            cover = setting(COVER_DAYS),
        ),
        // As of :to: products in stock whose last sale is `DEAD_DAYS` or
        // more before it, or that never sold; the most stock value first.
        // Those that sold since are left out first (one run of the days), so
        // only the others' last sale is looked up.
        ReportKind::DeadStock => format!(
            "WITH sold_lately AS (
    SELECT DISTINCT product_id FROM product_daily
    WHERE day > date(:to, '-' || {dead} || ' days') AND day <= :to AND sold > 0),
last AS (
    SELECT p.sku, p.name, coalesce(p.category, '') AS category, p.stock, p.stock * p.cost AS value,
           {last_sale} AS last_sale
    FROM products p
    WHERE p.archived = 0 AND p.stock > 0 AND p.id NOT IN (SELECT product_id FROM sold_lately))
SELECT sku, name, category, stock, last_sale,
       CAST(julianday(:to) - julianday(last_sale) AS INTEGER), value
FROM last
WHERE last_sale IS NULL OR last_sale <= date(:to, '-' || {dead} || ' days')
ORDER BY value DESC, sku",
            dead = setting(DEAD_DAYS),
            last_sale = LAST_SALE.replace(":product", "p.id"),
        ),
        _ => return None,
    };
    Some(sql)
}
