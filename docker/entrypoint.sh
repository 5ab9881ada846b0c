#!/bin/sh
# Entry point of the OMS image (sync-api, async-worker and the migrations): configuration is the
# environment (README.md, Configuration). Where a platform injects database credentials apart from the URLs (AWS ECS
# from Secrets Manager; infra/lib/container-environment.ts), this writes them, percent-encoded, into
# the URLs the apps read, then runs the command:
#   DATABASE_USER, DATABASE_PASSWORD    into DATABASE_URL and every URL of DATABASE_REPLICA_URLS
#   WAREHOUSE_USER, WAREHOUSE_PASSWORD  into WAREHOUSE_URL
# Without those variables nothing changes. A URL that is missing or already carries credentials
# while its user variable is set stops the container with one line. Contract: docker/README.md.
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

# with_credentials VARIABLE URL USER PASSWORD: postgres://host/db -> postgres://user:password@host/db
with_credentials() {
  case $2 in
    *://*) ;;
    *) fail "$1 is not a URL" ;;
  esac
  authority=${2#*://}
  authority=${authority%%/*}
  case $authority in
    *@*) fail "$1 already carries credentials; set them there or in the user/password variables, not both" ;;
  esac
  credentials=$(urlencode "$3")
  [ -z "$4" ] || credentials="$credentials:$(urlencode "$4")"
  printf '%s://%s@%s' "${2%%://*}" "$credentials" "${2#*://}"
}

if [ -n "${DATABASE_USER:-}" ]; then
  [ -n "${DATABASE_URL:-}" ] || fail "DATABASE_USER is set but DATABASE_URL is not"
  DATABASE_URL=$(with_credentials DATABASE_URL "$DATABASE_URL" "$DATABASE_USER" "${DATABASE_PASSWORD:-}")
  export DATABASE_URL
  if [ -n "${DATABASE_REPLICA_URLS:-}" ]; then
    urls=
    set -f
    old_ifs=$IFS
    IFS=','
    for url in $DATABASE_REPLICA_URLS; do
      url=$(printf '%s' "$url" | tr -d ' ')
      [ -z "$url" ] || urls="${urls:+$urls,}$(with_credentials DATABASE_REPLICA_URLS "$url" "$DATABASE_USER" "${DATABASE_PASSWORD:-}")"
    done
    IFS=$old_ifs
    set +f
    DATABASE_REPLICA_URLS=$urls
    export DATABASE_REPLICA_URLS
  fi
elif [ -n "${DATABASE_PASSWORD:-}" ]; then
  fail "DATABASE_PASSWORD is set but DATABASE_USER is not"
fi

if [ -n "${WAREHOUSE_USER:-}" ]; then
  [ -n "${WAREHOUSE_URL:-}" ] || fail "WAREHOUSE_USER is set but WAREHOUSE_URL is not"
  WAREHOUSE_URL=$(with_credentials WAREHOUSE_URL "$WAREHOUSE_URL" "$WAREHOUSE_USER" "${WAREHOUSE_PASSWORD:-}")
  export WAREHOUSE_URL
elif [ -n "${WAREHOUSE_PASSWORD:-}" ]; then
  fail "WAREHOUSE_PASSWORD is set but WAREHOUSE_USER is not"
fi

exec "$@"
