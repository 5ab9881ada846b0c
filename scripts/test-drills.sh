#!/usr/bin/env bash
# `npm run test:drills`: only the fault and disaster-recovery drills of test/drills/ (npm test runs them too).
# Each drill runs on a PostgreSQL pair of its own (test/support/pg-cluster.ts) and restores what it stops.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
# The shared pair without fsync, as npm test has it; each drill's own pair stays durable.
export OMS_PG_FAST_UNSAFE=1
services_env=$(bash scripts/services.sh up)
eval "$(sed 's/^/export /' <<<"$services_env")"
[[ -f dist/apps/sync-api/src/main.js && -f dist/apps/async-worker/src/main.js ]] || npm run -s build

mkdir -p .run
status=0
npx jest --selectProjects drills --runInBand --json --outputFile=.run/jest-drills.json "$@" || status=1
node -e '
  const r = JSON.parse(require("fs").readFileSync(".run/jest-drills.json", "utf8"));
  console.log(`drills: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`);
'
exit "$status"
