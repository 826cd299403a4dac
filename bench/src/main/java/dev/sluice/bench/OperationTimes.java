package dev.sluice.bench;

import dev.sluice.core.Job;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.store.sqlite.SqliteBacklog;
import dev.sluice.store.sqlite.SqliteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The writer's time per event, by kind of backlog operation, on one thread with nothing else
 * running: appends of 1000 (FULL sync), then the drain as claims and settlements of {@code
 * --claim-batch} events each, either apart (two transactions) or as {@code settleAndClaim} (one).
 * Prints figures, asserts nothing.
 *
 * <pre>
 * java -cp bench/target/sluice-bench.jar dev.sluice.bench.OperationTimes [--events N]
 *      [--claim-batch N] [--dir DIR]
 * </pre>
 */
public final class OperationTimes {

  private OperationTimes() {}

  public static void main(String[] args) throws Exception {
    int events = 200_000;
    int claimBatch = 64;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--claim-batch" -> claimBatch = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("sluice-operation-times");
    }
    for (boolean combined : new boolean[] {false, true}) {
      run(events, claimBatch, combined, dir.resolve(combined ? "combined.db" : "apart.db"));
    }
  }

  private static void run(int events, int claimBatch, boolean combined, Path file) {
    // one fixed instant: every event is due at once, no lease runs out
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Duration lease = Duration.ofMinutes(5);
    List<Instant> releaseTimes = Collections.nCopies(claimBatch, now);
    try (SqliteBacklog backlog = SqliteBacklog.open(file, SqliteOptions.defaults())) {
      long start = System.nanoTime();
      for (long from = 0; from < events; from += 1000) {
        backlog.append(BenchEvents.numbered(from, (int) Math.min(1000, events - from)), now);
      }
      long appendNanos = System.nanoTime() - start;
      Path wal = Path.of(file + "-wal");
      long fileBytes = Files.size(file) + (Files.exists(wal) ? Files.size(wal) : 0);
      long claimNanos = 0;
      long settleNanos = 0;
      List<Job> jobs = backlog.claim(releaseTimes, lease, now);
      while (!jobs.isEmpty()) {
        List<Settlement> settlements = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
          settlements.add(Settlement.done(job));
        }
        long t0 = System.nanoTime();
        if (combined) {
          jobs = backlog.settleAndClaim(settlements, releaseTimes, lease, now);
          claimNanos += System.nanoTime() - t0;
        } else {
          backlog.settle(settlements, now);
          long t1 = System.nanoTime();
          jobs = backlog.claim(releaseTimes, lease, now);
          settleNanos += t1 - t0;
          claimNanos += System.nanoTime() - t1;
        }
      }
      System.out.printf(
          "%s: append %.2f us/event (file %.0f bytes/event with all waiting); %s%n",
          combined ? "settleAndClaim" : "apart",
          appendNanos / 1e3 / events,
          fileBytes / (double) events,
          combined
              ? String.format(
                  "settleAndClaim(%d) %.2f us/event", claimBatch, us(claimNanos, events))
              : String.format(
                  "claim(%d) %.2f + settle(%d) %.2f = %.2f us/event",
                  claimBatch,
                  us(claimNanos, events),
                  claimBatch,
                  us(settleNanos, events),
                  us(claimNanos + settleNanos, events)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double us(long nanos, int events) {
    return nanos / 1e3 / events;
  }
}
