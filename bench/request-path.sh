#!/usr/bin/env bash
# The request path, in one run: autocannon against bare Fastify, a bare Nest + Fastify
# handler, sync-api /health/live and GET /api/v1/products/:id with the production request path on
# (API key, rate limiting with a limit nothing reaches, request ids, metrics, LOG_LEVEL=info to a
# file); then a CPU profile of sync-api (node --cpu-prof) under the product-by-id load, reduced to
# shares of busy CPU time by category (bench/cpu-profile-shares.js). Loopback only, bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=request-path
# shellcheck source=bench/lib.sh
source bench/lib.sh

BENCH_DB=${BENCH_DB:-oms_bench_request_path}
RUN_DIR=${BENCH_RUN_DIR:-$(mktemp -d /tmp/oms-request-path.XXXXXX)}
mkdir -p "$RUN_DIR"

bench_services_up
[[ ${BENCH_SKIP_BUILD:-} == 1 ]] || npm run -s build >&2

read -r api_port internal_port < <(free_ports 2)
export HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 PORT=$api_port INTERNAL_PORT=$internal_port SHUTDOWN_DRAIN_MS=0
export LOG_LEVEL=info RATE_LIMIT_PER_MINUTE=${BENCH_RATE_LIMIT:-100000000}
bench_fresh_databases "$BENCH_DB" "${BENCH_DB}_warehouse"
API_KEY=$(npm run -s db:seed | sed -n 's/^DEMO_API_KEY=//p')
export API_URL="http://127.0.0.1:$PORT" API_KEY

api_pid=
trap '[[ -z $api_pid ]] || stop_pid "$api_pid" 50' EXIT
# start_api [NODE OPTIONS...]: one sync-api, its log lines appended to $RUN_DIR/sync-api.log.
start_api() {
  node "$@" dist/apps/sync-api/src/main.js >>"$RUN_DIR/sync-api.log" 2>&1 &
  api_pid=$!
  wait_http_ok "$API_URL/health/ready" 60 || die "sync-api did not become ready (log: $RUN_DIR/sync-api.log)"
}

log "autocannon: bare Fastify, bare Nest, /health/live, product by id cached and with the cache off (log: $RUN_DIR/sync-api.log)"
start_api
# The same sync-api with the response cache off, on ports of its own, for the uncached row.
read -r uncached_port uncached_internal_port < <(free_ports 2)
PORT=$uncached_port INTERNAL_PORT=$uncached_internal_port CACHE_ENABLED=false node dist/apps/sync-api/src/main.js >>"$RUN_DIR/sync-api-uncached.log" 2>&1 &
uncached_pid=$!
trap '[[ -z $api_pid ]] || stop_pid "$api_pid" 50; stop_pid "$uncached_pid" 50' EXIT
export UNCACHED_API_URL="http://127.0.0.1:$uncached_port"
wait_http_ok "$UNCACHED_API_URL/health/ready" 60 || die "the uncached sync-api did not become ready (log: $RUN_DIR/sync-api-uncached.log)"
BENCH_ROWS=bare-fastify,bare-nest,health,product,product-uncached node bench/http-bench.js
stop_pid "$api_pid" 50
stop_pid "$uncached_pid" 50

log "CPU profile of sync-api under the product-by-id load (${BENCH_DURATION_S:-10} s)"
start_api --cpu-prof --cpu-prof-dir="$RUN_DIR/profile"
BENCH_ROWS=product node bench/http-bench.js >"$RUN_DIR/profile-load.md"
stop_pid "$api_pid" 50
api_pid=
# shellcheck disable=SC2012 # the newest of the profiles Node names itself (no odd characters)
profile=$(ls -t "$RUN_DIR"/profile/*.cpuprofile | head -n 1)
node bench/cpu-profile-shares.js "$profile"
echo "profile: $profile; under the profiler: $(sed -n 's/^| sync-api[^|]*| \([0-9]*\) |.*/\1 req\/s/p' "$RUN_DIR/profile-load.md")"
echo "machine: $(machine_line)"
