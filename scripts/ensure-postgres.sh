#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 (used by .ci/run before the
# integration tests). Starts an installed cluster, or installs PostgreSQL from Debian's
# packages when there is none, and allows trust auth for local TCP connections.
set -euo pipefail

HOST=127.0.0.1
PORT=5432

ready() { pg_isready -q -h "$HOST" -p "$PORT" >/dev/null 2>&1; }

fail() { echo "ensure-postgres: $*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root for: $*"; fi; }

if command -v pg_isready >/dev/null 2>&1 && ready; then
  echo "ensure-postgres: PostgreSQL is up at $HOST:$PORT"
  exit 0
fi

if [ ! -d /etc/postgresql ] || [ -z "$(ls -A /etc/postgresql 2>/dev/null)" ]; then
  echo "ensure-postgres: PostgreSQL not installed; installing it"
  as_root apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null || fail "apt-get install postgresql failed"
fi

VERSION="$(ls /etc/postgresql | sort -V | tail -n 1)"
CONF_DIR="/etc/postgresql/$VERSION/main"
[ -d "$CONF_DIR" ] || fail "no cluster 'main' for PostgreSQL $VERSION under /etc/postgresql"

# Trust local TCP connections (test machines only): the tests connect as postgres without a password.
HBA="$CONF_DIR/pg_hba.conf"
if ! grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$HBA"; then
  as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$HBA"
  echo "ensure-postgres: enabled trust auth for local TCP in $HBA"
fi

as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start 2>/dev/null \
  || as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload 2>/dev/null || true

for _ in $(seq 1 30); do
  if ready; then
    # A reload picks up pg_hba.conf changes on an already running cluster.
    as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload >/dev/null 2>&1 || true
    echo "ensure-postgres: PostgreSQL $VERSION is up at $HOST:$PORT"
    exit 0
  fi
  sleep 1
done
fail "PostgreSQL $VERSION did not become ready at $HOST:$PORT within 30 s (see /var/log/postgresql/)"
