-- Version 8: the money of a real sale (domain::pricing): discounts, shipping,
-- tax, cost as sold, payments and partial refunds.
--
-- Every figure is in minor units and is kept on the order and its lines in
-- the same transaction as every change; `shopkeeper check` proves them:
--   orders.total = revenue + shipping + tax;
--   each order figure is the sum of its lines' (plus the shipping's tax);
--   paid and refunded are the sums of its payments and refunds, refunded <= paid.
-- Existing orders keep every figure: their revenue and gross sales are the
-- total they had, with no discount, shipping or tax; their lines' cost is
-- the product's cost today (the cost they were sold at was not kept). Orders
-- that reached paid get one payment of their total at that moment; those
-- that came back (returned) or were cancelled after being paid get a refund
-- of it when they did.

CREATE TABLE tax_rates (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL CHECK (length(trim(name)) > 0 AND length(name) <= 100),
    -- thousandths of a percent: 20% is 20000
    rate     INTEGER NOT NULL CHECK (rate >= 0 AND rate <= 100000),
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
) STRICT;

ALTER TABLE products ADD COLUMN tax_rate_id INTEGER REFERENCES tax_rates (id);

ALTER TABLE order_items ADD COLUMN discount INTEGER NOT NULL DEFAULT 0 CHECK (discount >= 0);
ALTER TABLE order_items ADD COLUMN discount_percent INTEGER CHECK (discount_percent IS NULL OR discount_percent BETWEEN 0 AND 100000);
ALTER TABLE order_items ADD COLUMN order_discount INTEGER NOT NULL DEFAULT 0 CHECK (order_discount >= 0);
ALTER TABLE order_items ADD COLUMN tax_rate INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate BETWEEN 0 AND 100000);
ALTER TABLE order_items ADD COLUMN tax INTEGER NOT NULL DEFAULT 0 CHECK (tax >= 0);
ALTER TABLE order_items ADD COLUMN revenue INTEGER NOT NULL DEFAULT 0 CHECK (revenue >= 0);
ALTER TABLE order_items ADD COLUMN unit_cost INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost >= 0 AND unit_cost <= 100000000000);
-- Units that came back through refunds (or the whole order returned).
ALTER TABLE order_items ADD COLUMN returned INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0);

UPDATE order_items SET
    revenue = line_total,
    unit_cost = coalesce((SELECT cost FROM products p WHERE p.id = order_items.product_id), 0);

ALTER TABLE orders ADD COLUMN gross_sales INTEGER NOT NULL DEFAULT 0 CHECK (gross_sales >= 0);
ALTER TABLE orders ADD COLUMN discounts INTEGER NOT NULL DEFAULT 0 CHECK (discounts >= 0);
ALTER TABLE orders ADD COLUMN order_discount INTEGER NOT NULL DEFAULT 0 CHECK (order_discount >= 0);
ALTER TABLE orders ADD COLUMN discount_percent INTEGER CHECK (discount_percent IS NULL OR discount_percent BETWEEN 0 AND 100000);
ALTER TABLE orders ADD COLUMN discount_code TEXT;
ALTER TABLE orders ADD COLUMN revenue INTEGER NOT NULL DEFAULT 0 CHECK (revenue >= 0);
ALTER TABLE orders ADD COLUMN shipping INTEGER NOT NULL DEFAULT 0 CHECK (shipping >= 0);
ALTER TABLE orders ADD COLUMN shipping_tax INTEGER NOT NULL DEFAULT 0 CHECK (shipping_tax >= 0);
ALTER TABLE orders ADD COLUMN shipping_rate INTEGER NOT NULL DEFAULT 0 CHECK (shipping_rate BETWEEN 0 AND 100000);
ALTER TABLE orders ADD COLUMN tax INTEGER NOT NULL DEFAULT 0 CHECK (tax >= 0);
ALTER TABLE orders ADD COLUMN tax_included INTEGER NOT NULL DEFAULT 0 CHECK (tax_included IN (0, 1));
ALTER TABLE orders ADD COLUMN cost INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0);
ALTER TABLE orders ADD COLUMN paid INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0);
ALTER TABLE orders ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= paid);
-- What the customer still owes (negative: what the shop still owes them).
ALTER TABLE orders ADD COLUMN balance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN ship_to TEXT;
ALTER TABLE orders ADD COLUMN carrier TEXT;
ALTER TABLE orders ADD COLUMN tracking TEXT;

CREATE TABLE payments (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    kind       TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
    paid_on    TEXT NOT NULL CHECK (paid_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND paid_on >= '1970-01-01'),
    method     TEXT NOT NULL CHECK (length(trim(method)) > 0),
    amount     INTEGER NOT NULL CHECK (amount >= 0 AND amount <= 100000000000),
    -- A refund's parts: amount = revenue + tax + shipping (0 for a payment).
    revenue    INTEGER NOT NULL DEFAULT 0 CHECK (revenue >= 0),
    tax        INTEGER NOT NULL DEFAULT 0 CHECK (tax >= 0),
    shipping   INTEGER NOT NULL DEFAULT 0 CHECK (shipping >= 0),
    note       TEXT,
    created_at TEXT NOT NULL,
    CHECK (kind = 'refund' OR (revenue = 0 AND tax = 0 AND shipping = 0)),
    CHECK (kind = 'payment' OR amount = revenue + tax + shipping)
) STRICT;

CREATE INDEX payments_by_order ON payments (order_id, id);
CREATE INDEX payments_by_date ON payments (paid_on, kind);

-- The units each refund took back, and whether they went back into stock.
CREATE TABLE refund_items (
    payment_id    INTEGER NOT NULL REFERENCES payments (id),
    order_item_id INTEGER NOT NULL REFERENCES order_items (id),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    restocked     INTEGER NOT NULL CHECK (restocked IN (0, 1)),
    PRIMARY KEY (payment_id, order_item_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX refund_items_by_item ON refund_items (order_item_id);

-- Existing orders: revenue and gross sales are the total; cost from the lines.
UPDATE orders SET
    gross_sales = total,
    revenue = total,
    cost = (SELECT coalesce(sum(i.quantity * i.unit_cost), 0) FROM order_items i WHERE i.order_id = orders.id);

-- One payment of the total for every order that reached paid.
INSERT INTO payments (order_id, kind, paid_on, method, amount, note, created_at)
SELECT o.id, 'payment',
       coalesce((SELECT substr(min(h.changed_at), 1, 10) FROM order_status_history h
                 WHERE h.order_id = o.id AND h.to_status = 'paid'), o.order_date),
       'Other', o.total, 'recorded when the shop was updated', o.updated_at
FROM orders o
WHERE o.total > 0
  AND (o.status IN ('paid', 'shipped', 'delivered', 'returned')
       OR EXISTS (SELECT 1 FROM order_status_history h WHERE h.order_id = o.id AND h.to_status = 'paid'));

-- Returned orders, and cancelled ones that had been paid, got it back (a
-- returned order gets its refund row even when nothing was paid: it records
-- the units that came back).
INSERT INTO payments (order_id, kind, paid_on, method, amount, revenue, note, created_at)
SELECT o.id, 'refund',
       max(coalesce(p.paid_on, o.order_date),
           coalesce((SELECT substr(max(h.changed_at), 1, 10) FROM order_status_history h
                     WHERE h.order_id = o.id AND h.to_status = o.status), o.order_date)),
       'Other', coalesce(p.amount, 0), coalesce(p.amount, 0), 'recorded when the shop was updated', o.updated_at
FROM orders o LEFT JOIN payments p ON p.order_id = o.id AND p.kind = 'payment'
WHERE o.status = 'returned' OR (o.status = 'cancelled' AND p.id IS NOT NULL);

UPDATE order_items SET returned = quantity
WHERE order_id IN (SELECT id FROM orders WHERE status = 'returned');

INSERT INTO refund_items (payment_id, order_item_id, quantity, restocked)
SELECT p.id, i.id, i.quantity, (SELECT o.stock_tracked FROM orders o WHERE o.id = i.order_id)
FROM payments p JOIN order_items i ON i.order_id = p.order_id
WHERE p.kind = 'refund'
  AND (SELECT o.status FROM orders o WHERE o.id = p.order_id) = 'returned';

UPDATE orders SET
    paid = coalesce((SELECT sum(amount) FROM payments p WHERE p.order_id = orders.id AND p.kind = 'payment'), 0),
    refunded = coalesce((SELECT sum(amount) FROM payments p WHERE p.order_id = orders.id AND p.kind = 'refund'), 0)
WHERE id IN (SELECT order_id FROM payments);
UPDATE orders SET balance = CASE WHEN status IN ('cancelled', 'returned') THEN refunded - paid ELSE total - paid END;

-- What a customer spent is what their sales came to after refunds.
-- (No refunds yet on orders that count as sales, so total_spent stands.)

-- The daily summary gains the other figures; `revenue` becomes the revenue
-- (it held the total, which was the same until now).
ALTER TABLE order_daily ADD COLUMN gross_sales INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_daily ADD COLUMN discounts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_daily ADD COLUMN shipping INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_daily ADD COLUMN tax INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_daily ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_daily ADD COLUMN cost INTEGER NOT NULL DEFAULT 0;
UPDATE order_daily SET gross_sales = revenue, total = revenue;
UPDATE order_daily SET cost = coalesce((
    SELECT sum(o.cost) FROM orders o WHERE o.order_date = order_daily.order_date AND o.status = order_daily.status), 0);

DROP TRIGGER order_daily_insert;
DROP TRIGGER order_daily_update;
DROP TRIGGER order_daily_delete;

CREATE TRIGGER order_daily_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_daily (order_date, status, orders, items, revenue, gross_sales, discounts, shipping, tax, total, cost)
    VALUES (new.order_date, new.status, 1, new.item_count, new.revenue, new.gross_sales, new.discounts,
            new.shipping, new.tax, new.total, new.cost)
    ON CONFLICT (order_date, status) DO UPDATE SET
        orders = orders + 1, items = items + excluded.items, revenue = revenue + excluded.revenue,
        gross_sales = gross_sales + excluded.gross_sales, discounts = discounts + excluded.discounts,
        shipping = shipping + excluded.shipping, tax = tax + excluded.tax, total = total + excluded.total,
        cost = cost + excluded.cost;
END;

CREATE TRIGGER order_daily_update AFTER UPDATE OF order_date, status, item_count, total, revenue, gross_sales, discounts, shipping, tax, cost ON orders BEGIN
    UPDATE order_daily SET orders = orders - 1, items = items - old.item_count, revenue = revenue - old.revenue,
        gross_sales = gross_sales - old.gross_sales, discounts = discounts - old.discounts,
        shipping = shipping - old.shipping, tax = tax - old.tax, total = total - old.total, cost = cost - old.cost
    WHERE order_date = old.order_date AND status = old.status;
    INSERT INTO order_daily (order_date, status, orders, items, revenue, gross_sales, discounts, shipping, tax, total, cost)
    VALUES (new.order_date, new.status, 1, new.item_count, new.revenue, new.gross_sales, new.discounts,
            new.shipping, new.tax, new.total, new.cost)
    ON CONFLICT (order_date, status) DO UPDATE SET
        orders = orders + 1, items = items + excluded.items, revenue = revenue + excluded.revenue,
        gross_sales = gross_sales + excluded.gross_sales, discounts = discounts + excluded.discounts,
        shipping = shipping + excluded.shipping, tax = tax + excluded.tax, total = total + excluded.total,
        cost = cost + excluded.cost;
END;

CREATE TRIGGER order_daily_delete AFTER DELETE ON orders BEGIN
    UPDATE order_daily SET orders = orders - 1, items = items - old.item_count, revenue = revenue - old.revenue,
        gross_sales = gross_sales - old.gross_sales, discounts = discounts - old.discounts,
        shipping = shipping - old.shipping, tax = tax - old.tax, total = total - old.total, cost = cost - old.cost
    WHERE order_date = old.order_date AND status = old.status;
END;
