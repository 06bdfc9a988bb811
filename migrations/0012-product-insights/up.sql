-- Version 12: what each product sold, per day and per month, so that the
-- product reports (top products, margin, ABC, reorder, dead stock) and the
-- Insights panel read a summary instead of a million orders.
--
-- One row per product and day money of it counted, by the one rule of the
-- README's "How money counts": a line of an order that counts as a sale
-- (not cancelled or returned) at the order's date; each refund of such an
-- order at its own date (payments.paid_on), taking off its units and its
-- revenue part split over the products of the units it took back by their
-- share of the lines' revenue, rounded per line (as the margin report
-- splits it), and their cost when they went back into stock.
--   sold, refunded   units sold, units refunded
--   revenue          revenue of the lines less the refunds' shares
--   known_revenue    the same over lines with a known cost (unit_cost > 0)
--   cost             cost of the units sold less those restocked
--   refund_revenue   the refunds' shares (what refunds gave back, per product)
--   known_lines      lines and refund lines with a known cost
--   lines            lines and refund lines counted (0: nothing counts)
-- product_monthly holds the same per month. Kept by the triggers below in
-- the same transaction as every change to orders, their lines, payments and
-- refunds; `shopkeeper check` proves both equal their recomputation.
--
-- Also a product's own lead time and cover days for the reorder list, where
-- they differ from the shop's (Settings; NULL: the shop's).

ALTER TABLE products ADD COLUMN lead_days INTEGER CHECK (lead_days IS NULL OR lead_days BETWEEN 0 AND 3650);
ALTER TABLE products ADD COLUMN cover_days INTEGER CHECK (cover_days IS NULL OR cover_days BETWEEN 0 AND 3650);

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
    PRIMARY KEY (product_id, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE product_monthly (
    product_id     INTEGER NOT NULL,
    month          TEXT NOT NULL,
    sold           INTEGER NOT NULL DEFAULT 0,
    refunded       INTEGER NOT NULL DEFAULT 0,
    revenue        INTEGER NOT NULL DEFAULT 0,
    known_revenue  INTEGER NOT NULL DEFAULT 0,
    cost           INTEGER NOT NULL DEFAULT 0,
    refund_revenue INTEGER NOT NULL DEFAULT 0,
    known_lines    INTEGER NOT NULL DEFAULT 0,
    lines          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, month)
) STRICT, WITHOUT ROWID;

INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
SELECT product_id, day, sum(sold), sum(refunded), sum(revenue), sum(known_revenue), sum(cost),
       sum(refund_revenue), sum(known_lines), sum(lines)
FROM (
    SELECT i.product_id, o.order_date AS day, i.quantity AS sold, 0 AS refunded, i.revenue,
           CASE WHEN i.unit_cost > 0 THEN i.revenue ELSE 0 END AS known_revenue, i.quantity * i.unit_cost AS cost,
           0 AS refund_revenue, i.unit_cost > 0 AS known_lines, 1 AS lines
    FROM order_items i JOIN orders o ON o.id = i.order_id
    WHERE o.status NOT IN ('cancelled', 'returned')
    UNION ALL
    SELECT product_id, paid_on, 0, quantity, -share, -CASE WHEN unit_cost > 0 THEN share ELSE 0 END,
           -CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END, share, unit_cost > 0, 1
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
)
GROUP BY product_id, day;

INSERT INTO product_monthly (product_id, month, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
SELECT product_id, substr(day, 1, 7), sum(sold), sum(refunded), sum(revenue), sum(known_revenue), sum(cost),
       sum(refund_revenue), sum(known_lines), sum(lines)
FROM product_daily GROUP BY 1, 2;

-- A line of an order counts at the order's date while the order is a sale.

CREATE TRIGGER product_daily_item_insert AFTER INSERT ON order_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT new.product_id, o.order_date, new.quantity, 0, new.revenue,
           CASE WHEN new.unit_cost > 0 THEN new.revenue ELSE 0 END, new.quantity * new.unit_cost, 0,
           (new.unit_cost > 0), 1
    FROM orders o WHERE o.id = new.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_item_delete AFTER DELETE ON order_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT old.product_id, o.order_date, -old.quantity, 0, -old.revenue,
           -CASE WHEN old.unit_cost > 0 THEN old.revenue ELSE 0 END, -old.quantity * old.unit_cost, 0,
           -(old.unit_cost > 0), -1
    FROM orders o WHERE o.id = old.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

-- A line's refunds are shares of what the refunds' units were worth: they
-- are taken off before the line changes and added back after.
CREATE TRIGGER product_daily_item_before_update BEFORE UPDATE OF order_id, product_id, quantity, revenue, unit_cost
ON order_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, -sum(quantity), sum(share),
           sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), -sum(share),
           -sum(unit_cost > 0), -count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id IN (SELECT payment_id FROM refund_items WHERE order_item_id = old.id) AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_item_update AFTER UPDATE OF order_id, product_id, quantity, revenue, unit_cost
ON order_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT old.product_id, o.order_date, -old.quantity, 0, -old.revenue,
           -CASE WHEN old.unit_cost > 0 THEN old.revenue ELSE 0 END, -old.quantity * old.unit_cost, 0,
           -(old.unit_cost > 0), -1
    FROM orders o WHERE o.id = old.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT new.product_id, o.order_date, new.quantity, 0, new.revenue,
           CASE WHEN new.unit_cost > 0 THEN new.revenue ELSE 0 END, new.quantity * new.unit_cost, 0,
           (new.unit_cost > 0), 1
    FROM orders o WHERE o.id = new.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, sum(quantity), -sum(share),
           -sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           -sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), sum(share),
           sum(unit_cost > 0), count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id IN (SELECT payment_id FROM refund_items WHERE order_item_id = new.id) AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

-- An order that stops (or starts) counting as a sale takes its lines and
-- its refunds out of (or into) the summary; a new date moves its lines.
CREATE TRIGGER product_daily_order_update AFTER UPDATE OF status, order_date ON orders
WHEN (old.status NOT IN ('cancelled', 'returned')) <> (new.status NOT IN ('cancelled', 'returned')) OR old.order_date <> new.order_date BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT i.product_id, old.order_date, -sum(i.quantity), 0, -sum(i.revenue),
           -sum(CASE WHEN i.unit_cost > 0 THEN i.revenue ELSE 0 END), -sum(i.quantity * i.unit_cost), 0,
           -sum(i.unit_cost > 0), -count(*)
    FROM order_items i WHERE i.order_id = new.id AND old.status NOT IN ('cancelled', 'returned')
    GROUP BY i.product_id
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT i.product_id, new.order_date, sum(i.quantity), 0, sum(i.revenue),
           sum(CASE WHEN i.unit_cost > 0 THEN i.revenue ELSE 0 END), sum(i.quantity * i.unit_cost), 0,
           sum(i.unit_cost > 0), count(*)
    FROM order_items i WHERE i.order_id = new.id AND new.status NOT IN ('cancelled', 'returned')
    GROUP BY i.product_id
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, -sum(quantity), sum(share),
           sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), -sum(share),
           -sum(unit_cost > 0), -count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id IN (SELECT y.id FROM payments y WHERE y.order_id = new.id) AND p.kind = 'refund' AND (old.status NOT IN ('cancelled', 'returned')) AND NOT (new.status NOT IN ('cancelled', 'returned'))))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, sum(quantity), -sum(share),
           -sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           -sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), sum(share),
           sum(unit_cost > 0), count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id IN (SELECT y.id FROM payments y WHERE y.order_id = new.id) AND p.kind = 'refund' AND (new.status NOT IN ('cancelled', 'returned')) AND NOT (old.status NOT IN ('cancelled', 'returned'))))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

-- A refund's units: its shares are taken off before each change to them
-- and added back after (a share depends on every unit of the refund).
CREATE TRIGGER product_daily_refund_item_before_insert BEFORE INSERT ON refund_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, -sum(quantity), sum(share),
           sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), -sum(share),
           -sum(unit_cost > 0), -count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id = new.payment_id AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_refund_item_insert AFTER INSERT ON refund_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, sum(quantity), -sum(share),
           -sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           -sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), sum(share),
           sum(unit_cost > 0), count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id = new.payment_id AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_refund_item_before_delete BEFORE DELETE ON refund_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, -sum(quantity), sum(share),
           sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), -sum(share),
           -sum(unit_cost > 0), -count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id = old.payment_id AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_refund_item_delete AFTER DELETE ON refund_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, sum(quantity), -sum(share),
           -sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           -sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), sum(share),
           sum(unit_cost > 0), count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id = old.payment_id AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_refund_item_before_update BEFORE UPDATE ON refund_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, -sum(quantity), sum(share),
           sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), -sum(share),
           -sum(unit_cost > 0), -count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id IN (old.payment_id, new.payment_id) AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_refund_item_update AFTER UPDATE ON refund_items BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, sum(quantity), -sum(share),
           -sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           -sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), sum(share),
           sum(unit_cost > 0), count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id IN (old.payment_id, new.payment_id) AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_payment_insert AFTER INSERT ON payments WHEN new.kind = 'refund' BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, sum(quantity), -sum(share),
           -sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           -sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), sum(share),
           sum(unit_cost > 0), count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id = new.id AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_payment_before_delete BEFORE DELETE ON payments WHEN old.kind = 'refund' BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, -sum(quantity), sum(share),
           sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), -sum(share),
           -sum(unit_cost > 0), -count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id = old.id AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_payment_before_update BEFORE UPDATE OF order_id, kind, paid_on, revenue ON payments
WHEN old.kind = 'refund' OR new.kind = 'refund' BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, -sum(quantity), sum(share),
           sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), -sum(share),
           -sum(unit_cost > 0), -count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id = old.id AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

CREATE TRIGGER product_daily_payment_update AFTER UPDATE OF order_id, kind, paid_on, revenue ON payments
WHEN old.kind = 'refund' OR new.kind = 'refund' BEGIN
    INSERT INTO product_daily (product_id, day, sold, refunded, revenue, known_revenue, cost, refund_revenue, known_lines, lines)
    SELECT product_id, paid_on, 0, sum(quantity), -sum(share),
           -sum(CASE WHEN unit_cost > 0 THEN share ELSE 0 END),
           -sum(CASE WHEN restocked THEN quantity * unit_cost ELSE 0 END), sum(share),
           sum(unit_cost > 0), count(*)
    FROM (SELECT product_id, paid_on, quantity, unit_cost, restocked,
                 CASE WHEN whole = 0 THEN 0 ELSE (paid_back * worth * 2 + whole) / (2 * whole) END AS share
          FROM (SELECT i.product_id, p.paid_on, p.revenue AS paid_back, i.unit_cost, r.quantity, r.restocked,
                       (r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity) AS worth,
                       sum((r.quantity * i.revenue * 2 + i.quantity) / (2 * i.quantity)) OVER (PARTITION BY p.id) AS whole
                FROM payments p
                JOIN orders o ON o.id = p.order_id
                JOIN refund_items r ON r.payment_id = p.id
                JOIN order_items i ON i.id = r.order_item_id
                WHERE p.id = new.id AND p.kind = 'refund' AND o.status NOT IN ('cancelled', 'returned')))
    GROUP BY product_id, paid_on
    ON CONFLICT (product_id, day) DO UPDATE SET sold = sold + excluded.sold, refunded = refunded + excluded.refunded, revenue = revenue + excluded.revenue, known_revenue = known_revenue + excluded.known_revenue, cost = cost + excluded.cost, refund_revenue = refund_revenue + excluded.refund_revenue, known_lines = known_lines + excluded.known_lines, lines = lines + excluded.lines;
END;

-- The monthly summary follows the daily one.
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
