#!/usr/bin/env bash
# Inbound supply benchmark: what a purchase order and its receipt cost over HTTP when many
# pre-orders wait for them, against the same requests for a product nothing waits for.
#
#   bash bench/supply-bench.sh
#
# Recreates its own database (oms_bench_supply), seeds the demo data (for an API key), starts one
# sync-api, and for BENCH_ROUNDS rounds makes two products at one facility with no stock: one with
# BENCH_WAITING backordered orders of one unit each (oldest first), one with none. Then, timed,
# over HTTP: a purchase order of BENCH_WAITING units of each (the first promises every waiting
# line, with a PROMISED history entry each), and a receipt of all of it (the first routes every
# backorder before it answers). The ratios say what the promises and the routing in the request
# cost per waiting order. The Markdown result goes to stdout, progress to stderr.
#
# env: BENCH_WAITING (2000), BENCH_ROUNDS (3), BENCH_KEEP_DB=1 keeps oms_bench_supply to inspect,
#      BENCH_SKIP_BUILD=1 when dist/ is fresh (bench/run.sh), BENCH_LOG_LEVEL (warn).
set -euo pipefail
cd "$(dirname "$0")/.."

SUPPLY_DB=oms_bench_supply
WAREHOUSE_DB=warehouse_bench_supply

BENCH_NAME=supply-bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_services_up

[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || npm run -s build >&2

bench_scratch supply "$SUPPLY_DB" 100
export DATABASE_REPLICA_URLS=''
export HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 SHUTDOWN_DRAIN_MS=0 LOG_LEVEL=${BENCH_LOG_LEVEL:-warn} RATE_LIMIT_PER_MINUTE=0

bench_fresh_databases "$SUPPLY_DB" "$WAREHOUSE_DB"
API_KEY=$(npm run -s db:seed | sed -n 's/^DEMO_API_KEY=//p')
[[ -n $API_KEY ]] || die "db:seed printed no API key"

read -r api_port internal_port < <(free_ports 2)
log "starting one sync-api on 127.0.0.1:$api_port"
bench_start sync-api PORT="$api_port" INTERNAL_PORT="$internal_port" node dist/apps/sync-api/src/main.js
wait_http_ok "http://127.0.0.1:$api_port/health/ready" 60 || { tail -n 30 "$tmp/sync-api.log" >&2; die "sync-api not ready"; }

# shellcheck disable=SC2154 # set by bench_start
api_pid=$sync_api_pid
API_URL="http://127.0.0.1:$api_port" API_KEY="$API_KEY" BENCH_API_PID="$api_pid" node bench/supply-requests.js
echo "- machine: $(machine_line)"
