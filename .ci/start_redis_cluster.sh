#!/usr/bin/env bash
# Starts a Redis Cluster of three primaries and three replicas on 127.0.0.1 (six
# `redis-server --cluster-enabled yes` instances, joined by `redis-cli --cluster create`), waits
# for `cluster_state:ok` and hands over `REDIS_CLUSTER_NODES`.
#
#   .ci/start_redis_cluster.sh [ENV_FILE]
#
# With ENV_FILE, writes a `REDIS_CLUSTER_NODES=...` line there (other lines are kept); always
# prints `export REDIS_CLUSTER_NODES=...` on stdout. Idempotent: a healthy cluster is left as it
# is; an instance that died (a failover test kills one) is started again from its own directory
# and rejoins as a replica; a cluster that cannot become healthy is wiped and created afresh
# (it holds only test data). Progress goes to stderr.
#
# Settings: REDIS_CLUSTER_BASE_PORT (7000: ports 7000-7005), REDIS_CLUSTER_DIR (one directory
# per instance below it), REDIS_CLUSTER_NODE_TIMEOUT_MS (2000: how long a silent primary stays
# a primary; Redis' default is 15000, shorter here so the failover test takes seconds).
set -euo pipefail

ENV_FILE="${1:-}"
BASE_PORT="${REDIS_CLUSTER_BASE_PORT:-7000}"
ROOT="${REDIS_CLUSTER_DIR:-/tmp/polycart-redis-cluster}"
NODE_TIMEOUT_MS="${REDIS_CLUSTER_NODE_TIMEOUT_MS:-2000}"
PORTS=()
for i in 0 1 2 3 4 5; do PORTS+=("$((BASE_PORT + i))"); done
NODES="$(printf '127.0.0.1:%s,' "${PORTS[@]}")"
NODES="${NODES%,}"

log() { echo "[start_redis_cluster] $*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  [ "$(id -u)" -eq 0 ] || die "redis-server and redis-cli are missing; install redis-server and redis-tools"
  log "installing redis-server redis-tools"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server redis-tools </dev/null >&2
fi

cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}" 2>/dev/null </dev/null; }
answers() { cli "$1" ping | grep -q PONG; }
info_field() { cli "$1" cluster info | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'; }

# Healthy: every instance answers, and the first sees all six nodes, none failing, all slots
# served.
healthy() {
  local port
  for port in "${PORTS[@]}"; do answers "$port" || return 1; done
  ! cli "$BASE_PORT" cluster nodes | grep -q -E 'fail|handshake|noaddr' &&
    [ "$(info_field "$BASE_PORT" cluster_state)" = ok ] &&
    [ "$(info_field "$BASE_PORT" cluster_slots_ok)" = 16384 ] &&
    [ "$(info_field "$BASE_PORT" cluster_known_nodes)" = 6 ]
}

start_instance() {
  local port="$1" dir="$ROOT/$1"
  mkdir -p "$dir"
  # nodes.conf in the instance's directory keeps its identity across restarts, so a restarted
  # instance rejoins the cluster (as a replica of whoever took over its slots).
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir" \
    --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout "$NODE_TIMEOUT_MS" --save "" --appendonly no \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" </dev/null >&2
}

start_missing() {
  local port
  for port in "${PORTS[@]}"; do
    if ! answers "$port"; then
      log "starting instance 127.0.0.1:$port"
      start_instance "$port"
    fi
  done
  for port in "${PORTS[@]}"; do
    for _ in $(seq 1 40); do answers "$port" && break; sleep 0.25; done
    answers "$port" || die "instance 127.0.0.1:$port does not answer (see $ROOT/$port/redis.log)"
  done
}

wait_healthy() {
  for _ in $(seq 1 "$1"); do healthy && return 0; sleep 0.5; done
  return 1
}

# Stops our instances (by their pid files only) and forgets the cluster.
wipe() {
  local port pid
  for port in "${PORTS[@]}"; do
    pid="$(cat "$ROOT/$port/redis.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    fi
    answers "$port" && die "127.0.0.1:$port answers but is not ours (no pid file in $ROOT/$port)"
    rm -rf "${ROOT:?}/$port"
  done
}

create() {
  log "creating the cluster: 3 primaries, 3 replicas on ports ${PORTS[0]}-${PORTS[5]}"
  local addresses=()
  local port
  for port in "${PORTS[@]}"; do addresses+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes </dev/null >&2 ||
    die "redis-cli --cluster create failed"
}

if healthy; then
  log "cluster already healthy on $NODES"
else
  start_missing
  if [ "$(info_field "$BASE_PORT" cluster_known_nodes)" = 1 ] &&
    [ "$(info_field "$BASE_PORT" cluster_slots_assigned)" = 0 ]; then
    create # fresh instances
  elif ! wait_healthy 20; then
    log "cluster not healthy after restarting its instances: wiping it and creating it afresh"
    wipe
    start_missing
    create
  fi
  wait_healthy 60 || die "cluster_state is not ok on $NODES (see $ROOT/*/redis.log)"
  log "cluster ready on $NODES"
fi

if [ -n "$ENV_FILE" ]; then
  # The file may be shared with the other start scripts: replace our line, keep theirs.
  mkdir -p "$(dirname "$ENV_FILE")"
  touch "$ENV_FILE"
  kept="$(grep -v -E '^REDIS_CLUSTER_NODES=' "$ENV_FILE" || true)"
  {
    [ -n "$kept" ] && printf '%s\n' "$kept"
    printf 'REDIS_CLUSTER_NODES=%s\n' "$NODES"
  } >"$ENV_FILE"
  log "wrote REDIS_CLUSTER_NODES to $ENV_FILE"
fi
echo "export REDIS_CLUSTER_NODES=${NODES}"
