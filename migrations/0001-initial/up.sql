-- Shopkeeper schema, version 1.
-- Money columns hold integer minor units (cents). Dates are the shop's local
-- calendar day 'YYYY-MM-DD'; times 'YYYY-MM-DD HH:MM:SS' in local time.
-- products.stock is a cache of SUM(stock_movements.change) for the product.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    email            TEXT CHECK (email IS NULL OR (email LIKE '%_@_%._%' AND length(email) <= 254)),
    phone            TEXT,
    address          TEXT,
    city             TEXT,
    postal_code      TEXT,
    country          TEXT,
    notes            TEXT,
    -- The phone's digits from each group on ('+1 555 0100' -> '15550100 5550100 0100'),
    -- written by the store, so a number can be found however it was typed.
    phone_digits     TEXT,
    archived         INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    -- Kept up to date in the same transaction as every order change, so the
    -- customer list can sort by them at 100k customers and 1M orders.
    order_count      INTEGER NOT NULL DEFAULT 0 CHECK (order_count >= 0),
    total_spent      INTEGER NOT NULL DEFAULT 0 CHECK (total_spent >= 0),
    first_order_date TEXT,
    last_order_date  TEXT
) STRICT;

CREATE UNIQUE INDEX customers_email_unique ON customers (email COLLATE NOCASE) WHERE email IS NOT NULL;
-- One index per sortable column of the customer list; `archived` rides along so
-- the list can skip archived rows (and page with OFFSET) without reading the table.
CREATE INDEX customers_by_name    ON customers (name COLLATE NOCASE, id, archived);
CREATE INDEX customers_by_email   ON customers (email COLLATE NOCASE, id, archived);
CREATE INDEX customers_by_phone   ON customers (phone, id, archived);
CREATE INDEX customers_by_city    ON customers (city COLLATE NOCASE, id, archived);
CREATE INDEX customers_by_country ON customers (country COLLATE NOCASE, id, archived);
CREATE INDEX customers_by_orders  ON customers (order_count, id, archived);
CREATE INDEX customers_by_spent   ON customers (total_spent, id, archived);

-- Word-prefix search over name, email and phone (the phone also as digits only).
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    name, email, phone, phone_digits,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts (rowid, name, email, phone, phone_digits)
    VALUES (new.id, new.name, new.email, new.phone, new.phone_digits);
END;

CREATE TRIGGER customers_fts_update AFTER UPDATE OF name, email, phone, phone_digits ON customers BEGIN
    DELETE FROM customers_fts WHERE rowid = old.id;
    INSERT INTO customers_fts (rowid, name, email, phone, phone_digits)
    VALUES (new.id, new.name, new.email, new.phone, new.phone_digits);
END;

CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    DELETE FROM customers_fts WHERE rowid = old.id;
END;

CREATE TABLE products (
    id            INTEGER PRIMARY KEY,
    sku           TEXT NOT NULL CHECK (length(trim(sku)) > 0),
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category      TEXT,
    description   TEXT,
    price         INTEGER NOT NULL CHECK (price >= 0),
    cost          INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0),
    stock         INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    reorder_level INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX products_sku_unique ON products (sku COLLATE NOCASE);
CREATE INDEX products_by_name     ON products (name COLLATE NOCASE, id, archived);
CREATE INDEX products_by_category ON products (category COLLATE NOCASE, id, archived);
CREATE INDEX products_by_price    ON products (price, id, archived);
CREATE INDEX products_by_stock    ON products (stock, id, archived);
CREATE INDEX products_by_reorder  ON products (reorder_level, id, archived);
CREATE INDEX products_low_stock   ON products (sku COLLATE NOCASE) WHERE stock <= reorder_level;

CREATE VIRTUAL TABLE products_fts USING fts5 (
    sku, name, category,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, sku, name, category) VALUES (new.id, new.sku, new.name, new.category);
END;

CREATE TRIGGER products_fts_update AFTER UPDATE OF sku, name, category ON products BEGIN
    DELETE FROM products_fts WHERE rowid = old.id;
    INSERT INTO products_fts (rowid, sku, name, category) VALUES (new.id, new.sku, new.name, new.category);
END;

CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    DELETE FROM products_fts WHERE rowid = old.id;
END;

CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,   -- the order number shown as #000123
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    order_date   TEXT NOT NULL CHECK (order_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    order_time   TEXT NOT NULL CHECK (order_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'),
    status       TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
    item_count   INTEGER NOT NULL DEFAULT 0 CHECK (item_count >= 0),
    total        INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
    note         TEXT,
    external_ref TEXT,                  -- the order_ref of an imported order
    -- 0 for past orders imported with --history: they never moved stock.
    stock_tracked INTEGER NOT NULL DEFAULT 1 CHECK (stock_tracked IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

CREATE UNIQUE INDEX orders_external_ref_unique ON orders (external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX orders_by_date          ON orders (order_date, order_time, id);
CREATE INDEX orders_by_customer      ON orders (customer_id, order_date, order_time, id);
CREATE INDEX orders_by_status        ON orders (status, order_date, order_time, id);
CREATE INDEX orders_by_total         ON orders (total, id);
CREATE INDEX orders_by_items         ON orders (item_count, id);

CREATE TABLE order_items (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    unit_price INTEGER NOT NULL CHECK (unit_price >= 0),   -- the price as sold
    line_total INTEGER NOT NULL CHECK (line_total = quantity * unit_price)
) STRICT;

CREATE INDEX order_items_by_order   ON order_items (order_id);
CREATE INDEX order_items_by_product ON order_items (product_id, order_id);

CREATE TABLE stock_movements (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES products (id),
    change      INTEGER NOT NULL CHECK (change <> 0),
    reason      TEXT NOT NULL CHECK (reason IN ('opening', 'sale', 'order_edit', 'order_cancelled',
                    'order_returned', 'received', 'correction', 'damaged', 'returned', 'other', 'undo')),
    order_id    INTEGER REFERENCES orders (id),
    note        TEXT,
    stock_after INTEGER NOT NULL CHECK (stock_after >= 0),
    created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX stock_movements_by_product ON stock_movements (product_id, id);
CREATE INDEX stock_movements_by_order   ON stock_movements (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX stock_movements_by_date    ON stock_movements (created_at, id);

CREATE TABLE order_status_history (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    from_status TEXT CHECK (from_status IS NULL OR from_status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
    to_status   TEXT NOT NULL CHECK (to_status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned')),
    changed_at  TEXT NOT NULL
) STRICT;

CREATE INDEX order_status_history_by_order ON order_status_history (order_id, id);
