#!/usr/bin/env bash
# Start (or stop) the real servers the scaled test run needs, on loopback, in a scratch directory:
# PostgreSQL, Redis, and moto's S3-compatible server. Prints the environment to use on stdout.
#   scripts/services.sh start   -> eval "$(scripts/services.sh start)"
#   scripts/services.sh stop
set -euo pipefail
ROOT="${DFW_SERVICES_DIR:-/tmp/dfw-test-services}"
PG_PORT="${DFW_TEST_PG_PORT:-54329}"
REDIS_PORT="${DFW_TEST_REDIS_PORT:-63790}"
S3_PORT="${DFW_TEST_S3_PORT:-50009}"
VENV_BIN="$(cd "$(dirname "$0")/.." && pwd)/.venv/bin"

need_packages() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
      || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
           --no-install-recommends "${missing[@]}" >&2; }
  else
    echo "the scaled tests need PostgreSQL and Redis: sudo apt-get install postgresql redis-server" >&2
    exit 1
  fi
}

as_pg() {  # initdb and postgres refuse to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  need_packages
  stop  # a clean slate: start is idempotent
  local pgbin; pgbin="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")"
  mkdir -p "$ROOT"
  [ "$(id -u)" = 0 ] && chown postgres "$ROOT" 2>/dev/null || true
  if [ ! -f "$ROOT/pg/PG_VERSION" ]; then
    as_pg "$pgbin/initdb" -D "$ROOT/pg" -A trust -U postgres --no-sync >/dev/null
  fi
  as_pg "$pgbin/pg_ctl" -D "$ROOT/pg" -l "$ROOT/pg.log" -w -o "-p $PG_PORT -k $ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$ROOT/redis.pid" --logfile "$ROOT/redis.log"
  nohup "$VENV_BIN/moto_server" -H 127.0.0.1 -p "$S3_PORT" >"$ROOT/moto.log" 2>&1 &
  echo $! >"$ROOT/moto.pid"
  for _ in $(seq 1 100); do
    (exec 3<>/dev/tcp/127.0.0.1/"$S3_PORT") 2>/dev/null && break
    sleep 0.1
  done
  echo "export DFW_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "export DFW_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
  echo "export DFW_TEST_S3_ENDPOINT=http://127.0.0.1:$S3_PORT"
}

stop() {
  local pgbin; pgbin="$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1)")"
  [ -f "$ROOT/pg/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$ROOT/pg" -m fast stop >/dev/null 2>&1 || true
  [ -f "$ROOT/redis.pid" ] && kill "$(cat "$ROOT/redis.pid")" 2>/dev/null || true
  [ -f "$ROOT/moto.pid" ] && kill "$(cat "$ROOT/moto.pid")" 2>/dev/null || true
  rm -f "$ROOT/redis.pid" "$ROOT/moto.pid"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
