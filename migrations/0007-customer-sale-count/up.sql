-- Version 7: each customer's number of orders that count as sales, beside
-- the number of all their orders. "Orders" means orders that count as sales
-- everywhere the app shows a customer's figures (the list, the detail, Top
-- customers), as it already did for what they spent (total_spent); the
-- count of all orders stays for the orders list.
--
-- Kept by store::orders::refresh_customer and the bulk writer in the same
-- transaction as the orders, and proved by `shopkeeper check`. The statuses
-- that are not sales are written out as codes::not_sale lists them.
ALTER TABLE customers ADD COLUMN sale_count INTEGER NOT NULL DEFAULT 0 CHECK (sale_count >= 0);
UPDATE customers SET sale_count = (
    SELECT count(*) FROM orders o
    WHERE o.customer_id = customers.id AND o.status <> 'cancelled' AND o.status <> 'returned');
CREATE INDEX customers_by_sales ON customers (sale_count, id, archived);
