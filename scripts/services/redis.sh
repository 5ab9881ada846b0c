# shellcheck shell=bash disable=SC2034,SC2154 # its variables are shared with scripts/services.sh
# Redis for the cache, queues and rate limits: one server on 127.0.0.1, nothing saved to disk.

redis_up() {
  [[ $(timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

ensure_redis() {
  if redis_up; then
    log "redis already up on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  install -d -m 0755 "$REDIS_DIR"
  log "starting redis on 127.0.0.1:$REDIS_PORT (log: $REDIS_DIR/redis.log)"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
    --appendonly no --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" \
    --pidfile "$REDIS_DIR/redis-$REDIS_PORT.pid" 9>&-
  if ! poll 10 redis_up; then
    tail -n 15 "$REDIS_DIR/redis.log" >&2 || true
    die "redis did not come up on 127.0.0.1:$REDIS_PORT"
  fi
}

status_redis() {
  if have redis-cli && redis_up; then
    echo "redis    127.0.0.1:$REDIS_PORT  up"
  else
    echo "redis    127.0.0.1:$REDIS_PORT  down"
  fi
}
