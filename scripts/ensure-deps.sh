#!/usr/bin/env bash
# Installs npm dependencies when they are missing or older than the lockfile (fresh clones, CI).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
echo "[deps] installing npm dependencies" >&2
npm ci --no-audit --no-fund >&2 || npm install --no-audit --no-fund >&2
