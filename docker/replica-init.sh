#!/usr/bin/env bash
# Entry point of the replica container: clone the primary once (pg_basebackup -R with a
# replication slot), then run as a hot standby.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h primary -U postgres; do sleep 1; done
  pg_basebackup -h primary -U postgres -D "$PGDATA" -R -X stream -C -S oms_replica -c fast
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
