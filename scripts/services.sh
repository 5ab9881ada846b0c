#!/usr/bin/env bash
# Local back-end services for development and tests: a PostgreSQL primary and
# streaming replica owned by the project, Redis, and the haproxy/curl binaries.
# Idempotent; everything listens on 127.0.0.1 only. The parts are in services/.
set -euo pipefail

PG_DIR=${OMS_PG_DIR:-/var/lib/postgresql/oms-dev}
PRIMARY_PORT=${OMS_PG_PRIMARY_PORT:-5434}
REPLICA_PORT=${OMS_PG_REPLICA_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6379}
REDIS_DIR=${OMS_REDIS_DIR:-/var/lib/oms-dev/redis}

PRIMARY_DIR=$PG_DIR/primary
REPLICA_DIR=$PG_DIR/replica
SOCKET_DIR=$PG_DIR/run
LOG_DIR=$PG_DIR/log
SLOT=oms_replica
LOCK_FILE=/run/lock/oms-services.lock

# Disaster recovery (docs/failover.md). Each data directory keeps its port; `failover` moves the
# primary role to the other directory and records which one holds it in ROLE_FILE (absent: the
# directory named primary), so every command below acts on the current primary and replica.
NODE_A_DIR=$PRIMARY_DIR
NODE_A_PORT=$PRIMARY_PORT
NODE_B_DIR=$REPLICA_DIR
NODE_B_PORT=$REPLICA_PORT
ROLE_FILE=$PG_DIR/primary-node
# Synchronous replication: 1 makes a commit wait until the replica has flushed it; 0 or unset: async.
SYNC_REPLICATION=${OMS_PG_SYNC_REPLICATION:-}
SYNC_CONF=oms-sync.conf
# 1: no fsync on the pair (tests only; pg-pair.sh apply_durability); 0 or unset: durable.
FAST_UNSAFE=${OMS_PG_FAST_UNSAFE:-}
# The database endpoint's ports (services/db-endpoint.sh).
WRITER_PORT=${OMS_PG_WRITER_PORT:-}
READER_PORT=${OMS_PG_READER_PORT:-}

SERVICES_LIB=$(dirname "${BASH_SOURCE[0]}")/services
# shellcheck source=services/common.sh
source "$SERVICES_LIB/common.sh"
# shellcheck source=services/packages.sh
source "$SERVICES_LIB/packages.sh"
# shellcheck source=services/pg-node.sh
source "$SERVICES_LIB/pg-node.sh"
# shellcheck source=services/pg-pair.sh
source "$SERVICES_LIB/pg-pair.sh"
# shellcheck source=services/db-endpoint.sh
source "$SERVICES_LIB/db-endpoint.sh"
# shellcheck source=services/failover.sh
source "$SERVICES_LIB/failover.sh"
# shellcheck source=services/redis.sh
source "$SERVICES_LIB/redis.sh"

usage() {
  cat <<EOF
usage: ${0##*/} up | down | status | env | primary-stop | primary-start | primary-kill | replica-stop | replica-start | replica-pause | replica-resume | failover | chromium | docker-compose | shellcheck

  up              install what is missing, start primary (:$PRIMARY_PORT), replica (:$REPLICA_PORT),
                  redis (:$REDIS_PORT); print the env lines
  down            stop replica then primary (data is kept; redis is left alone)
  status          one line per service
  env             print DATABASE_URL, DATABASE_REPLICA_URLS, WAREHOUSE_URL, REDIS_URL
  primary-stop    stop the primary (fast; the replica keeps running and reconnects when it is back)
  primary-start   start the primary again
  primary-kill    SIGKILL every process of the primary at once (a lost machine; drills only)
  replica-stop    stop the replica (fast)
  replica-start   start the replica (re-cloning it if broken; after a failover this rebuilds the
                  old primary as the new replica)
  replica-pause   pause WAL replay on the replica
  replica-resume  resume WAL replay on the replica
  failover        fence the primary (stop it if it runs), promote the replica, move the endpoint
                  and print the env lines (scripts/failover; docs/failover.md)
  chromium        install Debian's chromium when /usr/bin/chromium is missing (the dashboard test drives it)
  docker-compose  install Debian's docker-compose when it is missing (the test validates docker/compose.yaml with it)
  shellcheck      install Debian's shellcheck when it is missing (npm run lint:shell runs it)

Each node is a postgresql-common cluster registered under \$OMS_PG_DIR/etc: with
PG_CLUSTER_CONF_ROOT=\$OMS_PG_DIR/etc, pg_lsclusters lists them and pg_ctlcluster drives them.

env: OMS_PG_DIR ($PG_DIR), OMS_PG_PRIMARY_PORT, OMS_PG_REPLICA_PORT, REDIS_PORT, OMS_REDIS_DIR,
     OMS_PG_SYNC_REPLICATION (0|1, up and replica-start: synchronous replication; default 0),
     OMS_PG_FAST_UNSAFE (0|1, up: 1 turns fsync and full_page_writes off on both nodes, for
     test data only; 0 or unset turns them back on; default 0),
     OMS_PG_WRITER_PORT, OMS_PG_READER_PORT (a TCP endpoint on 127.0.0.1 that follows the primary
     and the replica across a failover; env then prints URLs through it)
EOF
}

validate_options() {
  case $SYNC_REPLICATION in
    '' | 0 | 1) ;;
    *) die "OMS_PG_SYNC_REPLICATION must be 0 or 1 (got '$SYNC_REPLICATION')" ;;
  esac
  case $FAST_UNSAFE in
    '' | 0 | 1) ;;
    *) die "OMS_PG_FAST_UNSAFE must be 0 or 1 (got '$FAST_UNSAFE')" ;;
  esac
  local port
  for port in "$WRITER_PORT" "$READER_PORT"; do
    [[ -z $port || $port =~ ^[1-9][0-9]{0,4}$ ]] || die "OMS_PG_WRITER_PORT and OMS_PG_READER_PORT must be port numbers (got '$port')"
  done
}

# --- commands

cmd_env() {
  # Through the endpoint when there is one, so that the apps follow a failover without a restart.
  local PRIMARY_PORT=${WRITER_PORT:-$PRIMARY_PORT} REPLICA_PORT=${READER_PORT:-$REPLICA_PORT}
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/oms"
  echo "DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:$REPLICA_PORT/oms"
  echo "WAREHOUSE_URL=postgres://postgres@127.0.0.1:$PRIMARY_PORT/warehouse"
  echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}

cmd_up() {
  take_lock
  ensure_packages
  prepare_dirs
  ensure_primary
  ensure_databases
  ensure_replica
  wait_streaming
  apply_replication_mode
  apply_durability
  ensure_endpoint
  ensure_redis
  cmd_env
}

cmd_down() {
  take_lock
  need_bindir
  stop_node replica "$REPLICA_DIR" "$REPLICA_PORT"
  stop_node primary "$PRIMARY_DIR" "$PRIMARY_PORT"
  stop_endpoint
}

cmd_replica_start() {
  take_lock
  need_bindir
  prepare_dirs
  ensure_replica
  if [[ -n $SYNC_REPLICATION ]]; then
    wait_streaming
    apply_replication_mode
  fi
}

cmd_status() {
  find_bindir || true
  status_primary
  status_replica
  status_redis
  status_haproxy
  endpoint_status
}

main() {
  local cmd=${1:-}
  validate_options
  load_roles
  load_endpoint_ports
  case $cmd in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    primary-stop) take_lock; need_bindir; stop_node primary "$PRIMARY_DIR" "$PRIMARY_PORT" ;;
    primary-start) take_lock; need_bindir; prepare_dirs; ensure_primary ;;
    replica-stop) take_lock; need_bindir; stop_node replica "$REPLICA_DIR" "$REPLICA_PORT" ;;
    primary-kill) take_lock; need_bindir; kill_node primary "$PRIMARY_DIR" "$PRIMARY_PORT" ;;
    replica-start) cmd_replica_start ;;
    replica-pause) need_bindir; replay_control pg_wal_replay_pause ;;
    replica-resume) need_bindir; replay_control pg_wal_replay_resume ;;
    failover) cmd_failover ;;
    chromium) take_lock; ensure_chromium ;;
    docker-compose) take_lock; ensure_docker_compose ;;
    shellcheck) take_lock; ensure_shellcheck ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"; exit
