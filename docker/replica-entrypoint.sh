#!/usr/bin/env bash
# Entry point of the replica container (user postgres in the postgres image), the container form of
# scripts/services.sh's replica: the first time (no data directory yet) it waits for the primary,
# drops a replication slot that a replica with a lost volume left behind, clones the primary with
# pg_basebackup -R (streaming WAL, replication slot oms_replica), then runs as a hot standby.
# The settings are the primary's (a standby refuses to start with fewer connections or senders).
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-primary}
SLOT=${REPLICATION_SLOT:-oms_replica}
WAIT_SECONDS=${PRIMARY_WAIT_SECONDS:-120}

log() { printf '[replica] %s\n' "$*" >&2; }
on_primary() { psql -X -h "$PRIMARY_HOST" -U postgres -d postgres -Atq -c "$1"; }

clone_primary() {
  local waited=0 active
  until pg_isready -q -h "$PRIMARY_HOST" -U postgres; do
    ((waited++ < WAIT_SECONDS)) || { log "primary $PRIMARY_HOST not ready after $WAIT_SECONDS s"; exit 1; }
    sleep 1
  done
  active=$(on_primary "select active from pg_replication_slots where slot_name = '$SLOT'")
  if [[ $active == t ]]; then
    log "replication slot $SLOT is in use by another replica"
    exit 1
  elif [[ $active == f ]]; then
    log "dropping the stale replication slot $SLOT"
    on_primary "select pg_drop_replication_slot('$SLOT')" >/dev/null
  fi
  log "cloning $PRIMARY_HOST (pg_basebackup)"
  rm -rf "$PGDATA.new"
  pg_basebackup -h "$PRIMARY_HOST" -U postgres -D "$PGDATA.new" -R -X stream -C -S "$SLOT" -c fast
  rm -rf "$PGDATA"
  mv "$PGDATA.new" "$PGDATA"
}

[[ -s $PGDATA/PG_VERSION ]] || clone_primary
exec postgres -c max_connections=300 -c wal_level=replica -c max_wal_senders=10 -c max_replication_slots=10 \
  -c hot_standby=on -c hot_standby_feedback=on -c wal_retrieve_retry_interval=1s
