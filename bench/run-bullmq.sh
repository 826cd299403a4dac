#!/usr/bin/env bash
# Sluice beside BullMQ on this machine, in one command. Installs what it needs (Debian's
# redis-server when missing, BullMQ from bench/bullmq/package-lock.json with npm ci, the Sluice
# bench jar with the Maven wrapper), starts its own Redis on 127.0.0.1 (a free port, a temp dir, AOF
# on with appendfsync everysec, no RDB snapshots), then runs the two systems in turn, round after
# round: BullMQ, Sluice, BullMQ, Sluice, ... and prints every run and a final table.
#
#   bench/run-bullmq.sh [--jobs N] [--rounds N] [--batch N] [--concurrency N] [--no-single]
#                       [--remove-on-complete] [--appendfsync everysec|always]
#
#   --jobs N          jobs (events) per run, default 100000
#   --rounds N        rounds, default 3 (each round: BullMQ then Sluice)
#   --batch N         jobs per addBulk / events per append, default 1000
#   --concurrency N   BullMQ Worker concurrency, default 64 (the Sluice service's 64 workers)
#   --no-single       skip the runs of one job per call (by default each round also times 5000
#                     BullMQ queue.add awaited in turn and 5000 Sluice appends of one event, each
#                     a FULL-sync commit)
#   --remove-on-complete  BullMQ deletes each job once completed (default: keeps it, as Sluice keeps
#                     a done event)
#   --appendfsync M   Redis' AOF fsync policy, default everysec (Redis' default for AOF); always
#                     fsyncs before each reply, the promise Sluice's FULL sync makes for appends
#
# Each phase runs in its own process (a fresh JVM, a fresh node) on an emptied Redis / a fresh
# backlog file. BENCH_JAVA_OPTS overrides the JVM flags (as in bench/run.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"

jobs=100000
rounds=3
batch=1000
concurrency=64
single=true
single_jobs=5000
remove_flag=()
appendfsync=everysec
while [ $# -gt 0 ]; do
  case "$1" in
    --jobs) jobs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --no-single) single=false; shift ;;
    --remove-on-complete) remove_flag=(--remove-on-complete); shift ;;
    --appendfsync) appendfsync="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$appendfsync" in everysec|always) ;; *) echo "--appendfsync takes everysec or always" >&2; exit 2 ;; esac
for v in "$jobs" "$rounds" "$batch" "$concurrency"; do
  case "$v" in ''|*[!0-9]*|0) echo "--jobs, --rounds, --batch and --concurrency take a positive integer" >&2; exit 2 ;; esac
done

# --- what the two sides need -------------------------------------------------------------------
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is missing: installing Debian's redis-server package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
  # Where the package started a system Redis (under systemd), stop it: this script runs its own.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
    systemctl stop redis-server || true
  fi
fi
for tool in redis-server redis-cli node npm java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "$tool is required and missing" >&2; exit 1; }
done
(cd bench/bullmq && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
./mvnw -q -pl bench -am package -DskipTests
jar=bench/target/sluice-bench.jar
java_opts="${BENCH_JAVA_OPTS:--Xms32m -Xmx128m -XX:+UseSerialGC}"

# --- our own Redis -----------------------------------------------------------------------------
work="$(mktemp -d -t sluice-bullmq.XXXXXX)"
redis_pid=""
stop() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
mkdir -p "$work/redis"
# AOF on, fsync once a second by default (Redis' default for AOF); no RDB snapshots; BullMQ needs
# noeviction.
redis-server --bind 127.0.0.1 --port "$port" --dir "$work/redis" --daemonize no \
  --appendonly yes --appendfsync "$appendfsync" --save "" --maxmemory-policy noeviction \
  --logfile "$work/redis/redis.log" &
redis_pid=$!
for _ in $(seq 1 100); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null || { echo "redis did not start:" >&2; cat "$work/redis/redis.log" >&2; exit 1; }

results="$work/results.jsonl"
: >"$results"
bullmq_version="$(node -p 'require("./bench/bullmq/node_modules/bullmq/package.json").version')"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM"
echo "redis: $(redis-server --version | sed 's/ sha=.*//') on 127.0.0.1:$port," \
  "appendonly $(redis-cli -p "$port" config get appendonly | tail -1)," \
  "appendfsync $(redis-cli -p "$port" config get appendfsync | tail -1)," \
  "save '$(redis-cli -p "$port" config get save | tail -1)'"
echo "bullmq: $bullmq_version, node $(node --version); concurrency $concurrency, addBulk of $batch," \
  "removeOnComplete $([ ${#remove_flag[@]} -gt 0 ] && echo true || echo false)"
echo "sluice: $jar, java $(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/'), $java_opts;" \
  "FULL sync, 64 workers, appends of $batch, no-op target"
echo "jobs per run: $jobs; rounds: $rounds"

bullmq() { # phase
  echo "== round $r: BullMQ $1"
  uptime
  node bench/bullmq/bench.mjs --port "$port" --jobs "$jobs" --batch "$batch" \
    --concurrency "$concurrency" --phase "$1" --single-jobs "$single_jobs" "${remove_flag[@]}" \
    | tee -a "$results"
}

# The rate of one "<what>: N events in S s = R events/s" line of the Sluice bench (the rate is
# computed from nanoseconds; the seconds are printed to 2 decimals only).
per_s() { sed -n "s/.*$1: [0-9,]* events in [0-9.]* s = \([0-9,]*\) events\/s.*/\1/p" <<<"$2" | tr -d ,; }
load1() { cut -d' ' -f1 /proc/loadavg; }

sluice() { # phase [events] [append batch]
  local phase="$1" n="${2:-$jobs}" b="${3:-$batch}" out load
  if [ "$b" = 1 ]; then
    echo "== round $r: Sluice single appends ($phase, 1 event per append)"
  else
    echo "== round $r: Sluice $phase"
  fi
  uptime
  load="$(load1)"
  out="$(java $java_opts -jar "$jar" "$phase" --events "$n" --append-batch "$b" --workers 64 \
    --sync full --dir "$work")"
  echo "$out"
  local line
  # Stop rather than print a table from figures that were not read.
  unread() { echo "cannot read the Sluice bench's $1 figure from its output" >&2; exit 1; }
  case "$phase" in
    fill-then-drain)
      local a d
      a="$(per_s 'append only' "$out")"; d="$(per_s 'drain only' "$out")"
      [ -n "$a" ] || unread "append only"
      [ -n "$d" ] || unread "drain only"
      if [ "$b" = 1 ]; then
        line="$(awk -v n="$n" -v a="$a" -v l="$load" 'BEGIN {
          printf "{\"system\":\"sluice\",\"phase\":\"single-add\",\"jobs\":%d,\"load1\":%s,\"enqueueS\":%.3f,\"enqueuePerS\":%d}", n, l, n / a, a }')"
      else
        line="$(awk -v n="$n" -v a="$a" -v d="$d" -v l="$load" -v b="$b" 'BEGIN {
          printf "{\"system\":\"sluice\",\"phase\":\"fill-then-drain\",\"jobs\":%d,\"batch\":%d,\"workers\":64,\"sync\":\"FULL\",\"load1\":%s,\"enqueueS\":%.3f,\"enqueuePerS\":%d,\"drainS\":%.3f,\"drainPerS\":%d,\"fillDrainPerS\":%d}",
            n, b, l, n / a, a, n / d, d, n / (n / a + n / d) }')"
      fi
      ;;
    end-to-end)
      local e
      e="$(per_s 'end to end (first append to last settle)' "$out")"
      [ -n "$e" ] || unread "end to end"
      line="$(awk -v n="$n" -v e="$e" -v l="$load" -v b="$b" 'BEGIN {
        printf "{\"system\":\"sluice\",\"phase\":\"end-to-end\",\"jobs\":%d,\"batch\":%d,\"workers\":64,\"sync\":\"FULL\",\"load1\":%s,\"endToEndS\":%.3f,\"endToEndPerS\":%d}", n, b, l, n / e, e }')"
      ;;
  esac
  echo "$line" | tee -a "$results"
}

for r in $(seq 1 "$rounds"); do
  bullmq fill-then-drain
  sluice fill-then-drain
  bullmq end-to-end
  sluice end-to-end
  if [ "$single" = true ]; then
    bullmq single-add
    sluice fill-then-drain "$single_jobs" 1
  fi
done

echo
echo "== Sluice beside BullMQ: $jobs jobs per run, load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
node bench/bullmq/table.mjs "$results"
