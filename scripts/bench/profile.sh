#!/usr/bin/env bash
# Samples where a running process spends its CPU time, for the notes of docs/benchmarks.md.
#
#   scripts/bench/profile.sh PID SECONDS OUTPUT_PREFIX
#
# Runs `perf record` (Debian's linux-perf) on PID for SECONDS at 999 Hz with call graphs, then writes
# OUTPUT_PREFIX.txt: the flat profile by symbol (self time) and by shared object. Start the load first.
set -euo pipefail
pid=${1:?usage: profile.sh PID SECONDS OUTPUT_PREFIX}
seconds=${2:?usage: profile.sh PID SECONDS OUTPUT_PREFIX}
prefix=${3:?usage: profile.sh PID SECONDS OUTPUT_PREFIX}
if ! command -v perf >/dev/null; then
  echo "perf not found: install linux-perf" >&2
  exit 1
fi
perf record -F 999 -g -o "$prefix.data" -p "$pid" -- sleep "$seconds" 2>/dev/null
{
  echo "# perf report --no-children --sort symbol (self time), pid $pid, $seconds s"
  perf report -i "$prefix.data" --stdio --no-children --sort symbol --percent-limit 0.7 -g none 2>/dev/null \
    | grep -v '^$' | head -n 60
  echo
  echo "# perf report --sort dso"
  perf report -i "$prefix.data" --stdio --no-children --sort dso --percent-limit 0.5 -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -n 20
} >"$prefix.txt"
echo "$prefix.txt"
