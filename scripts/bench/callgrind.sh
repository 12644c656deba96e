#!/usr/bin/env bash
# Counts the instructions of one register+confirm operation with valgrind's callgrind, in each payments-server
# thread and in the `payments bench` client. On SQLite it also counts the store's statements run by the C loop
# (scripts/bench/sqlite_store_loop.c). Instruction counts do not depend on the machine's load, so they compare
# two builds where timings cannot.
#
#   scripts/bench/callgrind.sh [sqlite|postgres] [OPERATIONS]    # defaults: sqlite, 1000 operations
#
# Installs valgrind and gcc with apt when missing (scripts/install-deps.sh --profile, through sudo unless run as
# root). valgrind 3.19 (Debian 12) cannot read the DWARF 5 debug information Swift writes by default, so this
# builds payments-server and payments in release mode with DWARF 4 into .build/callgrind. The server runs under
# callgrind with instrumentation off while it starts and warms up, and on for OPERATIONS operations at 1 in
# flight of `payments bench`, which runs natively and must finish without an error. Then the client runs under
# callgrind against the server run natively, once for 200 operations and once for 200 + OPERATIONS: the
# difference leaves out its start, but the top functions listed for it include the start. postgres starts a
# throwaway PostgreSQL (scripts/throwaway-postgres.sh) on a unix socket, and PostgreSQL's own processes are not
# counted. One store takes about a minute on two cores the first time, half of it the build.
#
# Results go to .build/bench/callgrind-STORE: summary.txt, and callgrind.out.server-NN (one per server thread),
# callgrind.out.client-COUNT and, on SQLite, callgrind.out.loop. Open one with
# `callgrind_annotate --inclusive=yes FILE`. The summary lists the threads that ran at least one instruction per
# operation: threads it calls "other" belong to Swift's concurrency runtime and libdispatch.
#
# Listens on 127.0.0.1:7185, which must be free, and, for postgres, on port 54342 of a unix socket in the
# output folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
usage="usage: scripts/bench/callgrind.sh [sqlite|postgres] [OPERATIONS]"
if [ "$#" -gt 2 ] || [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "$usage" >&2
  exit 2
fi
store=${1:-sqlite}
operations=${2:-1000}
case "$store" in
  sqlite | postgres) ;;
  *)
    echo "callgrind.sh: unknown store '$store'; use sqlite or postgres ($usage)" >&2
    exit 2
    ;;
esac
if ! [[ "$operations" =~ ^[0-9]+$ ]] || [ "$((10#$operations))" -eq 0 ]; then
  echo "callgrind.sh: OPERATIONS must be a positive whole number, got '$operations'" >&2
  exit 2
fi
operations=$((10#$operations))
if (exec 3<>/dev/tcp/127.0.0.1/7185) 2>/dev/null; then
  echo "callgrind.sh: 127.0.0.1:7185 is in use; stop what listens there first" >&2
  exit 1
fi

scripts/install-deps.sh --profile
build=$root/.build/callgrind
out=$root/.build/bench/callgrind-$store
rm -rf "$out" && mkdir -p "$out/db"
log() { printf '[callgrind %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

log "building release products with DWARF 4 debug information"
dwarf4=(-c release --scratch-path "$build" -Xswiftc -g -Xswiftc -dwarf-version=4 -Xcc -gdwarf-4)
swift build "${dwarf4[@]}" --product payments-server >&2
swift build "${dwarf4[@]}" --product payments >&2
bin=$(swift build "${dwarf4[@]}" --show-bin-path)

"$bin/payments" token create --tokens "$out/tokens.json" --name "callgrind-$$" \
  --scopes payments:read,payments:write >"$out/token" 2>/dev/null
export PAYMENTS_TOKEN
PAYMENTS_TOKEN=$(cat "$out/token")

server_pid=
postgres_dir=$out/postgres
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
cleanup() {
  stop_server
  if [ "$store" = postgres ]; then
    PAYMENTS_TEST_PG_PORT=54342 scripts/throwaway-postgres.sh stop "$postgres_dir" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [ "$store" = postgres ]; then
  store_uri=$(PAYMENTS_TEST_PG_PORT=54342 scripts/throwaway-postgres.sh start "$postgres_dir")
else
  store_uri=sqlite:$out/db/payments.sqlite
fi

# start_server [COMMAND PREFIX...]: starts payments-server on the store, behind the prefix, and waits for Health.
# --sqlite-spin 0: the polls that replace wake-ups would add instructions that depend on timing, not on the work.
start_server() {
  "$@" "$bin/payments-server" --listen 127.0.0.1:7185 --store "$store_uri" --tokens "$out/tokens.json" \
    --sqlite-spin 0 --log-level warning >>"$out/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    if "$bin/payments" health --server 127.0.0.1:7185 >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || { log "payments-server exited; see $out/server.log"; exit 1; }
    sleep 0.2
  done
  log "payments-server did not answer Health within 60 s; see $out/server.log"
  exit 1
}

# bench COUNT [COMMAND PREFIX...]: COUNT register+confirm operations at 1 in flight, behind the prefix. A run
# with an error or a timeout stops the script, as its instruction counts would not be those of COUNT operations.
bench() {
  local count=$1
  shift
  "$@" "$bin/payments" bench --quiet --json --warmup 0s --timeout 0s --scenario register-confirm --connections 1 \
    --concurrency 1 --server 127.0.0.1:7185 --requests "$count" --fail-if 'errors>0,timeouts>0' || {
    log "payments bench failed or had errors (exit $?); see $out/server.log"
    exit 1
  }
}

log "starting payments-server on $store under callgrind (instrumentation off)"
start_server valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes \
  --callgrind-out-file="$out/callgrind.out.server"
log "warming up with 200 operations"
bench 200 >/dev/null
log "measuring $operations operations"
callgrind_control --instr=on "$server_pid" >/dev/null
bench "$operations" >"$out/bench.json"
callgrind_control --instr=off "$server_pid" >/dev/null
stop_server
# callgrind also writes an empty file for the process before it splits the counts by thread.
rm -f "$out/callgrind.out.server"

log "running payments bench under callgrind against the server run natively"
start_server
for count in 200 $((200 + operations)); do
  bench "$count" valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out.client-$count" \
    >/dev/null 2>"$out/client-$count.log"
done
stop_server

if [ "$store" = sqlite ]; then
  log "running the C loop under callgrind for 10 s"
  gcc -O2 -g -o "$out/sqlite_store_loop" scripts/bench/sqlite_store_loop.c -lsqlite3
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out.loop" \
    "$out/sqlite_store_loop" "$out/db/loop.sqlite" 10 >"$out/loop.txt" 2>"$out/loop.log"
fi

# total FILE: the instructions a callgrind output file counted.
total() { callgrind_annotate "$1" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,; }
{
  echo "# Instructions per register+confirm operation on $store (callgrind Ir), $operations operations at 1 in flight"
  echo "# commit $(git rev-parse --short HEAD), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  busiest=()
  server_total=0
  for file in "$out"/callgrind.out.server-*; do
    instructions=$(total "$file")
    [ -n "$instructions" ] && [ "$instructions" -gt 0 ] || continue
    # The outermost function of the thread that this project defines gives the thread its role.
    role=$(callgrind_annotate --inclusive=yes "$file" 2>/dev/null \
      | grep -o -E 'EventLoopC3run|ConnectionWorkersC10workerLoop|StatementThreadC3run|EventSequencer' \
      | head -n 1 || true)
    case "$role" in
      EventLoopC3run) role="event loop" ;;
      ConnectionWorkersC10workerLoop) role="store worker" ;;
      StatementThreadC3run) role="PostgreSQL statement thread" ;;
      EventSequencer) role="event sequencer" ;;
      *) role="other" ;;
    esac
    [ $((instructions / operations)) -gt 0 ] || continue
    server_total=$((server_total + instructions))
    printf 'server thread %s (%s): %d per operation\n' "${file##*-}" "$role" $((instructions / operations))
    if [ $((instructions / operations)) -gt 10000 ]; then
      busiest+=("$file")
    fi
  done
  printf 'server, all threads: %d per operation\n' $((server_total / operations))
  client_instructions=$(($(total "$out/callgrind.out.client-$((200 + operations))") - $(total "$out/callgrind.out.client-200")))
  printf 'payments bench client: %d per operation\n' $((client_instructions / operations))
  busiest+=("$out/callgrind.out.client-$((200 + operations))")
  if [ "$store" = sqlite ]; then
    loop_operations=$(sed -n 's/^operations=\([0-9]*\) .*/\1/p' "$out/loop.txt")
    loop_instructions=$(total "$out/callgrind.out.loop")
    printf 'C loop (%s operations): %d per operation\n' "$loop_operations" $((loop_instructions / loop_operations))
  fi
  for file in "${busiest[@]}"; do
    echo
    case "$file" in
      *client*) echo "# Top functions by own instructions, ${file##*callgrind.out.} (with the client's start)" ;;
      *) echo "# Top functions by own instructions, ${file##*callgrind.out.}" ;;
    esac
    callgrind_annotate "$file" 2>/dev/null | sed -n '/file:function/,$p' | sed -n '3,27p' | cut -c1-200
  done
} >"$out/summary.txt"
cat "$out/summary.txt"
