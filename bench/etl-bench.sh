#!/usr/bin/env bash
# Warehouse ETL benchmark: one full ETL run of BENCH_ETL_ITEMS order items by the real
# async-worker, reading the streaming replica, in order items per second, beside a raw COPY of the
# same rows from the replica into a bare table of the warehouse server in the same run (target: at
# least 0.5 of its rate), and the worker's peak RSS.
#
#   bash bench/etl-bench.sh
#
# Recreates its own OMS database (oms_bench_etl) on the project's primary and generates the data in
# SQL, set-based (bench/etl-data.sql), waits (bounded) until the streaming replica has replayed it,
# recreates its warehouse database (warehouse_bench_etl), times the extract alone and the raw COPY,
# then starts one sync-api and one async-worker (their own QUEUE_PREFIX, free loopback ports),
# triggers a run with POST /internal/warehouse/etl-runs and polls the run record until it succeeds,
# sampling the worker's RSS and the warehouse statement the run has active every 200 ms.
# The Markdown result goes to stdout, progress to stderr.
#
# env: BENCH_ETL_ITEMS (1000000), BENCH_ETL_PRODUCTS (2000), BENCH_ETL_FACILITIES (50),
#      BENCH_ETL_DAYS (90), BENCH_TIMEOUT_S (900, for the run; the replica gets 300 s to catch up),
#      BENCH_REUSE_DATA=1 keeps the OMS database of an earlier run when it has BENCH_ETL_ITEMS items,
#      BENCH_KEEP_DB=1 keeps the OMS database at the end (the warehouse one is always kept to inspect),
#      BENCH_SKIP_BUILD=1 when dist/ is fresh (bench/run.sh), BENCH_LOG_LEVEL (warn).
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"

ITEMS=${BENCH_ETL_ITEMS:-1000000}
PRODUCTS=${BENCH_ETL_PRODUCTS:-2000}
FACILITIES=${BENCH_ETL_FACILITIES:-50}
DAYS=${BENCH_ETL_DAYS:-90}
TIMEOUT_S=${BENCH_TIMEOUT_S:-900}
REPLICA_TIMEOUT_S=300
OMS_DB=oms_bench_etl
WAREHOUSE_DB=warehouse_bench_etl
TARGET=0.5

BENCH_NAME=etl-bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_services_up

[[ ${DATABASE_REPLICA_URLS%%,*} =~ ^postgres(ql)?://[^@/]*@127\.0\.0\.1:([0-9]+)/ ]] || die "no replica on 127.0.0.1 in DATABASE_REPLICA_URLS: ${DATABASE_REPLICA_URLS:-}"
REPLICA_PORT=${BASH_REMATCH[2]}
PGR=(-X -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres)
# qr DATABASE SQL: one query on the replica.
qr() { PGOPTIONS="-c client_min_messages=warning" "$PSQL" "${PGR[@]}" -d "$1" -Atq -v ON_ERROR_STOP=1 -c "$2"; }
[[ $(qr postgres "SELECT pg_is_in_recovery()") == t ]] || die "127.0.0.1:$REPLICA_PORT is not a standby"

[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || npm run -s build >&2

bench_scratch etl "$OMS_DB" 150

df -h "$PWD" | tail -n 1 | awk '{ print "[etl-bench] disk: " $4 " free on " $6 }' >&2

# --- the OMS database with the generated orders, on the primary

base=${DATABASE_URL%/*}
replica_base=${DATABASE_REPLICA_URLS%%,*}
replica_base=${replica_base%/*}
reused=
if [[ ${BENCH_REUSE_DATA:-0} == 1 && $(q postgres "SELECT count(*) FROM pg_database WHERE datname = '$OMS_DB'") == 1 ]] &&
  [[ $(q "$OMS_DB" "SELECT count(*) FROM order_item" 2>/dev/null || echo 0) == "$ITEMS" ]]; then
  log "reusing $OMS_DB ($ITEMS order items)"
  reused=1
  generate_s=
else
  log "recreating $OMS_DB"
  q postgres "DROP DATABASE IF EXISTS $OMS_DB WITH (FORCE)"
  DATABASE_URL="$base/$OMS_DB" WAREHOUSE_URL="$base/$WAREHOUSE_DB" npm run -s db:migrate >&2
  log "generating $ITEMS order items over $DAYS days, $PRODUCTS products, $FACILITIES facilities"
  t=$(now)
  PGOPTIONS="-c client_min_messages=warning" "$PSQL" "${PG[@]}" -d "$OMS_DB" -q -v ON_ERROR_STOP=1 \
    -v items="$ITEMS" -v products="$PRODUCTS" -v facilities="$FACILITIES" -v days="$DAYS" -f bench/etl-data.sql >&2
  generate_s=$(elapsed "$t" "$(now)")
fi
IFS='|' read -r items orders stock_rows item_statuses oms_size < <(q "$OMS_DB" "
  SELECT (SELECT count(*) FROM order_item), (SELECT count(*) FROM sales_order), (SELECT count(*) FROM inventory_item),
         (SELECT string_agg(format('%s %s', count, status), ', ' ORDER BY count DESC)
            FROM (SELECT status, count(*) FROM order_item GROUP BY status) s),
         pg_size_pretty(pg_database_size(current_database()))")
[[ $items == "$ITEMS" ]] || die "$items order items generated, not $ITEMS"
log "${generate_s:+generated in $generate_s s: }$items items of $orders orders ($item_statuses), $stock_rows inventory rows; $oms_size"

# --- the replica has replayed all of it (bounded), and streams

lsn=$(q postgres "SELECT pg_current_wal_lsn()")
log "waiting for the replica to replay $lsn"
t=$(now)
caught_up=
for _ in $(seq 1 $((REPLICA_TIMEOUT_S * 5))); do
  if [[ $(qr postgres "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn" 2>/dev/null || true) == t ]]; then
    caught_up=1
    break
  fi
  sleep 0.2
done
[[ -n $caught_up ]] || die "the replica did not replay $lsn within $REPLICA_TIMEOUT_S s"
replay_wait_s=$(elapsed "$t" "$(now)")
receiver=$(qr postgres "SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')")
[[ $receiver == streaming ]] || die "the replica's WAL receiver is '$receiver', not streaming"
[[ $(qr "$OMS_DB" "SELECT count(*) FROM order_item") == "$ITEMS" ]] || die "the replica does not have the $ITEMS items"
log "replica caught up after $replay_wait_s s, WAL receiver $receiver"

# --- a fresh warehouse database

log "recreating $WAREHOUSE_DB"
q postgres "DROP DATABASE IF EXISTS $WAREHOUSE_DB WITH (FORCE)"
DATABASE_URL="$base/$OMS_DB" WAREHOUSE_URL="$base/$WAREHOUSE_DB" npm run -s db:migrate >&2

# --- baselines: the extract alone, and a raw COPY of the same rows into a bare table
# The same rows and columns as the ETL's order item extract (libs/warehouse/src/etl/extract-queries.ts).
iso() { printf "to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')" "$1"; }
EXTRACT="SELECT i.id, i.order_id, $(iso o.created_at), i.product_id, i.facility_id, i.status, o.status, o.sales_channel,
  i.quantity, i.unit_price, o.currency, $(iso 'greatest(i.updated_at, o.updated_at)')
  FROM order_item i JOIN sales_order o ON o.id = i.order_id"
q "$WAREHOUSE_DB" "CREATE TABLE bench_raw_order_item (order_item_id uuid, order_id uuid, ordered_at timestamptz, product_id uuid,
  facility_id uuid, status text, order_status text, sales_channel text, units integer, unit_price numeric(14, 2), currency char(3),
  source_updated_at timestamptz)"
copy_out() { "$PSQL" "${PGR[@]}" -d "$OMS_DB" -Xq -v ON_ERROR_STOP=1 -c "COPY ($EXTRACT) TO STDOUT"; }

log "warming the replica's cache (extract to /dev/null)"
copy_out >/dev/null
log "timing the extract alone (replica -> /dev/null)"
t=$(now)
copy_out >/dev/null
extract_s=$(elapsed "$t" "$(now)")
log "timing the raw COPY (replica -> bare table on the warehouse server)"
t=$(now)
copy_out | "$PSQL" "${PG[@]}" -d "$WAREHOUSE_DB" -q -v ON_ERROR_STOP=1 -c "COPY bench_raw_order_item FROM STDIN"
raw_s=$(elapsed "$t" "$(now)")
raw_rows=$(q "$WAREHOUSE_DB" "SELECT count(*) FROM bench_raw_order_item")
[[ $raw_rows == "$ITEMS" ]] || die "the raw COPY loaded $raw_rows rows, not $ITEMS"
raw_size=$(q "$WAREHOUSE_DB" "SELECT pg_size_pretty(pg_total_relation_size('bench_raw_order_item'))")
q "$WAREHOUSE_DB" "DROP TABLE bench_raw_order_item"
raw_per_s=$(awk -v n="$ITEMS" -v s="$raw_s" 'BEGIN { printf "%.0f", n / s }')
log "extract alone $extract_s s; raw COPY $raw_s s ($raw_per_s rows/s, $raw_size)"

# --- one sync-api (to trigger) and one async-worker (to run it)

read -r api_port internal_port worker_port < <(free_ports 3)
admin_token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
apps_env=(DATABASE_URL="$base/$OMS_DB" DATABASE_REPLICA_URLS="$replica_base/$OMS_DB" WAREHOUSE_URL="$base/$WAREHOUSE_DB"
  HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 QUEUE_PREFIX="$queue_prefix" ADMIN_TOKEN="$admin_token" LOG_LEVEL="${BENCH_LOG_LEVEL:-warn}"
  SHUTDOWN_DRAIN_MS=0 RATE_LIMIT_PER_MINUTE=0 WAREHOUSE_ETL_CRON='5 0 1 1 *')
log "starting sync-api (127.0.0.1:$api_port, internal :$internal_port) and async-worker (health :$worker_port, queue prefix $queue_prefix)"
env "${apps_env[@]}" PORT="$api_port" INTERNAL_PORT="$internal_port" node dist/apps/sync-api/src/main.js >"$tmp/sync-api.log" 2>&1 &
pids+=("$!")
env "${apps_env[@]}" WORKER_HEALTH_PORT="$worker_port" node dist/apps/async-worker/src/main.js >"$tmp/async-worker.log" 2>&1 &
worker_pid=$!
pids+=("$worker_pid")
for url in "http://127.0.0.1:$api_port/health/ready" "http://127.0.0.1:$worker_port/health/ready"; do
  wait_http_ok "$url" 60 || { tail -n 20 "$tmp"/*.log >&2; die "not ready after 60 s: $url"; }
done
rss_idle_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$worker_pid/status")

# --- the run: triggered over the internal API, polled in the warehouse

pg_postmaster=$(head -n 1 "$(q postgres "SHOW data_directory")/postmaster.pid")
replica_postmaster=$(head -n 1 "$(qr postgres "SHOW data_directory")/postmaster.pid")
worker_cpu_before=$(proc_cpu_s "$worker_pid")
pg_cpu_before=$(tree_cpu_s "$pg_postmaster")
replica_cpu_before=$(tree_cpu_s "$replica_postmaster")
read -r busy_before all_before < <(machine_jiffies)
run_id=$(curl -fsS --max-time 10 -X POST -H "Authorization: Bearer $admin_token" -H 'content-type: application/json' -d '{}' \
  "http://127.0.0.1:$internal_port/internal/warehouse/etl-runs" | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).id))')
[[ $run_id =~ ^[0-9a-f-]{36}$ ]] || die "POST /internal/warehouse/etl-runs gave no run id"
log "run $run_id queued; polling every 200 ms (at most $TIMEOUT_S s)"

# Each sample: seconds since the trigger, worker RSS (kB), the run's status, and the warehouse
# statement the run has active (with its start as epoch seconds).
status=
peak_rss_kb=0
t0=$(now)
for _ in $(seq 1 $((TIMEOUT_S * 5))); do
  kill -0 "$worker_pid" 2>/dev/null || { tail -n 30 "$tmp/async-worker.log" >&2; die "the worker exited"; }
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$worker_pid/status" 2>/dev/null || echo 0)
  ((rss > peak_rss_kb)) && peak_rss_kb=$rss
  IFS='|' read -r status statement < <(q "$WAREHOUSE_DB" "
    SELECT r.status, coalesce((SELECT format('%s %s', extract(epoch FROM query_start), left(regexp_replace(query, '\s+', ' ', 'g'), 60))
                                 FROM pg_stat_activity
                                WHERE datname = current_database() AND application_name = 'oms-warehouse' AND state = 'active'
                                  AND pid <> pg_backend_pid() LIMIT 1), '')
      FROM etl_run r WHERE r.id = '$run_id'")
  printf '%s|%s|%s|%s\n' "$(elapsed "$t0" "$(now)")" "$rss" "$status" "$statement" >>"$tmp/samples"
  [[ $status == succeeded || $status == failed ]] && break
  sleep 0.2
done
worker_cpu_after=$(proc_cpu_s "$worker_pid")
pg_cpu_after=$(tree_cpu_s "$pg_postmaster")
replica_cpu_after=$(tree_cpu_s "$replica_postmaster")
read -r busy_after all_after < <(machine_jiffies)
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$worker_pid/status")
[[ $status == succeeded ]] || {
  tail -n 30 "$tmp/async-worker.log" >&2
  die "run $run_id is '${status:-unknown}' (error: $(q "$WAREHOUSE_DB" "SELECT coalesce(error, '') FROM etl_run WHERE id = '$run_id'"))"
}

IFS='|' read -r run_s source rows_per_table fact_rows started_epoch finished_epoch < <(q "$WAREHOUSE_DB" "
  SELECT round(extract(epoch FROM finished_at - started_at)::numeric, 2), source,
         (SELECT string_agg(format('%s %s', key, value), ', ' ORDER BY key) FROM jsonb_each_text(rows_per_table)),
         (SELECT count(*) FROM fact_order_item), extract(epoch FROM started_at), extract(epoch FROM finished_at)
    FROM etl_run WHERE id = '$run_id'")
[[ $source == replica ]] || die "the run read the $source, not the replica"
[[ $fact_rows == "$ITEMS" ]] || die "fact_order_item has $fact_rows rows, not $ITEMS"
IFS='|' read -r revenue_ok warehouse_size < <(q "$WAREHOUSE_DB" "
  SELECT (SELECT sum(revenue) FROM fact_order_item) = (SELECT sum(units * unit_price) FROM fact_order_item),
         pg_size_pretty(pg_database_size(current_database()))")

for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do stop_pid "$pid" 150; done
pids=()
for name in sync-api async-worker; do
  if grep -q '"level":[5-6]0' "$tmp/$name.log"; then
    log "$name errors (first 5):"
    grep '"level":[5-6]0' "$tmp/$name.log" | head -n 5 >&2
  fi
done

etl_per_s=$(awk -v n="$ITEMS" -v s="$run_s" 'BEGIN { printf "%.0f", n / s }')
# Three decimals, and the verdict from the exact ratio, not the rounded one.
ratio=$(awk -v e="$etl_per_s" -v r="$raw_per_s" 'BEGIN { printf "%.3f", e / r }')
verdict=$(awk -v e="$etl_per_s" -v r="$raw_per_s" -v t="$TARGET" 'BEGIN { print (e / r >= t ? "meets" : "misses") }')

# Phases from the warehouse statements the run had active: each lasts from its start to the next
# one's start (the last one to finished_at). Statements shorter than a sample can be missed; their
# time then counts for the statement before them.
phases=$(awk -F'|' -v start="$started_epoch" -v end="$finished_epoch" '
  $4 != "" {
    split($4, parts, " "); at = parts[1]; label = substr($4, length(at) + 2)
    sub(/^ +/, "", label); sub(/ \(.*/, "", label); sub(/ AS t.*/, "", label); sub(/ SET .*/, "", label)
    if (!(at in seen)) { seen[at] = 1; n++; starts[n] = at; labels[n] = label }
  }
  END {
    printf "claim to first statement %.1f s", starts[1] - start
    for (i = 1; i <= n; i++) printf "; %s %.1f s", labels[i], (i < n ? starts[i + 1] : end) - starts[i]
  }' "$tmp/samples")
cpu_line=$(awk -v s="$run_s" -v w="$(elapsed "$worker_cpu_before" "$worker_cpu_after")" -v pg="$(elapsed "$pg_cpu_before" "$pg_cpu_after")" \
  -v rp="$(elapsed "$replica_cpu_before" "$replica_cpu_after")" -v busy=$((busy_after - busy_before)) -v all=$((all_after - all_before)) -v n="$(nproc)" '
  BEGIN { printf "async-worker %.1f s, PostgreSQL primary (warehouse) %.1f s, replica (extract and replay of the warehouse WAL) %.1f s; machine busy %.0f%% of %d cores", w, pg, rp, all ? 100 * busy / all : 0, n }')

cat <<EOF

| order items | ETL run s | ETL rows/s | raw COPY s | raw COPY rows/s | ratio | target $TARGET | worker peak RSS MiB |
| ----------- | --------- | ---------- | ---------- | --------------- | ----- | ---------- | ------------------- |
| $ITEMS | $run_s | $etl_per_s | $raw_s | $raw_per_s | $ratio | $verdict | $((hwm_kb / 1024)) |

- data: $items order items of $orders orders ($item_statuses) over $PRODUCTS products, $FACILITIES facilities and $DAYS days, $stock_rows inventory rows; OMS database $oms_size${generate_s:+, generated in $generate_s s}${reused:+ (reused)}; the replica replayed it $replay_wait_s s after the generator's commit
- run (started_at -> finished_at, source $source): rows per table $rows_per_table; warehouse database $warehouse_size; revenue = units x price: $revenue_ok
- phases: $phases
- extract alone (replica -> /dev/null, warm): $extract_s s; raw COPY: same rows into a bare table on the warehouse server ($raw_size)
- worker RSS: $((rss_idle_kb / 1024)) MiB idle before the run, peak $((peak_rss_kb / 1024)) MiB sampled every 200 ms, VmHWM $((hwm_kb / 1024)) MiB
- CPU during the run ($run_s s): $cpu_line
- machine: $(machine_line)
EOF
