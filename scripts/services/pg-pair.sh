# shellcheck shell=bash disable=SC2034,SC2154 # its variables are shared with scripts/services.sh
# The PostgreSQL pair: a primary and its streaming replica, their databases, replication mode and
# durability. Each node is a cluster of pg-node.sh.

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

prepare_dirs() {
  mkdir -p "$PG_DIR"
  chown postgres:postgres "$PG_DIR"
  chmod 0750 "$PG_DIR"
  install -d -o postgres -g postgres -m 0700 "$SOCKET_DIR" "$LOG_DIR" "$PG_CLUSTER_CONF_ROOT"
  as_postgres test -w "$PG_DIR" || die "user postgres cannot write $PG_DIR (check parent permissions)"
}

# --- primary

ensure_primary() {
  case $(pg_role "$PRIMARY_PORT") in
    f) log "primary already up on 127.0.0.1:$PRIMARY_PORT"; return 0 ;;
    t) die "port $PRIMARY_PORT answers as a standby, expected the primary" ;;
  esac
  if [[ ! -s $PRIMARY_DIR/PG_VERSION ]]; then
    [[ -e $PRIMARY_DIR ]] && die "$PRIMARY_DIR exists but is not a PostgreSQL data directory; remove it"
    init_node "$PRIMARY_DIR" "$PRIMARY_PORT"
  fi
  start_node primary "$PRIMARY_DIR" "$PRIMARY_PORT" f ||
    die "primary did not come up on 127.0.0.1:$PRIMARY_PORT (see $(node_log "$PRIMARY_DIR"))"
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

slot_active() { pg_query "$PRIMARY_PORT" "select active from pg_replication_slots where slot_name = '$SLOT'"; }

slot_idle() { [[ $(slot_active) != t ]]; }

drop_stale_slot() {
  poll 10 slot_idle || die "replication slot $SLOT is still in use"
  if [[ $(slot_active) == f ]]; then
    log "dropping old replication slot $SLOT"
    pg_query "$PRIMARY_PORT" "select pg_drop_replication_slot('$SLOT')" >/dev/null
  fi
}

# A streaming replica cannot be made by pg_createcluster (it runs initdb, or adopts a directory):
# pg_basebackup clones the primary, and the clone is then registered as a cluster of its own.
# Re-cloning keeps that cluster's configuration.
clone_replica() {
  local tmp=$PG_DIR/replica.new
  [[ $(pg_role "$PRIMARY_PORT") == f ]] || die "primary is not up on 127.0.0.1:$PRIMARY_PORT; run '${0##*/} up'"
  register_node "$REPLICA_DIR" "$REPLICA_PORT"
  node_online "$REPLICA_DIR" && die "$REPLICA_DIR is in use by a running server; not replacing it"
  drop_stale_slot
  rm -rf "$tmp"
  log "cloning replica from primary (pg_basebackup)"
  as_postgres "$BINDIR/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$tmp" -R -X stream -C -S "$SLOT" -c fast >&2
  rm -rf "$REPLICA_DIR"
  mv "$tmp" "$REPLICA_DIR"
  register_node "$REPLICA_DIR" "$REPLICA_PORT"
}

is_replica_dir() { [[ -s $REPLICA_DIR/PG_VERSION && -f $REPLICA_DIR/standby.signal ]]; }

rebuild_replica() {
  log "replica is broken: $1; re-cloning"
  register_node "$REPLICA_DIR" "$REPLICA_PORT"
  if node_online "$REPLICA_DIR"; then node_ctl "$REPLICA_DIR" stop -m immediate >&2 || true; fi
  clone_replica
  start_node replica "$REPLICA_DIR" "$REPLICA_PORT" t ||
    die "replica did not come up on 127.0.0.1:$REPLICA_PORT (see $(node_log "$REPLICA_DIR"))"
}

ensure_replica() {
  case $(pg_role "$REPLICA_PORT") in
    t) log "replica already up on 127.0.0.1:$REPLICA_PORT"; return 0 ;;
    f)
      register_node "$REPLICA_DIR" "$REPLICA_PORT"
      node_online "$REPLICA_DIR" || die "port $REPLICA_PORT answers as a primary, expected the replica"
      rebuild_replica "it was promoted"
      return
      ;;
  esac
  if ! is_replica_dir; then
    clone_replica
  fi
  start_node replica "$REPLICA_DIR" "$REPLICA_PORT" t || rebuild_replica "it did not start"
}

replica_streaming() { [[ $(pg_query "$REPLICA_PORT" 'select status from pg_stat_wal_receiver') == streaming ]]; }

wait_streaming() {
  poll 15 replica_streaming || log "warning: replica is up but not streaming yet (see $(node_log "$REPLICA_DIR"))"
}

replay_control() {
  [[ $(pg_role "$REPLICA_PORT") == t ]] || die "replica is not up on 127.0.0.1:$REPLICA_PORT"
  pg_query "$REPLICA_PORT" "select $1()" >/dev/null
  log "$1 done"
}

# --- synchronous replication

setting_is() { [[ $(pg_query "$1" "show $2") == "$3" ]]; }

# write_replication_mode DIR PORT sync|async. Sync: a commit returns once ANY 1 standby has flushed
# it, and waits as long as no standby is streaming. Both settings take a reload; a standby ignores
# them until it is promoted.
write_replication_mode() {
  local dir=$1 port=$2 mode=$3 names=''
  [[ $mode == sync ]] && names='ANY 1 (*)'
  ensure_conf_line "$dir" "include_if_exists '$SYNC_CONF'"
  write_as_postgres "$(node_conf_dir "$dir")/$SYNC_CONF" <<EOF
# Written by scripts/services.sh (OMS_PG_SYNC_REPLICATION, failover); edits are overwritten.
synchronous_standby_names = '$names'
synchronous_commit = on
EOF
  pg_query "$port" 'select pg_reload_conf()' >/dev/null || die "cannot reload 127.0.0.1:$port"
  poll 5 setting_is "$port" synchronous_standby_names "$names" ||
    die "127.0.0.1:$port did not take synchronous_standby_names = '$names'"
  log "commits on 127.0.0.1:$port: ${mode}hronous replication"
}

has_sync_conf() { [[ -f $(node_conf_dir "$1")/$SYNC_CONF ]]; }

# A pair that never asked for a mode keeps its files as they are (asynchronous, PostgreSQL's default).
apply_replication_mode() {
  local mode=async
  [[ $SYNC_REPLICATION == 1 ]] && mode=sync
  [[ $mode == async ]] && ! has_sync_conf "$PRIMARY_DIR" && return 0
  if [[ $mode == sync && $(pg_query "$PRIMARY_PORT" "select count(*) from pg_stat_replication where state = 'streaming'") == 0 ]]; then
    log "warning: no standby is streaming: commits wait until one is"
  fi
  write_replication_mode "$PRIMARY_DIR" "$PRIMARY_PORT" "$mode"
}

# --- durability

# OMS_PG_FAST_UNSAFE=1 (npm test's pair, whose data the tests recreate): no fsync and no full-page
# images, so a crash of the machine may corrupt the data; commits stay synchronous, so the replica
# still receives each one at once. Unset or 0, the default, undoes it. ALTER SYSTEM writes it into
# postgresql.auto.conf, which a restart reads again and a clone of the primary copies; a reload
# applies it to a running node.
apply_durability() {
  local want=on port sql
  local -a statements=('alter system reset fsync' 'alter system reset full_page_writes')
  if [[ $FAST_UNSAFE == 1 ]]; then
    want=off
    statements=('alter system set fsync = off' 'alter system set full_page_writes = off')
  fi
  for port in "$PRIMARY_PORT" "$REPLICA_PORT"; do
    [[ $(pg_query "$port" "select current_setting('fsync') || ' ' || current_setting('full_page_writes')") == "$want $want" ]] && continue
    # One statement per call: ALTER SYSTEM cannot run in the transaction psql makes of several.
    for sql in "${statements[@]}" 'select pg_reload_conf()'; do
      pg_query "$port" "$sql" >/dev/null || die "127.0.0.1:$port refused: $sql"
    done
    poll 5 setting_is "$port" fsync "$want" || die "127.0.0.1:$port did not take fsync = $want"
    log "127.0.0.1:$port: fsync and full_page_writes $want"
  done
}

# --- status

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
