package dev.sluice.bench;

import dev.sluice.core.Job;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * With an idle gate and an empty backlog, single events arrive one at a time at a modest rate; for
 * each, the time from just before its append to the moment the target's deliver is called. This
 * includes the commit (fsync with FULL sync), the wake-up of the dispatcher, the claim and the
 * hand-off to a worker.
 */
final class ArrivalLatency {

  private static final int PER_SECOND = 200;
  private static final int WARM_UP = 200;
  private static final int MEASURED = 2_000;

  private ArrivalLatency() {}

  static void run(BenchSettings s, PrintStream out) throws InterruptedException {
    out.printf(
        "arrival-to-start latency: %d events/s, %d warm-up + %d measured, sync=%s, workers=%d%n",
        PER_SECOND, WARM_UP, MEASURED, s.synchronous(), s.workers());
    ConcurrentHashMap<String, Long> startedAt = new ConcurrentHashMap<>();
    NoOpTarget target =
        new NoOpTarget((Job job) -> startedAt.putIfAbsent(job.event().key(), System.nanoTime()));
    int total = WARM_UP + MEASURED;
    long[] arrivedAt = new long[total];
    try (BenchPipeline pipeline = new BenchPipeline(s, "latency", target)) {
      pipeline.startDispatcher();
      long period = 1_000_000_000L / PER_SECOND;
      long first = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long due = first + i * period;
        for (long wait; (wait = due - System.nanoTime()) > 0; ) {
          LockSupport.parkNanos(wait);
        }
        arrivedAt[i] = System.nanoTime();
        pipeline.accept(List.of(BenchEvents.numbered(i)));
      }
      pipeline.awaitCompleted(total, Duration.ofMinutes(1));
    }
    long[] micros = new long[MEASURED];
    for (int i = 0; i < MEASURED; i++) {
      int n = WARM_UP + i;
      Long started = startedAt.get(BenchEvents.numbered(n).key());
      micros[i] = (started - arrivedAt[n]) / 1_000;
    }
    Percentiles p = new Percentiles(micros);
    out.printf(
        "  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (%d events)%n",
        p.at(50) / 1e3, p.at(90) / 1e3, p.at(99) / 1e3, p.max() / 1e3, p.count());
  }
}
