#!/usr/bin/env bash
# The release pace benchmark: builds bench/target/sluice-bench.jar, then runs a real service that
# releases to a local HTTP target under rate 2000/s and max-in-flight 32 while client threads POST
# S3 notifications at 0, 1,000, 5,000 and 10,000 events/s (15 s each, 10 records per POST, 16
# clients; about 70 s). Extra arguments go to the program, e.g.
# `bench/run-release-pace.sh --seconds 30 --batch 100`. BENCH_JAVA_OPTS overrides the JVM flags.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
./mvnw -q -pl bench -am package -DskipTests
opts="${BENCH_JAVA_OPTS:--Xms64m -Xmx512m}"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); flags: $opts"
java $opts -cp "bench/target/sluice-bench.jar:bench/target/lib/*" \
  dev.sluice.bench.ReleasePaceBenchmark "$@"
