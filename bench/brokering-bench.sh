#!/usr/bin/env bash
# Brokering benchmark: orders brokered per second by ONE async-worker, beside
# `pgbench -b simple-update` tps on the same PostgreSQL primary.
#
#   bash bench/brokering-bench.sh
#
# Creates its own databases on the project's primary (dropped and recreated every run), generates
# BENCH_ORDERS APPROVED orders set-based in SQL (bench/brokering-data.sql; no outbox events, so only
# the sweep brokers them), starts one worker with the sweep every second and times it until no
# order is APPROVED, then runs pgbench. Loopback only; every wait is bounded. The Markdown result
# goes to stdout, progress to stderr.
#
# env: BENCH_ORDERS (10000), BENCH_FACILITIES (50), BENCH_PRODUCTS (200), BENCH_TIMEOUT_S (600),
#      PGBENCH_SCALE (10), PGBENCH_CLIENTS (4), PGBENCH_THREADS (2), PGBENCH_SECONDS (15),
#      BENCH_KEEP_DB=1 keeps the pgbench database too (the brokering one is always kept to inspect),
#      BENCH_SKIP_BUILD=1 when dist/ is fresh (bench/run.sh), BENCH_WORKER_LOG_LEVEL (warn).
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${BENCH_ORDERS:-10000}
FACILITIES=${BENCH_FACILITIES:-50}
PRODUCTS=${BENCH_PRODUCTS:-200}
TIMEOUT_S=${BENCH_TIMEOUT_S:-600}
BROKERING_DB=oms_bench_brokering
WAREHOUSE_DB=warehouse_bench_brokering
PGBENCH_DB=oms_bench_pgbench

BENCH_NAME=brokering-bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_services_up

[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || npm run -s build >&2

tmp=$(mktemp -d)
worker_pid=
queue_prefix="bench-brokering-$$"
cleanup() {
  if [[ -n $worker_pid ]]; then stop_pid "$worker_pid" 100; fi
  redis_del_prefix "$queue_prefix"
  if [[ ${BENCH_KEEP_DB:-0} != 1 ]]; then q postgres "DROP DATABASE IF EXISTS $PGBENCH_DB WITH (FORCE)" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- fresh database with the generated orders

log "recreating $BROKERING_DB and $WAREHOUSE_DB"
q postgres "DROP DATABASE IF EXISTS $BROKERING_DB WITH (FORCE)"
q postgres "DROP DATABASE IF EXISTS $WAREHOUSE_DB WITH (FORCE)"
base=${DATABASE_URL%/*}
DATABASE_URL="$base/$BROKERING_DB" WAREHOUSE_URL="$base/$WAREHOUSE_DB" npm run -s db:migrate >&2

log "generating $ORDERS orders, $FACILITIES facilities, $PRODUCTS products"
t=$(now)
PGOPTIONS="-c client_min_messages=warning" "$PSQL" "${PG[@]}" -d "$BROKERING_DB" -q -v ON_ERROR_STOP=1 \
  -v orders="$ORDERS" -v facilities="$FACILITIES" -v products="$PRODUCTS" -f bench/brokering-data.sql >&2
read -r items units stock_rows < <(q "$BROKERING_DB" "SELECT (SELECT count(*) FROM order_item), (SELECT sum(quantity) FROM order_item),
  (SELECT count(*) FROM inventory_item)" | tr '|' ' ')
log "generated in $(elapsed "$t" "$(now)") s: $items items ($units units), $stock_rows inventory rows"

# --- one worker, the sweep every second

health_port=$(free_ports 1)
log "starting one async-worker (health 127.0.0.1:$health_port, queue prefix $queue_prefix)"
t_start=$(now)
DATABASE_URL="$base/$BROKERING_DB" DATABASE_REPLICA_URLS='' WAREHOUSE_URL="$base/$WAREHOUSE_DB" \
  HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 WORKER_HEALTH_PORT="$health_port" QUEUE_PREFIX="$queue_prefix" \
  BROKERING_SWEEP_CRON='* * * * * *' LOG_LEVEL="${BENCH_WORKER_LOG_LEVEL:-warn}" SHUTDOWN_DRAIN_MS=0 \
  node dist/apps/async-worker/src/main.js >"$tmp/worker.log" 2>&1 &
worker_pid=$!

t_first=
t_done=
peak_rss_kb=0
for _ in $(seq 1 $((TIMEOUT_S * 5))); do
  if ! kill -0 "$worker_pid" 2>/dev/null; then
    tail -n 30 "$tmp/worker.log" >&2
    die "the worker exited"
  fi
  rss=$(ps -o rss= -p "$worker_pid" 2>/dev/null | tr -d ' ' || true)
  [[ -n $rss ]] && ((rss > peak_rss_kb)) && peak_rss_kb=$rss
  created=$(q "$BROKERING_DB" "SELECT count(*) FROM sales_order WHERE status = 'APPROVED'")
  t=$(now)
  if [[ -z $t_first && $created -lt $ORDERS ]]; then
    t_first=$t
    cpu_first=$(proc_cpu_s "$worker_pid")
    read -r busy_first all_first < <(machine_jiffies)
  fi
  if [[ $created -eq 0 ]]; then
    t_done=$t
    cpu_done=$(proc_cpu_s "$worker_pid")
    read -r busy_done all_done < <(machine_jiffies)
    break
  fi
  sleep 0.2
done
[[ -n $t_done ]] || { tail -n 30 "$tmp/worker.log" >&2; die "orders still APPROVED after ${TIMEOUT_S}s"; }

# Stop it before pgbench so that its once-a-second sweep does not compete.
stop_pid "$worker_pid" 150
worker_pid=
if grep -q '"level":[5-6]0' "$tmp/worker.log"; then
  log "worker errors (first 5):"
  grep '"level":[5-6]0' "$tmp/worker.log" | head -n 5 >&2
fi

startup_s=$(elapsed "$t_start" "$t_first")
brokering_s=$(elapsed "$t_first" "$t_done")
total_s=$(elapsed "$t_start" "$t_done")
worker_cpu_s=$(elapsed "$cpu_first" "$cpu_done")
machine_busy=$(awk -v b=$((busy_done - busy_first)) -v a=$((all_done - all_first)) -v n="$(nproc)" 'BEGIN { printf "%.0f%% of %d cores", a ? 100 * b / a : 0, n }')
orders_per_s=$(awk -v n="$ORDERS" -v s="$brokering_s" 'BEGIN { printf "%.0f", n / s }')
# The same window as the database saw it: first to last order status written by brokering.
db_window_s=$(q "$BROKERING_DB" "SELECT round(extract(epoch FROM max(updated_at) - min(updated_at))::numeric, 2) FROM sales_order WHERE status <> 'APPROVED'")

IFS='|' read -r brokered partial backordered allocated_items backordered_items split_orders ledger_ok < <(q "$BROKERING_DB" "
  SELECT (SELECT count(*) FROM sales_order WHERE status = 'BROKERED'),
         (SELECT count(*) FROM sales_order WHERE status = 'PARTIALLY_BROKERED'),
         (SELECT count(*) FROM sales_order WHERE status = 'BACKORDERED'),
         (SELECT count(*) FROM order_item WHERE status = 'ALLOCATED'),
         (SELECT count(*) FROM order_item WHERE status = 'BACKORDERED'),
         (SELECT count(*) FROM (SELECT order_id FROM order_item WHERE facility_id IS NOT NULL GROUP BY order_id
                                HAVING count(DISTINCT facility_id) > 1) s),
         (SELECT (SELECT coalesce(sum(quantity_reserved), 0) FROM inventory_item)
               = (SELECT coalesce(sum(quantity), 0) FROM order_item WHERE status = 'ALLOCATED')
             AND (SELECT coalesce(sum(reserved_delta), 0) FROM inventory_ledger)
               = (SELECT coalesce(sum(quantity_reserved), 0) FROM inventory_item))")
[[ $ledger_ok == t ]] || log "WARNING: reservations, allocated items and the ledger do not agree"

# --- pgbench on the same primary

run_pgbench "$PGBENCH_DB" "$tmp"
# Three decimals, and the verdict from the exact ratio, not the rounded one.
ratio=$(awk -v o="$orders_per_s" -v t="$pgbench_tps" 'BEGIN { printf "%.3f", o / t }')
verdict=$(awk -v o="$orders_per_s" -v t="$pgbench_tps" 'BEGIN { print (o / t >= 0.25 ? "meets" : "BELOW") }')

cat <<EOF

| orders brokered | start-up s | brokering s | orders/s | pgbench simple-update tps | ratio | target 0.25 |
| --------------- | ---------- | ----------- | -------- | ------------------------- | ----- | ----------- |
| $ORDERS | $startup_s | $brokering_s | $orders_per_s | $pgbench_tps | $ratio | $verdict |

- $ORDERS orders ($items items, $units units) over $FACILITIES facilities and $PRODUCTS products ($stock_rows inventory rows)
- orders: $brokered BROKERED, $partial PARTIALLY_BROKERED, $backordered BACKORDERED; $split_orders split over more than one facility
- items: $allocated_items ALLOCATED, $backordered_items BACKORDERED; reservations = allocated units = ledger: $ledger_ok
- worker start to no order APPROVED: $total_s s; database window (first to last status written): $db_window_s s; worker peak RSS $((peak_rss_kb / 1024)) MiB
- during brokering: worker CPU $worker_cpu_s s of $brokering_s s wall; machine busy $machine_busy (worker, PostgreSQL, Redis, this script)
- pgbench: scale $PGBENCH_SCALE, $PGBENCH_CLIENTS clients, $PGBENCH_THREADS threads, $PGBENCH_SECONDS s
- machine: $(machine_line)
EOF
