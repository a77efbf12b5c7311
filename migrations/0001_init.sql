-- Polycart: the PostgreSQL sources of truth (users, sessions, inventory, orders, payments,
-- idempotency keys, the outbox) and the search sync's consumer state.
--
-- Forward-only: never edit this file once applied anywhere; add 0002_*.sql instead. The runner
-- (migrations/migrate.ts) runs each file in its own transaction and refuses edited files.
--
-- Identifiers and SKUs use COLLATE "C" so ORDER BY matches the byte order the domain (and the
-- in-memory fakes) sort by, whatever the database's default collation.

-- ---- identity ----------------------------------------------------------------------------

CREATE TABLE users (
  id            text COLLATE "C" PRIMARY KEY,
  email         text NOT NULL CHECK (email <> ''),
  display_name  text,
  role          text NOT NULL CHECK (role IN ('customer', 'admin')),
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL
);
-- Unique case-insensitively; findByEmail looks up by lower(email).
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- Only a SHA-256 of the bearer token is stored; the token never is.
CREATE TABLE sessions (
  token_hash text COLLATE "C" PRIMARY KEY,
  user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- ---- inventory ---------------------------------------------------------------------------

CREATE TABLE inventory (
  sku              text COLLATE "C" PRIMARY KEY CHECK (sku <> ''),
  name             text NOT NULL,
  unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
  currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  stock            integer NOT NULL CHECK (stock >= 0),
  reserved         integer NOT NULL DEFAULT 0,
  active           boolean NOT NULL DEFAULT true,
  version          bigint NOT NULL CHECK (version >= 0),
  updated_at       timestamptz NOT NULL,
  CONSTRAINT inventory_reserved_within_stock CHECK (reserved >= 0 AND reserved <= stock)
);
-- InventoryStore.list({ lowStock }) filters on available units.
CREATE INDEX inventory_available_idx ON inventory ((stock - reserved), sku);

-- ---- orders and payments -----------------------------------------------------------------

CREATE TABLE orders (
  id          text COLLATE "C" PRIMARY KEY,
  user_id     text COLLATE "C" NOT NULL REFERENCES users (id),
  status      text NOT NULL
              CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled', 'refunded')),
  total_cents bigint NOT NULL CHECK (total_cents >= 0),
  currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  paid_at     timestamptz,
  updated_at  timestamptz NOT NULL,
  -- Paid statuses carry a payment time; unpaid ones never do.
  CONSTRAINT orders_paid_at_matches_status CHECK (
    (status IN ('confirmed', 'shipped', 'delivered', 'refunded')) = (paid_at IS NOT NULL)
  )
);
-- Listings are newest first, optionally per user and/or status.
CREATE INDEX orders_created_idx ON orders (created_at DESC, id DESC);
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC, id DESC);
-- The expiry sweeper's batch.
CREATE INDEX orders_pending_expiry_idx ON orders (expires_at) WHERE status = 'pending';
-- Revenue reports scan paid orders by payment time.
CREATE INDEX orders_paid_at_idx ON orders (paid_at)
  WHERE status IN ('confirmed', 'shipped', 'delivered');

-- Price and name are snapshots taken under the reservation.
CREATE TABLE order_items (
  order_id         text COLLATE "C" NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  sku              text COLLATE "C" NOT NULL REFERENCES inventory (sku),
  product_name     text NOT NULL,
  qty              integer NOT NULL CHECK (qty > 0),
  unit_price_cents bigint NOT NULL CHECK (unit_price_cents >= 0),
  line_total_cents bigint NOT NULL CHECK (line_total_cents = unit_price_cents * qty),
  PRIMARY KEY (order_id, sku)
);

CREATE TABLE payments (
  seq            bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id             text COLLATE "C" PRIMARY KEY,
  order_id       text COLLATE "C" NOT NULL REFERENCES orders (id),
  user_id        text COLLATE "C" NOT NULL,
  status         text NOT NULL CHECK (status IN ('succeeded', 'declined', 'failed', 'refunded')),
  amount_cents   bigint NOT NULL CHECK (amount_cents >= 0),
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  provider       text NOT NULL,
  -- One provider charge can confirm an order only once.
  provider_ref   text NOT NULL CONSTRAINT payments_provider_ref_key UNIQUE,
  failure_reason text,
  processed_at   timestamptz NOT NULL
);
CREATE INDEX payments_order_idx ON payments (order_id, seq);

-- ---- idempotency -------------------------------------------------------------------------

CREATE TABLE idempotency_keys (
  user_id         text COLLATE "C" NOT NULL,
  key             text COLLATE "C" NOT NULL,
  fingerprint     text NOT NULL,
  state           text NOT NULL CHECK (state IN ('in_flight', 'completed')),
  response_status integer,
  response_body   json, -- json, not jsonb: a replay answers the body byte for byte
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (user_id, key),
  CHECK ((state = 'completed') = (response_status IS NOT NULL))
);
-- For pruning forgotten keys.
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- ---- outbox: stock and price changes for the search sync ---------------------------------

-- Written in the same transaction as the change. `txid` is the writing transaction: a reader
-- only takes rows whose transaction is older than every transaction still running, ordered by
-- (txid, id), so a row committed late can never fall behind a checkpoint already handed out.
CREATE TABLE outbox (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  txid   xid8 NOT NULL DEFAULT pg_current_xact_id(),
  source text NOT NULL DEFAULT 'inventory' CHECK (source IN ('inventory', 'catalog')),
  sku    text COLLATE "C" NOT NULL,
  at     timestamptz NOT NULL
);
CREATE INDEX outbox_position_idx ON outbox (txid, id);

-- ---- sync consumers' state (outbox, MongoDB change stream resume tokens) -----------------

CREATE TABLE sync_checkpoints (
  feed          text COLLATE "C" PRIMARY KEY,
  checkpoint    text NOT NULL,
  last_event_at timestamptz NOT NULL,
  saved_at      timestamptz NOT NULL DEFAULT now()
);

-- Events a consumer gave up on; re-parking the same (feed, checkpoint) replaces the row.
CREATE TABLE parked_events (
  feed       text COLLATE "C" NOT NULL,
  checkpoint text COLLATE "C" NOT NULL,
  source     text NOT NULL CHECK (source IN ('inventory', 'catalog')),
  sku        text COLLATE "C" NOT NULL,
  at         timestamptz NOT NULL,
  error      text NOT NULL,
  attempts   integer NOT NULL CHECK (attempts >= 0),
  parked_at  timestamptz NOT NULL,
  PRIMARY KEY (feed, checkpoint)
);
CREATE INDEX parked_events_parked_at_idx ON parked_events (parked_at);
