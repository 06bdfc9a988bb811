-- Version 18: the daily product summary (product_daily, migration 12) kept in
-- day order, (day, product_id), instead of (product_id, day). What reads it
-- reads days: a range's partial months (ABC, top products, margin), the last
-- 30 days of every product (the reorder list), days after a month's last
-- sale. In day order those are one run of pages (about 550 for 30 days at a
-- million orders) where each product's days were a page apart (about 10,000
-- page reads, each decrypted on an encrypted shop). Whole months and all time
-- still come from product_monthly and product_totals, keyed by product.
--
-- The rows are copied aside, the table made anew in day order and filled
-- again (no ALTER TABLE RENAME: it would first check the triggers of
-- order_items, refunds and payments that write this table against a schema
-- without it, and it opens the connection's temporary database, after which
-- a bulk write on the same connection could not change where its sorts
-- spill). Those triggers name the table only and keep working; its own
-- triggers go with the old table and are made again below.

CREATE TABLE product_daily_aside AS SELECT * FROM product_daily;

DROP TABLE product_daily;

CREATE TABLE product_daily (
    product_id     INTEGER NOT NULL,
    day            TEXT NOT NULL,
    sold           INTEGER NOT NULL DEFAULT 0,
    refunded       INTEGER NOT NULL DEFAULT 0,
    revenue        INTEGER NOT NULL DEFAULT 0,
    known_revenue  INTEGER NOT NULL DEFAULT 0,
    cost           INTEGER NOT NULL DEFAULT 0,
    refund_revenue INTEGER NOT NULL DEFAULT 0,
    known_lines    INTEGER NOT NULL DEFAULT 0,
    lines          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, product_id)
) STRICT, WITHOUT ROWID;

INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
SELECT product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines
FROM product_daily_aside ORDER BY day, product_id;

DROP TABLE product_daily_aside;

CREATE TRIGGER product_monthly_insert AFTER INSERT ON product_daily BEGIN
    INSERT INTO product_monthly (product_id, month, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    VALUES (new.product_id, substr(new.day, 1, 7), new.sold, new.refunded, new.revenue, new.known_revenue, new.cost, new.refund_revenue, new.known_lines, new.lines)
    ON CONFLICT (product_id, month) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;

END;

CREATE TRIGGER product_monthly_update AFTER UPDATE ON product_daily BEGIN
    INSERT INTO product_monthly (product_id, month, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    VALUES (new.product_id, substr(new.day, 1, 7), new.sold - old.sold, new.refunded - old.refunded, new.revenue - old.revenue, new.known_revenue - old.known_revenue, new.cost - old.cost, new.refund_revenue - old.refund_revenue, new.known_lines - old.known_lines, new.lines - old.lines)
    ON CONFLICT (product_id, month) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;

END;

CREATE TRIGGER product_daily_totals_insert AFTER INSERT ON product_daily BEGIN
    INSERT INTO product_day_totals (day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    VALUES (new.day, new.sold, new.refunded, new.revenue, new.known_revenue, new.cost, new.refund_revenue, new.known_lines, new.lines)
    ON CONFLICT (day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;

END;

CREATE TRIGGER product_daily_totals_update AFTER UPDATE ON product_daily BEGIN
    INSERT INTO product_day_totals (day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    VALUES (new.day, new.sold - old.sold, new.refunded - old.refunded, new.revenue - old.revenue, new.known_revenue - old.known_revenue, new.cost - old.cost, new.refund_revenue - old.refund_revenue, new.known_lines - old.known_lines, new.lines - old.lines)
    ON CONFLICT (day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;

END;

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

