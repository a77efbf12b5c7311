-- Operating it (issue 9): leases for one-at-a-time duties, the last run of each background job,
-- the sync's resyncs, and what pruning needs to find old rows quickly.

-- One holder per named duty across every process; the holder renews before `expires_at`, and
-- anyone may take an expired lease. Times come from this server's clock.
CREATE TABLE leases (
  name       text COLLATE "C" PRIMARY KEY,
  holder     text COLLATE "C" NOT NULL,
  expires_at timestamptz NOT NULL
);

-- The latest run of each background job (the search rebuild), so its status survives a restart
-- and reads the same from every API instance.
CREATE TABLE job_runs (
  name        text COLLATE "C" PRIMARY KEY,
  id          text COLLATE "C" NOT NULL,
  status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  progress    bigint NOT NULL DEFAULT 0 CHECK (progress >= 0),
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  error       text
);

-- A parked event is resolved once its SKU was applied again (a later event or a rebuild); the
-- status report lists only unresolved ones and pruning drops resolved ones after the retention.
ALTER TABLE parked_events ADD COLUMN resolved_at timestamptz;
CREATE INDEX parked_events_resolved_idx ON parked_events (resolved_at)
  WHERE resolved_at IS NOT NULL;

-- Resyncs per feed: the feed's resume point was lost, the index was rebuilt from the sources
-- and the feed restarted from now.
CREATE TABLE sync_resyncs (
  feed        text COLLATE "C" PRIMARY KEY,
  count       integer NOT NULL CHECK (count >= 0),
  last_at     timestamptz NOT NULL,
  last_reason text NOT NULL
);

-- Pruning scans: expired sessions, applied outbox rows by time.
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX outbox_at_idx ON outbox (at);
