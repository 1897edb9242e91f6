# Sourced by .ci/run: a throwaway PostgreSQL cluster for the store tests (marker postgres).
# initdb and pg_ctl refuse to run as root, so they run as the postgres user, with a data and
# socket folder it owns; the cluster listens on a Unix socket only and is stopped by pg_stop.

pg_start() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; }
  fi
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_BIN=$bin
  PG_DIR=$(mktemp -d /tmp/safetycheck-pg.XXXXXX)
  chown postgres: "$PG_DIR"
  chmod 700 "$PG_DIR"
  runuser -u postgres -- "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses='' -k $PG_DIR -p 5439 -c max_connections=100 -c fsync=off" start >/dev/null
  export SAFETYCHECK_TEST_PG="postgresql://postgres@/postgres?host=$PG_DIR&port=5439"
  echo "==> PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the store tests: $SAFETYCHECK_TEST_PG"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
