#!/usr/bin/env bash
# Shopify webhooks accepted per second through HAProxy, with p50/p99: POST
# /webhooks/shopify/:channel/orders-create of the sample order (test/fixtures/shopify, 4 items after
# its discount, ~7 KB), each signed over its exact bytes, to two sync-api behind HAProxy
# (docker/haproxy.cfg) on free loopback ports, driven by autocannon (bench/shopify-webhooks.js):
# a warm-up, then new orders (every webhook an order of its own: verify, parse, map, the one
# order-insert statement), then redeliveries of orders already taken (verify, parse, map, the
# statement finds the id taken and the order is read back). No worker runs: the rows measure
# taking the orders, not brokering them. The run then checks the database: one order per id
# accepted, none twice. The Markdown result goes to stdout, progress to stderr.
#
#   bash bench/shopify-bench.sh
#
# env: BENCH_DURATION_S (10 s per row), BENCH_WARMUP_S (5), BENCH_CONNECTIONS (20),
#      BENCH_KEEP_DB=1 keeps oms_bench_shopify to inspect, BENCH_SKIP_BUILD=1 when dist/ is fresh
#      (bench/run.sh), BENCH_LOG_LEVEL (warn).
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's Node 24 first, as under npm scripts (run directly, the machine's Node would run the apps).
export PATH="$PWD/node_modules/.bin:$PATH"

DURATION_S=${BENCH_DURATION_S:-10}
WARMUP_S=${BENCH_WARMUP_S:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-20}
SHOPIFY_DB=oms_bench_shopify
WAREHOUSE_DB=warehouse_bench_shopify
CHANNEL=SHOP_BENCH
SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')

BENCH_NAME=shopify-bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_services_up
command -v haproxy >/dev/null 2>&1 || die "no haproxy on the PATH (scripts/services.sh up installs it)"

[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || npm run -s build >&2

bench_scratch shopify "$SHOPIFY_DB" 100

# --- fresh database: the sample order's products, stocked, and a Shopify channel

export DATABASE_REPLICA_URLS=''
bench_fresh_databases "$SHOPIFY_DB" "$WAREHOUSE_DB"
q "$SHOPIFY_DB" "INSERT INTO sales_channel (code, name, type, webhook_secret) VALUES ('$CHANNEL', 'Shopify bench', 'SHOPIFY', '$SECRET');
  INSERT INTO product (sku, name, price) VALUES ('SHOPIFY-TEE-BLK-M', 'Tee', 25), ('SHOPIFY-MUG', 'Mug', 15);
  INSERT INTO facility (code, name, type, latitude, longitude) VALUES ('BENCH-WH', 'Bench warehouse', 'WAREHOUSE', 40.7, -74.0);
  INSERT INTO inventory_item (facility_id, product_id, quantity_on_hand) SELECT f.id, p.id, 1000000 FROM facility f, product p;"

# --- two sync-api, HAProxy in front of them

read -r api1 api2 internal1 internal2 lb_port < <(free_ports 5)
export HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 LOG_LEVEL=${BENCH_LOG_LEVEL:-warn} RATE_LIMIT_PER_MINUTE=0 QUEUE_PREFIX="$queue_prefix"
export ADMIN_TOKEN=${ADMIN_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
log "starting sync-api on 127.0.0.1:$api1 and :$api2"
bench_start sync-api-1 PORT="$api1" INTERNAL_PORT="$internal1" SHUTDOWN_DRAIN_MS=0 node dist/apps/sync-api/src/main.js
bench_start sync-api-2 PORT="$api2" INTERNAL_PORT="$internal2" SHUTDOWN_DRAIN_MS=0 node dist/apps/sync-api/src/main.js
for url in "http://127.0.0.1:$api1/health/ready" "http://127.0.0.1:$api2/health/ready"; do
  wait_http_ok "$url" 60 || { tail -n 20 "$tmp"/*.log >&2; die "not ready after 60 s: $url"; }
done
log "starting HAProxy on 127.0.0.1:$lb_port"
bench_start haproxy HAPROXY_BIND="127.0.0.1:$lb_port" SYNC_API_1="127.0.0.1:$api1" SYNC_API_2="127.0.0.1:$api2" haproxy -db -f docker/haproxy.cfg
lb="http://127.0.0.1:$lb_port"
wait_http_ok "$lb/health/ready" 30 || { tail -n 20 "$tmp/haproxy.log" >&2; die "HAProxy not ready after 30 s"; }

# --- load: new orders, then redeliveries of the first of them

# 18-digit ids above 2^53, of this run: a warm-up's, then the measured run's.
warmup_base=$(printf '9%08d000000000' $((RANDOM * 1000 + $$ % 1000)))
id_base=$(printf '8%08d000000000' $((RANDOM * 1000 + $$ % 1000)))
# drive NAME MODE SECONDS BASE: one load, its JSON line in $tmp/load-NAME.json.
drive() {
  log "POST /webhooks/shopify/$CHANNEL/orders-create ($1) through HAProxy: $CONNECTIONS connections, $3 s"
  BENCH_URL="$lb" BENCH_CHANNEL="$CHANNEL" BENCH_SECRET="$SECRET" BENCH_MODE="$2" BENCH_ID_BASE="$4" BENCH_DURATION_S="$3" \
    BENCH_CONNECTIONS="$CONNECTIONS" node bench/shopify-webhooks.js >"$tmp/load-$1.json"
}
load_of() { node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); const v=r[process.argv[2]]; console.log(typeof v==="object"?JSON.stringify(v):v)' "$tmp/load-$1.json" "$2"; }

drive warmup new "$WARMUP_S" "$warmup_base"
drive new new "$DURATION_S" "$id_base"
drive redelivery redelivery "$DURATION_S" "$id_base"

for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do stop_pid "$pid" 150; done
pids=()
for name in sync-api-1 sync-api-2; do
  if grep -q '"level":[5-6]0' "$tmp/$name.log"; then
    log "$name errors (first 5):"
    grep '"level":[5-6]0' "$tmp/$name.log" | head -n 5 >&2
  fi
done

# --- measured in the database: one order per id accepted, none twice
IFS='|' read -r orders distinct_ids items import_errors < <(q "$SHOPIFY_DB" "
  SELECT count(*), count(DISTINCT external_id), (SELECT count(*) FROM order_item), (SELECT count(*) FROM channel_import_error)
    FROM sales_order WHERE sales_channel = '$CHANNEL'")
accepted_all=$(($(load_of warmup accepted) + $(load_of new accepted)))

row() {
  printf '| %s | %.0f | %s | %s | %s |\n' "$1" "$(load_of "$2" acceptedPerS)" "$(load_of "$2" p50)" "$(load_of "$2" p99)" \
    "$(($(load_of "$2" requests) - $(load_of "$2" accepted)))"
}
echo
echo "| Shopify orders/create through HAProxy (2 sync-api) | webhooks accepted/s | p50 ms | p99 ms | not 200 |"
echo "| -------------------------------------------------- | ------------------- | ------ | ------ | ------- |"
row "new orders (each webhook an order of its own)" new
row "redeliveries (orders already taken)" redelivery
echo
echo "- load: $CONNECTIONS connections, ${DURATION_S} s per row after a ${WARMUP_S} s warm-up; body: the sample order ($(load_of new bodyBytes) bytes, 3 lines, 4 items after the discount), signed per request; statuses new $(load_of new statuses), redelivery $(load_of redelivery statuses); errors $(load_of new errors) + $(load_of redelivery errors), timeouts $(load_of new timeouts) + $(load_of redelivery timeouts)"
echo "- database: $orders orders ($distinct_ids distinct Shopify ids, $items items) for $accepted_all new-order webhooks answered 200 within the loads' windows (the rest answered after them); import errors $import_errors; no worker ran (the orders wait APPROVED)"
echo "- machine load (1-minute load average) at the end: $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
echo "- machine: $(machine_line)"
# autocannon counts the responses within its duration: up to one request per connection and load is answered after it.
in_flight=$((2 * CONNECTIONS))
((orders == distinct_ids && orders >= accepted_all && orders <= accepted_all + in_flight)) ||
  die "$orders orders of $distinct_ids distinct ids for $accepted_all new-order webhooks answered 200 (+ at most $in_flight in flight)"
