#!/usr/bin/env bash
# Installs Debian's chromium when missing (quietly, no stdin) and prints its path, for the /docs
# browser test (e2e/docs_browser_test.ts reads it from CHROMIUM_PATH; puppeteer-core cannot
# download a browser of its own here). Progress goes to stderr.
set -euo pipefail

log() { echo "[install_chromium] $*" >&2; }

if ! command -v chromium >/dev/null 2>&1; then
  log "installing chromium (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=()
  [ "$(id -u)" = 0 ] || SUDO=(sudo -n)
  "${SUDO[@]}" apt-get update -qq </dev/null >&2
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation \
    </dev/null >&2
fi
chromium --version >&2
command -v chromium
