#!/usr/bin/env bash
# Runs once when the primary container initialises: let the replica container stream WAL.
set -euo pipefail
echo "host replication all all trust" >> "$PGDATA/pg_hba.conf"
