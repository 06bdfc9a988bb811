-- Version 9: invoices and credit notes (issue 15).
--
-- An invoice number is given once per order, the first time an invoice is
-- issued for it, and kept: issuing again prints the same number. A credit
-- note is given once per refund and names the order's invoice. Each kind has
-- its own sequence, consecutive without gaps and never reused: the store
-- takes the next one inside the write's one BEGIN IMMEDIATE transaction, so
-- two windows issuing at once never get the same one (UNIQUE guards it too).
-- The number as printed (prefix + zero-padded sequence) is kept as issued, so
-- a later change of the prefix never changes an issued number.
--
-- The shop's identity (legal name, address, tax number, terms, footer,
-- paper, number formats) is kept in `settings`; its logo, as bytes, here.

CREATE TABLE invoices (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('invoice', 'credit')),
    seq        INTEGER NOT NULL CHECK (seq > 0),
    number     TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 100),
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    -- A credit note: the refund it is for (gone if that refund was undone).
    payment_id INTEGER REFERENCES payments (id) ON DELETE SET NULL,
    issued_on  TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    UNIQUE (kind, seq),
    UNIQUE (number)
) STRICT;

CREATE UNIQUE INDEX invoices_one_per_order ON invoices (order_id) WHERE kind = 'invoice';
CREATE INDEX invoices_by_order ON invoices (order_id);

CREATE TABLE shop_logo (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    kind TEXT NOT NULL CHECK (kind IN ('png', 'jpeg')),
    data BLOB NOT NULL CHECK (length(data) <= 4194304)
) STRICT;
