//! A refund's amount without tax and its tax per tax rate, as its credit
//! note gives them (`documents::invoice::refund_tax_per_rate`, the same rule
//! in Rust): the tax report takes refunds off per rate with it, so that a
//! VAT return reads each rate's sales less its refunds.
//!
//! The rule: each rate weighs what the refund took back at it, without tax
//! and in tax. A refund of units: each unit's share of its line's revenue
//! and tax (rounded half up per line, as the refund's own parts are); the
//! shipping given back, at the shipping's rate (as `tax_daily` files the
//! shipping sold), with its share of the shipping's tax. A refund of an amount with
//! no units: every line's revenue and tax when it gave back goods. The
//! refund's goods and shipping (`revenue + shipping`) are spread over the
//! rates by the first weights and its tax by the second, largest remainders
//! first (the lowest rate on a tie), so the parts add up to the refund's
//! (`pricing::spread`). A refund with nothing to weigh it by (goods worth
//! nothing) is all at no rate. Rates that get nothing are left out. A part
//! at no rate that gives back tax (tax an import gave as an amount) is
//! filed as `tax_daily` files such sales, under `tax_daily::AS_GIVEN`.
//! Amounts times weights stay within an i64 up to refunds and lines of
//! about 30 million each; beyond, SQLite multiplies in floating point and
//! a cent may go astray (never an error).
//!
//! Worked out when asked, from the refunds the filter picks (a refund's
//! payments row `p`; refunds picked once, each read through its keys: the
//! joins are CROSS so SQLite keeps that order; only a refund at several
//! rates is spread, one at a single rate is all at it): at a million
//! orders the 60,000 refunds of all time take about 0.3 s, a month's about
//! 0.02 s.
//! Kept nowhere, so nothing can drift from the refunds.

/// CTEs (to follow `WITH` or another CTE, then a comma) ending with
/// `refund_rates(payment_id, rate, taxable, tax)`: the refunds `filter`
/// picks (a condition on the payments row `p`, such as
/// `p.paid_on BETWEEN :from AND :to`), each per rate.
pub(crate) fn ctes(filter: &str) -> String {
    format!(
        "rr_refunds AS MATERIALIZED (
    SELECT p.id AS payment_id, p.order_id, p.revenue + p.shipping AS base_amount, p.tax AS tax_amount,
           p.revenue, p.shipping,
           EXISTS (SELECT 1 FROM refund_items x WHERE x.payment_id = p.id) AS has_units
    FROM payments p
    WHERE p.kind = 'refund' AND ({filter})),
rr_weights AS (
    SELECT r.payment_id, r.base_amount, r.tax_amount, i.tax_rate AS rate,
           (i.revenue * x.quantity * 2 + i.quantity) / (2 * i.quantity) AS wb,
           (i.tax * x.quantity * 2 + i.quantity) / (2 * i.quantity) AS wt
    FROM rr_refunds r
    CROSS JOIN refund_items x ON x.payment_id = r.payment_id
    CROSS JOIN order_items i ON i.id = x.order_item_id
    WHERE i.quantity > 0
    UNION ALL
    SELECT r.payment_id, r.base_amount, r.tax_amount, i.tax_rate, i.revenue, i.tax
    FROM rr_refunds r CROSS JOIN order_items i ON i.order_id = r.order_id
    WHERE NOT r.has_units AND r.revenue > 0
    UNION ALL
    SELECT r.payment_id, r.base_amount, r.tax_amount, o.shipping_rate, r.shipping,
           (o.shipping_tax * r.shipping * 2 + o.shipping) / (2 * o.shipping)
    FROM rr_refunds r CROSS JOIN orders o ON o.id = r.order_id
    WHERE r.shipping > 0 AND o.shipping > 0),
rr_weighed AS MATERIALIZED (
    SELECT payment_id, rate, max(base_amount) AS base_amount, max(tax_amount) AS tax_amount,
           sum(wb) AS wb, sum(wt) AS wt
    FROM rr_weights
    GROUP BY 1, 2
    HAVING sum(wb) > 0 OR sum(wt) > 0),
rr_rates AS MATERIALIZED (
    SELECT * FROM rr_weighed
    UNION ALL
    SELECT r.payment_id, 0, r.base_amount, r.tax_amount, 0, 0
    FROM rr_refunds r
    WHERE NOT EXISTS (SELECT 1 FROM rr_weighed g WHERE g.payment_id = r.payment_id)),
rr_many AS MATERIALIZED (
    SELECT payment_id FROM rr_rates GROUP BY payment_id HAVING count(*) > 1),
rr_shares AS (
    SELECT payment_id, rate, base_amount, tax_amount,
           row_number() OVER (w ORDER BY rate) AS k,
           CASE WHEN sum(wb) OVER w = 0 THEN (row_number() OVER (w ORDER BY rate) = 1) * base_amount
                ELSE base_amount * wb / sum(wb) OVER w END AS b,
           CASE WHEN sum(wb) OVER w = 0 THEN 0 ELSE base_amount * wb % sum(wb) OVER w END AS b_left,
           CASE WHEN sum(wt) OVER w = 0 THEN (row_number() OVER (w ORDER BY rate) = 1) * tax_amount
                ELSE tax_amount * wt / sum(wt) OVER w END AS t,
           CASE WHEN sum(wt) OVER w = 0 THEN 0 ELSE tax_amount * wt % sum(wt) OVER w END AS t_left
    FROM rr_rates
    WHERE payment_id IN (SELECT payment_id FROM rr_many)
    WINDOW w AS (PARTITION BY payment_id)),
rr_cents AS (
    SELECT payment_id, rate, b, t,
           base_amount - sum(b) OVER w AS b_rest, tax_amount - sum(t) OVER w AS t_rest,
           row_number() OVER (w ORDER BY b_left DESC, k) AS b_rank,
           row_number() OVER (w ORDER BY t_left DESC, k) AS t_rank
    FROM rr_shares
    WINDOW w AS (PARTITION BY payment_id)),
rr_out AS (
    SELECT payment_id, rate, CAST(b + (b_rank <= b_rest) AS INTEGER) AS taxable,
           CAST(t + (t_rank <= t_rest) AS INTEGER) AS tax
    FROM rr_cents
    WHERE b + (b_rank <= b_rest) <> 0 OR t + (t_rank <= t_rest) <> 0
    UNION ALL
    SELECT payment_id, rate, base_amount, tax_amount
    FROM rr_rates
    WHERE payment_id NOT IN (SELECT payment_id FROM rr_many)
      AND (base_amount <> 0 OR tax_amount <> 0)),
refund_rates AS (
    SELECT payment_id, CASE WHEN rate = 0 AND tax <> 0 THEN {as_given} ELSE rate END AS rate,
           taxable, tax
    FROM rr_out)",
        as_given = super::tax_daily::AS_GIVEN,
    )
}
