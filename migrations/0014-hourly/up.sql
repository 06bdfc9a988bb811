-- Version 14: two small summaries, so that reports over all time read a few
-- thousand rows instead of a million orders or a few hundred thousand
-- product rows.
--
-- order_hourly: the orders that count as sales and their revenue as sold,
-- per local day and hour they were taken, for Insights > Time's sales by
-- weekday and hour (report `weekday-hour`).
--
-- One row per day and hour (0-23, from order_time) a sale was taken on: an
-- order counts while it is not cancelled or returned (the one rule of the
-- README's "How money counts"); revenue is orders.revenue (a refund has a
-- day but no hour, so it is not spread over the hours). A row can fall to 0
-- orders when its orders are cancelled or moved. Kept by the triggers below
-- in the same transaction as every change to orders; `shopkeeper check`
-- proves it equals its recomputation. At a million orders over three years
-- it is some 26,000 rows.

CREATE TABLE order_hourly (
    order_date TEXT NOT NULL,
    hour       INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    orders     INTEGER NOT NULL CHECK (orders >= 0),
    revenue    INTEGER NOT NULL CHECK (revenue >= 0),
    PRIMARY KEY (order_date, hour)
) STRICT, WITHOUT ROWID;

INSERT INTO order_hourly (order_date, hour, orders, revenue)
SELECT order_date, CAST(substr(order_time, 1, 2) AS INTEGER), count(*), sum(revenue)
FROM orders WHERE status NOT IN ('cancelled', 'returned')
GROUP BY 1, 2;

CREATE TRIGGER order_hourly_insert AFTER INSERT ON orders
WHEN new.status NOT IN ('cancelled', 'returned') BEGIN
    INSERT INTO order_hourly (order_date, hour, orders, revenue)
    VALUES (new.order_date, CAST(substr(new.order_time, 1, 2) AS INTEGER), 1, new.revenue)
    ON CONFLICT (order_date, hour) DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER order_hourly_update AFTER UPDATE OF order_date, order_time, status, revenue ON orders
WHEN old.status NOT IN ('cancelled', 'returned') OR new.status NOT IN ('cancelled', 'returned') BEGIN
    UPDATE order_hourly SET orders = orders - 1, revenue = revenue - old.revenue
    WHERE old.status NOT IN ('cancelled', 'returned')
      AND order_date = old.order_date AND hour = CAST(substr(old.order_time, 1, 2) AS INTEGER);
    INSERT INTO order_hourly (order_date, hour, orders, revenue)
    SELECT new.order_date, CAST(substr(new.order_time, 1, 2) AS INTEGER), 1, new.revenue
    WHERE new.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (order_date, hour) DO UPDATE SET orders = orders + 1, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER order_hourly_delete AFTER DELETE ON orders
WHEN old.status NOT IN ('cancelled', 'returned') BEGIN
    UPDATE order_hourly SET orders = orders - 1, revenue = revenue - old.revenue
    WHERE order_date = old.order_date AND hour = CAST(substr(old.order_time, 1, 2) AS INTEGER);
END;

-- product_day_totals: the daily product summary (product_daily, migration 12)
-- summed over the products, one row per day, for margin by month (report
-- `margin-by-month`). Kept by triggers on product_daily (named like its own,
-- so a bulk write drops and adds them with the others); `shopkeeper check`
-- proves it equals the sums of product_daily.

CREATE TABLE product_day_totals (
    day            TEXT NOT NULL PRIMARY KEY,
    sold           INTEGER NOT NULL DEFAULT 0,
    refunded       INTEGER NOT NULL DEFAULT 0,
    revenue        INTEGER NOT NULL DEFAULT 0,
    known_revenue  INTEGER NOT NULL DEFAULT 0,
    cost           INTEGER NOT NULL DEFAULT 0,
    refund_revenue INTEGER NOT NULL DEFAULT 0,
    known_lines    INTEGER NOT NULL DEFAULT 0,
    lines          INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

INSERT INTO product_day_totals (day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
SELECT day, sum(sold), sum(refunded), sum(revenue), sum(known_revenue), sum(cost), sum(refund_revenue),
       sum(known_lines), sum(lines)
FROM product_daily GROUP BY day;

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
