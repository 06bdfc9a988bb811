-- Products that do not track stock (a gift card, a download, a service):
-- imports of a platform's export make them for line items with no product
-- of ours. Their orders never take or give back stock.
ALTER TABLE products ADD COLUMN track_stock INTEGER NOT NULL DEFAULT 1 CHECK (track_stock IN (0, 1));
