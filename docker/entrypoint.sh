#!/bin/sh
# Entry point of the OMS image (sync-api, async-worker and the migrations). Configuration is the
# environment (API.md). Where a platform injects database credentials as separate fields (AWS ECS
# from a Secrets Manager secret: host, port, username, password, dbname), this composes
#   DATABASE_URL           from DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME, DB_PARAMS
#   DATABASE_REPLICA_URLS  from DB_REPLICA_HOSTS (host or host:port, comma-separated) and the DB_* parts
#   WAREHOUSE_URL          from WAREHOUSE_DB_HOST, _PORT, _USER, _PASSWORD, _NAME, _PARAMS (each
#                          defaulting to the DB_* one; the name to "warehouse")
# each only when that URL is not set and its host is; user and password are percent-encoded. Then it
# runs the command. The contract is in docker/README.md.
set -eu

fail() {
  printf 'entrypoint: %s\n' "$*" >&2
  exit 64
}

# Percent-encodes every byte but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~).
urlencode() {
  printf '%s' "$1" | od -An -v -tx1 | tr -s ' ' '\n' | while read -r byte; do
    case $byte in
      '') ;;
      2d | 2e | 5f | 7e | 3[0-9] | 4[1-9a-f] | 5[0-9a] | 6[1-9a-f] | 7[0-9a]) printf "\\$(printf '%03o' "0x$byte")" ;;
      *) printf '%%%s' "$(printf '%s' "$byte" | tr 'a-f' 'A-F')" ;;
    esac
  done
}

# postgres_url HOST PORT USER PASSWORD NAME PARAMS
postgres_url() {
  url="postgres://$(urlencode "$3")"
  [ -z "$4" ] || url="$url:$(urlencode "$4")"
  url="$url@$1:$2/$(urlencode "$5")"
  [ -z "$6" ] || url="$url?$6"
  printf '%s' "$url"
}

if [ -z "${DATABASE_URL:-}" ] && [ -n "${DB_HOST:-}" ]; then
  [ -n "${DB_USER:-}" ] || fail "DB_HOST is set but DB_USER is not"
  DATABASE_URL=$(postgres_url "$DB_HOST" "${DB_PORT:-5432}" "$DB_USER" "${DB_PASSWORD:-}" "${DB_NAME:-oms}" "${DB_PARAMS:-}")
  export DATABASE_URL
fi

if [ -z "${DATABASE_REPLICA_URLS:-}" ] && [ -n "${DB_REPLICA_HOSTS:-}" ]; then
  [ -n "${DB_USER:-}" ] || fail "DB_REPLICA_HOSTS is set but DB_USER is not"
  urls=
  set -f
  old_ifs=$IFS
  IFS=','
  for replica in $DB_REPLICA_HOSTS; do
    replica=$(printf '%s' "$replica" | tr -d ' ')
    [ -n "$replica" ] || continue
    case $replica in
      *:*) host=${replica%:*} port=${replica##*:} ;;
      *) host=$replica port=${DB_PORT:-5432} ;;
    esac
    urls="${urls:+$urls,}$(postgres_url "$host" "$port" "$DB_USER" "${DB_PASSWORD:-}" "${DB_NAME:-oms}" "${DB_PARAMS:-}")"
  done
  IFS=$old_ifs
  set +f
  DATABASE_REPLICA_URLS=$urls
  export DATABASE_REPLICA_URLS
fi

if [ -z "${WAREHOUSE_URL:-}" ] && [ -n "${WAREHOUSE_DB_HOST:-${DB_HOST:-}}" ]; then
  user=${WAREHOUSE_DB_USER:-${DB_USER:-}}
  [ -n "$user" ] || fail "WAREHOUSE_DB_HOST or DB_HOST is set but neither WAREHOUSE_DB_USER nor DB_USER is"
  WAREHOUSE_URL=$(postgres_url "${WAREHOUSE_DB_HOST:-$DB_HOST}" "${WAREHOUSE_DB_PORT:-${DB_PORT:-5432}}" "$user" \
    "${WAREHOUSE_DB_PASSWORD:-${DB_PASSWORD:-}}" "${WAREHOUSE_DB_NAME:-warehouse}" "${WAREHOUSE_DB_PARAMS:-${DB_PARAMS:-}}")
  export WAREHOUSE_URL
fi

exec "$@"
