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
set -euo pipefail

ENV_FILE=${1:?usage: $0 <env-file to append ELASTICSEARCH_URL to>}
ES_VERSION=${ES_VERSION:-8.19.2}
ES_PORT=${ES_PORT:-9200}
ES_START_TIMEOUT=${ES_START_TIMEOUT:-180}
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
  local kept
  kept=$(grep -v '^ELASTICSEARCH_URL=' "$ENV_FILE" || true)
  { [ -n "$kept" ] && printf '%s\n' "$kept"; echo "ELASTICSEARCH_URL=$URL"; } >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "ELASTICSEARCH_URL=$URL written to $ENV_FILE"
}

healthy() {
  curl -fsS -m 3 "$URL/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1
}

if healthy; then
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
if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  log "process $(cat "$PID_FILE") is starting; waiting for it"
else
  rm -f "$PID_FILE"
  cd "$RUN_DIR"
  log "starting Elasticsearch $ES_VERSION on $URL (java: $ES_JAVA_HOME)"
  "${RUN_AS[@]}" env ES_JAVA_HOME="$ES_JAVA_HOME" ES_JAVA_OPTS="$ES_JAVA_OPTS" \
    ES_PATH_CONF="$ES_PATH_CONF" ES_TMPDIR="$ES_TMPDIR" \
    "$HOME_DIR/bin/elasticsearch" -d -p "$PID_FILE" \
    -Ediscovery.type=single-node \
    -Enetwork.host=127.0.0.1 \
    -Ehttp.port="$ES_PORT" \
    -Expack.security.enabled=false \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    -Epath.data="$RUN_DIR/data" \
    -Epath.logs="$RUN_DIR/logs" \
    -Ecluster.name=polycart-ci </dev/null >"$RUN_DIR/logs/launcher.out" 2>&1 || {
    log "launch failed:"
    tail -n 50 "$RUN_DIR/logs/launcher.out" >&2
    exit 1
  }
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
