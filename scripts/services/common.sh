# shellcheck shell=bash disable=SC2034,SC2154 # its variables are shared with scripts/services.sh
# Logging, privileges and the services lock, for every part of scripts/services.sh.

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# Daemons we start must get "9>&-" or they would hold this lock forever.
take_lock() {
  exec 9>"$LOCK_FILE"
  flock 9
  load_roles
}

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

# Polls COMMAND... every 0.2 s until it succeeds, at most SECONDS s; returns non-zero on timeout.
poll() {
  local tries=$(($1 * 5))
  shift
  until "$@"; do
    ((tries-- > 0)) || return 1
    sleep 0.2
  done
}
