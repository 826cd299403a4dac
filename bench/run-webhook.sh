#!/usr/bin/env bash
# The webhook ingest benchmark of issue 3: builds bench/target/sluice-bench.jar, then POSTs batched
# S3 notifications to a real service over loopback HTTP at a target rate (default 10,000 events/s
# for 60 s, 100 records per POST, 8 client threads). Extra arguments go to the program, e.g.
# `bench/run-webhook.sh --rate 20000 --seconds 30`. BENCH_JAVA_OPTS overrides the JVM flags.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
./mvnw -q -pl bench -am package -DskipTests
opts="${BENCH_JAVA_OPTS:--Xms64m -Xmx512m}"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); flags: $opts"
java $opts -cp "bench/target/sluice-bench.jar:bench/target/lib/*" \
  dev.sluice.bench.WebhookIngestBenchmark "$@"
