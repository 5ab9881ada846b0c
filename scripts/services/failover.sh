# shellcheck shell=bash disable=SC2034,SC2154 # its variables are shared with scripts/services.sh
# Disaster recovery (docs/failover.md): fence the primary, promote the replica, record the new
# roles and move the database endpoint. Each data directory keeps its port; ROLE_FILE records which
# one holds the primary role (absent: the directory named primary).

# The old primary must be gone before the replica is promoted: two writable primaries would split
# the orders between them. A live one is stopped (fast: its WAL reaches the replica first, then
# immediate if that fails), killed if it still runs; if even that fails, nothing is promoted.
fence_node() {
  local dir=$1 port=$2
  register_node "$dir" "$port"
  if node_online "$dir"; then
    log "fencing: stopping the old primary in $dir before promoting"
    node_ctl "$dir" stop --force -- -t 15 >&2 || true
  fi
  if node_online "$dir"; then kill_node "the old primary" "$dir" "$port"; fi
  if node_online "$dir"; then
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
      register_node "$new_dir" "$new_port"
      node_online "$new_dir" || die "127.0.0.1:$new_port answers as a primary but is not the replica of $PG_DIR"
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
  fence_node "$old_dir" "$old_port"
  # Alone, a synchronous primary would accept no commit: it runs asynchronous until its replica is rebuilt.
  if has_sync_conf "$new_dir"; then write_replication_mode "$new_dir" "$new_port" async; fi
  if [[ $(pg_role "$new_port") == t ]]; then
    log "promoting 127.0.0.1:$new_port"
    register_node "$new_dir" "$new_port"
    promote_node "$new_dir"
  fi
  wait_role "$new_port" f 60 || die "127.0.0.1:$new_port did not become a primary (see $(node_log "$new_dir"))"
  record_primary "$new_dir"
  load_roles
  ensure_endpoint
  log "failover done: the primary is 127.0.0.1:$PRIMARY_PORT; rebuild the replica with '${0##*/} replica-start'"
  endpoint_configured || log "no endpoint: restart the apps (one at a time) with the URLs below"
  cmd_env
}
