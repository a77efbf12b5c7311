#!/usr/bin/env bash
# Fetches (Maven Central, cached in .ci/cache) and starts a MongoDB wire-protocol server
# (de.bwaldvogel:mongo-java-server, see .ci/mongo/pom.xml and Launcher.java) on
# 127.0.0.1:27017, waits until it answers, then appends MONGO_URL=... to the file named by $1.
# Idempotent: when the server already answers, it only writes the URL.
#
# The server advertises MongoDB 5.0 / wire version 8 (the mongodb npm driver 6.x/7.x needs 8),
# has its oplog enabled so change streams work, keeps data in memory (MONGO_STORE=h2:<file>
# for the H2 backend), and has no transactions or replica set.
#
# Environment: MONGO_PORT (27017), MONGO_STORE (memory), MONGO_START_TIMEOUT seconds (60),
# MONGO_JAVA_OPTS (-Xms64m -Xmx1g).
set -euo pipefail

ENV_FILE=${1:?usage: $0 <env-file to append MONGO_URL to>}
MONGO_PORT=${MONGO_PORT:-27017}
MONGO_STORE=${MONGO_STORE:-memory}
MONGO_START_TIMEOUT=${MONGO_START_TIMEOUT:-60}
MONGO_JAVA_OPTS=${MONGO_JAVA_OPTS:--Xms64m -Xmx1g}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE="$ROOT/.ci/cache"
SRC="$ROOT/.ci/mongo"
POM_HASH=$(sha256sum "$SRC/pom.xml" | cut -c1-12)
JARS="$CACHE/mongo-java-server-$POM_HASH"
RUN_DIR="$CACHE/mongo-run"
PID_FILE="$RUN_DIR/mongo.pid"
URL="mongodb://127.0.0.1:$MONGO_PORT/polycart"

log() { echo "[start_mongo] $*" >&2; }

publish() {
  touch "$ENV_FILE"
  local kept
  kept=$(grep -v '^MONGO_URL=' "$ENV_FILE" || true)
  { [ -n "$kept" ] && printf '%s\n' "$kept"; echo "MONGO_URL=$URL"; } >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "MONGO_URL=$URL written to $ENV_FILE"
}

# A real wire-protocol round trip: OP_MSG {ping: 1, $db: "admin"}; the reply holds ok: 1.0.
answers() {
  python3 - "$MONGO_PORT" <<'PY' 2>/dev/null
import socket, struct, sys
body = b"\x10ping\x00\x01\x00\x00\x00" + b"\x02$db\x00\x06\x00\x00\x00admin\x00"
doc = struct.pack("<i", len(body) + 5) + body + b"\x00"
section = b"\x00" + doc
header = struct.pack("<iiii", 16 + 4 + len(section), 1, 0, 2013)
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2) as s:
    s.sendall(header + struct.pack("<I", 0) + section)
    reply = s.recv(65536)
sys.exit(0 if b"\x01ok\x00\x00\x00\x00\x00\x00\x00\xf0?" in reply else 1)
PY
}

if answers; then
  log "already answering on 127.0.0.1:$MONGO_PORT"
  publish
  exit 0
fi

if [ ! -f "$JARS/.complete" ]; then
  log "fetching mongo-java-server and its dependencies ($SRC/pom.xml)"
  rm -rf "$JARS"
  mkdir -p "$JARS"
  mvn -B -q -Dstyle.color=never -f "$SRC/pom.xml" -Dmaven.repo.local="$CACHE/m2" dependency:copy-dependencies \
    -DoutputDirectory="$JARS" </dev/null
  touch "$JARS/.complete"
fi

mkdir -p "$RUN_DIR"
if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  log "process $(cat "$PID_FILE") is starting; waiting for it"
else
  log "starting mongo-java-server on 127.0.0.1:$MONGO_PORT ($MONGO_STORE)"
  # shellcheck disable=SC2086 # word splitting of the JVM options is intended
  setsid nohup java $MONGO_JAVA_OPTS -Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire=warn \
    -cp "$JARS/*" "$SRC/Launcher.java" \
    127.0.0.1 "$MONGO_PORT" "$MONGO_STORE" </dev/null >"$RUN_DIR/mongo.log" 2>&1 &
  echo $! >"$PID_FILE"
fi

deadline=$((SECONDS + MONGO_START_TIMEOUT))
until answers; do
  if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    log "process exited; last log lines:"
    tail -n 30 "$RUN_DIR/mongo.log" >&2
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    log "not answering after ${MONGO_START_TIMEOUT}s; last log lines:"
    tail -n 30 "$RUN_DIR/mongo.log" >&2
    exit 1
  fi
  sleep 0.5
done
log "answering after ${SECONDS}s"
publish
