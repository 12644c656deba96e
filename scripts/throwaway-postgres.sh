#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server that listens only on a unix
# socket in a temporary directory.
#
#   scripts/throwaway-postgres.sh start DIR   # prints the connection URI
#   scripts/throwaway-postgres.sh stop DIR
#
# start creates the cluster and the `payments` database the first time. On a
# DIR that already has them (after stop, or to restart under a running
# payments-server), it starts the same cluster again and keeps its data.
#
# PostgreSQL refuses to run as root, so as root the server runs as the
# `postgres` user, which owns DIR.
set -euo pipefail

action=${1:?usage: throwaway-postgres.sh start|stop DIR}
dir=${2:?usage: throwaway-postgres.sh start|stop DIR}
port=${PAYMENTS_TEST_PG_PORT:-54329}

bin_dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin_dir" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql; run scripts/install-deps.sh" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$dir"
    fi
    fresh=false
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      fresh=true
      as_owner "$bin_dir/initdb" -D "$dir/data" --auth=trust --username=postgres \
        --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
      }
    elif as_owner "$bin_dir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "PostgreSQL in $dir/data is already running: stop it first with 'throwaway-postgres.sh stop $dir'" >&2
      exit 1
    fi
    as_owner "$bin_dir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -c listen_addresses='' -p $port -c max_connections=300 -c fsync=on -c synchronous_commit=on" \
      start >/dev/null || {
      cat "$dir/server.log" >&2
      exit 1
    }
    if [ "$fresh" = true ] || ! as_owner "$bin_dir/psql" -h "$dir" -p "$port" -U postgres -d payments \
      -qtAc "SELECT 1" >/dev/null 2>&1; then
      as_owner "$bin_dir/createdb" -h "$dir" -p "$port" -U postgres payments
    fi
    echo "postgresql:///payments?host=$dir&port=$port&user=postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin_dir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "unknown action '$action': use start or stop" >&2
    exit 2
    ;;
esac
