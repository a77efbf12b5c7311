-- Issue 11, Stripe: a charge that succeeded for an order that could no longer take it (expired,
-- cancelled or paid by another charge meanwhile, or another amount) is refunded through the
-- provider and recorded here, once per charge, so no late payment is lost or refunded unseen.
-- Not in `payments`: those rows are what paid an order, and this charge never did.
CREATE TABLE IF NOT EXISTS refunded_charges (
  provider     text        NOT NULL,
  provider_ref text        NOT NULL,
  order_id     text COLLATE "C" NOT NULL,
  amount_cents bigint      NOT NULL CHECK (amount_cents >= 0),
  currency     text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason       text        NOT NULL,
  refunded_at  timestamptz NOT NULL,
  PRIMARY KEY (provider, provider_ref)
);
CREATE INDEX IF NOT EXISTS refunded_charges_order_idx ON refunded_charges (order_id, refunded_at);
