-- Version 17: each product's sums over all time (product_totals), the daily
-- product summary (product_daily, migration 12) summed over the days, one row
-- per product, so that top products, margin and ABC over all time (from the
-- first order to today, their default) read ten thousand rows instead of every
-- product's every month (a few thousand pages at a million orders, each
-- decrypted on an encrypted shop). Kept by triggers on product_daily (named
-- like its own, so a bulk write drops and adds them with the others, adding
-- what it wrote itself); `shopkeeper check` proves it equals the sums of
-- product_monthly.

CREATE TABLE product_totals (
    product_id     INTEGER PRIMARY KEY,
    sold           INTEGER NOT NULL DEFAULT 0,
    refunded       INTEGER NOT NULL DEFAULT 0,
    revenue        INTEGER NOT NULL DEFAULT 0,
    known_revenue  INTEGER NOT NULL DEFAULT 0,
    cost           INTEGER NOT NULL DEFAULT 0,
    refund_revenue INTEGER NOT NULL DEFAULT 0,
    known_lines    INTEGER NOT NULL DEFAULT 0,
    lines          INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO product_totals (product_id, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
SELECT product_id, sum(sold), sum(refunded), sum(revenue), sum(known_revenue), sum(cost), sum(refund_revenue), sum(known_lines), sum(lines)
FROM product_monthly GROUP BY product_id;

CREATE TRIGGER product_daily_lifetime_insert AFTER INSERT ON product_daily BEGIN
    INSERT INTO product_totals (product_id, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    VALUES (new.product_id, new.sold, new.refunded, new.revenue, new.known_revenue, new.cost, new.refund_revenue, new.known_lines, new.lines)
    ON CONFLICT (product_id) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_lifetime_update AFTER UPDATE ON product_daily BEGIN
    INSERT INTO product_totals (product_id, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    VALUES (new.product_id, new.sold - old.sold, new.refunded - old.refunded, new.revenue - old.revenue, new.known_revenue - old.known_revenue, new.cost - old.cost, new.refund_revenue - old.refund_revenue, new.known_lines - old.known_lines, new.lines - old.lines)
    ON CONFLICT (product_id) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;
