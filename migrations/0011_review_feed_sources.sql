-- Issue 12, reviews: a user's display name is copied onto their reviews (MongoDB), so a rename
-- writes an outbox row (source 'user', sku = the user's id) in the same transaction, and the
-- sync applies it to the reviews. The review change stream's events ('review') can be parked.
-- The source lists are loosened to a word instead of re-listed, so another migration that adds
-- its own outbox source (before or after this one) does not have to know about 'user'; the
-- adapters validate the sources they read.
ALTER TABLE outbox DROP CONSTRAINT IF EXISTS outbox_source_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_source_check CHECK (source ~ '^[a-z][a-z_]*$');
ALTER TABLE parked_events DROP CONSTRAINT IF EXISTS parked_events_source_check;
ALTER TABLE parked_events
  ADD CONSTRAINT parked_events_source_check CHECK (source ~ '^[a-z][a-z_]*$');
