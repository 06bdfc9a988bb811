-- Version 6: bounds that keep every sum over the database inside a 64-bit
-- integer, dates a shop can have had, and one key for each email and SKU.
--
-- Bounds (the same as domain::text): a price, a cost, a unit price and an
-- order's total are at most 100,000,000,000 minor units (1,000,000,000.00
-- with two decimals); an order line holds at most 1,000,000 units; an order
-- is dated 1970-01-01 or later. A file that already holds a row outside them
-- (only possible before this version, and it already broke the reports) is
-- not updated: the update stops on the guard below and the file is left as
-- it was.
CREATE TABLE v6_guard (rows_outside_the_bounds INTEGER CHECK (rows_outside_the_bounds = 0));
INSERT INTO v6_guard SELECT
    (SELECT count(*) FROM products WHERE price > 100000000000 OR cost > 100000000000)
  + (SELECT count(*) FROM order_items WHERE quantity > 1000000 OR unit_price > 100000000000)
  + (SELECT count(*) FROM orders WHERE total > 100000000000 OR order_date < '1970-01-01');
DROP TABLE v6_guard;

-- Keys: an email or SKU trimmed and in Unicode lowercase (domain::fold),
-- written by the store beside it, unique. SQLite's lower() knows only ASCII,
-- so here only plain ASCII values are keyed; the store keys the others in
-- Rust right after this update (store::customers::fill_email_keys,
-- store::products::fill_sku_keys).
ALTER TABLE customers ADD COLUMN email_key TEXT;
UPDATE customers SET email_key = lower(trim(email))
WHERE email IS NOT NULL AND email NOT GLOB '*[^ -~]*';
CREATE UNIQUE INDEX customers_email_key_unique ON customers (email_key) WHERE email_key IS NOT NULL;

ALTER TABLE products ADD COLUMN sku_key TEXT;
UPDATE products SET sku_key = lower(trim(sku)) WHERE sku NOT GLOB '*[^ -~]*';
CREATE UNIQUE INDEX products_sku_key_unique ON products (sku_key) WHERE sku_key IS NOT NULL;

-- The bounds as CHECK constraints, edited into the table definitions in
-- place as version 5 did (every row was just proved to obey them).
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (price >= 0)', 'CHECK (price >= 0 AND price <= 100000000000)'),
    'CHECK (cost >= 0)', 'CHECK (cost >= 0 AND cost <= 100000000000)')
WHERE type = 'table' AND name = 'products';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (quantity > 0)', 'CHECK (quantity > 0 AND quantity <= 1000000)'),
    'CHECK (unit_price >= 0)', 'CHECK (unit_price >= 0 AND unit_price <= 100000000000)')
WHERE type = 'table' AND name = 'order_items';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (total >= 0)', 'CHECK (total >= 0 AND total <= 100000000000)'),
    'CHECK (order_date GLOB ''[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'')',
    'CHECK (order_date GLOB ''[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'' AND order_date >= ''1970-01-01'')')
WHERE type = 'table' AND name = 'orders';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_v6_cookie (x);
DROP TABLE schema_v6_cookie;
