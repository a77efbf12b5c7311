-- Issue 12, support search over orders: the `orders` Elasticsearch index is derived from
-- PostgreSQL through the outbox, like the product index.
--
-- Every order and payment change writes an outbox row ('order', <order id>) in its own
-- transaction, and bumps the order's `version`, which only grows: the sync writes the order
-- document with that version (external versioning), so an older state read late never
-- overwrites a newer one. Orders that exist already start at version 1 and reach the index
-- through `deno task reindex` (or `POST /admin/search/reindex`).
ALTER TABLE orders ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version >= 1);

-- 'order' rows (and parked 'order' events) fit the source checks as migration 0011 left them
-- (a lower-case word); re-listing the sources here would refuse 0011's 'user' rows.

-- Each outbox consumer reads its own sources in (txid, id) order: the orders feed must not
-- scan past every stock row to find the next order row.
CREATE INDEX outbox_source_position_idx ON outbox (source, txid, id);

-- `GET /admin/users?q=` finds customers by email prefix (and by name, scanning: an admin
-- lookup, not a shopper path).
CREATE INDEX users_email_pattern_idx ON users (lower(email) text_pattern_ops);
