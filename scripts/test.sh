#!/usr/bin/env bash
# `npm test`: lint, type-check, unit, integration and end-to-end tests and the fault drills, from a fresh clone.
# Installs dependencies and starts the local services (scripts/services.sh) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
# The tests' data is recreated on every run: no fsync on their PostgreSQL pair (services/pg-pair.sh).
services_env=$(OMS_PG_FAST_UNSAFE=1 bash scripts/services.sh up)
eval "$(sed 's/^/export /' <<<"$services_env")"
bash scripts/services.sh chromium
bash scripts/services.sh docker-compose

echo "== format" && npx prettier --check . --log-level warn
echo "== lint" && npx eslint . --max-warnings 0
echo "== shell lint" && npm run -s lint:shell
echo "== type-check" && npx tsc -p tsconfig.json --noEmit
echo "== build" && npm run -s build
echo "== infra synth" && npm run -s infra:synth >/dev/null

mkdir -p .run
rm -f .run/jest-*.json
status=0
echo "== unit" && npx jest --selectProjects unit --json --outputFile=.run/jest-unit.json || status=1
echo "== integration + e2e" && npx jest --selectProjects integration e2e --runInBand --json --outputFile=.run/jest-io.json || status=1
echo "== drills" && npx jest --selectProjects drills --runInBand --json --outputFile=.run/jest-drills.json || status=1

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
