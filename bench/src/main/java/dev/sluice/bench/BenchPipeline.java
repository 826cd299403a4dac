package dev.sluice.bench;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.dispatch.WorkerPool;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.time.TimeSource;
import dev.sluice.ingest.EventIntake;
import dev.sluice.intake.NotificationParser;
import dev.sluice.store.sqlite.SqliteBacklog;
import dev.sluice.store.sqlite.SqliteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;

/**
 * The parts of {@code sluice serve} that carry an event, wired as the service wires them: a SQLite
 * backlog in a fresh file, a gate with no limits, the dispatcher with a worker pool, and the intake
 * path (commit, then wake the dispatcher). No HTTP: the figures are the backlog's and the
 * dispatcher's.
 */
final class BenchPipeline implements AutoCloseable {

  private final Path file;
  private final SqliteBacklog backlog;
  private final ExecutorService workers;
  private final Dispatcher dispatcher;
  private final EventIntake intake;
  private final TimeSource time;

  BenchPipeline(BenchSettings settings, String name, Target target) {
    this.time = TimeSource.system();
    this.file = settings.dir().resolve(name + ".db");
    deleteBacklogFiles(file);
    boolean batching = settings.batchMax() > 1;
    this.backlog =
        SqliteBacklog.open(
            file,
            SqliteOptions.defaults()
                .withSynchronous(settings.synchronous())
                .withPartitionRule(batching ? PartitionRule.bucket() : PartitionRule.NONE));
    DispatcherConfig config =
        new DispatcherConfig(
            Duration.ofMinutes(5),
            settings.workers(),
            settings.claimBatch(),
            Duration.ofMillis(100),
            RetryPolicy.defaults());
    this.workers = WorkerPool.create(settings.workers(), "bench-worker");
    this.dispatcher =
        new Dispatcher(
            backlog, target, new Gate(Limits.none()), time, config, workers, new Random());
    if (batching) {
      dispatcher.batchBy(
          new BatchPlanner(new BatchSettings(settings.batchMax(), Duration.ZERO), LimitCount.JOBS),
          PartitionRule.bucket());
    }
    this.intake = new EventIntake(new NotificationParser(), backlog, time, dispatcher::wake);
  }

  /** Commits events and wakes the dispatcher: the service's intake path. */
  AppendResult accept(List<ObjectEvent> events) {
    return intake.appendEvents(events);
  }

  void startDispatcher() {
    dispatcher.start();
  }

  long completed() {
    return dispatcher.stats().completed();
  }

  /** Waits until {@code count} jobs are completed and settled; returns System.nanoTime() then. */
  long awaitCompleted(long count, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (completed() < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + completed() + " of " + count + " completed after " + atMost);
      }
      Thread.sleep(1);
    }
    return System.nanoTime();
  }

  long waiting() {
    return backlog.stats(time.now()).waiting();
  }

  /** Size of the backlog file and its write-ahead log, in bytes. */
  long fileBytes() {
    return size(file) + size(Path.of(file + "-wal"));
  }

  @Override
  public void close() {
    dispatcher.close();
    workers.shutdownNow();
    backlog.close();
    deleteBacklogFiles(file);
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteBacklogFiles(Path file) {
    for (String suffix : List.of("", "-wal", "-shm")) {
      try {
        Files.deleteIfExists(Path.of(file + suffix));
      } catch (IOException e) {
        throw new IllegalStateException("cannot delete " + file + suffix, e);
      }
    }
  }
}
