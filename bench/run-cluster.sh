#!/usr/bin/env bash
# Several sluice serve nodes on one Postgres: builds bench/target/sluice-bench.jar, then runs
# ClusterBenchmark, each run in its own JVM on its own PostgreSQL server (fsync on,
# synchronous_commit on): fill-then-drain on 1 node, then the end-to-end matrix, 1, 2 and 3 nodes x
# no limit / a window limit that never binds, ROUNDS times (default 2), the order of each pair
# alternating from round to round, and 1 node unfenced. Prints each run's lines and a table.
#   bench/run-cluster.sh                    # 200,000 events per run, 2 rounds
#   ROUNDS=1 bench/run-cluster.sh --events 50000
# Extra arguments go to every run. BENCH_JAVA_OPTS overrides the JVM flags (default -Xms64m -Xmx1g: 1,024 workers per node).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
./mvnw -q -pl bench -am package -DskipTests
opts="${BENCH_JAVA_OPTS:--Xms64m -Xmx1g}"
rounds="${ROUNDS:-2}"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); flags: $opts"
results="$(mktemp)"
out="$(mktemp)"
trap 'rm -f "$results" "$out"' EXIT

run() {
  local load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  echo
  echo "== $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/'): $*"
  # shellcheck disable=SC2086 # the flags are meant to split
  java $opts -cp "bench/target/sluice-bench.jar:bench/target/lib/*" dev.sluice.bench.ClusterBenchmark "$@" >"$out" 2>&1 \
    || echo "  the run failed (exit $?)" >>"$out"
  # the nodes' own log lines (gate taken, gate given up) are left out
  grep -v -e '^INFO:' -e '^[A-Z][a-z][a-z] [0-9][0-9], 20' -e '^\[' "$out" || true
  grep '^RESULT' "$out" | sed "s/\$/ load_start=$load/" >>"$results"
}

run fill-then-drain --nodes 1 "$@"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="none window"; else order="window none"; fi
  for nodes in 1 2 3; do
    for limit in $order; do
      run end-to-end --nodes "$nodes" --limit "$limit" "$@"
    done
  done
  run end-to-end --nodes 1 --limit none --unfenced "$@"
done

echo
echo "end to end, events/s (first append to last settle), by run in order; load = 1-minute load average at the start"
awk '
  function val(k,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return "" }
  val("phase") == "end-to-end" {
    key = val("nodes") " node" (val("nodes") == 1 ? "" : "s") (val("unfenced") == "true" ? ", unfenced" : "") ", limit " val("limit")
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    runs[key] = runs[key] sprintf(" %7d (load %s)", val("rate"), val("load_start"))
    cpu[key] = cpu[key] sprintf(" %s+%s", val("pg_ms_per_k"), val("jvm_ms_per_k"))
  }
  val("phase") == "fill-then-drain" {
    printf "fill-then-drain, %s node: append only %d/s, drain only %d/s (load %s)\n", val("nodes"), val("append_rate"), val("drain_rate"), val("load_start")
  }
  END {
    printf "%-28s %s\n", "configuration", "runs"
    for (i = 1; i <= n; i++) printf "%-28s%s\n", order[i], runs[order[i]]
    print ""
    print "CPU per 1,000 events, ms (postgres+JVM), same order:"
    for (i = 1; i <= n; i++) printf "%-28s%s\n", order[i], cpu[order[i]]
  }' "$results"
