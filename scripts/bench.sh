#!/usr/bin/env bash
# `make bench`: builds in release mode, starts the servers and the reference peers on this machine, runs
# every comparison BENCH_RUNS times (default 3) for BENCH_SECONDS each (default 8), and writes the medians
# and ratios to docs/benchmarks.md. Raw outputs stay in .build/bench/raw for inspection.
#
# Everything listens on 127.0.0.1 or a unix socket. Ports: 7181-7183 (payments-server), 6392 (redis),
# 50061 (gRPC reference), 54341 (PostgreSQL). Environment overrides: BENCH_SECONDS, BENCH_RUNS,
# BENCH_ONLY (space-separated groups among transport postgres sqlite memory), BENCH_IDLE_CONNECTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${BENCH_SECONDS:-8}
runs=${BENCH_RUNS:-3}
only=${BENCH_ONLY:-transport postgres sqlite memory}
idle_connections=${BENCH_IDLE_CONNECTIONS:-10000}
shared=${PAYMENTS_SHARED_DIR:-$root/../shared}
peers=$shared/peers

# The reference programs (redis and gRPC run scripts, pgbench SQL, the SQLite C benchmark) live in the
# team's shared folder, not in this repository. Check for them before anything is installed or built.
for needed in grpc-cpp/build.sh sqlite/sqlite_bench.c postgres/schema.sql postgres/refund.sql; do
  if [ ! -e "$peers/$needed" ]; then
    echo "bench: reference program $peers/$needed not found; set PAYMENTS_SHARED_DIR to the folder that holds peers/ (default: ../shared next to this repository)" >&2
    exit 2
  fi
done
if [ "${1:-}" = "--check-peers" ]; then
  exit 0
fi
work=$root/.build/bench
raw=$work/raw
started_pids=()
postgres_dir=$work/postgres

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  for pid in "${started_pids[@]}"; do stop_pid "$pid"; done
  PAYMENTS_TEST_PG_PORT=54341 scripts/throwaway-postgres.sh stop "$postgres_dir" 2>/dev/null || true
}
trap cleanup EXIT

wants() { [[ " $only " == *" $1 "* ]]; }

# Builds ------------------------------------------------------------------------------------------------
rm -rf "$raw" "$work/db" && mkdir -p "$raw" "$work/db" "$work/bin"
# Each side of the idle-connection test needs one descriptor per connection; the hard limit caps the raise.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((idle_connections + 100)) ]; then
  log "open-file limit $(ulimit -n) is below $((idle_connections + 100)); lowering the idle connections to fit"
  idle_connections=$(( $(ulimit -n) - 100 ))
fi
log "building release products"
swift build -c release --product payments-server >&2
swift build -c release --product payments >&2
bin=$(swift build -c release --show-bin-path)
payments=$bin/payments
gcc -O2 -o "$work/bin/idle_connections" scripts/bench/idle_connections.c
gcc -O2 -o "$work/bin/sqlite_store_loop" scripts/bench/sqlite_store_loop.c -lsqlite3
gcc -O2 -o "$work/bin/sqlite_bench" "$peers/sqlite/sqlite_bench.c" -lsqlite3
if wants transport && [ ! -x "$work/peers/grpc-cpp/server" ]; then
  log "building the gRPC C++ reference"
  PEERS_WORKDIR=$work/peers bash "$peers/grpc-cpp/build.sh" >&2
fi

# Servers -----------------------------------------------------------------------------------------------
"$payments" token create --tokens "$work/tokens.json" --name "bench-$$" \
  --scopes payments:read,payments:write,payments:refund,events:read >"$work/token" 2>/dev/null
export PAYMENTS_TOKEN
PAYMENTS_TOKEN=$(cat "$work/token")

# start_server PORT STORE [extra flags...]: starts payments-server, waits until the Health RPC returns, and sets
# server_pid. Called directly, never in $(...), so that the process stays in started_pids.
start_server() {
  local port=$1 store=$2
  shift 2
  "$bin/payments-server" --listen "127.0.0.1:$port" --store "$store" --tokens "$work/tokens.json" \
    --log-level warning "$@" >>"$work/server-$port.log" 2>&1 &
  server_pid=$!
  started_pids+=("$server_pid")
  for _ in $(seq 100); do
    if "$payments" health --server "127.0.0.1:$port" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  log "payments-server on port $port did not start; see $work/server-$port.log"
  exit 1
}

# ours NAME RUN [bench flags...]: one run of payments bench, JSON kept in raw/NAME.ours.RUN.json. No
# per-call deadline (--timeout 0s), like redis-benchmark, the gRPC load client and pgbench.
ours() {
  local name=$1 run=$2
  shift 2
  "$payments" bench --quiet --json --warmup 1s --timeout 0s "$@" >"$raw/$name.ours.$run.json" \
    2>"$raw/$name.ours.$run.err" || log "bench $name run $run exited with $? (see raw/$name.ours.$run.err)"
}

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc=$(nproc)"
  echo "cpu=$cpu_model"
  echo "memory=$(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "kernel=$(uname -r)"
  echo "seconds=$seconds"
  echo "runs=$runs"
  echo "commit=$(git rev-parse --short HEAD)"
  echo "swift=$(swift --version 2>&1 | head -n 1)"
} >"$raw/machine.txt"

# Transport ---------------------------------------------------------------------------------------------
if wants transport; then
  log "transport: payments-server health, redis-benchmark PING, gRPC C++ unary"
  start_server 7181 "sqlite:$work/db/transport.sqlite"
  transport_pid=$server_pid
  redis-server --port 6392 --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
  redis_pid=$!
  started_pids+=("$redis_pid")
  for _ in $(seq 50); do redis-cli -p 6392 ping >/dev/null 2>&1 && break; sleep 0.1; done
  for run in $(seq "$runs"); do
    for config in "c1_p1 1 1" "c1_p16 1 16" "c50_p1 50 1" "c50_p16 50 16"; do
      set -- $config
      # Request counts sized to take about $seconds at the rates a 2-core machine reaches.
      requests=$(( seconds * ($3 == 1 ? ($2 == 1 ? 15000 : 60000) : 400000) ))
      ours "redis_$1" "$run" --scenario health --connections "$2" --in-flight-per-connection "$3" \
        --server 127.0.0.1:7181 --duration "${seconds}s"
      redis-benchmark -p 6392 -t ping_mbulk -n "$requests" -c "$2" -P "$3" --csv \
        >"$raw/redis_$1.reference.$run.csv" 2>/dev/null
    done
    for concurrency in 1 16 64; do
      ours "grpc_c$concurrency" "$run" --scenario health --connections 1 --concurrency "$concurrency" \
        --server 127.0.0.1:7181 --duration "${seconds}s"
      "$work/peers/grpc-cpp/server" 127.0.0.1:50061 2>/dev/null &
      grpc_pid=$!
      started_pids+=("$grpc_pid")
      for _ in $(seq 50); do ss -ltn | grep -q ':50061 ' && break; sleep 0.1; done
      "$work/peers/grpc-cpp/client" --target 127.0.0.1:50061 --mode async --concurrency "$concurrency" \
        --duration "$seconds" --warmup 1 >"$raw/grpc_c$concurrency.reference.$run.txt"
      stop_pid "$grpc_pid"
    done
  done
  stop_pid "$redis_pid"
  stop_pid "$transport_pid"
fi

# PostgreSQL --------------------------------------------------------------------------------------------
if wants postgres; then
  log "postgres: throwaway server, payments-server on it, pgbench with the store's SQL and the peers' SQL"
  rm -rf "$postgres_dir"
  uri=$(PAYMENTS_TEST_PG_PORT=54341 scripts/throwaway-postgres.sh start "$postgres_dir")
  psql_run() { psql -X -q -v ON_ERROR_STOP=1 -h "$postgres_dir" -p 54341 -U postgres "$@"; }
  start_server 7182 "$uri" --store-pool-size 32
  postgres_pid=$server_pid
  refund_payments=1000
  psql_run -v payments=$refund_payments -f scripts/bench/pg_store_refund_setup.sql payments >/dev/null
  psql_run -c "CREATE DATABASE peers" postgres >/dev/null
  psql_run -f "$peers/postgres/schema.sql" peers >/dev/null 2>&1
  pgbench=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pgbench
  # pgbench_run NAME RUN DATABASE CLIENTS SCRIPT [flags...]
  pgbench_run() {
    local name=$1 run=$2 database=$3 clients=$4 script=$5
    shift 5
    psql_run -c CHECKPOINT "$database" >/dev/null
    "$pgbench" -h "$postgres_dir" -p 54341 -U postgres -n -M prepared -c "$clients" -j 2 -T "$seconds" \
      -f "$script" "$@" "$database" >"$raw/$name.$run.txt" 2>&1 || log "pgbench $name run $run failed"
  }
  # pgbench_store_run NAME RUN CLIENTS SCRIPT [flags...]: the store's SQL with the event sequencer's SQL on one
  # more client, as payments-server runs its sequencer thread next to the calls.
  pgbench_store_run() {
    local name=$1 run=$2 clients=$3 script=$4
    shift 4
    psql_run -c CHECKPOINT payments >/dev/null
    "$pgbench" -h "$postgres_dir" -p 54341 -U postgres -n -M prepared -c 1 -j 1 -T "$seconds" \
      -f scripts/bench/pg_store_sequencer.sql payments >"$raw/pg_sequencer.$name.$run.txt" 2>&1 &
    local sequencer=$!
    "$pgbench" -h "$postgres_dir" -p 54341 -U postgres -n -M prepared -c "$clients" -j 2 -T "$seconds" \
      -f "$script" "$@" payments >"$raw/$name.$run.txt" 2>&1 || log "pgbench $name run $run failed"
    wait "$sequencer" || log "pgbench sequencer next to $name run $run failed"
  }
  for run in $(seq "$runs"); do
    for clients in 1 8 32; do
      psql_run -c CHECKPOINT payments >/dev/null
      ours "pg_register_confirm_c$clients" "$run" --scenario register-confirm --connections "$clients" \
        --concurrency "$clients" --server 127.0.0.1:7182 --duration "${seconds}s"
      pgbench_store_run "pg_register_confirm_c$clients.reference" "$run" "$clients" \
        scripts/bench/pg_store_register_confirm.sql
      pgbench_run "pg_register_confirm_c$clients.writes" "$run" payments "$clients" \
        scripts/bench/pg_store_register_confirm.sql
      pgbench_run "pg_register_confirm_c$clients.peer1tx" "$run" peers "$clients" "$peers/postgres/reg_confirm_1tx.sql"
      pgbench_run "pg_register_confirm_c$clients.peer2tx" "$run" peers "$clients" "$peers/postgres/reg_confirm_2tx.sql"
      psql_run -c CHECKPOINT payments >/dev/null
      ours "pg_refund_c$clients" "$run" --scenario refund --refund-payments "$refund_payments" \
        --connections "$clients" --concurrency "$clients" --server 127.0.0.1:7182 --duration "${seconds}s"
      pgbench_store_run "pg_refund_c$clients.reference" "$run" "$clients" scripts/bench/pg_store_refund.sql \
        -D payments=$refund_payments
      pgbench_run "pg_refund_c$clients.peer" "$run" peers "$clients" "$peers/postgres/refund.sql"
    done
  done
  stop_pid "$postgres_pid"
  PAYMENTS_TEST_PG_PORT=54341 scripts/throwaway-postgres.sh stop "$postgres_dir"
fi

# SQLite ------------------------------------------------------------------------------------------------
if wants sqlite; then
  log "sqlite: payments-server on SQLite against the store's statements in a C loop"
  for run in $(seq "$runs"); do
    # A fresh database per run for both sides, so neither runs on larger B-trees than the other.
    rm -f "$work"/db/payments.sqlite*
    start_server 7183 "sqlite:$work/db/payments.sqlite"
    sqlite_pid=$server_pid
    for concurrency in 1 8; do
      ours "sqlite_register_confirm_c$concurrency" "$run" --scenario register-confirm --connections "$concurrency" \
        --concurrency "$concurrency" --server 127.0.0.1:7183 --duration "${seconds}s"
    done
    stop_pid "$sqlite_pid"
    rm -f "$work"/db/loop.sqlite*
    "$work/bin/sqlite_store_loop" "$work/db/loop.sqlite" "$seconds" >"$raw/sqlite_register_confirm.reference.$run.txt"
    for config in "wal full 2tx" "wal full 1tx" "wal normal 1tx"; do
      set -- $config
      rm -f "$work"/db/peer.sqlite*
      "$work/bin/sqlite_bench" "$work/db/peer.sqlite" "$1" "$2" "$seconds" 5000000 "$3" \
        >"$raw/sqlite_peer_$1_$2_$3.$run.txt"
    done
  done
fi

# Memory ------------------------------------------------------------------------------------------------
if wants memory; then
  log "memory: $idle_connections idle connections"
  for run in $(seq "$runs"); do
    rm -f "$work"/db/memory.sqlite*
    start_server 7184 "sqlite:$work/db/memory.sqlite"
    memory_pid=$server_pid
    sleep 1
    before=$(awk '/^VmRSS/ {print $2}' "/proc/$memory_pid/status")
    rm -f "$work/idle.ready"
    "$work/bin/idle_connections" 127.0.0.1 7184 "$idle_connections" "$work/idle.ready" >/dev/null &
    idle_pid=$!
    started_pids+=("$idle_pid")
    for _ in $(seq 600); do [ -s "$work/idle.ready" ] && break; sleep 0.1; done
    sleep 2
    after=$(awk '/^VmRSS/ {print $2}' "/proc/$memory_pid/status")
    echo "before_kib=$before after_kib=$after $(cat "$work/idle.ready" 2>/dev/null || echo open=0 failed=$idle_connections)" \
      >"$raw/memory.$run.txt"
    "$payments" bench --quiet --json --scenario health --requests 1000 --warmup 0s --server 127.0.0.1:7184 \
      >"$raw/memory_alive.$run.json" 2>/dev/null || true
    stop_pid "$idle_pid"
    stop_pid "$memory_pid"
  done
fi

# Report ------------------------------------------------------------------------------------------------
log "writing docs/benchmarks.md"
python3 scripts/bench/report.py "$raw" docs/benchmarks.md
log "done: docs/benchmarks.md"
