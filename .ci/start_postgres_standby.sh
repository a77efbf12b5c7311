#!/usr/bin/env bash
# Makes and starts a streaming standby of the PostgreSQL primary that
# .ci/start_postgres_redis.sh started: `pg_basebackup -R` into a data directory of its own,
# started with plain `pg_ctl` as the postgres user on port 5433 (loopback), then waits until
# the primary lists it as streaming in `pg_stat_replication`.
#
#   .ci/start_postgres_standby.sh [ENV_FILE]
#
# With ENV_FILE, writes `DATABASE_STANDBY_URL=...` (the standby alone, read-only) and
# `DATABASE_HA_URL=...` (both hosts, `target_session_attrs=read-write`: always the primary)
# there, keeping other lines; always prints `export ...` lines on stdout. Idempotent.
#
# The primary is not reconfigured: Debian's defaults already allow it (wal_level=replica,
# max_wal_senders=10, `local replication all peer` in pg_hba.conf). Replication is therefore
# asynchronous here; a synchronous standby (`synchronous_standby_names`), the setting that
# makes a failover lose no acknowledged order, is what reliability/failover.ts proves on a
# private pair (see the README, "Beyond one machine").
#
# Environment: PRIMARY_PORT (5432), STANDBY_PORT (5433), PRIMARY_SOCKET_DIR
# (/var/run/postgresql), STANDBY_DIR (/var/lib/postgresql/polycart-standby-$STANDBY_PORT).
set -euo pipefail

ENV_FILE="${1:-}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
STANDBY_PORT="${STANDBY_PORT:-5433}"
PRIMARY_SOCKET_DIR="${PRIMARY_SOCKET_DIR:-/var/run/postgresql}"
STANDBY_DIR="${STANDBY_DIR:-/var/lib/postgresql/polycart-standby-${STANDBY_PORT}}"
NAME=polycart_standby
DB="polycart:polycart@127.0.0.1"
DATABASE_STANDBY_URL="postgres://${DB}:${STANDBY_PORT}/polycart"
DATABASE_HA_URL="postgres://${DB}:${PRIMARY_PORT},127.0.0.1:${STANDBY_PORT}/polycart?target_session_attrs=read-write"

log() { echo "[start_postgres_standby] $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
[ "$(id -u)" -eq 0 ] || die "run as root (runs PostgreSQL as the postgres user)"

BIN="/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -n 1)/bin"
as_postgres() { runuser -u postgres -- "$@" </dev/null; }
primary_sql() { as_postgres psql -X -q -tA -h "$PRIMARY_SOCKET_DIR" -p "$PRIMARY_PORT" -d postgres -c "$1"; }
standby_sql() { as_postgres psql -X -q -tA -h 127.0.0.1 -p "$STANDBY_PORT" -U polycart -d polycart -c "$1"; }

"$BIN/pg_isready" -q -h "$PRIMARY_SOCKET_DIR" -p "$PRIMARY_PORT" ||
  die "no primary on port $PRIMARY_PORT: run .ci/start_postgres_redis.sh first"

if [ ! -f "$STANDBY_DIR/standby.signal" ]; then
  log "pg_basebackup from :$PRIMARY_PORT into $STANDBY_DIR"
  rm -rf "$STANDBY_DIR"
  mkdir -p "$STANDBY_DIR"
  chown postgres: "$STANDBY_DIR"
  chmod 700 "$STANDBY_DIR"
  as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_SOCKET_DIR" -p "$PRIMARY_PORT" -U postgres \
    -D "$STANDBY_DIR" -R -X stream -c fast --no-sync >&2
  # Debian keeps postgresql.conf and pg_hba.conf in /etc, so the copy has neither: write them.
  max_connections="$(primary_sql "SHOW max_connections")"
  cat >"$STANDBY_DIR/postgresql.conf" <<EOF
# A hot standby of :$PRIMARY_PORT, written by .ci/start_postgres_standby.sh
listen_addresses = '127.0.0.1'
port = $STANDBY_PORT
unix_socket_directories = '$STANDBY_DIR'
max_connections = $max_connections
hot_standby = on
cluster_name = '$NAME'
EOF
  cat >"$STANDBY_DIR/pg_hba.conf" <<EOF
local all postgres peer
host all all 127.0.0.1/32 scram-sha-256
EOF
  chown postgres: "$STANDBY_DIR/postgresql.conf" "$STANDBY_DIR/pg_hba.conf"
fi

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$STANDBY_PORT"; then
  log "standby already running on :$STANDBY_PORT"
else
  log "starting the standby on 127.0.0.1:$STANDBY_PORT"
  as_postgres "$BIN/pg_ctl" -D "$STANDBY_DIR" -l "$STANDBY_DIR/standby.log" -w -t 60 start >&2 ||
    die "pg_ctl start failed; see $STANDBY_DIR/standby.log"
fi

for _ in $(seq 1 100); do
  state="$(primary_sql "SELECT state FROM pg_stat_replication WHERE application_name = '$NAME'")"
  [ "$state" = streaming ] && break
  sleep 0.2
done
[ "$state" = streaming ] || die "the standby does not stream (state '$state'); see $STANDBY_DIR/standby.log"
[ "$(PGPASSWORD=polycart standby_sql "SELECT pg_is_in_recovery()")" = t ] ||
  die "the server on :$STANDBY_PORT is not in recovery"
log "standby streaming: $DATABASE_STANDBY_URL"

if [ -n "$ENV_FILE" ]; then
  touch "$ENV_FILE"
  kept="$(grep -v -E '^(DATABASE_STANDBY_URL|DATABASE_HA_URL)=' "$ENV_FILE" || true)"
  {
    [ -n "$kept" ] && printf '%s\n' "$kept"
    printf 'DATABASE_STANDBY_URL=%s\nDATABASE_HA_URL=%s\n' "$DATABASE_STANDBY_URL" "$DATABASE_HA_URL"
  } >"$ENV_FILE"
  log "wrote DATABASE_STANDBY_URL and DATABASE_HA_URL to $ENV_FILE"
fi
echo "export DATABASE_STANDBY_URL=${DATABASE_STANDBY_URL}"
echo "export DATABASE_HA_URL='${DATABASE_HA_URL}'"
