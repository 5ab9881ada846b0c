# shellcheck shell=bash
# Shared pieces of the bench/ shell scripts (brokering-bench.sh, e2e-brokering-bench.sh); sourced,
# never run. The caller runs from the repository root under `set -euo pipefail` and sets BENCH_NAME
# (the prefix of its log lines) before sourcing this file.

# pgbench settings, the same for every script that sets a figure beside pgbench's tps.
PGBENCH_SCALE=${PGBENCH_SCALE:-10}
PGBENCH_CLIENTS=${PGBENCH_CLIENTS:-4}
PGBENCH_THREADS=${PGBENCH_THREADS:-2}
PGBENCH_SECONDS=${PGBENCH_SECONDS:-15}

log() { printf '[%s] %s\n' "$BENCH_NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# CPU seconds (user + system) of a process, and "busy total" jiffies of the whole machine.
proc_cpu_s() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($12 + $13) / hz }'; }
machine_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
# CPU seconds of a process and its children: its own time, the time of the children it has reaped
# (PostgreSQL's postmaster reaps its backends) and that of the children alive now. The difference
# of two readings is the CPU the whole tree used in between, children that came and went included.
tree_cpu_s() {
  local pid=$1 child
  {
    sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }'
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
      sed 's/.*) //' "/proc/$child/stat" 2>/dev/null | awk '{ print $12 + $13 }'
    done
  } | awk -v hz="$(getconf CLK_TCK)" '{ s += $1 } END { printf "%.2f", s / hz }'
}
# N distinct free TCP ports on 127.0.0.1 (held together while they are picked, then released).
free_ports() {
  node -e '
    const net = require("net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", ok)))).then(() => {
      console.log(servers.map((s) => s.address().port).join(" "));
      servers.forEach((s) => s.close());
    });' "$1"
}
# Waits up to $2 seconds for an HTTP 2xx from $1; returns 1 when it never came.
wait_http_ok() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS --max-time 2 "$url" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}
# SIGTERM, up to $2 tries 0.2 s apart for it to exit, then SIGKILL; reaps it.
stop_pid() {
  local pid=$1 tries=$2
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$tries"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
# Deletes a run's BullMQ keys (schedulers, queues) under its own QUEUE_PREFIX.
redis_del_prefix() {
  redis-cli -u "$REDIS_URL" --scan --pattern "$1:*" 2>/dev/null | xargs -r -n 500 redis-cli -u "$REDIS_URL" del >/dev/null 2>&1 || true
}

# Installs what is missing, starts the local services and exports their URLs; refuses anything but
# loopback; finds the PostgreSQL client binaries. Sets PG_PORT, BINDIR, PSQL, PGBENCH and PG (the
# connection options of psql), used by q and run_pgbench.
bench_services_up() {
  local services_env
  bash scripts/ensure-deps.sh
  services_env=$(bash scripts/services.sh up)
  eval "$(sed 's/^/export /' <<<"$services_env")"

  # Loopback only: refuse anything but 127.0.0.1.
  [[ $DATABASE_URL =~ ^postgres(ql)?://[^@/]*@127\.0\.0\.1:([0-9]+)/ ]] || die "DATABASE_URL is not on 127.0.0.1: $DATABASE_URL"
  PG_PORT=${BASH_REMATCH[2]}
  [[ $REDIS_URL =~ ^redis://127\.0\.0\.1:[0-9]+ ]] || die "REDIS_URL is not on 127.0.0.1: $REDIS_URL"

  # The PostgreSQL client binaries of the newest installed version (as scripts/services.sh finds them).
  BINDIR=
  if command -v pg_config >/dev/null 2>&1; then BINDIR=$(pg_config --bindir 2>/dev/null || true); fi
  if [[ -z $BINDIR || ! -x $BINDIR/pgbench ]]; then BINDIR=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
  [[ -x $BINDIR/pgbench && -x $BINDIR/psql ]] || die "no pgbench/psql in $BINDIR (run scripts/services.sh up)"
  PSQL=$BINDIR/psql
  PGBENCH=$BINDIR/pgbench
  PG=(-X -h 127.0.0.1 -p "$PG_PORT" -U postgres)
}

# q DATABASE SQL: one query on the primary, unaligned rows with | between columns.
q() { PGOPTIONS="-c client_min_messages=warning" "$PSQL" "${PG[@]}" -d "$1" -Atq -v ON_ERROR_STOP=1 -c "$2"; }

# run_pgbench DATABASE DIR: recreates DATABASE, `pgbench -i`, then `pgbench -b simple-update`;
# logs go to DIR. Sets pgbench_tps (rounded, without the initial connection time).
run_pgbench() {
  local db=$1 dir=$2
  log "pgbench -i -s $PGBENCH_SCALE on $db"
  q postgres "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  q postgres "CREATE DATABASE $db"
  "$PGBENCH" "${PG[@]:1}" -i -q -s "$PGBENCH_SCALE" "$db" >"$dir/pgbench-init.log" 2>&1 || { cat "$dir/pgbench-init.log" >&2; die "pgbench -i failed"; }
  log "pgbench -b simple-update -c $PGBENCH_CLIENTS -j $PGBENCH_THREADS -T $PGBENCH_SECONDS"
  "$PGBENCH" "${PG[@]:1}" -n -b simple-update -c "$PGBENCH_CLIENTS" -j "$PGBENCH_THREADS" -T "$PGBENCH_SECONDS" "$db" >"$dir/pgbench.log" 2>&1 ||
    { cat "$dir/pgbench.log" >&2; die "pgbench failed"; }
  pgbench_tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p' "$dir/pgbench.log" | head -n 1)
  [[ -n $pgbench_tps ]] || { cat "$dir/pgbench.log" >&2; die "no tps in the pgbench output"; }
  pgbench_tps=$(awk -v t="$pgbench_tps" 'BEGIN { printf "%.0f", t }')
}

# The machine line of a result: cores, memory, the node on the PATH, PostgreSQL and its durability
# settings, the date.
machine_line() {
  local pg_version fsync sync_commit
  pg_version=$(q postgres "SHOW server_version" | awk '{print $1}')
  fsync=$(q postgres "SHOW fsync")
  sync_commit=$(q postgres "SHOW synchronous_commit")
  printf '%s cores, %s GiB, %s, PostgreSQL %s (fsync %s, synchronous_commit %s), %s\n' "$(nproc)" "$(free -g | awk '/Mem/{print $2}')" \
    "$(node --version)" "$pg_version" "$fsync" "$sync_commit" "$(date -u +%Y-%m-%d)"
}

# A run's scratch state: $tmp (a temporary directory), $pids (processes the script starts; append
# to it) and $queue_prefix (its BullMQ keys). On exit, or on a signal, the processes are stopped
# ($3 tries 0.2 s apart each, then SIGKILL), the keys deleted, database $2 dropped unless
# BENCH_KEEP_DB=1, and $tmp removed.
bench_scratch() {
  tmp=$(mktemp -d)
  pids=()
  queue_prefix="bench-$1-$$"
  BENCH_SCRATCH_DB=$2
  BENCH_STOP_TRIES=$3
  trap bench_scratch_cleanup EXIT
  trap 'exit 130' INT TERM HUP
}
bench_scratch_cleanup() {
  trap '' INT TERM HUP
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do stop_pid "$pid" "$BENCH_STOP_TRIES"; done
  redis_del_prefix "$queue_prefix"
  if [[ ${BENCH_KEEP_DB:-0} != 1 ]]; then q postgres "DROP DATABASE IF EXISTS $BENCH_SCRATCH_DB WITH (FORCE)" 2>/dev/null || true; fi
  rm -rf "$tmp"
}

# Drops and recreates the OMS database $1 and the warehouse database $2 on the primary, migrated
# and empty, and points DATABASE_URL and WAREHOUSE_URL at them.
bench_fresh_databases() {
  local base=${DATABASE_URL%/*}
  log "recreating $1 and $2"
  q postgres "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
  q postgres "DROP DATABASE IF EXISTS $2 WITH (FORCE)"
  export DATABASE_URL="$base/$1" WAREHOUSE_URL="$base/$2"
  npm run -s db:migrate >&2
}

# bench_start NAME [VAR=value ...] COMMAND...: runs the command in the background with its output in
# $tmp/NAME.log, adds it to $pids (stopped on exit) and keeps its pid in NAME_pid (dashes as
# underscores), e.g. $sync_api_1_pid.
bench_start() {
  local name=$1
  shift
  env "$@" >"$tmp/$name.log" 2>&1 &
  pids+=("$!")
  eval "${name//-/_}_pid=\$!"
}
