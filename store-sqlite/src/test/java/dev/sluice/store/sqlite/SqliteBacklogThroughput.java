package dev.sluice.store.sqlite;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Settlement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A rough throughput probe, not a test: prints events per second for append + claim + settle in
 * batches, one thread and two (one appending, one claiming), and for draining a large backlog.
 *
 * <p>Run: {@code java -cp <test classpath> dev.sluice.store.sqlite.SqliteBacklogThroughput [events]
 * [large]}.
 */
public final class SqliteBacklogThroughput {
  private static final int BATCH = 1_000;
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final Instant EVENT_TIME = Instant.parse("2026-03-01T11:59:00Z");

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int large = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    // warm the JIT up first, so the figures below are steady state
    oneThread(SqliteOptions.defaults(), events);
    for (SqliteOptions.Synchronous sync : SqliteOptions.Synchronous.values()) {
      SqliteOptions options = SqliteOptions.defaults().withSynchronous(sync);
      long cpu = processCpuNanos();
      double rate = oneThread(options, events);
      System.out.printf(
          "%-6s one thread   %,10.0f events/s  (%,.0f events per CPU-second)%n",
          sync, rate, events / ((processCpuNanos() - cpu) / 1e9));
      cpu = processCpuNanos();
      rate = twoThreads(options, events);
      System.out.printf(
          "%-6s two threads  %,10.0f events/s  (%,.0f events per CPU-second)%n",
          sync, rate, events / ((processCpuNanos() - cpu) / 1e9));
    }
    largeBacklog(SqliteOptions.defaults(), large);
  }

  /** Cheap distinct events: the probe measures the backlog, not String.format. */
  private static List<ObjectEvent> batch(int first) {
    List<ObjectEvent> events = new ArrayList<>(BATCH);
    for (int i = first; i < first + BATCH; i++) {
      events.add(
          new ObjectEvent(
              "landing",
              "data/2026/03/01/part-" + i + ".parquet",
              4_096L + i,
              "etag-" + i,
              null,
              Long.toHexString(0x10000000000L + i),
              "ObjectCreated:Put",
              EVENT_TIME,
              "bench"));
    }
    return events;
  }

  private static List<Settlement> done(List<Job> jobs) {
    List<Settlement> settlements = new ArrayList<>(jobs.size());
    for (Job job : jobs) {
      settlements.add(Settlement.done(job));
    }
    return settlements;
  }

  private static double oneThread(SqliteOptions options, int events) throws Exception {
    Path dir = Files.createTempDirectory("sluice-bench");
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    try (SqliteBacklog backlog = SqliteBacklog.open(dir.resolve("b.db"), options)) {
      long start = System.nanoTime();
      for (int i = 0; i < events; i += BATCH) {
        backlog.append(batch(i), now);
        List<Job> jobs = backlog.claim(BATCH, LEASE, now);
        backlog.settle(done(jobs), now);
        now = now.plusMillis(1);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      check(backlog.stats(now).done() == events, "all done");
      return events / seconds;
    }
  }

  private static double twoThreads(SqliteOptions options, int events) throws Exception {
    Path dir = Files.createTempDirectory("sluice-bench");
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    try (SqliteBacklog backlog = SqliteBacklog.open(dir.resolve("b.db"), options)) {
      AtomicBoolean appending = new AtomicBoolean(true);
      long start = System.nanoTime();
      Thread producer =
          new Thread(
              () -> {
                for (int i = 0; i < events; i += BATCH) {
                  backlog.append(batch(i), now);
                }
                appending.set(false);
              });
      producer.start();
      long settled = 0;
      while (true) {
        boolean more = appending.get();
        List<Job> jobs = backlog.claim(BATCH, LEASE, now);
        if (jobs.isEmpty()) {
          if (!more) {
            break;
          }
          Thread.sleep(1); // as a dispatcher would wait, rather than spin on the write lock
          continue;
        }
        backlog.settle(done(jobs), now);
        settled += jobs.size();
      }
      producer.join();
      double seconds = (System.nanoTime() - start) / 1e9;
      check(settled == events, "all settled");
      return events / seconds;
    }
  }

  private static void largeBacklog(SqliteOptions options, int events) throws Exception {
    Path dir = Files.createTempDirectory("sluice-bench");
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    try (SqliteBacklog backlog = SqliteBacklog.open(dir.resolve("b.db"), options)) {
      long start = System.nanoTime();
      for (int i = 0; i < events; i += BATCH) {
        backlog.append(batch(i), now);
      }
      double appendSeconds = (System.nanoTime() - start) / 1e9;
      System.gc();
      long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      long statsStart = System.nanoTime();
      long waiting = backlog.stats(now).waiting();
      double statsMillis = (System.nanoTime() - statsStart) / 1e6;
      System.out.printf(
          "FULL   append %,d: %,10.0f events/s; heap after GC %,d MiB; stats %.1f ms (%,d)%n",
          events, events / appendSeconds, heap >> 20, statsMillis, waiting);
      start = System.nanoTime();
      long drained = 0;
      List<Job> jobs;
      while (!(jobs = backlog.claim(BATCH, LEASE, now)).isEmpty()) {
        backlog.settle(done(jobs), now);
        drained += jobs.size();
      }
      double drainSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "FULL   drain  %,d: %,10.0f events/s (claim + settle); file %,d MiB%n",
          drained, drained / drainSeconds, Files.size(dir.resolve("b.db")) >> 20);
    }
  }

  /** CPU time of the whole JVM (JIT and GC included), to tell our cost from a busy machine's. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark invariant broken: " + what);
    }
  }
}
