#!/usr/bin/env bash
# Validates compose.yaml with a real Compose parser (Debian's docker-compose; no engine
# needed): installs it when missing, then `docker-compose config` must accept the file and
# list every service we promise.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { echo "[check_compose] $*" >&2; }

if ! command -v docker-compose >/dev/null 2>&1; then
  log "installing docker-compose (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=()
  [ "$(id -u)" = 0 ] || SUDO=(sudo -n)
  if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends docker-compose </dev/null; then
    "${SUDO[@]}" apt-get update -q </dev/null
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends docker-compose </dev/null
  fi
fi

cd "$ROOT"
docker-compose -f compose.yaml config --quiet
docker-compose -f compose.yaml --profile ha config --quiet
# The default set, and what `--profile ha` adds (a second API and worker, the proxy).
services=$(docker-compose -f compose.yaml --profile ha config | python3 -c '
import sys, yaml
config = yaml.safe_load(sys.stdin)
default = sorted(n for n, s in config["services"].items() if not s.get("profiles"))
ha = sorted(n for n, s in config["services"].items() if "ha" in s.get("profiles", []))
print(" ".join(default) + " | ha: " + " ".join(ha))
')
expected="app elasticsearch mongo postgres redis worker | ha: app-2 proxy worker-2"
if [ "$services" != "$expected" ]; then
  log "services are [$services], expected [$expected]"
  exit 1
fi
# The proxy balances over the API services that exist, from a config file in the repository.
for upstream in $(sed -n 's/^ *server \([a-z0-9-]*\):8000.*/\1/p' deploy/nginx-ha.conf); do
  case " app app-2 " in
    *" $upstream "*) ;;
    *) log "deploy/nginx-ha.conf balances over unknown service $upstream"; exit 1 ;;
  esac
done
# Every service must declare a health check.
missing=$(docker-compose -f compose.yaml --profile ha config | python3 -c '
import sys, yaml
config = yaml.safe_load(sys.stdin)
print(" ".join(sorted(n for n, s in config["services"].items() if "healthcheck" not in s)))
')
if [ -n "$missing" ]; then
  log "services without a health check: $missing"
  exit 1
fi
log "compose.yaml is valid: $services"
