-- Version 2: a summary of orders per local day and status, kept by triggers in
-- the same transaction as every order change. The Orders panel counts and the
-- sales trends read it instead of scanning a million orders.

CREATE TABLE order_daily (
    order_date TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
    orders     INTEGER NOT NULL CHECK (orders >= 0),
    items      INTEGER NOT NULL CHECK (items >= 0),
    revenue    INTEGER NOT NULL CHECK (revenue >= 0),
    PRIMARY KEY (order_date, status)
) STRICT, WITHOUT ROWID;

INSERT INTO order_daily (order_date, status, orders, items, revenue)
SELECT order_date, status, count(*), sum(item_count), sum(total) FROM orders GROUP BY order_date, status;

CREATE TRIGGER order_daily_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_daily (order_date, status, orders, items, revenue)
    VALUES (new.order_date, new.status, 1, new.item_count, new.total)
    ON CONFLICT (order_date, status) DO UPDATE SET
        orders = orders + 1, items = items + excluded.items, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER order_daily_update AFTER UPDATE OF order_date, status, item_count, total ON orders BEGIN
    UPDATE order_daily SET orders = orders - 1, items = items - old.item_count, revenue = revenue - old.total
    WHERE order_date = old.order_date AND status = old.status;
    INSERT INTO order_daily (order_date, status, orders, items, revenue)
    VALUES (new.order_date, new.status, 1, new.item_count, new.total)
    ON CONFLICT (order_date, status) DO UPDATE SET
        orders = orders + 1, items = items + excluded.items, revenue = revenue + excluded.revenue;
END;

CREATE TRIGGER order_daily_delete AFTER DELETE ON orders BEGIN
    UPDATE order_daily SET orders = orders - 1, items = items - old.item_count, revenue = revenue - old.total
    WHERE order_date = old.order_date AND status = old.status;
END;
