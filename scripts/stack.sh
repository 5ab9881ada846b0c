#!/usr/bin/env bash
# `npm run stack`: the whole system on this machine. Installs and starts what is missing
# (PostgreSQL primary + replica, Redis, HAProxy), builds, migrates, starts two sync-api instances
# behind HAProxy on :8080 and one async-worker, and prints what to call. Ctrl-C stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

LB_PORT=${STACK_LB_PORT:-8080}
API_PORTS=(3000 3010)
INTERNAL_PORTS=(3001 3011)
WORKER_PORT=3002
RUN_DIR=.run/stack

log() { printf '[stack] %s\n' "$*" >&2; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

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

log "building"
npm run -s build >&2
log "migrating"
npm run -s db:migrate >&2
log "seeding demo data"
seed_output=$(npm run -s db:seed)
printf '%s\n' "$seed_output" | grep -v '^DEMO_API_KEY=' >&2 || true
API_KEY=$(printf '%s\n' "$seed_output" | sed -n 's/^DEMO_API_KEY=//p')

mkdir -p "$RUN_DIR"
pids=()
stop_all() {
  trap - INT TERM EXIT
  log "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  log "stopped"
}
trap stop_all INT TERM EXIT

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

log "waiting for the load balancer to report ready"
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$LB_PORT/health/ready" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$LB_PORT/health/ready" >/dev/null || { log "not ready; see $RUN_DIR/*.log"; exit 1; }

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
  admin token             $ADMIN_TOKEN
      curl -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:${INTERNAL_PORTS[0]}/metrics
  PostgreSQL              $DATABASE_URL (replica: $DATABASE_REPLICA_URLS)
  warehouse               $WAREHOUSE_URL
  Redis                   $REDIS_URL
  logs                    $RUN_DIR/*.log
Ctrl-C stops the apps and HAProxy (scripts/services.sh down stops PostgreSQL).
INFO

# Runs until Ctrl-C; an instance that dies is left dead (HAProxy routes around it), as in production.
wait
