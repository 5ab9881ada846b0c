#!/usr/bin/env bash
# Outbound webhooks benchmark: deliveries per second from one async-worker to a local receiver
# (bench/webhook-receiver.js, which checks every signature), with the delivery lag.
#
#   bash bench/webhooks-bench.sh
#
# Recreates its own database (oms_bench_webhooks), migrates it, registers BENCH_ENDPOINTS endpoints
# at the receiver (rows of webhook_endpoint, as POST /internal/webhooks writes them) and writes
# BENCH_EVENTS `order.shipped` outbox events of distinct orders, as the API's transactions do. Then
# one async-worker starts: its outbox relay fans each event out to every endpoint (the deliveries
# are written in the relay's transaction) and its dispatcher POSTs them, at most 4 in flight per
# endpoint, until every delivery is DELIVERED. The rate is the deliveries over the time from the
# worker's start to the last delivery (start-up included); the lag is from the event's commit to
# its delivery. The Markdown result goes to stdout, progress to stderr.
#
# env: BENCH_EVENTS (5000), BENCH_ENDPOINTS (4), BENCH_TIMEOUT_S (300), BENCH_KEEP_DB=1 keeps
#      oms_bench_webhooks to inspect, BENCH_SKIP_BUILD=1 when dist/ is fresh (bench/run.sh),
#      BENCH_LOG_LEVEL (warn).
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${BENCH_EVENTS:-5000}
ENDPOINTS=${BENCH_ENDPOINTS:-4}
TIMEOUT_S=${BENCH_TIMEOUT_S:-300}
WH_DB=oms_bench_webhooks
WAREHOUSE_DB=warehouse_bench_webhooks

BENCH_NAME=webhooks-bench
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_services_up

[[ ${BENCH_SKIP_BUILD:-0} == 1 ]] || npm run -s build >&2

bench_scratch webhooks "$WH_DB" 100
export DATABASE_REPLICA_URLS=''
export HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1 SHUTDOWN_DRAIN_MS=0 LOG_LEVEL=${BENCH_LOG_LEVEL:-warn}
export BENCH_WEBHOOK_SECRET=${BENCH_WEBHOOK_SECRET:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}

bench_fresh_databases "$WH_DB" "$WAREHOUSE_DB"

read -r receiver_port worker_port < <(free_ports 2)
node bench/webhook-receiver.js "$receiver_port" >"$tmp/receiver.out" 2>&1 &
receiver_pid=$!
pids+=("$receiver_pid")
wait_for_receiver() { for _ in $(seq 1 50); do [[ -s $tmp/receiver.out ]] && return 0; sleep 0.1; done; return 1; }
wait_for_receiver || die "the receiver did not start"

log "registering $ENDPOINTS endpoints at 127.0.0.1:$receiver_port and writing $EVENTS events"
q "$WH_DB" "INSERT INTO webhook_endpoint (url, events, secret)
  SELECT 'http://127.0.0.1:$receiver_port/hook/' || n, ARRAY['order.shipped'], '$BENCH_WEBHOOK_SECRET' FROM generate_series(1, $ENDPOINTS) n"
q "$WH_DB" "INSERT INTO outbox_event (topic, aggregate_id, payload)
  SELECT 'order.shipped', id, jsonb_build_object('orderId', id, 'facilityId', gen_random_uuid(), 'shipmentId', gen_random_uuid())
    FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $EVENTS)) o"
deliveries=$((EVENTS * ENDPOINTS))

log "delivering $deliveries webhooks with one async-worker (health 127.0.0.1:$worker_port)"
t_start=$(now)
WORKER_HEALTH_PORT="$worker_port" QUEUE_PREFIX="$queue_prefix" node dist/apps/async-worker/src/main.js >"$tmp/async-worker.log" 2>&1 &
worker_pid=$!
pids+=("$worker_pid")
done_=
for _ in $(seq 1 $((TIMEOUT_S * 5))); do
  kill -0 "$worker_pid" 2>/dev/null || { tail -n 30 "$tmp/async-worker.log" >&2; die "the worker exited"; }
  if [[ $(q "$WH_DB" "SELECT count(*) FROM webhook_delivery WHERE status = 'DELIVERED'") -ge $deliveries ]]; then
    done_=1
    break
  fi
  sleep 0.2
done
[[ -n $done_ ]] || { tail -n 30 "$tmp/async-worker.log" >&2; die "deliveries still pending after ${TIMEOUT_S}s"; }
wall_s=$(elapsed "$t_start" "$(now)")
worker_cpu_s=$(proc_cpu_s "$worker_pid")

IFS='|' read -r window_s attempts p50_lag p99_lag < <(q "$WH_DB" "
  SELECT round(EXTRACT(EPOCH FROM max(d.finished_at) - min(d.first_attempt_at))::numeric, 2),
         (SELECT count(*) FROM webhook_attempt),
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM d.finished_at - d.event_at))::numeric, 2),
         round(percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM d.finished_at - d.event_at))::numeric, 2)
    FROM webhook_delivery d")
kill -TERM "$receiver_pid"
wait "$receiver_pid" 2>/dev/null || true
received=$(tail -n 1 "$tmp/receiver.out")
rate=$(awk -v n="$deliveries" -v s="$wall_s" 'BEGIN { printf "%.0f", n / s }')
window_rate=$(awk -v n="$deliveries" -v s="$window_s" 'BEGIN { printf "%.0f", n / s }')

cat <<EOF
| deliveries | endpoints | worker start to last delivery s | deliveries/s | first to last attempt s | deliveries/s in that window | attempts | worker CPU s |
| ---------- | --------- | ------------------------------- | ------------ | ----------------------- | --------------------------- | -------- | ------------ |
| $deliveries | $ENDPOINTS | $wall_s | $rate | $window_s | $window_rate | $attempts | $worker_cpu_s |

- $EVENTS \`order.shipped\` events of distinct orders, fanned out to $ENDPOINTS endpoints by the outbox relay; at most 4 in flight per endpoint
- receiver (bench/webhook-receiver.js, signatures checked): $received
- lag from the event's commit to its delivery (the events were all written before the worker started): p50 $p50_lag s, p99 $p99_lag s
- machine: $(machine_line)
EOF
