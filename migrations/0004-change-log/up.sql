-- Version 4: the change log. Every change made in the window (who is always
-- "this computer", what, when, the row before and after as JSON) is kept, shown
-- per customer, product and order, and undone one by one with Edit > Undo.
CREATE TABLE change_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    who       TEXT NOT NULL DEFAULT 'this computer',
    entity    TEXT NOT NULL CHECK (entity IN ('customer', 'product', 'order', 'settings', 'import')),
    entity_id INTEGER,
    action    TEXT NOT NULL,
    summary   TEXT NOT NULL,
    before    TEXT CHECK (before IS NULL OR json_valid(before)),
    after     TEXT CHECK (after IS NULL OR json_valid(after)),
    -- An undo names the change it reversed; the reversed change names its undo.
    undoes    INTEGER REFERENCES change_log (id),
    undone_by INTEGER REFERENCES change_log (id)
) STRICT;

CREATE INDEX change_log_by_entity ON change_log (entity, entity_id, id);
