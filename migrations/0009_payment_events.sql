-- Issue 11, Stripe webhooks: every provider event id handled, recorded once. Stripe delivers
-- an event at least once (and retries for days), so a redelivery finds its row and changes
-- nothing. Only the id, type and time are kept; no payload, no card data.
CREATE TABLE IF NOT EXISTS processed_payment_events (
  provider    text        NOT NULL,
  event_id    text        NOT NULL,
  type        text        NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (provider, event_id)
);
