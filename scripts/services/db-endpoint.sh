# shellcheck shell=bash disable=SC2034,SC2154 # its variables are shared with scripts/services.sh
# The database endpoint: HAProxy in TCP mode, the local stand-in for a DNS name (Route 53). The
# writer port always leads to the current primary, the reader port to the current replica. Off
# unless a port is given; the ports are remembered in ENDPOINT_DIR so that `failover` moves an
# endpoint started earlier.

ENDPOINT_DIR=$PG_DIR/endpoint
ENDPOINT_CFG=$ENDPOINT_DIR/haproxy.cfg
ENDPOINT_PID=$ENDPOINT_DIR/haproxy.pid
ENDPOINT_PORTS=$ENDPOINT_DIR/ports

load_endpoint_ports() {
  local writer='' reader=''
  if [[ -z $WRITER_PORT && -z $READER_PORT && -f $ENDPOINT_PORTS ]]; then
    read -r writer reader <"$ENDPOINT_PORTS" || true
    WRITER_PORT=${writer#-} READER_PORT=${reader#-}
  fi
}

endpoint_configured() { [[ -n $WRITER_PORT || -n $READER_PORT ]]; }

# Every HAProxy of this endpoint, including an old one still ending its sessions after a reload
# (started as `haproxy -D -f $ENDPOINT_CFG -p $ENDPOINT_PID [-sf PID]`), space-separated.
endpoint_pids() {
  local pid args
  while read -r pid args; do
    if [[ $args == "haproxy -D -f $ENDPOINT_CFG -p "* ]]; then printf '%s ' "$pid"; fi
  done < <(pgrep -a -x haproxy || true)
}

endpoint_config() {
  cat <<EOF
# Written by scripts/services.sh (up, failover) from the current roles; edits are overwritten.
global
  maxconn 4000
  hard-stop-after 30s
defaults
  mode tcp
  # A refused connection fails at once (no retry a second later): clients retry against the new primary.
  retries 0
  timeout connect 2s
  timeout client 24h
  timeout server 24h
  option clitcpka
  option srvtcpka
EOF
  if [[ -n $WRITER_PORT ]]; then printf 'listen writer\n  bind 127.0.0.1:%s\n  server primary 127.0.0.1:%s\n' "$WRITER_PORT" "$PRIMARY_PORT"; fi
  if [[ -n $READER_PORT ]]; then printf 'listen reader\n  bind 127.0.0.1:%s\n  server replica 127.0.0.1:%s\n' "$READER_PORT" "$REPLICA_PORT"; fi
}

# Starts the endpoint, or reloads it when the roles moved: the new process takes the ports and
# the old one ends its sessions (those to a dead primary already are) within hard-stop-after.
ensure_endpoint() {
  local pid='' running
  endpoint_configured || return 0
  have haproxy || die "haproxy is not installed; run '${0##*/} up'"
  install -d -m 0755 "$ENDPOINT_DIR"
  echo "${WRITER_PORT:--} ${READER_PORT:--}" >"$ENDPOINT_PORTS"
  endpoint_config >"$ENDPOINT_CFG.new"
  haproxy -c -q -f "$ENDPOINT_CFG.new" >&2 || die "invalid endpoint configuration $ENDPOINT_CFG.new"
  [[ -f $ENDPOINT_PID ]] && pid=$(head -n 1 "$ENDPOINT_PID")
  running=$(endpoint_pids)
  if [[ -n $pid && " $running " == *" $pid "* ]]; then
    if cmp -s "$ENDPOINT_CFG.new" "$ENDPOINT_CFG"; then
      rm -f "$ENDPOINT_CFG.new"
      log "endpoint already up (writer ${WRITER_PORT:-none} -> $PRIMARY_PORT, reader ${READER_PORT:-none} -> $REPLICA_PORT)"
      return 0
    fi
    mv -f "$ENDPOINT_CFG.new" "$ENDPOINT_CFG"
    haproxy -D -f "$ENDPOINT_CFG" -p "$ENDPOINT_PID" -sf "$pid" 9>&- || die "endpoint reload failed"
  else
    mv -f "$ENDPOINT_CFG.new" "$ENDPOINT_CFG"
    haproxy -D -f "$ENDPOINT_CFG" -p "$ENDPOINT_PID" 9>&- || die "endpoint did not start (ports in use?)"
  fi
  log "endpoint: writer 127.0.0.1:${WRITER_PORT:-none} -> :$PRIMARY_PORT, reader 127.0.0.1:${READER_PORT:-none} -> :$REPLICA_PORT"
}

endpoint_stopped() { [[ -z $(endpoint_pids) ]]; }

stop_endpoint() {
  local pids
  pids=$(endpoint_pids)
  [[ -n $pids ]] || return 0
  log "stopping the endpoint"
  # shellcheck disable=SC2086 # one pid per word
  kill -TERM $pids 2>/dev/null || true
  if ! poll 5 endpoint_stopped; then
    # shellcheck disable=SC2046 # one pid per word
    kill -KILL $(endpoint_pids) 2>/dev/null || true
    poll 5 endpoint_stopped || die "the endpoint survives SIGKILL"
  fi
  rm -f "$ENDPOINT_PID"
}

endpoint_status() {
  endpoint_configured || return 0
  local state=down
  endpoint_stopped || state=up
  echo "endpoint 127.0.0.1:${WRITER_PORT:-none} (writer -> :$PRIMARY_PORT) 127.0.0.1:${READER_PORT:-none} (reader -> :$REPLICA_PORT)  $state"
}
