#!/usr/bin/env bash
# Installs (when missing: `go install github.com/stripe/stripe-mock@latest`, GOPATH under
# .ci/cache/go, or an existing $HOME/go/bin/stripe-mock) and starts stripe-mock, Stripe's
# official API mock built from its OpenAPI spec, on 127.0.0.1:$STRIPE_MOCK_PORT (12111), waits
# until it answers, then appends STRIPE_MOCK_URL=... to the file named by $1.
# Idempotent: when the mock already answers, it only writes the URL.
#
# Environment: STRIPE_MOCK_PORT (12111), STRIPE_MOCK_START_TIMEOUT seconds (30).
set -euo pipefail

ENV_FILE=${1:?usage: $0 <env-file to append STRIPE_MOCK_URL to>}
PORT=${STRIPE_MOCK_PORT:-12111}
START_TIMEOUT=${STRIPE_MOCK_START_TIMEOUT:-30}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE="$ROOT/.ci/cache"
RUN_DIR="$CACHE/stripe-mock-run"
PID_FILE="$RUN_DIR/stripe-mock.pid"
URL="http://127.0.0.1:$PORT"

log() { echo "[start_stripe_mock] $*" >&2; }

publish() {
  touch "$ENV_FILE"
  local kept
  kept=$(grep -v '^STRIPE_MOCK_URL=' "$ENV_FILE" || true)
  { [ -n "$kept" ] && printf '%s\n' "$kept"; echo "STRIPE_MOCK_URL=$URL"; } >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "STRIPE_MOCK_URL=$URL written to $ENV_FILE"
}

# Any HTTP answer from the mock (it answers 401 without an API key).
answers() {
  curl -s -o /dev/null -m 2 -H "Authorization: Bearer sk_test_123" "$URL/v1/balance"
}

if answers; then
  log "already answering on $URL"
  publish
  exit 0
fi

BIN=""
if command -v stripe-mock >/dev/null; then
  BIN=$(command -v stripe-mock)
elif [ -x "$CACHE/go/bin/stripe-mock" ]; then
  BIN="$CACHE/go/bin/stripe-mock"
elif [ -x "$HOME/go/bin/stripe-mock" ]; then
  BIN="$HOME/go/bin/stripe-mock"
else
  log "installing stripe-mock with go install into $CACHE/go"
  mkdir -p "$CACHE/go"
  (cd "$CACHE" && GOPATH="$CACHE/go" GOFLAGS=-modcacherw go install github.com/stripe/stripe-mock@latest) >&2
  BIN="$CACHE/go/bin/stripe-mock"
fi

mkdir -p "$RUN_DIR"
if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
  log "process $(cat "$PID_FILE") is starting; waiting for it"
else
  log "starting $BIN on $URL"
  setsid nohup "$BIN" -http-port "$PORT" </dev/null >"$RUN_DIR/stripe-mock.log" 2>&1 &
  echo $! >"$PID_FILE"
fi

deadline=$((SECONDS + START_TIMEOUT))
until answers; do
  if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    log "process exited; last log lines:"
    tail -n 30 "$RUN_DIR/stripe-mock.log" >&2
    exit 1
  fi
  if [ $SECONDS -ge $deadline ]; then
    log "not answering after ${START_TIMEOUT}s; last log lines:"
    tail -n 30 "$RUN_DIR/stripe-mock.log" >&2
    exit 1
  fi
  sleep 0.3
done
log "answering after ${SECONDS}s"
publish
