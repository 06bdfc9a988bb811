-- Version 11: held for another branch's migration (0011-customer-insights);
-- this placeholder changes nothing and goes when the branches are merged.
CREATE TABLE placeholder_0011 (x INTEGER) STRICT;
DROP TABLE placeholder_0011;
