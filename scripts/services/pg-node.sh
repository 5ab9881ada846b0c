# shellcheck shell=bash disable=SC2034,SC2154 # its variables are shared with scripts/services.sh
# One PostgreSQL node of the pair (a data directory and its port), run as a postgresql-common
# cluster: pg_createcluster makes it, pg_ctlcluster stops and promotes it (pg_ctl starts it, see
# node_start), pg_lsclusters tells whether it runs. The cluster is named after its data directory
# (primary or replica) and registered under the pair's own directory (PG_CLUSTER_CONF_ROOT)
# instead of /etc/postgresql, so that every pair has its own names, systemd and apt leave it
# alone, and removing OMS_PG_DIR removes all of it.

export PG_CLUSTER_CONF_ROOT=$PG_DIR/etc

pg_query() {
  [[ -n $PSQL ]] || return 1
  PGCONNECT_TIMEOUT=3 "$PSQL" -X -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atq -c "$2" 2>/dev/null
}

# Prints f (primary), t (standby) or nothing (not answering).
pg_role() { pg_query "$1" 'select pg_is_in_recovery()' || true; }

has_role() { [[ $(pg_role "$1") == "$2" ]]; }

wait_role() { poll "$3" has_role "$1" "$2"; }

node_name() { echo "${1##*/}"; }

node_log() { echo "$LOG_DIR/$(node_name "$1").log"; }

# The major version of DIR's data, or of the installed server for a node not made yet.
node_version() {
  local bin=${BINDIR%/bin}
  if [[ -s $1/PG_VERSION ]]; then cat "$1/PG_VERSION"; else echo "${bin##*/}"; fi
}

# Where DIR's postgresql.conf is: its cluster's configuration directory, or the data directory
# itself for a node made before the pair was run with postgresql-common (registered on its next
# start or stop).
node_conf_dir() {
  local conf
  conf=$PG_CLUSTER_CONF_ROOT/$(node_version "$1")/$(node_name "$1")
  if [[ ! -f $conf/postgresql.conf && -f $1/postgresql.conf ]]; then conf=$1; fi
  echo "$conf"
}

node_ctl() {
  local dir=$1
  shift
  as_postgres pg_ctlcluster "$(node_version "$dir")" "$(node_name "$dir")" "$@"
}

# pg_createcluster for the node of DIR and PORT; initdb's options come after "--". Loopback needs
# no TLS: ssl=off keeps Debian's snakeoil certificate, when there is one, out of a new cluster.
create_cluster() {
  local dir=$1 port=$2
  shift 2
  as_postgres env LC_ALL=C.UTF-8 pg_createcluster --quiet --start-conf=manual -o ssl=off \
    -d "$dir" -p "$port" -s "$SOCKET_DIR" -l "$(node_log "$dir")" \
    "$(node_version "$dir")" "$(node_name "$dir")" "$@" >&2
}

init_node() {
  local dir=$1 port=$2
  log "pg_createcluster $(node_version "$dir") $(node_name "$dir") ($dir)"
  create_cluster "$dir" "$port" -- -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
}

# Registers an existing data directory as a cluster: one cloned from a registered primary
# (pg_basebackup copies no configuration file), or one made before the pair was run with
# postgresql-common. pg_createcluster adopts a data directory by moving its configuration files
# into the cluster's; empty ones stand in for those a clone lacks (write_node_conf writes every
# setting the pair needs).
register_node() {
  local dir=$1 port=$2 conf file
  [[ -s $dir/PG_VERSION ]] || return 0
  conf=$(node_conf_dir "$dir")
  [[ $conf != "$dir" && -f $conf/postgresql.conf ]] && return 0
  log "registering $dir as cluster $(node_version "$dir") $(node_name "$dir")"
  for file in postgresql.conf pg_hba.conf pg_ident.conf; do
    [[ -e $dir/$file ]] || as_postgres touch "$dir/$file"
  done
  create_cluster "$dir" "$port"
  conf=$(node_conf_dir "$dir")
  # The settings files that postgresql.conf includes go along with it.
  for file in "$dir"/oms-*.conf; do
    if [[ -f $file ]]; then as_postgres mv "$file" "$conf/"; fi
  done
  # A server that runs already reads the moved files no more: restart it on them.
  if node_online "$dir"; then
    node_ctl "$dir" stop -m fast -- -t 120 >&2
    node_start "$dir"
  fi
}

# Whether the node's postmaster accepts connections on its socket (pg_lsclusters: online).
node_online() {
  local status
  status=$(pg_lsclusters -h "$(node_version "$1")" "$(node_name "$1")" 2>/dev/null | awk '{ print $4 }')
  [[ $status == online* ]]
}

# ensure_conf_line DIR LINE: appends LINE to the node's postgresql.conf unless it is there already.
ensure_conf_line() {
  local conf
  conf=$(node_conf_dir "$1")/postgresql.conf
  if ! grep -qxF "$2" "$conf"; then
    echo "$2" | as_postgres tee -a "$conf" >/dev/null
  fi
}

write_node_conf() {
  local dir=$1 port=$2 conf
  conf=$(node_conf_dir "$dir")
  write_as_postgres "$conf/oms-dev.conf" <<EOF
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
  write_as_postgres "$conf/pg_hba.conf" <<EOF
# Written by scripts/services.sh on every start; edits are overwritten.
local   all          all                 trust
local   replication  all                 trust
host    all          all   127.0.0.1/32  trust
host    replication  all   127.0.0.1/32  trust
EOF
  ensure_conf_line "$dir" "include 'oms-dev.conf'"
}

live_postgres() {
  local stat comm
  read -r stat comm < <(ps -o stat=,comm= -p "$1" 2>/dev/null) || return 1
  [[ $comm == postgres && $stat != Z* ]]
}

# A killed postmaster that nobody has reaped yet still owns its pid, so the lock files that name it
# (the data directory's postmaster.pid and the socket's) keep a new server from starting.
clear_stale_locks() {
  local dir=$1 port=$2 lock pid
  for lock in "$dir/postmaster.pid" "$SOCKET_DIR/.s.PGSQL.$port.lock"; do
    [[ -f $lock ]] || continue
    pid=$(head -n 1 "$lock")
    live_postgres "$pid" && continue
    log "removing the stale lock file $lock (pid $pid)"
    rm -f "$lock"
  done
}

# pg_ctl on the cluster's configuration directory starts the server pg_ctlcluster would, without
# pg_ctlcluster's readiness probe (psql every 0.5 s until three in a row agree: 3 s a start here
# against 1 s, and the drills start nodes many times). It waits up to 300 s: crash recovery after
# a SIGKILL can take long.
node_start() {
  if ! as_postgres "$BINDIR/pg_ctl" -D "$(node_conf_dir "$1")" -l "$(node_log "$1")" -w -t 300 start >&2 9>&-; then
    tail -n 15 "$(node_log "$1")" >&2 || true
    return 1
  fi
}

# start_node NAME DIR PORT ROLE: returns non-zero if it does not come up as ROLE.
start_node() {
  local name=$1 dir=$2 port=$3 want=$4
  register_node "$dir" "$port"
  if node_online "$dir"; then
    log "$name is running but not answering yet; waiting"
    wait_role "$port" "$want" 60
    return
  fi
  clear_stale_locks "$dir" "$port"
  write_node_conf "$dir" "$port"
  log "starting $name on 127.0.0.1:$port (log: $(node_log "$dir"))"
  node_start "$dir" || return 1
  wait_role "$port" "$want" 10
}

stop_node() {
  local name=$1 dir=$2 port=$3
  register_node "$dir" "$port"
  if node_online "$dir"; then
    log "stopping $name"
    node_ctl "$dir" stop -m fast -- -t 120 >&2
  else
    log "$name is not running"
  fi
}

# Every process of the node at once, as when its machine is lost; none may finish a commit after.
# The stopped postmaster cannot fork a child between the listing of its children and the kill.
kill_node() {
  local name=$1 dir=$2 port=$3 postmaster
  local -a pids
  register_node "$dir" "$port"
  if ! node_online "$dir"; then
    log "$name is not running"
    return 0
  fi
  postmaster=$(head -n 1 "$dir/postmaster.pid")
  kill -STOP "$postmaster"
  mapfile -t pids < <(echo "$postmaster"; pgrep -P "$postmaster")
  log "killing $name (SIGKILL: ${pids[*]})"
  kill -KILL "${pids[@]}" 2>/dev/null || true
  poll 15 no_live_process "${pids[@]}" || die "processes of $name survive SIGKILL: ${pids[*]}"
}

# True when none of the pids is a live process (a zombie is dead).
no_live_process() {
  local IFS=,
  ! ps -o stat= -p "$*" 2>/dev/null | grep -qv '^Z'
}

promote_node() { node_ctl "$1" promote -- -w -t 60 >&2; }
