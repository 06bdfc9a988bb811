-- Version 19: the customers by the day of their first sale (an order that
-- counts: not cancelled or returned), for Trends' "New customers" of any
-- range of days. It counted them by their first order of any status (kept
-- by customers_by_first_order), so a customer whose first order was
-- returned was new at that order's date, where Insights' new and returning
-- customers (by month of first sale) counted them later. Only customers
-- with a sale are in it.

CREATE INDEX customers_by_first_sale ON customers (first_sale_date) WHERE first_sale_date IS NOT NULL;
