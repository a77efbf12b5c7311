-- Idempotency claims get a lease, so a key whose request died (process killed, PostgreSQL
-- lost mid-request) is recovered by a retry instead of answering 409 for 24 hours.
--   claimed_at:  when the current claim was taken (first claim or takeover); a claim still
--                in flight after the lease may be taken over by the same request.
--   resource_id: the id the request creates its resource under, fixed at the first claim, so
--                a takeover finds what the dead request may already have created.
ALTER TABLE idempotency_keys
  ADD COLUMN claimed_at  timestamptz,
  ADD COLUMN resource_id text;
UPDATE idempotency_keys SET claimed_at = created_at;
ALTER TABLE idempotency_keys ALTER COLUMN claimed_at SET NOT NULL;
