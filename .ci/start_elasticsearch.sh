#!/usr/bin/env bash
# Fetches (Maven Central, cached in .ci/cache), starts and waits for a single-node
# Elasticsearch on 127.0.0.1:9200, then appends ELASTICSEARCH_URL=... to the file named by $1.
# Idempotent: when a healthy server already answers, it only writes the URL.
#
# The integ-test-zip distribution has no bundled JDK (runs on the machine's OpenJDK 17) and
# only core modules: no analysis-common (no `english` analyzer), mapper-extras, painless or
# reindex. Elasticsearch refuses to run as root, so as root it runs as the user polycart-es.
#
# Environment: ES_VERSION (8.19.2), ES_PORT (9200), ES_START_TIMEOUT seconds (180),
# ES_JAVA_OPTS (-Xms512m -Xmx512m).
#
# ES_SECOND_PORT (unset: one node): with it, the node on ES_PORT (master and data, transport
# ES_TRANSPORT_PORT, 9300) and a second node of the same zip (data only, HTTP on ES_SECOND_PORT,
# transport ES_TRANSPORT_PORT + 1,
# its own data and logs in `...-run-2`) form one cluster through `discovery.seed_hosts` and
# `cluster.initial_master_nodes` instead of `single-node`; both JVMs start together.
# ELASTICSEARCH_URL stays the first node; ELASTICSEARCH_CLUSTER_URL lists both. A first node
# already running as a single node cannot take a second one: then only a warning is printed.
set -euo pipefail

ENV_FILE=${1:?usage: $0 <env-file to append ELASTICSEARCH_URL to>}
ES_VERSION=${ES_VERSION:-8.19.2}
ES_PORT=${ES_PORT:-9200}
ES_START_TIMEOUT=${ES_START_TIMEOUT:-180}
ES_SECOND_PORT=${ES_SECOND_PORT:-}
ES_TRANSPORT_PORT=${ES_TRANSPORT_PORT:-9300}
ES_USER=polycart-es
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE="$ROOT/.ci/cache"
ZIP="$CACHE/dist/elasticsearch-$ES_VERSION.zip"
HOME_DIR="$CACHE/elasticsearch-$ES_VERSION"
RUN_DIR="$CACHE/elasticsearch-$ES_VERSION-run"
URL="http://127.0.0.1:$ES_PORT"

log() { echo "[start_elasticsearch] $*" >&2; }

publish() {
  touch "$ENV_FILE"
  local kept cluster=""
  kept=$(grep -v -E '^ELASTICSEARCH_(CLUSTER_)?URL=' "$ENV_FILE" || true)
  if [ -n "$ES_SECOND_PORT" ]; then
    if curl -fsS -m 3 "$URL/_cat/nodes?h=name" 2>/dev/null | grep -q polycart-es-2; then
      cluster="ELASTICSEARCH_CLUSTER_URL=$URL,http://127.0.0.1:$ES_SECOND_PORT"
    else
      log "WARNING: no second node in the cluster at $URL (started as a single node earlier?)"
    fi
  fi
  {
    [ -n "$kept" ] && printf '%s\n' "$kept"
    echo "ELASTICSEARCH_URL=$URL"
    [ -n "$cluster" ] && echo "$cluster"
  } >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "ELASTICSEARCH_URL=$URL written to $ENV_FILE"
}

NODES=1
[ -n "$ES_SECOND_PORT" ] && NODES=2
healthy() {
  curl -fsS -m 3 "$URL/_cluster/health?wait_for_status=yellow&wait_for_nodes=$NODES&timeout=1s" >/dev/null 2>&1
}

if healthy || { [ "$NODES" = 2 ] && curl -fsS -m 3 "$URL/_nodes/settings" 2>/dev/null |
  grep -q '"single-node"'; }; then
  log "already running at $URL"
  publish
  exit 0
fi

if [ ! -f "$ZIP" ]; then
  log "fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
  mkdir -p "$CACHE/dist"
  mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$CACHE/m2" dependency:copy \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
    -DoutputDirectory="$CACHE/dist" </dev/null
fi

if [ ! -x "$HOME_DIR/bin/elasticsearch" ]; then
  log "unpacking $ZIP"
  rm -rf "$HOME_DIR.tmp"
  mkdir -p "$HOME_DIR.tmp"
  unzip -q "$ZIP" -d "$HOME_DIR.tmp"
  mv "$HOME_DIR.tmp/elasticsearch-$ES_VERSION" "$HOME_DIR"
  rm -rf "$HOME_DIR.tmp"
  chmod -R a+rX "$HOME_DIR"
fi

JAVA_BIN=$(command -v java) || { log "java not found (needs OpenJDK 17+)"; exit 1; }
export ES_JAVA_HOME
ES_JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")
export ES_JAVA_OPTS="${ES_JAVA_OPTS:--Xms512m -Xmx512m}"
export ES_PATH_CONF="$RUN_DIR/config"

# Writable state lives outside the unpacked distribution so that it can stay read-only.
mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs" "$RUN_DIR/tmp"
if [ ! -f "$ES_PATH_CONF/jvm.options" ]; then
  rm -rf "$ES_PATH_CONF"
  cp -r "$HOME_DIR/config" "$ES_PATH_CONF"
  # jvm.options writes gc logs, heap dumps and error files relative to the working directory.
  sed -i -e "s#file=logs/#file=$RUN_DIR/logs/#" -e "s#HeapDumpPath=data#HeapDumpPath=$RUN_DIR/data#" \
    -e "s#ErrorFile=logs/#ErrorFile=$RUN_DIR/logs/#" "$ES_PATH_CONF/jvm.options"
fi
export ES_TMPDIR="$RUN_DIR/tmp"

RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  if ! id "$ES_USER" >/dev/null 2>&1; then
    log "creating system user $ES_USER"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER"
  fi
  chown -R "$ES_USER:" "$RUN_DIR"
  # The user must be able to traverse to the distribution.
  dir="$HOME_DIR"
  while [ "$dir" != / ]; do
    chmod o+x "$dir" 2>/dev/null || true
    dir=$(dirname "$dir")
  done
  RUN_AS=(runuser -u "$ES_USER" --)
fi

PID_FILE="$RUN_DIR/elasticsearch.pid"
# launch RUN_DIR HTTP_PORT SETTINGS...: starts one node (daemonized) unless its pid runs.
launch() {
  local run_dir=$1 http_port=$2
  shift 2
  local pid_file="$run_dir/elasticsearch.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    log "process $(cat "$pid_file") is starting; waiting for it"
    return
  fi
  rm -f "$pid_file"
  log "starting Elasticsearch $ES_VERSION on http://127.0.0.1:$http_port (java: $ES_JAVA_HOME)"
  (cd "$run_dir" && "${RUN_AS[@]}" env ES_JAVA_HOME="$ES_JAVA_HOME" ES_JAVA_OPTS="$ES_JAVA_OPTS" \
    ES_PATH_CONF="$run_dir/config" ES_TMPDIR="$run_dir/tmp" \
    "$HOME_DIR/bin/elasticsearch" -d -p "$pid_file" \
    "$@" \
    -Enetwork.host=127.0.0.1 \
    -Ehttp.port="$http_port" \
    -Expack.security.enabled=false \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    -Epath.data="$run_dir/data" \
    -Epath.logs="$run_dir/logs" \
    -Ecluster.name=polycart-ci </dev/null >"$run_dir/logs/launcher.out" 2>&1) || {
    log "launch failed:"
    tail -n 50 "$run_dir/logs/launcher.out" >&2
    exit 1
  }
}

if [ -z "$ES_SECOND_PORT" ]; then
  launch "$RUN_DIR" "$ES_PORT" -Ediscovery.type=single-node
else
  SEEDS=127.0.0.1:$ES_TRANSPORT_PORT,127.0.0.1:$((ES_TRANSPORT_PORT + 1))
  RUN_DIR_2="$RUN_DIR-2"
  mkdir -p "$RUN_DIR_2/data" "$RUN_DIR_2/logs" "$RUN_DIR_2/tmp"
  if [ ! -f "$RUN_DIR_2/config/jvm.options" ]; then
    rm -rf "$RUN_DIR_2/config"
    cp -r "$HOME_DIR/config" "$RUN_DIR_2/config"
    sed -i -e "s#file=logs/#file=$RUN_DIR_2/logs/#" -e "s#HeapDumpPath=data#HeapDumpPath=$RUN_DIR_2/data#" \
      -e "s#ErrorFile=logs/#ErrorFile=$RUN_DIR_2/logs/#" "$RUN_DIR_2/config/jvm.options"
  fi
  [ "${#RUN_AS[@]}" -gt 0 ] && chown -R "$ES_USER:" "$RUN_DIR_2"
  launch "$RUN_DIR" "$ES_PORT" -Enode.name=polycart-es-1 -Etransport.port="$ES_TRANSPORT_PORT" \
    -Ediscovery.seed_hosts="$SEEDS" -Ecluster.initial_master_nodes=polycart-es-1
  launch "$RUN_DIR_2" "$ES_SECOND_PORT" -Enode.name=polycart-es-2 -Etransport.port=$((ES_TRANSPORT_PORT + 1)) \
    -Enode.roles=data -Ediscovery.seed_hosts="$SEEDS" -Ecluster.initial_master_nodes=polycart-es-1
fi

deadline=$((SECONDS + ES_START_TIMEOUT))
until healthy; do
  if [ $SECONDS -ge $deadline ]; then
    log "not healthy after ${ES_START_TIMEOUT}s; last log lines:"
    tail -n 50 "$RUN_DIR/logs/polycart-ci.log" >&2 2>/dev/null || tail -n 50 "$RUN_DIR/logs/launcher.out" >&2
    exit 1
  fi
  if [ -f "$PID_FILE" ] && ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    log "process exited; last log lines:"
    tail -n 50 "$RUN_DIR/logs/polycart-ci.log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 1
done
log "healthy after $((SECONDS))s"
publish
