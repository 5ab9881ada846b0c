#!/usr/bin/env bash
# `npm test`: lint, type-check, unit, integration and end-to-end tests and the fault drills, from a fresh clone.
# Installs dependencies and starts the local services (scripts/services.sh) when they are missing.
# Each phase prints its duration, and the run its wall time, so that a slower suite shows.
set -euo pipefail
cd "$(dirname "$0")/.."

# phase NAME COMMAND...: runs the command under a heading and prints how long it took (on stderr,
# so that both show when the command's output is sent elsewhere).
phase() {
  local name=$1 started=$SECONDS rc=0
  shift
  echo "== $name" >&2
  "$@" || rc=$?
  echo "   $name: $((SECONDS - started)) s" >&2
  return "$rc"
}

mkdir -p .run
rm -f .run/jest-*.json
# The Debian packages only some tests need (Chromium, docker-compose) install on a fresh machine
# while npm installs and the checks run; services.sh takes its lock, so apt runs one at a time.
(bash scripts/services.sh chromium && bash scripts/services.sh docker-compose) >.run/test-packages.log 2>&1 &
packages=$!
phase "npm dependencies" bash scripts/ensure-deps.sh
# The tests' data is recreated on every run: no fsync on their PostgreSQL pair (services/pg-pair.sh).
# Exported, so that a stack the tests start (scripts/stack.sh runs services.sh up) keeps it so; a
# drill's own pair is durable whatever this says (test/support/pg-cluster.ts).
export OMS_PG_FAST_UNSAFE=1
services_env=$(phase services bash scripts/services.sh up)
eval "$(sed 's/^/export /' <<<"$services_env")"
# The apps the tests start (well over a hundred processes) share V8's compiled code of their modules.
export NODE_COMPILE_CACHE=$PWD/.run/node-compile-cache
# The checks run side by side, each one's output shown when all are done: ESLint and the one
# compilation (the type-check of the whole tree and the build of the apps and the CDK app) each keep
# one core busy; the format check and shellcheck fill the gaps (shellcheck may first wait for apt).
phase lint npx eslint . --max-warnings 0 >.run/lint.log 2>&1 &
lint=$!
(phase format npx prettier --check . --log-level warn && phase "shell lint" npm run -s lint:shell) >.run/style.log 2>&1 &
style=$!
build_status=0
phase "type-check + build" npm run -s build || build_status=$?
((build_status != 0)) || phase "infra synth" npm run -s infra:synth -- --app 'node ../dist/infra/bin/oms.js' >/dev/null || build_status=$?
lint_status=0 style_status=0
wait "$lint" || lint_status=$?
wait "$style" || style_status=$?
cat .run/lint.log .run/style.log
for status in "$build_status" "$lint_status" "$style_status"; do ((status == 0)) || exit "$status"; done

phase "Debian packages (waiting)" wait "$packages" || { cat .run/test-packages.log; exit 1; }
cat .run/test-packages.log

status=0
# Every tier in one run on two workers: the longest suites start first (test/support/longest-first.sequencer.js)
# and the short ones fill the workers at the end, instead of each tier's tail leaving a worker idle.
# They can share the machine: no suite stops the shared PostgreSQL pair (those that stop one have a
# pair of their own), and each suite's databases, queues and ports are its own.
phase "unit + integration + e2e + drills" npx jest --maxWorkers=2 --json --outputFile=.run/jest-all.json || status=1

echo "npm test took $((SECONDS / 60))m$((SECONDS % 60))s"
# One closing line that any CI can read: "N passed, N failed".
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0;
  for (const f of fs.readdirSync(".run").filter((f) => /^jest-.*\.json$/.test(f))) {
    const r = JSON.parse(fs.readFileSync(".run/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites;
  }
  console.log(`tests: ${passed} passed, ${failed} failed`);
'
exit "$status"
