#!/usr/bin/env bash
# Local back-end services for development and tests: a PostgreSQL primary and
# streaming replica owned by the project, Redis, and the haproxy/curl binaries.
# Idempotent; everything listens on 127.0.0.1 only.
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

BINDIR=
PSQL=
APT_UPDATED=0

usage() {
  cat <<EOF
usage: ${0##*/} up | down | status | env | primary-stop | primary-start | replica-stop | replica-start | replica-pause | replica-resume | chromium | docker-compose

  up              install what is missing, start primary (:$PRIMARY_PORT), replica (:$REPLICA_PORT),
                  redis (:$REDIS_PORT); print the env lines
  down            stop replica then primary (data is kept; redis is left alone)
  status          one line per service
  env             print DATABASE_URL, DATABASE_REPLICA_URLS, WAREHOUSE_URL, REDIS_URL
  primary-stop    stop the primary (fast; the replica keeps running and reconnects when it is back)
  primary-start   start the primary again
  replica-stop    stop the replica (fast)
  replica-start   start the replica (re-cloning it if broken)
  replica-pause   pause WAL replay on the replica
  replica-resume  resume WAL replay on the replica
  chromium        install Debian's chromium when /usr/bin/chromium is missing (the dashboard test drives it)
  docker-compose  install Debian's docker-compose when it is missing (the test validates docker/compose.yaml with it)

env: OMS_PG_DIR ($PG_DIR), OMS_PG_PRIMARY_PORT, OMS_PG_REPLICA_PORT, REDIS_PORT, OMS_REDIS_DIR
EOF
}

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Daemons we start must get "9>&-" or they would hold this lock forever.
take_lock() {
  exec 9>"$LOCK_FILE"
  flock 9
}

# --- packages

apt_install() {
  [[ $EUID -eq 0 ]] || die "need root to install: $*"
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
}

find_bindir() {
  local dir candidate
  BINDIR=
  if have pg_config; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    [[ -n $dir && -x $dir/initdb ]] && BINDIR=$dir
  fi
  if [[ -z $BINDIR ]]; then
    candidate=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    [[ -x $candidate/initdb ]] && BINDIR=$candidate
  fi
  if [[ -n $BINDIR && -x $BINDIR/psql ]]; then
    PSQL=$BINDIR/psql
  else
    PSQL=$(command -v psql || true)
  fi
  [[ -n $BINDIR ]]
}

ensure_packages() {
  local -a pkgs=()
  find_bindir || pkgs+=(postgresql)
  if ! have redis-server || ! have redis-cli; then pkgs+=(redis-server); fi
  have haproxy || pkgs+=(haproxy)
  have curl || pkgs+=(curl)
  if [[ ${#pkgs[@]} -gt 0 ]]; then apt_install "${pkgs[@]}"; fi
  find_bindir || die "no PostgreSQL server binaries found after install"
  id postgres >/dev/null 2>&1 || die "user 'postgres' does not exist"
}

# The dashboard e2e test launches this binary through playwright-core (no browser download).
ensure_chromium() {
  [[ -x /usr/bin/chromium ]] || apt_install chromium
}

# `docker-compose config` validates docker/compose.yaml offline: no Docker daemon or registry needed,
# hence without the recommended docker.io (a daemon and 280 MB).
ensure_docker_compose() {
  have docker-compose || apt_install --no-install-recommends docker-compose
}

need_bindir() {
  find_bindir || die "PostgreSQL server binaries not installed; run '${0##*/} up'"
}

# --- postgres helpers

# cd / first: the repo may not be readable by postgres.
as_postgres() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  elif [[ $(id -un) == postgres ]]; then
    (cd / && "$@")
  else
    die "must run as root or postgres"
  fi
}

write_as_postgres() { as_postgres tee "$1" >/dev/null; }

pg_query() {
  [[ -n $PSQL ]] || return 1
  PGCONNECT_TIMEOUT=3 "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atq -c "$2" 2>/dev/null
}

# Prints f (primary), t (standby) or nothing (not answering).
pg_role() { pg_query "$1" 'select pg_is_in_recovery()' || true; }

wait_role() {
  local port=$1 want=$2 tries=$(($3 * 5))
  while ((tries-- > 0)); do
    [[ $(pg_role "$port") == "$want" ]] && return 0
    sleep 0.2
  done
  return 1
}

# The postmaster's cwd is its data directory, which tells a live server from a
# stale postmaster.pid whose pid was reused by something else.
node_running() {
  local dir=$1 pid
  [[ -f $dir/postmaster.pid ]] || return 1
  pid=$(head -n 1 "$dir/postmaster.pid")
  [[ $pid =~ ^[0-9]+$ && /proc/$pid/cwd -ef $dir ]]
}

procs_in_dir() {
  local dir=$1 p
  for p in /proc/[0-9]*; do
    [[ $p/cwd -ef $dir ]] && printf '%s ' "${p#/proc/}"
  done
  return 0
}

# After a kill -9 the postmaster's children linger briefly, still attached to
# the old shared memory, so wait for them. The dead postmaster may stay a zombie
# for a while, which makes postgres think its socket lock file is still in use.
clear_stale_server() {
  local dir=$1 port=$2 pid pids tries=75
  local sock_lock=$SOCKET_DIR/.s.PGSQL.$port.lock
  [[ -f $dir/postmaster.pid ]] || return 0
  pid=$(head -n 1 "$dir/postmaster.pid")
  while pids=$(procs_in_dir "$dir"); [[ -n $pids ]]; do
    ((tries-- > 0)) || die "old server processes still use $dir: $pids"
    sleep 0.2
  done
  log "removing stale lock files of $dir (pid $pid)"
  if [[ -f $sock_lock && $(head -n 1 "$sock_lock") == "$pid" ]]; then
    rm -f "$sock_lock" "$SOCKET_DIR/.s.PGSQL.$port"
  fi
  rm -f "$dir/postmaster.pid"
}

write_node_conf() {
  local dir=$1 port=$2
  write_as_postgres "$dir/oms-dev.conf" <<EOF
# Written by scripts/services.sh on every start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$SOCKET_DIR'
max_connections = 300
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
hot_standby_feedback = on
wal_retrieve_retry_interval = 1s
EOF
  write_as_postgres "$dir/pg_hba.conf" <<EOF
# Written by scripts/services.sh on every start; edits are overwritten.
local   all          all                 trust
local   replication  all                 trust
host    all          all   127.0.0.1/32  trust
host    replication  all   127.0.0.1/32  trust
EOF
  if ! grep -qxF "include 'oms-dev.conf'" "$dir/postgresql.conf"; then
    echo "include 'oms-dev.conf'" | as_postgres tee -a "$dir/postgresql.conf" >/dev/null
  fi
}

# start_node NAME DIR PORT ROLE: returns non-zero if it does not come up as ROLE.
start_node() {
  local name=$1 dir=$2 port=$3 want=$4
  if node_running "$dir"; then
    log "$name is running but not answering yet; waiting"
    wait_role "$port" "$want" 60
    return
  fi
  clear_stale_server "$dir" "$port"
  write_node_conf "$dir" "$port"
  log "starting $name on 127.0.0.1:$port (log: $LOG_DIR/$name.log)"
  if ! as_postgres "$BINDIR/pg_ctl" -D "$dir" -l "$LOG_DIR/$name.log" -w -t 300 start >&2 9>&-; then
    tail -n 15 "$LOG_DIR/$name.log" >&2 || true
    return 1
  fi
  wait_role "$port" "$want" 10
}

stop_node() {
  local name=$1 dir=$2
  if node_running "$dir"; then
    log "stopping $name"
    as_postgres "$BINDIR/pg_ctl" -D "$dir" -m fast -w -t 120 stop >&2
  else
    log "$name is not running"
  fi
}

prepare_dirs() {
  mkdir -p "$PG_DIR"
  chown postgres:postgres "$PG_DIR"
  chmod 0750 "$PG_DIR"
  install -d -o postgres -g postgres -m 0700 "$SOCKET_DIR" "$LOG_DIR"
  as_postgres test -w "$PG_DIR" || die "user postgres cannot write $PG_DIR (check parent permissions)"
}

# --- primary

init_primary() {
  local tmp=$PG_DIR/primary.new
  [[ -e $PRIMARY_DIR ]] && die "$PRIMARY_DIR exists but is not a PostgreSQL data directory; remove it"
  log "initdb $PRIMARY_DIR"
  rm -rf "$tmp"
  as_postgres "$BINDIR/initdb" -D "$tmp" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  mv "$tmp" "$PRIMARY_DIR"
}

ensure_primary() {
  case $(pg_role "$PRIMARY_PORT") in
    f) log "primary already up on 127.0.0.1:$PRIMARY_PORT"; return 0 ;;
    t) die "port $PRIMARY_PORT answers as a standby, expected the primary" ;;
  esac
  [[ -s $PRIMARY_DIR/PG_VERSION ]] || init_primary
  start_node primary "$PRIMARY_DIR" "$PRIMARY_PORT" f ||
    die "primary did not come up on 127.0.0.1:$PRIMARY_PORT (see $LOG_DIR/primary.log)"
}

ensure_databases() {
  local db
  for db in oms warehouse; do
    if [[ -z $(pg_query "$PRIMARY_PORT" "select 1 from pg_database where datname = '$db'") ]]; then
      log "creating database $db"
      pg_query "$PRIMARY_PORT" "create database $db" >/dev/null
    fi
  done
}

# --- replica

drop_stale_slot() {
  local tries=50 active
  while active=$(pg_query "$PRIMARY_PORT" "select active from pg_replication_slots where slot_name = '$SLOT'"); [[ $active == t ]]; do
    ((tries-- > 0)) || die "replication slot $SLOT is still in use"
    sleep 0.2
  done
  if [[ $active == f ]]; then
    log "dropping old replication slot $SLOT"
    pg_query "$PRIMARY_PORT" "select pg_drop_replication_slot('$SLOT')" >/dev/null
  fi
}

clone_replica() {
  local tmp=$PG_DIR/replica.new
  [[ $(pg_role "$PRIMARY_PORT") == f ]] || die "primary is not up on 127.0.0.1:$PRIMARY_PORT; run '${0##*/} up'"
  drop_stale_slot
  rm -rf "$tmp"
  log "cloning replica from primary (pg_basebackup)"
  as_postgres "$BINDIR/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$tmp" -R -X stream -C -S "$SLOT" -c fast >&2
  rm -rf "$REPLICA_DIR"
  mv "$tmp" "$REPLICA_DIR"
}

is_replica_dir() { [[ -s $REPLICA_DIR/PG_VERSION && -f $REPLICA_DIR/standby.signal ]]; }

rebuild_replica() {
  log "replica is broken: $1; re-cloning"
  if node_running "$REPLICA_DIR"; then
    as_postgres "$BINDIR/pg_ctl" -D "$REPLICA_DIR" -m immediate -w stop >&2 || true
  fi
  clone_replica
  start_node replica "$REPLICA_DIR" "$REPLICA_PORT" t ||
    die "replica did not come up on 127.0.0.1:$REPLICA_PORT (see $LOG_DIR/replica.log)"
}

ensure_replica() {
  case $(pg_role "$REPLICA_PORT") in
    t) log "replica already up on 127.0.0.1:$REPLICA_PORT"; return 0 ;;
    f)
      node_running "$REPLICA_DIR" || die "port $REPLICA_PORT answers as a primary, expected the replica"
      rebuild_replica "it was promoted"
      return
      ;;
  esac
  if ! is_replica_dir; then
    clone_replica
  fi
  start_node replica "$REPLICA_DIR" "$REPLICA_PORT" t || rebuild_replica "it did not start"
}

wait_streaming() {
  local tries=75
  while ((tries-- > 0)); do
    [[ $(pg_query "$REPLICA_PORT" 'select status from pg_stat_wal_receiver') == streaming ]] && return 0
    sleep 0.2
  done
  log "warning: replica is up but not streaming yet (see $LOG_DIR/replica.log)"
}

replay_control() {
  [[ $(pg_role "$REPLICA_PORT") == t ]] || die "replica is not up on 127.0.0.1:$REPLICA_PORT"
  pg_query "$REPLICA_PORT" "select $1()" >/dev/null
  log "$1 done"
}

# --- redis

redis_up() {
  [[ $(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

ensure_redis() {
  local tries=50
  if redis_up; then
    log "redis already up on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  install -d -m 0755 "$REDIS_DIR"
  log "starting redis on 127.0.0.1:$REDIS_PORT (log: $REDIS_DIR/redis.log)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
    --appendonly no --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" \
    --pidfile "$REDIS_DIR/redis-$REDIS_PORT.pid" 9>&-
  until redis_up; do
    if ((tries-- <= 0)); then
      tail -n 15 "$REDIS_DIR/redis.log" >&2 || true
      die "redis did not come up on 127.0.0.1:$REDIS_PORT"
    fi
    sleep 0.2
  done
}

# --- commands

cmd_env() {
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
  ensure_redis
  cmd_env
}

cmd_down() {
  take_lock
  need_bindir
  stop_node replica "$REPLICA_DIR"
  stop_node primary "$PRIMARY_DIR"
}

status_primary() {
  case $(pg_role "$PRIMARY_PORT") in
    f) echo "primary  127.0.0.1:$PRIMARY_PORT  up    role=primary" ;;
    t) echo "primary  127.0.0.1:$PRIMARY_PORT  up    role=standby (unexpected)" ;;
    *) echo "primary  127.0.0.1:$PRIMARY_PORT  down" ;;
  esac
}

# Lag is 0 when everything received has been replayed; otherwise the age of
# the last replayed transaction.
status_replica() {
  local sql info lag paused receiver
  case $(pg_role "$REPLICA_PORT") in
    t) ;;
    f) echo "replica  127.0.0.1:$REPLICA_PORT  up    role=primary (unexpected)"; return ;;
    *) echo "replica  127.0.0.1:$REPLICA_PORT  down"; return ;;
  esac
  sql="select case when pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() then 0
         else round(coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)::numeric, 3) end,
       pg_is_wal_replay_paused(),
       coalesce((select status from pg_stat_wal_receiver), 'none')"
  info=$(pg_query "$REPLICA_PORT" "$sql" | tr '|' ' ') || true
  read -r lag paused receiver <<<"$info"
  [[ $paused == t ]] && paused=paused || paused=running
  echo "replica  127.0.0.1:$REPLICA_PORT  up    role=standby lag=${lag:-?}s replay=$paused wal_receiver=${receiver:-?}"
}

status_redis() {
  if have redis-cli && redis_up; then
    echo "redis    127.0.0.1:$REDIS_PORT  up"
  else
    echo "redis    127.0.0.1:$REDIS_PORT  down"
  fi
}

status_haproxy() {
  local bin
  bin=$(command -v haproxy || true)
  echo "haproxy  ${bin:-not installed}"
}

cmd_status() {
  find_bindir || true
  status_primary
  status_replica
  status_redis
  status_haproxy
}

main() {
  local cmd=${1:-}
  case $cmd in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    primary-stop) take_lock; need_bindir; stop_node primary "$PRIMARY_DIR" ;;
    primary-start) take_lock; need_bindir; prepare_dirs; ensure_primary ;;
    replica-stop) take_lock; need_bindir; stop_node replica "$REPLICA_DIR" ;;
    replica-start) take_lock; need_bindir; prepare_dirs; ensure_replica ;;
    replica-pause) need_bindir; replay_control pg_wal_replay_pause ;;
    replica-resume) need_bindir; replay_control pg_wal_replay_resume ;;
    chromium) take_lock; ensure_chromium ;;
    docker-compose) take_lock; ensure_docker_compose ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"; exit
