-- Version 20: tax an import gave as an amount, with no rate, kept apart
-- from sales that carried no tax. Both were filed at rate 0, so the tax
-- report's "Tax as given" row counted the untaxed sales of the same period as
-- taxable (a Shopify order with taxes 0.00 beside one with taxes given).
--
-- A part (a line, or an order's shipping) sold at no rate but carrying tax
-- is now filed at rate -1, "Tax as given"; one at no rate and no tax stays at
-- rate 0, "No tax". The summary is worked out again from the orders and the
-- triggers made anew with that rule; otherwise they are those of version 16.

DROP TRIGGER tax_daily_item_insert;
DROP TRIGGER tax_daily_item_delete;
DROP TRIGGER tax_daily_item_update;
DROP TRIGGER tax_daily_order_insert;
DROP TRIGGER tax_daily_order_update;
DROP TRIGGER tax_daily_order_delete;

DELETE FROM tax_daily;

INSERT INTO tax_daily (day, rate, taxable, tax, parts)
SELECT day, CASE WHEN rate = 0 AND tax <> 0 THEN -1 ELSE rate END AS key, sum(taxable), sum(tax), count(*)
FROM (
    SELECT o.order_date AS day, i.tax_rate AS rate, i.revenue AS taxable, i.tax AS tax
    FROM orders o JOIN order_items i ON i.order_id = o.id
    WHERE o.status NOT IN ('cancelled', 'returned')
    UNION ALL
    SELECT order_date, shipping_rate, shipping, shipping_tax
    FROM orders
    WHERE status NOT IN ('cancelled', 'returned') AND (shipping <> 0 OR shipping_tax <> 0))
GROUP BY day, key;

-- A line counts at its order's date while the order is a sale.

CREATE TRIGGER tax_daily_item_insert AFTER INSERT ON order_items BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT o.order_date, CASE WHEN new.tax_rate = 0 AND new.tax <> 0 THEN -1 ELSE new.tax_rate END, new.revenue, new.tax, 1
    FROM orders o WHERE o.id = new.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

CREATE TRIGGER tax_daily_item_delete AFTER DELETE ON order_items BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT o.order_date, CASE WHEN old.tax_rate = 0 AND old.tax <> 0 THEN -1 ELSE old.tax_rate END, -old.revenue, -old.tax, -1
    FROM orders o WHERE o.id = old.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

CREATE TRIGGER tax_daily_item_update AFTER UPDATE OF order_id, tax_rate, revenue, tax ON order_items BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT o.order_date, CASE WHEN old.tax_rate = 0 AND old.tax <> 0 THEN -1 ELSE old.tax_rate END, -old.revenue, -old.tax, -1
    FROM orders o WHERE o.id = old.order_id AND o.status NOT IN ('cancelled', 'returned')
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT o.order_date, CASE WHEN new.tax_rate = 0 AND new.tax <> 0 THEN -1 ELSE new.tax_rate END, new.revenue, new.tax, 1
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
    VALUES (new.order_date, CASE WHEN new.shipping_rate = 0 AND new.shipping_tax <> 0 THEN -1 ELSE new.shipping_rate END, new.shipping, new.shipping_tax, 1)
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

CREATE TRIGGER tax_daily_order_update AFTER UPDATE OF order_date, status, shipping, shipping_tax, shipping_rate ON orders
WHEN old.status NOT IN ('cancelled', 'returned') OR new.status NOT IN ('cancelled', 'returned') BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT old.order_date, CASE WHEN old.shipping_rate = 0 AND old.shipping_tax <> 0 THEN -1 ELSE old.shipping_rate END, -old.shipping, -old.shipping_tax, -1
    WHERE old.status NOT IN ('cancelled', 'returned') AND (old.shipping <> 0 OR old.shipping_tax <> 0)
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT new.order_date, CASE WHEN new.shipping_rate = 0 AND new.shipping_tax <> 0 THEN -1 ELSE new.shipping_rate END, new.shipping, new.shipping_tax, 1
    WHERE new.status NOT IN ('cancelled', 'returned') AND (new.shipping <> 0 OR new.shipping_tax <> 0)
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT old.order_date, CASE WHEN i.tax_rate = 0 AND i.tax <> 0 THEN -1 ELSE i.tax_rate END, -sum(i.revenue), -sum(i.tax), -count(*)
    FROM order_items i
    WHERE i.order_id = old.id AND old.status NOT IN ('cancelled', 'returned')
      AND (old.order_date <> new.order_date OR new.status IN ('cancelled', 'returned'))
    GROUP BY CASE WHEN i.tax_rate = 0 AND i.tax <> 0 THEN -1 ELSE i.tax_rate END
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT new.order_date, CASE WHEN i.tax_rate = 0 AND i.tax <> 0 THEN -1 ELSE i.tax_rate END, sum(i.revenue), sum(i.tax), count(*)
    FROM order_items i
    WHERE i.order_id = new.id AND new.status NOT IN ('cancelled', 'returned')
      AND (old.order_date <> new.order_date OR old.status IN ('cancelled', 'returned'))
    GROUP BY CASE WHEN i.tax_rate = 0 AND i.tax <> 0 THEN -1 ELSE i.tax_rate END
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;

-- Orders are not deleted (their lines would go first, through the trigger
-- above); should one be, its shipping and any lines left go with it.
CREATE TRIGGER tax_daily_order_delete AFTER DELETE ON orders
WHEN old.status NOT IN ('cancelled', 'returned') BEGIN
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT old.order_date, CASE WHEN old.shipping_rate = 0 AND old.shipping_tax <> 0 THEN -1 ELSE old.shipping_rate END, -old.shipping, -old.shipping_tax, -1
    WHERE old.shipping <> 0 OR old.shipping_tax <> 0
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
    INSERT INTO tax_daily (day, rate, taxable, tax, parts)
    SELECT old.order_date, CASE WHEN i.tax_rate = 0 AND i.tax <> 0 THEN -1 ELSE i.tax_rate END, -sum(i.revenue), -sum(i.tax), -count(*)
    FROM order_items i WHERE i.order_id = old.id
    GROUP BY CASE WHEN i.tax_rate = 0 AND i.tax <> 0 THEN -1 ELSE i.tax_rate END
    ON CONFLICT (day, rate) DO UPDATE SET
        taxable = taxable + excluded.taxable, tax = tax + excluded.tax, parts = parts + excluded.parts;
END;
