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
# The database endpoint (a TCP proxy standing in for a DNS name): the writer port always leads to
# the current primary, the reader port to the current replica. Off unless a port is given; the ports
# are remembered in ENDPOINT_DIR so that `failover` moves an endpoint started earlier.
ENDPOINT_DIR=$PG_DIR/endpoint
WRITER_PORT=${OMS_PG_WRITER_PORT:-}
READER_PORT=${OMS_PG_READER_PORT:-}

BINDIR=
PSQL=
APT_UPDATED=0

usage() {
  cat <<EOF
usage: ${0##*/} up | down | status | env | primary-stop | primary-start | primary-kill | replica-stop | replica-start | replica-pause | replica-resume | failover | chromium | docker-compose

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

env: OMS_PG_DIR ($PG_DIR), OMS_PG_PRIMARY_PORT, OMS_PG_REPLICA_PORT, REDIS_PORT, OMS_REDIS_DIR,
     OMS_PG_SYNC_REPLICATION (0|1, up and replica-start: synchronous replication; default 0),
     OMS_PG_WRITER_PORT, OMS_PG_READER_PORT (a TCP endpoint on 127.0.0.1 that follows the primary
     and the replica across a failover; env then prints URLs through it)
EOF
}

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Daemons we start must get "9>&-" or they would hold this lock forever.
take_lock() {
  exec 9>"$LOCK_FILE"
  flock 9
  load_roles
}

# After the lock: a failover that held it may have moved the primary role.
load_roles() {
  local node=primary
  if [[ -f $ROLE_FILE ]]; then node=$(<"$ROLE_FILE"); fi
  case $node in
    primary) PRIMARY_DIR=$NODE_A_DIR PRIMARY_PORT=$NODE_A_PORT REPLICA_DIR=$NODE_B_DIR REPLICA_PORT=$NODE_B_PORT ;;
    replica) PRIMARY_DIR=$NODE_B_DIR PRIMARY_PORT=$NODE_B_PORT REPLICA_DIR=$NODE_A_DIR REPLICA_PORT=$NODE_A_PORT ;;
    *) die "$ROLE_FILE names '$node'; expected primary or replica" ;;
  esac
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
  ensure_conf_line "$dir" "include 'oms-dev.conf'"
}

# ensure_conf_line DIR LINE: appends LINE to DIR's postgresql.conf unless it is there already.
ensure_conf_line() {
  local dir=$1 line=$2
  if ! grep -qxF "$line" "$dir/postgresql.conf"; then
    echo "$line" | as_postgres tee -a "$dir/postgresql.conf" >/dev/null
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
  node_running "$REPLICA_DIR" && die "$REPLICA_DIR is in use by a running server; not replacing it"
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

# --- synchronous replication

validate_options() {
  case $SYNC_REPLICATION in
    '' | 0 | 1) ;;
    *) die "OMS_PG_SYNC_REPLICATION must be 0 or 1 (got '$SYNC_REPLICATION')" ;;
  esac
  local port
  for port in "$WRITER_PORT" "$READER_PORT"; do
    [[ -z $port || $port =~ ^[1-9][0-9]{0,4}$ ]] || die "OMS_PG_WRITER_PORT and OMS_PG_READER_PORT must be port numbers (got '$port')"
  done
}

# write_replication_mode DIR PORT sync|async. Sync: a commit returns once ANY 1 standby has flushed
# it, and waits as long as no standby is streaming. Both settings take a reload; a standby ignores
# them until it is promoted.
write_replication_mode() {
  local dir=$1 port=$2 mode=$3 names='' tries=25
  [[ $mode == sync ]] && names='ANY 1 (*)'
  ensure_conf_line "$dir" "include_if_exists '$SYNC_CONF'"
  write_as_postgres "$dir/$SYNC_CONF" <<EOF
# Written by scripts/services.sh (OMS_PG_SYNC_REPLICATION, failover); edits are overwritten.
synchronous_standby_names = '$names'
synchronous_commit = on
EOF
  pg_query "$port" 'select pg_reload_conf()' >/dev/null || die "cannot reload 127.0.0.1:$port"
  until [[ $(pg_query "$port" 'show synchronous_standby_names') == "$names" ]]; do
    ((tries-- > 0)) || die "127.0.0.1:$port did not take synchronous_standby_names = '$names'"
    sleep 0.2
  done
  log "commits on 127.0.0.1:$port: ${mode}hronous replication"
}

# A pair that never asked for a mode keeps its files as they are (asynchronous, PostgreSQL's default).
apply_replication_mode() {
  local mode=async
  [[ $SYNC_REPLICATION == 1 ]] && mode=sync
  [[ $mode == async && ! -f $PRIMARY_DIR/$SYNC_CONF ]] && return 0
  if [[ $mode == sync && $(pg_query "$PRIMARY_PORT" "select count(*) from pg_stat_replication where state = 'streaming'") == 0 ]]; then
    log "warning: no standby is streaming: commits wait until one is"
  fi
  write_replication_mode "$PRIMARY_DIR" "$PRIMARY_PORT" "$mode"
}

# --- database endpoint: HAProxy in TCP mode, the local stand-in for a DNS name (Route 53)

ENDPOINT_CFG=$ENDPOINT_DIR/haproxy.cfg
ENDPOINT_PID=$ENDPOINT_DIR/haproxy.pid
ENDPOINT_PORTS=$ENDPOINT_DIR/ports

load_endpoint_ports() {
  local writer='' reader=''
  if [[ -z $WRITER_PORT && -z $READER_PORT && -f $ENDPOINT_PORTS ]]; then
    read -r writer reader <"$ENDPOINT_PORTS" || true
    WRITER_PORT=${writer#-} READER_PORT=${reader#-}
  fi
}

endpoint_configured() { [[ -n $WRITER_PORT || -n $READER_PORT ]]; }

# Every HAProxy of this endpoint, including an old one still ending its sessions after a reload.
endpoint_pids() {
  local p args
  for p in /proc/[0-9]*; do
    mapfile -d '' args 2>/dev/null <"$p/cmdline" || continue
    [[ ${args[0]:-} == *haproxy && " ${args[*]} " == *" $ENDPOINT_CFG "* ]] && printf '%s ' "${p#/proc/}"
  done
  return 0
}

endpoint_config() {
  cat <<EOF
# Written by scripts/services.sh (up, failover) from the current roles; edits are overwritten.
global
  maxconn 4000
  hard-stop-after 30s
defaults
  mode tcp
  # A refused connection fails at once (no retry a second later): clients retry against the new primary.
  retries 0
  timeout connect 2s
  timeout client 24h
  timeout server 24h
  option clitcpka
  option srvtcpka
EOF
  if [[ -n $WRITER_PORT ]]; then printf 'listen writer\n  bind 127.0.0.1:%s\n  server primary 127.0.0.1:%s\n' "$WRITER_PORT" "$PRIMARY_PORT"; fi
  if [[ -n $READER_PORT ]]; then printf 'listen reader\n  bind 127.0.0.1:%s\n  server replica 127.0.0.1:%s\n' "$READER_PORT" "$REPLICA_PORT"; fi
}

# Starts the endpoint, or reloads it when the roles moved: the new process takes the ports and
# the old one ends its sessions (those to a dead primary already are) within hard-stop-after.
ensure_endpoint() {
  local pid='' running
  endpoint_configured || return 0
  have haproxy || die "haproxy is not installed; run '${0##*/} up'"
  install -d -m 0755 "$ENDPOINT_DIR"
  echo "${WRITER_PORT:--} ${READER_PORT:--}" >"$ENDPOINT_PORTS"
  endpoint_config >"$ENDPOINT_CFG.new"
  haproxy -c -q -f "$ENDPOINT_CFG.new" >&2 || die "invalid endpoint configuration $ENDPOINT_CFG.new"
  [[ -f $ENDPOINT_PID ]] && pid=$(head -n 1 "$ENDPOINT_PID")
  running=$(endpoint_pids)
  if [[ -n $pid && " $running" == *" $pid "* ]]; then
    if cmp -s "$ENDPOINT_CFG.new" "$ENDPOINT_CFG"; then
      rm -f "$ENDPOINT_CFG.new"
      log "endpoint already up (writer ${WRITER_PORT:-none} -> $PRIMARY_PORT, reader ${READER_PORT:-none} -> $REPLICA_PORT)"
      return 0
    fi
    mv -f "$ENDPOINT_CFG.new" "$ENDPOINT_CFG"
    haproxy -D -f "$ENDPOINT_CFG" -p "$ENDPOINT_PID" -sf "$pid" 9>&- || die "endpoint reload failed"
  else
    mv -f "$ENDPOINT_CFG.new" "$ENDPOINT_CFG"
    haproxy -D -f "$ENDPOINT_CFG" -p "$ENDPOINT_PID" 9>&- || die "endpoint did not start (ports in use?)"
  fi
  log "endpoint: writer 127.0.0.1:${WRITER_PORT:-none} -> :$PRIMARY_PORT, reader 127.0.0.1:${READER_PORT:-none} -> :$REPLICA_PORT"
}

stop_endpoint() {
  local pids tries=25
  pids=$(endpoint_pids)
  [[ -n $pids ]] || return 0
  log "stopping the endpoint"
  # shellcheck disable=SC2086 # one pid per word
  kill -TERM $pids 2>/dev/null || true
  while pids=$(endpoint_pids); [[ -n $pids ]]; do
    if ((tries-- <= 0)); then
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
    fi
    sleep 0.2
  done
  rm -f "$ENDPOINT_PID"
}

endpoint_status() {
  endpoint_configured || return 0
  local state=down
  [[ -n $(endpoint_pids) ]] && state=up
  echo "endpoint 127.0.0.1:${WRITER_PORT:-none} (writer -> :$PRIMARY_PORT) 127.0.0.1:${READER_PORT:-none} (reader -> :$REPLICA_PORT)  $state"
}

# --- disaster recovery

# Every process of the node at once, as when its machine is lost; none may finish a commit after.
kill_node() {
  local name=$1 dir=$2 pids tries=75
  pids=$(procs_in_dir "$dir")
  if [[ -z $pids ]]; then
    log "$name is not running"
    return 0
  fi
  log "killing $name (SIGKILL: $pids)"
  while [[ -n $pids ]]; do
    ((tries-- > 0)) || die "processes of $name survive SIGKILL: $pids"
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
    pids=$(procs_in_dir "$dir")
  done
}

# The old primary must be gone before the replica is promoted: two writable primaries would split
# the orders between them. A live one is stopped (fast: its WAL reaches the replica first), harder
# if that fails; if it still runs, nothing is promoted.
fence_node() {
  local dir=$1
  if node_running "$dir"; then
    log "fencing: stopping the old primary in $dir before promoting"
    as_postgres "$BINDIR/pg_ctl" -D "$dir" -m fast -w -t 15 stop >&2 ||
      as_postgres "$BINDIR/pg_ctl" -D "$dir" -m immediate -w -t 15 stop >&2 || true
  fi
  if [[ -n $(procs_in_dir "$dir") ]]; then kill_node "the old primary's leftover processes" "$dir"; fi
  if node_running "$dir" || [[ -n $(procs_in_dir "$dir") ]]; then
    die "the old primary in $dir is still running; not promoting (there would be two primaries)"
  fi
}

record_primary() {
  local node=${1##*/}
  echo "$node" >"$ROLE_FILE.new"
  mv -f "$ROLE_FILE.new" "$ROLE_FILE"
}

# Idempotent: run again after a failover that stopped midway, it finishes it; run after a
# completed one (replica not rebuilt yet), it changes nothing.
cmd_failover() {
  take_lock
  need_bindir
  local old_dir=$PRIMARY_DIR old_port=$PRIMARY_PORT new_dir=$REPLICA_DIR new_port=$REPLICA_PORT
  case $(pg_role "$new_port") in
    t) ;;
    f)
      node_running "$new_dir" || die "127.0.0.1:$new_port answers as a primary but is not the replica of $PG_DIR"
      log "127.0.0.1:$new_port is already promoted (a failover stopped midway); finishing it"
      ;;
    *)
      if [[ $(pg_role "$old_port") == f ]]; then
        log "nothing to promote: the replica 127.0.0.1:$new_port is down and the primary 127.0.0.1:$old_port is up"
        log "(already failed over? '${0##*/} replica-start' rebuilds the replica)"
        ensure_endpoint
        cmd_env
        return 0
      fi
      die "no standby on 127.0.0.1:$new_port to promote, and no primary on 127.0.0.1:$old_port"
      ;;
  esac
  fence_node "$old_dir"
  # Alone, a synchronous primary would accept no commit: it runs asynchronous until its replica is rebuilt.
  if [[ -f $new_dir/$SYNC_CONF ]]; then write_replication_mode "$new_dir" "$new_port" async; fi
  if [[ $(pg_role "$new_port") == t ]]; then
    log "promoting 127.0.0.1:$new_port"
    as_postgres "$BINDIR/pg_ctl" -D "$new_dir" -w -t 60 promote >&2
  fi
  wait_role "$new_port" f 60 || die "127.0.0.1:$new_port did not become a primary (see $LOG_DIR/replica.log)"
  record_primary "$new_dir"
  load_roles
  ensure_endpoint
  log "failover done: the primary is 127.0.0.1:$PRIMARY_PORT; rebuild the replica with '${0##*/} replica-start'"
  endpoint_configured || log "no endpoint: restart the apps (one at a time) with the URLs below"
  cmd_env
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
  ensure_endpoint
  ensure_redis
  cmd_env
}

cmd_down() {
  take_lock
  need_bindir
  stop_node replica "$REPLICA_DIR"
  stop_node primary "$PRIMARY_DIR"
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
    primary-stop) take_lock; need_bindir; stop_node primary "$PRIMARY_DIR" ;;
    primary-start) take_lock; need_bindir; prepare_dirs; ensure_primary ;;
    replica-stop) take_lock; need_bindir; stop_node replica "$REPLICA_DIR" ;;
    primary-kill) take_lock; need_bindir; kill_node primary "$PRIMARY_DIR" ;;
    replica-start) cmd_replica_start ;;
    replica-pause) need_bindir; replay_control pg_wal_replay_pause ;;
    replica-resume) need_bindir; replay_control pg_wal_replay_resume ;;
    failover) cmd_failover ;;
    chromium) take_lock; ensure_chromium ;;
    docker-compose) take_lock; ensure_docker_compose ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"; exit
