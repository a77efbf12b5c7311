-- Issue 12, support search over orders: the `orders` Elasticsearch index is derived from
-- PostgreSQL through the outbox, like the product index.
--
-- Every order and payment change writes an outbox row ('order', <order id>) in its own
-- transaction, and bumps the order's `version`, which only grows: the sync writes the order
-- document with that version (external versioning), so an older state read late never
-- overwrites a newer one. Orders that exist already start at version 1 and reach the index
-- through `deno task reindex` (or `POST /admin/search/reindex`).
ALTER TABLE orders ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version >= 1);

ALTER TABLE outbox DROP CONSTRAINT outbox_source_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_source_check
  CHECK (source IN ('inventory', 'catalog', 'order'));
ALTER TABLE parked_events DROP CONSTRAINT parked_events_source_check;
ALTER TABLE parked_events ADD CONSTRAINT parked_events_source_check
  CHECK (source IN ('inventory', 'catalog', 'order'));

-- Each outbox consumer reads its own sources in (txid, id) order: the orders feed must not
-- scan past every stock row to find the next order row.
CREATE INDEX outbox_source_position_idx ON outbox (source, txid, id);

-- `GET /admin/users?q=` finds customers by email prefix (and by name, scanning: an admin
-- lookup, not a shopper path).
CREATE INDEX users_email_pattern_idx ON users (lower(email) text_pattern_ops);
