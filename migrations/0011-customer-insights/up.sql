-- Version 11: what the customer insights read (lifetime value, RFM segments,
-- cohorts, new against returning customers), so that no view scans a
-- million orders. Everything here follows the README's "How money counts":
-- only orders that count as sales (not cancelled or returned), each at its
-- order date; each refund of such an order at its own date (payments.paid_on),
-- its revenue part taken off.
--
-- Beside what customers already keep (order_count, sale_count, total_spent,
-- first/last_order_date over all their orders), each customer keeps:
--   net_revenue      revenue of their sales less the refunds' revenue parts
--   first_sale_date, last_sale_date   their first and last sale (NULL: none)
-- and per customer and month (customer_months) the sales dated in it, their
-- revenue and the revenue part of the refunds dated in it; `cohort` is the
-- month of the customer's first sale, repeated on each of their rows.
-- cohort_months adds customer_months up per cohort and month (triggers).
--
-- Kept by store::orders::refresh_customer (every order change of the
-- window) and the bulk writer (demo, import) in the same transaction as the
-- orders, and proved by `shopkeeper check`. The statuses that are not sales
-- are written out as codes::not_sale lists them.

ALTER TABLE customers ADD COLUMN net_revenue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE customers ADD COLUMN first_sale_date TEXT;
ALTER TABLE customers ADD COLUMN last_sale_date TEXT;

CREATE TABLE customer_months (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    month       TEXT NOT NULL,
    cohort      TEXT NOT NULL,
    orders      INTEGER NOT NULL CHECK (orders >= 0),
    revenue     INTEGER NOT NULL,
    refunds     INTEGER NOT NULL,
    PRIMARY KEY (customer_id, month)
) STRICT, WITHOUT ROWID;

CREATE TABLE cohort_months (
    cohort    TEXT NOT NULL,
    month     TEXT NOT NULL,
    -- customers of the cohort with a sale dated in the month
    customers INTEGER NOT NULL,
    orders    INTEGER NOT NULL,
    -- revenue after refunds
    revenue   INTEGER NOT NULL,
    PRIMARY KEY (cohort, month)
) STRICT, WITHOUT ROWID;

WITH sales AS (
    SELECT customer_id, substr(order_date, 1, 7) AS month, count(*) AS orders, sum(revenue) AS revenue,
           0 AS refunds
    FROM orders WHERE status <> 'cancelled' AND status <> 'returned'
    GROUP BY 1, 2),
back AS (
    SELECT o.customer_id, substr(p.paid_on, 1, 7) AS month, 0 AS orders, 0 AS revenue, sum(p.revenue) AS refunds
    FROM payments p JOIN orders o ON o.id = p.order_id
    WHERE p.kind = 'refund' AND o.status <> 'cancelled' AND o.status <> 'returned'
    GROUP BY 1, 2),
firsts AS (SELECT customer_id, min(month) AS cohort FROM sales GROUP BY 1)
INSERT INTO customer_months (customer_id, month, cohort, orders, revenue, refunds)
SELECT m.customer_id, m.month, f.cohort, sum(m.orders), sum(m.revenue), sum(m.refunds)
FROM (SELECT * FROM sales UNION ALL SELECT * FROM back) m
JOIN firsts f ON f.customer_id = m.customer_id
GROUP BY m.customer_id, m.month;

UPDATE customers SET net_revenue = s.net, first_sale_date = s.first, last_sale_date = s.last
FROM (SELECT o.customer_id,
             (SELECT sum(m.revenue - m.refunds) FROM customer_months m WHERE m.customer_id = o.customer_id) AS net,
             min(o.order_date) AS first, max(o.order_date) AS last
      FROM orders o WHERE o.status <> 'cancelled' AND o.status <> 'returned'
      GROUP BY o.customer_id) AS s
WHERE customers.id = s.customer_id;

INSERT INTO cohort_months (cohort, month, customers, orders, revenue)
SELECT cohort, month, sum(orders > 0), sum(orders), sum(revenue - refunds)
FROM customer_months GROUP BY 1, 2;

CREATE TRIGGER cohort_months_insert AFTER INSERT ON customer_months BEGIN
    INSERT INTO cohort_months (cohort, month, customers, orders, revenue)
    VALUES (new.cohort, new.month, new.orders > 0, new.orders, new.revenue - new.refunds)
    ON CONFLICT (cohort, month) DO UPDATE SET
        customers = customers + excluded.customers, orders = orders + excluded.orders,
        revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER cohort_months_delete AFTER DELETE ON customer_months BEGIN
    UPDATE cohort_months SET customers = customers - (old.orders > 0), orders = orders - old.orders,
        revenue = revenue - (old.revenue - old.refunds)
    WHERE cohort = old.cohort AND month = old.month;
END;

CREATE TRIGGER cohort_months_update AFTER UPDATE ON customer_months BEGIN
    UPDATE cohort_months SET customers = customers - (old.orders > 0), orders = orders - old.orders,
        revenue = revenue - (old.revenue - old.refunds)
    WHERE cohort = old.cohort AND month = old.month;
    INSERT INTO cohort_months (cohort, month, customers, orders, revenue)
    VALUES (new.cohort, new.month, new.orders > 0, new.orders, new.revenue - new.refunds)
    ON CONFLICT (cohort, month) DO UPDATE SET
        customers = customers + excluded.customers, orders = orders + excluded.orders,
        revenue = revenue + excluded.revenue;
END;

-- Lifetime value sorted by value, Top customers over all time, and the
-- RFM quintile boundaries: customers with at least one sale.
CREATE INDEX customers_by_net_revenue ON customers (net_revenue, sale_count) WHERE sale_count > 0;
CREATE INDEX customers_by_last_sale ON customers (last_sale_date) WHERE sale_count > 0;
