-- Version 9: a daily summary of refunds, so that reports and Trends count
-- each refund at its own date without reading every payment.
--
-- One row per day a refund was dated (payments.paid_on) and status of the
-- order refunded, as order_daily has per order date and status: whether a
-- refund counts is whether its order counts as a sale, so the row follows
-- its order's status. Kept by the triggers below in the same transaction as
-- every payment and status change; `shopkeeper check` proves it.

CREATE TABLE refund_daily (
    paid_on  TEXT NOT NULL,
    status   TEXT NOT NULL,
    refunds  INTEGER NOT NULL DEFAULT 0,
    amount   INTEGER NOT NULL DEFAULT 0,
    revenue  INTEGER NOT NULL DEFAULT 0,
    tax      INTEGER NOT NULL DEFAULT 0,
    shipping INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (paid_on, status)
) STRICT, WITHOUT ROWID;

INSERT INTO refund_daily (paid_on, status, refunds, amount, revenue, tax, shipping)
SELECT p.paid_on, o.status, count(*), sum(p.amount), sum(p.revenue), sum(p.tax), sum(p.shipping)
FROM payments p JOIN orders o ON o.id = p.order_id
WHERE p.kind = 'refund'
GROUP BY 1, 2;

CREATE TRIGGER refund_daily_insert AFTER INSERT ON payments WHEN new.kind = 'refund' BEGIN
    INSERT INTO refund_daily (paid_on, status, refunds, amount, revenue, tax, shipping)
    SELECT new.paid_on, o.status, 1, new.amount, new.revenue, new.tax, new.shipping
    FROM orders o WHERE o.id = new.order_id
    ON CONFLICT (paid_on, status) DO UPDATE SET
        refunds = refunds + 1, amount = amount + excluded.amount, revenue = revenue + excluded.revenue,
        tax = tax + excluded.tax, shipping = shipping + excluded.shipping;
END;

CREATE TRIGGER refund_daily_delete AFTER DELETE ON payments WHEN old.kind = 'refund' BEGIN
    UPDATE refund_daily SET refunds = refunds - 1, amount = amount - old.amount, revenue = revenue - old.revenue,
        tax = tax - old.tax, shipping = shipping - old.shipping
    WHERE paid_on = old.paid_on AND status = (SELECT o.status FROM orders o WHERE o.id = old.order_id);
END;

CREATE TRIGGER refund_daily_update AFTER UPDATE OF order_id, kind, paid_on, amount, revenue, tax, shipping ON payments
WHEN old.kind = 'refund' OR new.kind = 'refund' BEGIN
    UPDATE refund_daily SET refunds = refunds - 1, amount = amount - old.amount, revenue = revenue - old.revenue,
        tax = tax - old.tax, shipping = shipping - old.shipping
    WHERE old.kind = 'refund' AND paid_on = old.paid_on
      AND status = (SELECT o.status FROM orders o WHERE o.id = old.order_id);
    INSERT INTO refund_daily (paid_on, status, refunds, amount, revenue, tax, shipping)
    SELECT new.paid_on, o.status, 1, new.amount, new.revenue, new.tax, new.shipping
    FROM orders o WHERE new.kind = 'refund' AND o.id = new.order_id
    ON CONFLICT (paid_on, status) DO UPDATE SET
        refunds = refunds + 1, amount = amount + excluded.amount, revenue = revenue + excluded.revenue,
        tax = tax + excluded.tax, shipping = shipping + excluded.shipping;
END;

-- An order's refunds move with its status (a refunded order that comes
-- back whole becomes returned, and its refunds stop counting with it).
CREATE TRIGGER refund_daily_status AFTER UPDATE OF status ON orders WHEN old.status <> new.status BEGIN
    UPDATE refund_daily SET refunds = refund_daily.refunds - r.refunds, amount = refund_daily.amount - r.amount,
        revenue = refund_daily.revenue - r.revenue, tax = refund_daily.tax - r.tax,
        shipping = refund_daily.shipping - r.shipping
    FROM (SELECT paid_on, count(*) AS refunds, sum(amount) AS amount, sum(revenue) AS revenue,
                 sum(tax) AS tax, sum(shipping) AS shipping
          FROM payments WHERE order_id = new.id AND kind = 'refund' GROUP BY paid_on) AS r
    WHERE refund_daily.paid_on = r.paid_on AND refund_daily.status = old.status;
    INSERT INTO refund_daily (paid_on, status, refunds, amount, revenue, tax, shipping)
    SELECT paid_on, new.status, count(*), sum(amount), sum(revenue), sum(tax), sum(shipping)
    FROM payments WHERE order_id = new.id AND kind = 'refund' GROUP BY paid_on
    ON CONFLICT (paid_on, status) DO UPDATE SET
        refunds = refunds + excluded.refunds, amount = amount + excluded.amount, revenue = revenue + excluded.revenue,
        tax = tax + excluded.tax, shipping = shipping + excluded.shipping;
END;
