#!/usr/bin/env bash
# The backlog benchmark of issue 2: builds bench/target/sluice-bench.jar, then runs each phase in
# its own JVM (so each phase's peak RSS is its own) and prints the figures. Extra arguments go to
# every phase, e.g. `bench/run.sh --sync normal` or `bench/run.sh --events 100000`.
# BENCH_JAVA_OPTS overrides the JVM flags below.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
./mvnw -q -pl bench -am package -DskipTests
# A small fixed heap and the serial collector: the backlog keeps events on disk, not in the heap,
# and a small heap shows it; serial GC has the smallest footprint on 2 cores.
opts="${BENCH_JAVA_OPTS:--Xms32m -Xmx128m -XX:+UseSerialGC}"
jar=bench/target/sluice-bench.jar
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); flags: $opts"
for phase in fill-then-drain end-to-end latency; do
  java $opts -jar "$jar" "$phase" "$@"
done
if [ $# -eq 0 ]; then
  # The service's 64 workers cap each claim at 64 events; with a no-op target that cap, not the
  # backlog, bounds the drain. The same throughput runs with workers = claim batch show the backlog's own limit.
  for phase in fill-then-drain end-to-end; do
    java $opts -jar "$jar" "$phase" --workers 1000
  done
fi
