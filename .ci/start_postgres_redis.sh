#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL and Redis on 127.0.0.1, creates the `polycart`
# role and database, waits until both answer, and prints the URLs.
#
#   .ci/start_postgres_redis.sh [ENV_FILE]
#
# With ENV_FILE, writes `DATABASE_URL=...` and `REDIS_URL=...` lines there (for `.ci/run` to
# source; other lines in the file are kept); always prints `export ...` lines on stdout. Idempotent: safe when already running.
# Runs as root, without stdin, with CI=true. Progress goes to stderr.
set -euo pipefail

ENV_FILE="${1:-}"
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
DB_NAME=polycart
DB_USER=polycart
DB_PASSWORD=polycart
DATABASE_URL="postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${PG_PORT}/${DB_NAME}"
REDIS_URL="redis://127.0.0.1:${REDIS_PORT}"

export DEBIAN_FRONTEND=noninteractive
log() { echo "[start_postgres_redis] $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "run as root (installs packages and starts the servers as their users)"

# ---- install what is missing (apt-get update once) -------------------------------------------
missing=()
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
  missing+=(postgresql)
fi
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-cli >/dev/null || missing+=(redis-tools)
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq </dev/null >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2
fi

# ---- PostgreSQL -----------------------------------------------------------------------------
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
[ -n "$PG_VERSION" ] || die "no PostgreSQL version found under /usr/lib/postgresql"

if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  log "creating cluster $PG_VERSION/main on port $PG_PORT"
  pg_createcluster "$PG_VERSION" main --port "$PG_PORT" >&2
fi
cluster_port="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { print $3 }')"
[ "$cluster_port" = "$PG_PORT" ] ||
  die "cluster $PG_VERSION/main is configured for port $cluster_port, expected $PG_PORT"

cluster_status="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { print $4 }')"
if [ "$cluster_status" != "online" ]; then
  log "starting PostgreSQL $PG_VERSION/main"
  # Loopback only (Debian's default is `localhost`; pin it) and enough connections for the
  # concurrency tests (several pools of up to 20) next to a running app.
  conf_dir="/etc/postgresql/${PG_VERSION}/main/conf.d"
  mkdir -p "$conf_dir"
  printf "listen_addresses = '127.0.0.1'\nmax_connections = 200\n" >"$conf_dir/polycart.conf"
  pg_ctlcluster "$PG_VERSION" main start >&2 ||
    die "pg_ctlcluster failed; see /var/log/postgresql/postgresql-${PG_VERSION}-main.log"
else
  log "PostgreSQL $PG_VERSION/main already running"
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"

psql_admin() {
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@" </dev/null
}
psql_admin -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_USER}') THEN
    CREATE ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASSWORD}' CREATEDB;
  ELSE
    ALTER ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASSWORD}' CREATEDB;
  END IF;
END \$\$;" >&2
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'")" != "1" ]; then
  log "creating database ${DB_NAME}"
  runuser -u postgres -- createdb -p "$PG_PORT" -O "$DB_USER" "$DB_NAME" </dev/null
fi

# Through TCP with the password, exactly as the application connects.
for _ in $(seq 1 20); do
  PGPASSWORD="$DB_PASSWORD" psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" \
    -tAc "SELECT 1" </dev/null >/dev/null 2>&1 && break
  sleep 0.5
done
PGPASSWORD="$DB_PASSWORD" psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$DB_NAME" \
  -tAc "SELECT 1" </dev/null >/dev/null || die "cannot log in as ${DB_USER} to ${DB_NAME}"
log "PostgreSQL ready: ${DATABASE_URL}"

# ---- Redis ----------------------------------------------------------------------------------
if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
  log "Redis already running"
else
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --logfile /var/log/polycart-redis.log --dir /tmp </dev/null >&2
fi
for _ in $(seq 1 40); do
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
  sleep 0.25
done
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG ||
  die "Redis does not answer on 127.0.0.1:$REDIS_PORT (see /var/log/polycart-redis.log)"
log "Redis ready: ${REDIS_URL}"

# ---- hand the URLs over ---------------------------------------------------------------------
if [ -n "$ENV_FILE" ]; then
  # The file may be shared with the other start scripts: replace our lines, keep theirs.
  mkdir -p "$(dirname "$ENV_FILE")"
  touch "$ENV_FILE"
  kept="$(grep -v -E '^(DATABASE_URL|REDIS_URL)=' "$ENV_FILE" || true)"
  {
    [ -n "$kept" ] && printf '%s\n' "$kept"
    printf 'DATABASE_URL=%s\nREDIS_URL=%s\n' "$DATABASE_URL" "$REDIS_URL"
  } >"$ENV_FILE"
  log "wrote DATABASE_URL and REDIS_URL to $ENV_FILE"
fi
echo "export DATABASE_URL=${DATABASE_URL}"
echo "export REDIS_URL=${REDIS_URL}"
