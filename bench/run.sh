#!/usr/bin/env bash
# `npm run bench`: every benchmark of bench/ in one go (HTTP rows, the request path, brokering,
# routing, end to end, fulfilment, webhooks out, Shopify in, inbound supply, the warehouse ETL), each on its own databases. Loopback only; bounded. The results go
# to stdout and to .run/bench/, and replace the "Latest run" section of bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
services_env=$(bash scripts/services.sh up)
eval "$(sed 's/^/export /' <<<"$services_env")"
npm run -s build >&2

run_all() {
  base=${DATABASE_URL%/*}
  export DATABASE_URL="$base/oms_bench" WAREHOUSE_URL="$base/warehouse_bench"
  export HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 PORT=3900 INTERNAL_PORT=3901 LOG_LEVEL=warn RATE_LIMIT_PER_MINUTE=0
  npm run -s db:migrate >&2
  API_KEY=$(npm run -s db:seed | sed -n 's/^DEMO_API_KEY=//p')

  node dist/apps/sync-api/src/main.js >/dev/null 2>&1 &
  api_pid=$!
  trap 'kill $api_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

  facility_id=$(curl -fsS -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$PORT/api/v1/facilities?limit=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items[0].id))')
  API_URL="http://127.0.0.1:$PORT" API_KEY="$API_KEY" BENCH_FACILITY_ID="$facility_id" node bench/http-bench.js
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(node --version), $(date -u +%Y-%m-%d)"
  kill "$api_pid" 2>/dev/null || true
  wait "$api_pid" 2>/dev/null || true

  # The request path: bare baselines, /health/live and product by id with the production
  # request path on (rate limiting, info logs), and a CPU profile reduced to shares by category.
  BENCH_SKIP_BUILD=1 bash bench/request-path.sh

  # Brokering throughput beside pgbench on the same primary (its own databases and worker).
  BENCH_SKIP_BUILD=1 bash bench/brokering-bench.sh

  # Routing: a realistic rule set beside the default group, same data, one worker; the simulator's latency.
  BENCH_SKIP_BUILD=1 bash bench/routing-bench.sh

  # End to end: orders created through HAProxy (two sync-api) and brokered by one worker, beside pgbench.
  BENCH_SKIP_BUILD=1 bash bench/e2e-brokering-bench.sh

  # Fulfilment: picklists (1 and 4 pickers) and pack-and-ship (one step, two steps) over HTTP, beside GET of one order.
  BENCH_SKIP_BUILD=1 bash bench/fulfilment-bench.sh

  # Webhooks out: deliveries per second from one worker to a local receiver that checks every signature.
  BENCH_SKIP_BUILD=1 bash bench/webhooks-bench.sh
  # Shopify orders in: signed orders/create webhooks through HAProxy (two sync-api), new orders and redeliveries.
  BENCH_SKIP_BUILD=1 bash bench/shopify-bench.sh
  # Inbound supply: a purchase order and a receipt with 2,000 orders waiting, beside the same with none.
  BENCH_SKIP_BUILD=1 bash bench/supply-bench.sh

  # Warehouse ETL: 1,000,000 order items from the streaming replica through one worker, beside a raw COPY of the same rows.
  BENCH_SKIP_BUILD=1 bash bench/etl-bench.sh
}

results=".run/bench/results-$(date -u +%Y%m%dT%H%M%SZ).md"
mkdir -p .run/bench
{
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  run_all
} | tee "$results"
node bench/write-results.js "$results" bench/README.md
npx prettier --write bench/README.md bench/HISTORY.md --log-level warn
echo "results: $results (and bench/README.md, section \"Latest run\"; the run it replaced is now first in bench/HISTORY.md)" >&2
