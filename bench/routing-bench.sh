#!/usr/bin/env bash
# Routing benchmark: orders brokered per second by ONE async-worker with a realistic rule set
# (bench/routing-rules.js: 3 routings by channel and shipping method, 3 rules each, over facility
# groups, distance, safety stock and daily order limits) beside the seeded default group, on the
# same data in the same run (target: at least 0.8 of the default's rate); and the simulator's
# p50/p99 per order over the 50 facilities, for both groups.
#
#   bash bench/routing-bench.sh
#
# Generates the data once (bench/brokering-data.sql, then bench/routing-data.sql) in a seed database,
# writes the rule set there through the internal API (PAUSED), times POST /internal/routing/simulate
# (bench/routing-simulate.js) and the engine alone, in process, on the same orders
# (bench/routing-engine-bench.js). Each brokering pass then copies the seed database (CREATE DATABASE
# ... TEMPLATE), makes its group the active one, and times one worker (sweep every second) until no
# order is APPROVED, as bench/brokering-bench.sh does. Passes alternate default, rule set, rule set,
# default, ... (BENCH_ROUNDS rounds), so that a drift of the machine falls on both alike. Loopback only;
# every wait is bounded. The Markdown result goes to stdout, progress to stderr.
#
# env: BENCH_ORDERS (10000), BENCH_FACILITIES (50), BENCH_PRODUCTS (200), BENCH_ROUNDS (2),
#      BENCH_SIMULATIONS (2000 per group, after BENCH_SIMULATION_WARMUP = 200), BENCH_ENGINE_REPEATS (7),
#      BENCH_TIMEOUT_S (600 per pass),
#      BENCH_KEEP_DB=1 keeps the seed database too (the last pass of each group is always kept, as
#      oms_bench_routing_default and oms_bench_routing_rules), BENCH_SKIP_BUILD=1 when dist/ is fresh
#      (bench/run.sh), BENCH_LOG_LEVEL (warn), BENCH_WORKER_PROFILE=1 (the worker of each pass under
#      node --cpu-prof, the profiles kept in .run/bench/routing-profiles/; the timings then include the profiler).
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERS=${BENCH_ORDERS:-10000}
FACILITIES=${BENCH_FACILITIES:-50}
PRODUCTS=${BENCH_PRODUCTS:-200}
ROUNDS=${BENCH_ROUNDS:-2}
SIMULATIONS=${BENCH_SIMULATIONS:-2000}
SIMULATION_WARMUP=${BENCH_SIMULATION_WARMUP:-200}
ENGINE_REPEATS=${BENCH_ENGINE_REPEATS:-7}
TIMEOUT_S=${BENCH_TIMEOUT_S:-600}
SEED_DB=oms_bench_routing_seed
WAREHOUSE_DB=warehouse_bench_routing
TARGET=0.8

BENCH_NAME=routing-bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_services_up

[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || npm run -s build >&2

bench_scratch routing "$SEED_DB" 100
base=${DATABASE_URL%/*}
export HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 DATABASE_REPLICA_URLS='' WAREHOUSE_URL="$base/$WAREHOUSE_DB" SHUTDOWN_DRAIN_MS=0
export LOG_LEVEL=${BENCH_LOG_LEVEL:-warn}
export ADMIN_TOKEN=${ADMIN_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}

# --- the data, once, in the seed database

log "recreating $SEED_DB and $WAREHOUSE_DB"
q postgres "DROP DATABASE IF EXISTS $SEED_DB WITH (FORCE)"
q postgres "DROP DATABASE IF EXISTS $WAREHOUSE_DB WITH (FORCE)"
DATABASE_URL="$base/$SEED_DB" npm run -s db:migrate >&2

log "generating $ORDERS orders, $FACILITIES facilities, $PRODUCTS products, channels, shipping methods, daily limits, facility groups"
t=$(now)
for script in bench/brokering-data.sql bench/routing-data.sql; do
  PGOPTIONS="-c client_min_messages=warning" "$PSQL" "${PG[@]}" -d "$SEED_DB" -q -v ON_ERROR_STOP=1 \
    -v orders="$ORDERS" -v facilities="$FACILITIES" -v products="$PRODUCTS" -f "$script" >&2
done
read -r items units stock_rows safety_rows < <(q "$SEED_DB" "SELECT (SELECT count(*) FROM order_item), (SELECT sum(quantity) FROM order_item),
  (SELECT count(*) FROM inventory_item), (SELECT count(*) FROM inventory_item WHERE minimum_stock > 0)" | tr '|' ' ')
mix=$(q "$SEED_DB" "SELECT string_agg(format('%s %s', n, k), ', ' ORDER BY n DESC) FROM (
  SELECT sales_channel || ' ' || shipping_method AS k, count(*) AS n FROM sales_order GROUP BY 1) s")
limits=$(q "$SEED_DB" "SELECT format('stores %s-%s (%s in all), warehouses %s each (%s in all)',
  min(maximum_orders_per_day) FILTER (WHERE type = 'STORE'), max(maximum_orders_per_day) FILTER (WHERE type = 'STORE'),
  sum(maximum_orders_per_day) FILTER (WHERE type = 'STORE'), max(maximum_orders_per_day) FILTER (WHERE type = 'WAREHOUSE'),
  sum(maximum_orders_per_day) FILTER (WHERE type = 'WAREHOUSE')) FROM facility")
groups=$(q "$SEED_DB" "SELECT string_agg(format('%s (%s)', g.code, (SELECT count(*) FROM facility_group_member m WHERE m.group_id = g.id)), ', ' ORDER BY g.code)
  FROM facility_group g")
log "generated in $(elapsed "$t" "$(now)") s: $items items ($units units), $stock_rows inventory rows"

# --- the rule set through the internal API, then the simulator's latency, on the seed database

read -r api_port internal_port < <(free_ports 2)
log "starting sync-api on 127.0.0.1:$api_port (internal :$internal_port) on $SEED_DB"
DATABASE_URL="$base/$SEED_DB" QUEUE_PREFIX="$queue_prefix-api" PORT="$api_port" INTERNAL_PORT="$internal_port" RATE_LIMIT_PER_MINUTE=0 \
  node dist/apps/sync-api/src/main.js >"$tmp/sync-api.log" 2>&1 &
api_pid=$!
pids+=("$api_pid")
wait_http_ok "http://127.0.0.1:$api_port/health/ready" 60 || { tail -n 20 "$tmp/sync-api.log" >&2; die "sync-api not ready after 60 s"; }
internal="http://127.0.0.1:$internal_port"

read -r rules_group rules_shape < <(BENCH_INTERNAL_URL="$internal" node bench/routing-rules.js)
[[ -n $rules_group ]] || die "the rule set was not written"
default_group=$(q "$SEED_DB" "SELECT id FROM routing_group WHERE trigger = 'ORDER_APPROVED' AND status = 'ACTIVE'")
default_shape=$(q "$SEED_DB" "SELECT format('%s/%s', count(DISTINCT r.id), count(u.id)) FROM routing r JOIN routing_rule u ON u.routing_id = r.id
  WHERE r.group_id = '$default_group' AND r.status = 'ACTIVE' AND u.status = 'ACTIVE'")
log "rule set $rules_group ($rules_shape routings/rules) written PAUSED; default group $default_group ($default_shape)"

q "$SEED_DB" "SELECT id FROM sales_order ORDER BY created_at, id" >"$tmp/order-ids"
log "simulating $SIMULATIONS orders per group, one at a time (after $SIMULATION_WARMUP each to warm up)"
BENCH_INTERNAL_URL="$internal" BENCH_ORDER_IDS_FILE="$tmp/order-ids" BENCH_GROUPS="default group=$default_group;rule set=$rules_group" \
  BENCH_SIMULATIONS="$SIMULATIONS" BENCH_WARMUP="$SIMULATION_WARMUP" node bench/routing-simulate.js >"$tmp/simulate.md"
log "routing every order with each group in process, the engine alone, $ENGINE_REPEATS times each"
DATABASE_URL="$base/$SEED_DB" BENCH_INTERNAL_URL="$internal" BENCH_GROUPS="default group=$default_group;rule set=$rules_group" \
  BENCH_ENGINE_REPEATS="$ENGINE_REPEATS" node bench/routing-engine-bench.js >"$tmp/engine.md"
stop_pid "$api_pid" 100
pids=()
redis_del_prefix "$queue_prefix-api"
# The configuration writes left cache-invalidation events in the outbox: published, so that no pass relays them.
q "$SEED_DB" "UPDATE outbox_event SET published_at = clock_timestamp() WHERE published_at IS NULL" >/dev/null
q "$SEED_DB" "VACUUM ANALYZE" >/dev/null

# --- brokering passes, each on a fresh copy of the seed database

profile_dir=.run/bench/routing-profiles
[[ ${BENCH_WORKER_PROFILE:-0} != 1 ]] || mkdir -p "$profile_dir"

# broker_pass NAME GROUP: one worker brokers a copy of the seed with GROUP active; appends a line to $tmp/passes.
pass_no=0
broker_pass() {
  local name=$1 group=$2 db="oms_bench_routing_$1" prefix health_port worker_pid t_start t_first t_done created t rss peak_rss_kb=0
  local cpu_first cpu_done node_args=()
  pass_no=$((pass_no + 1))
  prefix="$queue_prefix-$pass_no"
  q postgres "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  q postgres "CREATE DATABASE $db TEMPLATE $SEED_DB"
  # One statement at a time: at most one ORDER_APPROVED group may be ACTIVE after each.
  q "$db" "UPDATE routing_group SET status = 'PAUSED' WHERE trigger = 'ORDER_APPROVED' AND id <> '$group';
           UPDATE routing_group SET status = 'ACTIVE' WHERE id = '$group'" >/dev/null
  [[ ${BENCH_WORKER_PROFILE:-0} != 1 ]] || node_args=(--cpu-prof --cpu-prof-dir="$profile_dir" --cpu-prof-name="pass-$pass_no-$name.cpuprofile")
  health_port=$(free_ports 1)
  log "pass $pass_no ($name): one async-worker on $db (health 127.0.0.1:$health_port, queue prefix $prefix)"
  t_start=$(now)
  DATABASE_URL="$base/$db" WORKER_HEALTH_PORT="$health_port" QUEUE_PREFIX="$prefix" BROKERING_SWEEP_CRON='* * * * * *' \
    node "${node_args[@]}" dist/apps/async-worker/src/main.js >"$tmp/worker-$pass_no.log" 2>&1 &
  worker_pid=$!
  pids+=("$worker_pid")
  t_first=
  t_done=
  for _ in $(seq 1 $((TIMEOUT_S * 5))); do
    if ! kill -0 "$worker_pid" 2>/dev/null; then
      tail -n 30 "$tmp/worker-$pass_no.log" >&2
      die "the worker exited"
    fi
    rss=$(ps -o rss= -p "$worker_pid" 2>/dev/null | tr -d ' ' || true)
    [[ -n $rss ]] && ((rss > peak_rss_kb)) && peak_rss_kb=$rss
    created=$(q "$db" "SELECT count(*) FROM sales_order WHERE status = 'APPROVED'")
    t=$(now)
    if [[ -z $t_first && $created -lt $ORDERS ]]; then
      t_first=$t
      cpu_first=$(proc_cpu_s "$worker_pid")
    fi
    if [[ $created -eq 0 ]]; then
      t_done=$t
      cpu_done=$(proc_cpu_s "$worker_pid")
      break
    fi
    sleep 0.2
  done
  [[ -n $t_done ]] || { tail -n 30 "$tmp/worker-$pass_no.log" >&2; die "orders still APPROVED after ${TIMEOUT_S}s"; }
  stop_pid "$worker_pid" 150
  # Stopped and reaped: the exit trap must not signal a pid that may since belong to another process.
  pids=()
  redis_del_prefix "$prefix"
  if grep -q '"level":[5-6]0' "$tmp/worker-$pass_no.log"; then
    log "worker errors (first 5):"
    grep '"level":[5-6]0' "$tmp/worker-$pass_no.log" | head -n 5 >&2
  fi

  # The brokering window as the database saw it: the first batch's start (routing_run.started_at,
  # after its claim) to the last order status written; the 200 ms polls are a cross-check.
  local window batches brokered partial backordered allocated_items backordered_items split_orders ledger_ok at_limit over_limit by_rule
  IFS='|' read -r window batches brokered partial backordered allocated_items backordered_items split_orders ledger_ok at_limit over_limit < <(q "$db" "
    WITH last AS (SELECT max(updated_at) AS at FROM sales_order WHERE status <> 'APPROVED')
    SELECT round(extract(epoch FROM (SELECT at FROM last) - (SELECT min(started_at) FROM routing_run))::numeric, 3),
           (SELECT count(*) FROM routing_run WHERE finished_at <= (SELECT at FROM last)),
           (SELECT count(*) FROM sales_order WHERE status = 'BROKERED'),
           (SELECT count(*) FROM sales_order WHERE status = 'PARTIALLY_BROKERED'),
           (SELECT count(*) FROM sales_order WHERE status = 'BACKORDERED'),
           (SELECT count(*) FROM order_item WHERE status = 'ALLOCATED'),
           (SELECT count(*) FROM order_item WHERE status = 'BACKORDERED'),
           (SELECT count(*) FROM (SELECT order_id FROM order_item WHERE facility_id IS NOT NULL GROUP BY order_id
                                  HAVING count(DISTINCT facility_id) > 1) s),
           (SELECT (SELECT coalesce(sum(quantity_reserved), 0) FROM inventory_item)
                 = (SELECT coalesce(sum(quantity), 0) FROM order_item WHERE status = 'ALLOCATED')
               AND (SELECT coalesce(sum(reserved_delta), 0) FROM inventory_ledger)
                 = (SELECT coalesce(sum(quantity_reserved), 0) FROM inventory_item)),
           (SELECT count(*) FROM facility_order_day d JOIN facility f ON f.id = d.facility_id WHERE d.orders_allocated >= f.maximum_orders_per_day),
           (SELECT count(*) FROM facility_order_day d JOIN facility f ON f.id = d.facility_id WHERE d.orders_allocated > f.maximum_orders_per_day)")
  [[ $ledger_ok == t ]] || log "WARNING: pass $pass_no: reservations, allocated items and the ledger do not agree"
  by_rule=$(q "$db" "SELECT string_agg(format('%s %s', u.name, s.items), '; ' ORDER BY r.sequence, u.sequence)
    FROM (SELECT e->>'ruleId' AS rule_id, sum((e->>'itemsAllocated')::int) AS items FROM routing_run, jsonb_array_elements(by_rule) e GROUP BY 1) s
    JOIN routing_rule u ON u.id::text = s.rule_id JOIN routing r ON r.id = u.routing_id")
  printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$pass_no" "$name" "$window" "$(elapsed "$t_first" "$t_done")" \
    "$(elapsed "$t_start" "$t_first")" "$(elapsed "$cpu_first" "$cpu_done")" "$batches" "$brokered" "$partial" "$backordered" \
    "$allocated_items" "$backordered_items" "$split_orders" "$ledger_ok" "$at_limit" "$over_limit" "$((peak_rss_kb / 1024))" "$by_rule" >>"$tmp/passes"
  log "pass $pass_no ($name): $window s, $brokered BROKERED, $partial PARTIALLY_BROKERED, $backordered BACKORDERED"
}

: >"$tmp/passes"
load_before=$(cut -d' ' -f1 /proc/loadavg)
for _ in $(seq 1 "$ROUNDS"); do
  if (((pass_no / 2) % 2 == 0)); then
    broker_pass default "$default_group"
    broker_pass rules "$rules_group"
  else
    broker_pass rules "$rules_group"
    broker_pass default "$default_group"
  fi
done

load_after=$(cut -d' ' -f1 /proc/loadavg)

# --- the result

# rate NAME: orders/s of a group over its passes (all its orders over the sum of its windows).
rate() { awk -F'|' -v name="$1" -v n="$ORDERS" '$2 == name { orders += n; s += $3 } END { printf "%.0f", orders / s }' "$tmp/passes"; }
seconds() { awk -F'|' -v name="$1" '$2 == name { s += $3 } END { printf "%.2f", s }' "$tmp/passes"; }
default_rate=$(rate default)
rules_rate=$(rate rules)
# As many orders in each group's passes: the ratio of the rates is the inverse ratio of the times.
# Three decimals, and the verdict from the exact ratio, not the rounded one.
ratio=$(awk -v a="$(seconds default)" -v b="$(seconds rules)" 'BEGIN { printf "%.3f", a / b }')
verdict=$(awk -v a="$(seconds default)" -v b="$(seconds rules)" -v t="$TARGET" 'BEGIN { print (a / b >= t ? "meets" : "BELOW") }')

cat <<EOF

| routing group | routings/rules | passes | orders per pass | brokering s (all passes) | orders/s | ratio to the default group | target $TARGET |
| ------------- | -------------- | ------ | --------------- | ------------------------ | -------- | -------------------------- | ---------- |
| default (seeded) | $default_shape | $ROUNDS | $ORDERS | $(seconds default) | $default_rate | 1.000 | |
| rule set | $rules_shape | $ROUNDS | $ORDERS | $(seconds rules) | $rules_rate | $ratio | $verdict |

EOF
while IFS='|' read -r no name window polled startup cpu batches brokered partial backordered allocated backordered_items split ledger at_limit over_limit rss by_rule; do
  label=$([[ $name == default ]] && echo "default group" || echo "rule set")
  echo "- pass $no, $label: $window s ($polled s by the 200 ms polls, start-up $startup s) in $batches batches; worker CPU $cpu s, peak RSS $rss MiB; orders $brokered BROKERED, $partial PARTIALLY_BROKERED, $backordered BACKORDERED, $split split; items $allocated ALLOCATED, $backordered_items BACKORDERED; facilities at their daily limit $at_limit, over it $over_limit; reservations = allocated units = ledger: $ledger"
done <"$tmp/passes"
for name in default rules; do
  label=$([[ $name == default ]] && echo "default group" || echo "rule set")
  echo "- items allocated by rule, $label (last pass): $(awk -F'|' -v name="$name" '$2 == name { line = $18 } END { print line }' "$tmp/passes")"
done
cat <<EOF
- brokering s: the first batch's start (\`routing_run.started_at\`) to the last order status written; orders/s = orders / brokering s over the passes of a group
- machine load (1-minute load average) $load_before before the first pass, $load_after after the last, on $(nproc) cores
- data: $ORDERS orders ($items items, $units units) over $FACILITIES facilities and $PRODUCTS products ($stock_rows inventory rows, $safety_rows with a minimum stock); by channel and shipping method: $mix
- daily order limits: $limits; facility groups: $groups

$(cat "$tmp/simulate.md")

- simulator: POST /internal/routing/simulate {"orderId","groupId"} on the seed data (nothing brokered yet), one request at a time on one keep-alive connection, the two groups taking turns; every candidate of every rule is explained

$(cat "$tmp/engine.md")

- engine alone: every order routed in process as one worker's sweep would (batches of 200, oldest first, each batch's reservations and order counts taken off before the next), no database in between; CPU time of that process, the median of $ENGINE_REPEATS repeats per group, the groups taking turns
- machine: $(machine_line)
EOF
