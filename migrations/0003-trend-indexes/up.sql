-- Version 3: the Trends panel counts new customers in a range by the day of
-- their first order; an index answers that without reading every customer.
CREATE INDEX customers_by_first_order ON customers (first_order_date);
