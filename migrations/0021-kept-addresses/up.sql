-- Version 21: an issued invoice and an order that went out keep the
-- customer's name and address they had. Both were read from the customer
-- at print time, so a reprinted invoice (same number, same date) named the
-- customer's new name and address after an edit, and a delivered order's
-- "Ship to" moved to where the customer lives now (a tryout's reprint of
-- FA-2026-00001).
--
-- An invoice or credit note keeps who it was made out to, as given when it
-- was issued: the customer's name, address, postal code, city, country and
-- email (the shop's country for the address's format is read when printed).
-- Numbers issued before this version take them from the customer as they
-- are now, the nearest there is.
--
-- An order's own ship_to (NULL: the customer's address) is set by the store
-- when a customer's name or address changes, for that customer's orders that
-- are shipped, delivered, returned or cancelled (they went out, or are over);
-- nothing here needs a change for that.

ALTER TABLE invoices ADD COLUMN bill_name TEXT;
ALTER TABLE invoices ADD COLUMN bill_address TEXT;
ALTER TABLE invoices ADD COLUMN bill_postal_code TEXT;
ALTER TABLE invoices ADD COLUMN bill_city TEXT;
ALTER TABLE invoices ADD COLUMN bill_country TEXT;
ALTER TABLE invoices ADD COLUMN bill_email TEXT;

UPDATE invoices SET
    bill_name = c.name,
    bill_address = c.address,
    bill_postal_code = c.postal_code,
    bill_city = c.city,
    bill_country = c.country,
    bill_email = c.email
FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE o.id = invoices.order_id;
