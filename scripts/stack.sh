#!/usr/bin/env bash
# `npm run stack`: the whole system on this machine. Installs and starts what is missing
# (PostgreSQL primary + replica, Redis, HAProxy), builds, migrates, starts two sync-api instances
# behind HAProxy on :8080 and one async-worker, loads the warehouse once (one ETL run, for the
# reports dashboard), and prints what to call.
#
# Ctrl-C (SIGINT), `kill PID` (SIGTERM) or closing the terminal (SIGHUP) stops what it started, at
# any point: the apps and HAProxy get SIGTERM, whatever still runs after 15 s gets SIGKILL, then the
# script exits (128 + the signal's number).
#
# Environment (defaults in brackets):
#   STACK_LB_PORT          HAProxy, where the API is called               [8080]
#   STACK_API_PORTS        the two sync-api public ports                  ["3000 3010"]
#   STACK_INTERNAL_PORTS   the two sync-api internal admin ports          ["3001 3011"]
#   STACK_WORKER_PORT      the async-worker health port                   [3002]
#   STACK_RUN_DIR          where the processes' logs go                   [.run/stack]
#   STACK_SKIP_BUILD=1     run dist/ as it is, without `npm run build`
set -euo pipefail
cd "$(dirname "$0")/.."

LB_PORT=${STACK_LB_PORT:-8080}
read -ra API_PORTS <<<"${STACK_API_PORTS:-3000 3010}"
read -ra INTERNAL_PORTS <<<"${STACK_INTERNAL_PORTS:-3001 3011}"
WORKER_PORT=${STACK_WORKER_PORT:-3002}
RUN_DIR=${STACK_RUN_DIR:-.run/stack}
STOP_GRACE_SECONDS=15

# The terminal may be gone (SIGHUP): a failed write must not end the script before it cleans up.
log() { printf '[stack] %s\n' "$*" >&2 || true; }

pids=()

running_children() {
  local pid
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then printf '%s ' "$pid"; fi
  done
}

# SIGTERM stops both the apps (drain, then close) and HAProxy, which cannot be relied on to stop
# with the signal the script got: as a background job it ignores SIGINT, and SIGHUP only makes it
# log. On Ctrl-C the apps got SIGINT as well and take this SIGTERM as a second signal: they exit
# at once, which is fine as the load balancer in front of them stops too.
stop_children() {
  local deadline=$((SECONDS + STOP_GRACE_SECONDS)) left
  left=$(running_children)
  [[ -n $left ]] || return 0
  log "stopping"
  # shellcheck disable=SC2086 # one pid per word
  kill -TERM $left 2>/dev/null || true
  while left=$(running_children) && [[ -n $left ]] && ((SECONDS < deadline)); do sleep 0.2; done
  if [[ -n $left ]]; then
    log "still running after ${STOP_GRACE_SECONDS} s, killing: $left"
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL $left 2>/dev/null || true
  fi
  wait || true
  log "stopped"
}

# Every way out ends here: a signal, an error under set -e, `exit 1` while waiting, the normal end.
# Repeated signals and a broken output (SIGPIPE) must not cut the clean-up short.
clean_up() {
  trap '' INT TERM HUP PIPE
  stop_children
}
on_signal() {
  trap '' INT TERM HUP PIPE
  log "$1 received"
  exit $((128 + $(kill -l "$1")))
}
trap clean_up EXIT
# shellcheck disable=SC2064 # each trap names its own signal, expanded now
for signal in INT TERM HUP; do trap "on_signal $signal" "$signal"; done

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ ${#API_PORTS[@]} -ne 2 || ${#INTERNAL_PORTS[@]} -ne 2 ]]; then
  log "STACK_API_PORTS and STACK_INTERNAL_PORTS take two ports each"
  exit 1
fi
for port in "$LB_PORT" "${API_PORTS[@]}" "${INTERNAL_PORTS[@]}" "$WORKER_PORT"; do
  if port_in_use "$port"; then
    log "port $port is already in use on 127.0.0.1 (another stack running?); stop it first"
    exit 1
  fi
done

bash scripts/ensure-deps.sh
services_env=$(bash scripts/services.sh up)
eval "$(sed 's/^/export /' <<<"$services_env")"
export NODE_ENV=${NODE_ENV:-development}
export HOST=127.0.0.1 INTERNAL_HOST=127.0.0.1
export ADMIN_TOKEN=${ADMIN_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}

if [[ ${STACK_SKIP_BUILD:-} == 1 ]]; then
  log "not building (STACK_SKIP_BUILD=1)"
else
  log "building"
  npm run -s build >&2
fi
log "migrating"
npm run -s db:migrate >&2
log "seeding demo data"
seed_output=$(npm run -s db:seed)
printf '%s\n' "$seed_output" | grep -v '^DEMO_API_KEY=' >&2 || true
API_KEY=$(printf '%s\n' "$seed_output" | sed -n 's/^DEMO_API_KEY=//p')

mkdir -p "$RUN_DIR"
start() {
  local name=$1; shift
  env "$@" >"$RUN_DIR/$name.log" 2>&1 &
  pids+=("$!")
}

for i in 0 1; do
  start "sync-api-$((i + 1))" PORT="${API_PORTS[$i]}" INTERNAL_PORT="${INTERNAL_PORTS[$i]}" SHUTDOWN_DRAIN_MS=3000 \
    node dist/apps/sync-api/src/main.js
done
start async-worker WORKER_HEALTH_PORT="$WORKER_PORT" SHUTDOWN_DRAIN_MS=1000 node dist/apps/async-worker/src/main.js
start haproxy HAPROXY_BIND="127.0.0.1:$LB_PORT" SYNC_API_1="127.0.0.1:${API_PORTS[0]}" SYNC_API_2="127.0.0.1:${API_PORTS[1]}" \
  haproxy -db -f docker/haproxy.cfg

lb_ready() { curl -fsS --max-time 2 "http://127.0.0.1:$LB_PORT/health/ready" >/dev/null 2>&1; }

log "waiting for the load balancer to report ready"
for _ in $(seq 1 120); do
  if lb_ready; then break; fi
  sleep 0.5
done
lb_ready || { log "not ready; see $RUN_DIR/*.log"; exit 1; }

# One warehouse ETL run once the demo orders are brokered, so that the dashboard has data to chart.
# Not fatal: without it the stack still runs and the dashboard shows empty charts.
json_field() { grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | cut -d '"' -f 4; }
orders_brokered() {
  local page
  page=$(curl -fsS --max-time 5 -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$LB_PORT/api/v1/orders?status=APPROVED&limit=1") || return 1
  [[ $page == *'"items":[]'* ]]
}
load_warehouse() {
  local internal="http://127.0.0.1:${INTERNAL_PORTS[0]}/internal/warehouse/etl-runs" run_id status=
  for _ in $(seq 1 60); do
    orders_brokered && break
    sleep 0.5
  done
  run_id=$(curl -fsS --max-time 5 -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' -d '{}' "$internal" |
    json_field id) || true
  [[ -n $run_id ]] || { log "could not start a warehouse ETL run; the dashboard stays empty until one runs"; return 0; }
  for _ in $(seq 1 120); do
    status=$(curl -fsS --max-time 5 -H "Authorization: Bearer $ADMIN_TOKEN" "$internal/$run_id" | json_field status) || true
    [[ $status == succeeded || $status == failed ]] && break
    sleep 0.5
  done
  log "warehouse ETL run $run_id: ${status:-unknown}"
}
log "loading the warehouse (one ETL run)"
load_warehouse

cat <<INFO

OMS is running.
  API (through HAProxy)   http://127.0.0.1:$LB_PORT            e.g. curl http://127.0.0.1:$LB_PORT/health/ready
  sync-api instances      http://127.0.0.1:${API_PORTS[0]}  http://127.0.0.1:${API_PORTS[1]}
  internal admin ports    http://127.0.0.1:${INTERNAL_PORTS[0]}  http://127.0.0.1:${INTERNAL_PORTS[1]}   (/metrics, /internal/*)
  async-worker health     http://127.0.0.1:$WORKER_PORT/health/ready
  API key (demo)          $API_KEY
      curl -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$LB_PORT/api/v1/products?limit=5"
      curl -H "Authorization: Bearer $API_KEY" "http://127.0.0.1:$LB_PORT/api/v1/orders?limit=5"
  API docs (Swagger UI)   http://127.0.0.1:$LB_PORT/docs     (OpenAPI JSON: /docs/json)
  reports dashboard       http://127.0.0.1:$LB_PORT/reports  (the warehouse as of its last ETL run)
  queue board             http://127.0.0.1:${INTERNAL_PORTS[0]}/internal/queues/board  (Bull Board; any user name, the admin token as password)
  internal API docs       http://127.0.0.1:${INTERNAL_PORTS[0]}/internal/docs  (signed in as for the queue board; OpenAPI JSON: /internal/docs/json)
  admin token             $ADMIN_TOKEN
      curl -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:${INTERNAL_PORTS[0]}/metrics
  PostgreSQL              $DATABASE_URL (replica: $DATABASE_REPLICA_URLS)
  warehouse               $WAREHOUSE_URL
  Redis                   $REDIS_URL
  logs                    $RUN_DIR/*.log
Ctrl-C stops the apps and HAProxy (scripts/services.sh down stops PostgreSQL).
INFO

# Runs until a signal; an instance that dies is left dead (HAProxy routes around it), as in production.
wait
