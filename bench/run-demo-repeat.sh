#!/usr/bin/env bash
# Runs `./sluice demo` several times and counts how often it ends with the exact line, optionally
# while busy processes load the machine (each one a shell loop on one core).
#
#   bench/run-demo-repeat.sh [--runs N] [--busy K] [-- DEMO ARGS...]
#
# Defaults: 10 runs, no busy process, demo args `--objects 3000 --limit 1000 --every 1s`, which
# must end with `released per window: 1000 1000 1000` and also print
# `reached the target per window: 1000 1000 1000`. Exits non-zero if any run differs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs=10
busy=0
demo=(--objects 3000 --limit 1000 --every 1s)
expect_released="released per window: 1000 1000 1000"
expect_reached="reached the target per window: 1000 1000 1000"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --busy) busy="$2"; shift 2 ;;
    --) shift; demo=("$@"); expect_released=""; expect_reached=""; break ;;
    *) echo "run-demo-repeat: unknown option $1" >&2; exit 2 ;;
  esac
done
pids=()
stop_busy() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap stop_busy EXIT
"$here/sluice" demo --objects 1 >/dev/null 2>&1 # builds the jar first, outside the runs
for ((b = 0; b < busy; b++)); do
  (while :; do :; done) &
  pids+=($!)
done
echo "demo ${demo[*]}: $runs runs, $busy busy processes, $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg)"
exact=0
for ((i = 1; i <= runs; i++)); do
  output="$("$here/sluice" demo "${demo[@]}" 2>&1)"
  released="$(printf '%s\n' "$output" | grep '^released per window:' | tail -1)"
  reached="$(printf '%s\n' "$output" | grep '^reached the target per window:' | tail -1)"
  if [ -z "$expect_released" ] || { [ "$released" = "$expect_released" ] && [ "$reached" = "$expect_reached" ]; }; then
    exact=$((exact + 1)); mark=ok
  else
    mark=DIFFERS
  fi
  echo "run $i: $released | $reached  $mark"
done
echo "exact: $exact of $runs"
[ "$exact" -eq "$runs" ]
