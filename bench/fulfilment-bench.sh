#!/usr/bin/env bash
# Fulfilment benchmark: picklists created per second (and items picked per second) with one picker
# and with several at once, and orders packed and shipped per second, in one step
# (POST /api/v1/orders/:id/fulfillments) and in two (POST /api/v1/shipments, then
# POST /api/v1/shipments/:id/ship), with p50/p99 latency, over real HTTP against one sync-api; beside
# GET /api/v1/orders/:id and a bare Fastify handler measured in the same run by the same client.
#
#   bash bench/fulfilment-bench.sh
#
# Recreates its own database (oms_bench_fulfilment) on the project's primary and generates five
# warehouses, a catalog stocked far beyond demand and APPROVED orders placed at each warehouse
# (bench/fulfilment-data.sql); one async-worker (sweep every second) brokers them, so that every item
# is ALLOCATED at its warehouse with its reservation, ledger rows and history, as in production; the
# worker is then stopped (the rows measure the API and the database alone). One sync-api on a free
# loopback port serves bench/fulfilment-load.js: a warm-up, the baselines, picklists at one
# warehouse with one picker and at another with several, until nothing is left to pick (the
# pickers must get disjoint items, all of them), then every order of two other warehouses packed
# and shipped, one step or two. The run then checks the database: nothing left ALLOCATED at the
# picklist warehouses, every order of the shipping ones COMPLETED, reservations and on hand equal
# to the items and the ledger. The Markdown result goes to stdout, progress to stderr.
#
# env: BENCH_PICK_ORDERS (4000 at each picklist warehouse), BENCH_SHIP_ORDERS (2000 at each
#      pack-and-ship warehouse), BENCH_WARMUP_ORDERS (400), BENCH_PRODUCTS (100),
#      BENCH_PICK_LIMIT (20 items a picklist), BENCH_PICKERS (4), BENCH_CONNECTIONS (8, pack and
#      ship and the baselines), BENCH_GET_S (5 s per baseline row), BENCH_TIMEOUT_S (300, brokering),
#      BENCH_KEEP_DB=1 keeps oms_bench_fulfilment to inspect, BENCH_SKIP_BUILD=1 when dist/ is fresh
#      (bench/run.sh), BENCH_LOG_LEVEL (warn).
set -euo pipefail
cd "$(dirname "$0")/.."

PICK_ORDERS=${BENCH_PICK_ORDERS:-4000}
SHIP_ORDERS=${BENCH_SHIP_ORDERS:-2000}
WARMUP_ORDERS=${BENCH_WARMUP_ORDERS:-400}
PRODUCTS=${BENCH_PRODUCTS:-100}
PICK_LIMIT=${BENCH_PICK_LIMIT:-20}
PICKERS=${BENCH_PICKERS:-4}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
GET_S=${BENCH_GET_S:-5}
TIMEOUT_S=${BENCH_TIMEOUT_S:-300}
FUL_DB=oms_bench_fulfilment
WAREHOUSE_DB=warehouse_bench_fulfilment
STOCK=1000000

BENCH_NAME=fulfilment-bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_services_up

[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || npm run -s build >&2

bench_scratch fulfilment "$FUL_DB" 100
export DATABASE_REPLICA_URLS=''
export HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 SHUTDOWN_DRAIN_MS=0 LOG_LEVEL=${BENCH_LOG_LEVEL:-warn}
export ADMIN_TOKEN=${ADMIN_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}

# --- data: warehouses, catalog, stock, APPROVED orders

bench_fresh_databases "$FUL_DB" "$WAREHOUSE_DB"
log "generating $PICK_ORDERS orders at each picklist warehouse, $SHIP_ORDERS at each pack-and-ship one, $WARMUP_ORDERS to warm up"
PGOPTIONS="-c client_min_messages=warning" "$PSQL" "${PG[@]}" -d "$FUL_DB" -q -v ON_ERROR_STOP=1 -v pick_orders="$PICK_ORDERS" \
  -v ship_orders="$SHIP_ORDERS" -v warmup_orders="$WARMUP_ORDERS" -v products="$PRODUCTS" -f bench/fulfilment-data.sql >&2
orders=$(q "$FUL_DB" "SELECT count(*) FROM sales_order")

# --- brokering: one worker, sweep every second, until no order is APPROVED

worker_port=$(free_ports 1)
log "brokering $orders orders with one async-worker (health 127.0.0.1:$worker_port)"
t_start=$(now)
WORKER_HEALTH_PORT="$worker_port" QUEUE_PREFIX="$queue_prefix-worker" BROKERING_SWEEP_CRON='* * * * * *' \
  node dist/apps/async-worker/src/main.js >"$tmp/async-worker.log" 2>&1 &
worker_pid=$!
pids+=("$worker_pid")
brokered=
for _ in $(seq 1 $((TIMEOUT_S * 5))); do
  kill -0 "$worker_pid" 2>/dev/null || { tail -n 30 "$tmp/async-worker.log" >&2; die "the worker exited"; }
  if [[ $(q "$FUL_DB" "SELECT count(*) FROM sales_order WHERE status = 'APPROVED'") -eq 0 ]]; then
    brokered=1
    break
  fi
  sleep 0.2
done
[[ -n $brokered ]] || { tail -n 30 "$tmp/async-worker.log" >&2; die "orders still APPROVED after ${TIMEOUT_S}s"; }
brokering_s=$(elapsed "$t_start" "$(now)")
stop_pid "$worker_pid" 150
# Stopped and reaped: the exit trap must not signal a pid that may since belong to another process.
pids=()
redis_del_prefix "$queue_prefix-worker"
misplaced=$(q "$FUL_DB" "SELECT count(*) FROM order_item i JOIN sales_order o ON o.id = i.order_id
  JOIN facility f ON f.latitude = (o.shipping_address->>'latitude')::numeric AND f.longitude = (o.shipping_address->>'longitude')::numeric
  WHERE i.status <> 'ALLOCATED' OR i.facility_id IS DISTINCT FROM f.id")
[[ $misplaced -eq 0 ]] || die "$misplaced items are not ALLOCATED at their order's warehouse after brokering"
log "brokered in $brokering_s s, every item ALLOCATED at its order's warehouse"
q "$FUL_DB" "VACUUM ANALYZE" >/dev/null

# What the load needs: warehouse ids, items allocated at the picklist warehouses, the orders of the others.
facilities=$(q "$FUL_DB" "SELECT json_object_agg(code, id) FROM facility")
pick_items=$(q "$FUL_DB" "SELECT json_object_agg(f.code, (SELECT count(*) FROM order_item i WHERE i.facility_id = f.id))
  FROM facility f WHERE f.code LIKE 'FUL-PICK-%'")
mkdir -p "$tmp/orders"
for code in FUL-SHIP-1 FUL-SHIP-2 FUL-WARMUP; do
  q "$FUL_DB" "SELECT o.id || ' ' || string_agg(i.id::text, ',' ORDER BY i.line_number)
    FROM sales_order o JOIN order_item i ON i.order_id = o.id JOIN facility f ON f.id = i.facility_id
    WHERE f.code = '$code' GROUP BY o.id, o.created_at ORDER BY o.created_at, o.id" >"$tmp/orders/$code"
done
IFS='|' read -r items units < <(q "$FUL_DB" "SELECT count(*), sum(quantity) FROM order_item")

# --- one sync-api, the load

read -r api_port internal_port < <(free_ports 2)
log "starting sync-api on 127.0.0.1:$api_port (internal :$internal_port)"
PORT="$api_port" INTERNAL_PORT="$internal_port" QUEUE_PREFIX="$queue_prefix-api" RATE_LIMIT_PER_MINUTE=0 \
  node dist/apps/sync-api/src/main.js >"$tmp/sync-api.log" 2>&1 &
api_pid=$!
pids+=("$api_pid")
wait_http_ok "http://127.0.0.1:$api_port/health/ready" 60 || { tail -n 20 "$tmp/sync-api.log" >&2; die "sync-api not ready after 60 s"; }
api_key=$(curl -fsS --max-time 10 -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' \
  -d '{"name":"bench-fulfilment"}' "http://127.0.0.1:$internal_port/internal/api-keys" |
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).key))')
[[ -n $api_key ]] || die "no API key"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
API_URL="http://127.0.0.1:$api_port" API_KEY="$api_key" BENCH_API_PID="$api_pid" BENCH_FACILITIES="$facilities" \
  BENCH_PICK_ITEMS="$pick_items" BENCH_ORDERS_DIR="$tmp/orders" BENCH_PICK_LIMIT="$PICK_LIMIT" BENCH_PICKERS="$PICKERS" \
  BENCH_CONNECTIONS="$CONNECTIONS" BENCH_GET_S="$GET_S" node bench/fulfilment-load.js >"$tmp/load.md"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_pid "$api_pid" 150
pids=()
redis_del_prefix "$queue_prefix-api"
if grep -q '"level":[5-6]0' "$tmp/sync-api.log"; then
  log "sync-api errors (first 5):"
  grep '"level":[5-6]0' "$tmp/sync-api.log" | head -n 5 >&2
fi

# --- the database after the run

# Per warehouse: items by status, open picklist entries, orders by status.
q "$FUL_DB" "SELECT f.code, (SELECT string_agg(format('%s %s', n, status), ', ' ORDER BY status)
               FROM (SELECT status, count(*) AS n FROM order_item WHERE facility_id = f.id GROUP BY status) s),
             (SELECT count(*) FROM picklist_item e JOIN order_item i ON i.id = e.order_item_id WHERE e.open AND i.facility_id = f.id),
             (SELECT string_agg(format('%s %s', n, status), ', ' ORDER BY status)
               FROM (SELECT o.status, count(*) AS n FROM sales_order o
                      WHERE EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.id AND i.facility_id = f.id) GROUP BY o.status) s)
        FROM facility f ORDER BY f.code" >"$tmp/by-facility"
IFS='|' read -r pick_left ship_left ledger_ok < <(q "$FUL_DB" "
  SELECT (SELECT count(*) FROM order_item i JOIN facility f ON f.id = i.facility_id
           WHERE f.code LIKE 'FUL-PICK-%' AND (i.status <> 'PICKING'
              OR (SELECT count(*) FROM picklist_item e WHERE e.order_item_id = i.id AND e.open) <> 1)),
         (SELECT count(*) FROM sales_order o WHERE o.status <> 'COMPLETED' AND EXISTS (SELECT 1 FROM order_item i
            JOIN facility f ON f.id = i.facility_id WHERE i.order_id = o.id AND f.code IN ('FUL-SHIP-1', 'FUL-SHIP-2', 'FUL-WARMUP'))),
         (SELECT (SELECT sum(quantity_reserved) FROM inventory_item)
               = (SELECT coalesce(sum(quantity), 0) FROM order_item WHERE status IN ('ALLOCATED', 'PICKING', 'PACKED'))
             AND (SELECT coalesce(sum(reserved_delta), 0) FROM inventory_ledger) = (SELECT sum(quantity_reserved) FROM inventory_item)
             AND (SELECT sum(quantity_on_hand) FROM inventory_item)
               = $STOCK * (SELECT count(*) FROM inventory_item) - (SELECT coalesce(sum(quantity), 0) FROM order_item WHERE status = 'SHIPPED')
             AND (SELECT coalesce(sum(on_hand_delta), 0) FROM inventory_ledger)
               = -(SELECT coalesce(sum(quantity), 0) FROM order_item WHERE status = 'SHIPPED'))")
[[ $pick_left -eq 0 ]] || log "WARNING: $pick_left items at the picklist warehouses are not PICKING on exactly one open picklist"
[[ $ship_left -eq 0 ]] || log "WARNING: $ship_left orders of the pack-and-ship warehouses are not COMPLETED"
[[ $ledger_ok == t ]] || log "WARNING: reservations, on hand, items and the ledger do not agree"
[[ ${BENCH_KEEP_DB:-0} == 1 ]] || q postgres "DROP DATABASE IF EXISTS $WAREHOUSE_DB WITH (FORCE)"

cat "$tmp/load.md"
cat <<EOF
- database after the run: items not PICKING on exactly one open picklist at the picklist warehouses: $pick_left; orders of the pack-and-ship warehouses not COMPLETED: $ship_left; reservations = allocated, picking and packed units = ledger, on hand = stock - shipped units = ledger: $ledger_ok
$(while IFS='|' read -r code by_status open_entries order_statuses; do echo "- $code: items $by_status; $open_entries on open picklists; orders $order_statuses"; done <"$tmp/by-facility")
- data: $orders orders ($items items, $units units): $PICK_ORDERS at each picklist warehouse, $SHIP_ORDERS at each pack-and-ship one, $WARMUP_ORDERS at the warm-up one; $PRODUCTS products stocked with $STOCK units at each; brokered by one async-worker in $brokering_s s before the load (then stopped: the rows measure one sync-api and PostgreSQL)
- client: bench/fulfilment-load.js, keep-alive HTTP/1.1 on loopback; picklists: $PICK_LIMIT items each, 1 then $PICKERS pickers until none is left; pack and ship and the GET rows: $CONNECTIONS connections; GET rows $GET_S s each; warm-up first (every route, not measured)
- machine load (1, 5, 15-minute load average) $load_before before the load, $load_after after, on $(nproc) cores
- machine: $(machine_line)
EOF
