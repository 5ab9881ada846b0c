# shellcheck shell=bash disable=SC2034,SC2154 # its variables are shared with scripts/services.sh
# Debian packages the services and tests need, installed with apt-get when missing.

APT_UPDATED=0
BINDIR=
PSQL=

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

# postgresql-common (pg_createcluster, pg_ctlcluster, pg_lsclusters) comes with Debian's postgresql;
# procps gives pgrep, which finds the processes of a node and of the database endpoint.
ensure_packages() {
  local -a pkgs=()
  find_bindir || pkgs+=(postgresql)
  have pg_ctlcluster || pkgs+=(postgresql-common)
  if ! have redis-server || ! have redis-cli; then pkgs+=(redis-server); fi
  have haproxy || pkgs+=(haproxy)
  have curl || pkgs+=(curl)
  have pgrep || pkgs+=(procps)
  if [[ ${#pkgs[@]} -gt 0 ]]; then apt_install "${pkgs[@]}"; fi
  find_bindir || die "no PostgreSQL server binaries found after install"
  id postgres >/dev/null 2>&1 || die "user 'postgres' does not exist"
}

need_bindir() {
  find_bindir || die "PostgreSQL server binaries not installed; run '${0##*/} up'"
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

# npm run lint:shell checks every shell script of the repository with it.
ensure_shellcheck() {
  have shellcheck || apt_install shellcheck
}

status_haproxy() {
  local bin
  bin=$(command -v haproxy || true)
  echo "haproxy  ${bin:-not installed}"
}
