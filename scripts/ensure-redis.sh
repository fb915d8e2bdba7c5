#!/usr/bin/env bash
# Make sure a Redis server answers on 127.0.0.1:6379 (used by .ci/run before the
# integration tests). Starts an installed redis-server, or installs it from Debian's
# packages when there is none. Nothing is persisted: tests use their own key prefixes.
set -euo pipefail

HOST=127.0.0.1
PORT=6379

fail() { echo "ensure-redis: $*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root for: $*"; fi; }

ready() { command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h "$HOST" -p "$PORT" ping 2>/dev/null)" = "PONG" ]; }

if ready; then
  echo "ensure-redis: Redis is up at $HOST:$PORT"
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "ensure-redis: redis-server not installed; installing it"
  as_root apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server >/dev/null || fail "apt-get install redis-server failed"
fi

redis-server --daemonize yes --bind "$HOST" --port "$PORT" --save '' --appendonly no >/dev/null \
  || fail "redis-server did not start"

for _ in $(seq 1 30); do
  if ready; then
    echo "ensure-redis: Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/') is up at $HOST:$PORT"
    exit 0
  fi
  sleep 1
done
fail "Redis did not answer at $HOST:$PORT within 30 s"
