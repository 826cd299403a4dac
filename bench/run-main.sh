#!/usr/bin/env bash
# Builds bench/target/sluice-bench.jar, prints the machine line, then runs one benchmark program:
#   bench/run-main.sh CLASS [ARGS...]     e.g. bench/run-main.sh WebhookIngestBenchmark --rate 20000
# BENCH_JAVA_OPTS overrides the JVM flags (default -Xms64m -Xmx512m). The run-*.sh scripts call it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
main="$1"
shift
./mvnw -q -pl bench -am package -DskipTests
# sun.net.httpserver.nodelay: the benchmarks' own endpoints are JDK HttpServers, which leave Nagle's
# algorithm on, so an answer's body would wait for the client's delayed ACK (~40 ms) of its headers.
opts="${BENCH_JAVA_OPTS:--Xms64m -Xmx512m -Dsun.net.httpserver.nodelay=true}"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); flags: $opts"
# shellcheck disable=SC2086 # the flags are meant to split
java $opts -cp "bench/target/sluice-bench.jar:bench/target/lib/*" "dev.sluice.bench.$main" "$@"
