#!/usr/bin/env bash
# Installs (when missing) what `deno task bench` and `deno task bench:smoke` run besides Deno and
# the servers: wrk (the HTTP load), pgbench (the checkout baseline; Debian 12 ships it with the
# PostgreSQL server package, which .ci/start_postgres_redis.sh installs), redis-cli (MONITOR
# counts round trips), taskset (pins the API and the load tool to a core each) and Go (the
# 10,000 users scenario builds its load generator, bench/users_load, which has no dependencies).
# Runs as root, without stdin, with CI=true; quiet unless it installs. Progress goes to stderr.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
log() { echo "[install_bench_tools] $*" >&2; }

missing=()
command -v wrk >/dev/null || missing+=(wrk)
pgbench --version >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-cli >/dev/null || missing+=(redis-tools)
command -v taskset >/dev/null || missing+=(util-linux)
command -v go >/dev/null || missing+=(golang-go)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || {
    log "ERROR: ${missing[*]} missing; run as root to install them"
    exit 1
  }
  log "installing ${missing[*]}"
  apt-get update -qq </dev/null >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2
fi
log "$(wrk -v 2>&1 | head -n1 | awk '{print $1, $2}'); $(pgbench --version); $(redis-cli --version); $(go version)"
