-- Version 16: what was taxed, per local day and tax rate, so that the tax
-- report reads a few thousand rows instead of every order and order line
-- (at a million orders, the report read every page of both tables: on an
-- encrypted shop each of those pages is decrypted and checked).
--
-- One row per order date and rate that something taxed was sold at, by the
-- one rule of the README's "How money counts": an order counts at its order
-- date while it is not cancelled or returned. Each line of such an order
-- adds its revenue (taxable) and tax at its rate as sold (order_items.tax_rate);
-- its shipping, when it has shipping or shipping tax, adds both at the
-- shipping's rate (orders.shipping_rate). parts counts the lines and
-- shippings added: a rate with parts > 0 is listed even when its sums are 0,
-- as the report over the lines lists it. Refunds are not here (they are
-- in refund_daily, not per rate). A row can fall to 0 parts when its orders
-- are cancelled or moved. Kept by the triggers below in the same transaction
-- as every change to orders and their lines; `shopkeeper check` proves it
-- equals its recomputation.

CREATE TABLE tax_daily (
    day     TEXT NOT NULL,
    rate    INTEGER NOT NULL,
    taxable INTEGER NOT NULL DEFAULT 0,
    tax     INTEGER NOT NULL DEFAULT 0,
    parts   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, rate)
) STRICT, WITHOUT ROWID;

INSERT INTO tax_daily (day, rate, taxable, tax, parts)
SELECT day, rate, sum(taxable), sum(tax), count(*)
FROM (
    SELECT o.order_date AS day, i.tax_rate AS rate, i.revenue AS taxable, i.tax AS tax
    FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE o.status NOT IN ('cancelled', 'returned')
    UNION ALL
    SELECT order_date, shipping_rate, shipping, shipping_tax
    FROM orders
    WHERE status NOT IN ('cancelled', 'returned') AND (shipping <> 0 OR shipping_tax <> 0))
GROUP BY day, rate;

-- A line counts at its order's date while the order is a sale.

CREATE TRIGGER tax_daily_item_insert AFTER INSERT ON order_items BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT o.order_date, new.tax_rate, new.revenue, new.tax, 1
    FROM orders o WHERE o.id = new.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

CREATE TRIGGER tax_daily_item_delete AFTER DELETE ON order_items BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT o.order_date, old.tax_rate, -old.revenue, -old.tax, -1
    FROM orders o WHERE o.id = old.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

CREATE TRIGGER tax_daily_item_update AFTER UPDATE OF order_id, tax_rate, revenue, tax ON order_items BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT o.order_date, old.tax_rate, -old.revenue, -old.tax, -1
    FROM orders o WHERE o.id = old.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT o.order_date, new.tax_rate, new.revenue, new.tax, 1
    FROM orders o WHERE o.id = new.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

-- An order's shipping counts with the order; an order that stops (or
-- starts) counting as a sale, or gets another date, takes its lines out of
-- (or into) the summary at the date it had (or has).

CREATE TRIGGER tax_daily_order_insert AFTER INSERT ON orders
WHEN new.status NOT IN ('cancelled', 'returned') AND (new.shipping <> 0 OR new.shipping_tax <> 0) BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    VALUES (new.order_date, new.shipping_rate, new.shipping, new.shipping_tax, 1)
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

CREATE TRIGGER tax_daily_order_update AFTER UPDATE OF order_date, status, shipping, shipping_tax, shipping_rate ON orders
WHEN old.status NOT IN ('cancelled', 'returned') OR new.status NOT IN ('cancelled', 'returned') BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT old.order_date, old.shipping_rate, -old.shipping, -old.shipping_tax, -1
    WHERE old.status NOT IN ('cancelled', 'returned') AND (old.shipping <> 0 OR old.shipping_tax <> 0)
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT new.order_date, new.shipping_rate, new.shipping, new.shipping_tax, 1
    WHERE new.status NOT IN ('cancelled', 'returned') AND (new.shipping <> 0 OR new.shipping_tax <> 0)
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT old.order_date, i.tax_rate, -sum(i.revenue), -sum(i.tax), -count(*)
    FROM order_items i
    WHERE i.order_id = old.id AND old.status NOT IN ('cancelled', 'returned')
      AND (old.order_date <> new.order_date OR new.status IN ('cancelled', 'returned'))
    GROUP BY i.tax_rate
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT new.order_date, i.tax_rate, sum(i.revenue), sum(i.tax), count(*)
    FROM order_items i
    WHERE i.order_id = new.id AND new.status NOT IN ('cancelled', 'returned')
      AND (old.order_date <> new.order_date OR old.status IN ('cancelled', 'returned'))
    GROUP BY i.tax_rate
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

-- Orders are not deleted (their lines would go first, through the trigger
-- above); should one be, its shipping and any lines left go with it.
CREATE TRIGGER tax_daily_order_delete AFTER DELETE ON orders
WHEN old.status NOT IN ('cancelled', 'returned') BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT old.order_date, old.shipping_rate, -old.shipping, -old.shipping_tax, -1
    WHERE old.shipping <> 0 OR old.shipping_tax <> 0
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT old.order_date, i.tax_rate, -sum(i.revenue), -sum(i.tax), -count(*)
    FROM order_items i WHERE i.order_id = old.id
    GROUP BY i.tax_rate
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;
