package dev.sluice.bench;

import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.Pruner;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.dispatch.WorkerPool;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.TimeSource;
import dev.sluice.ingest.EventIntake;
import dev.sluice.intake.NotificationParser;
import dev.sluice.store.sqlite.SqliteBacklog;
import dev.sluice.store.sqlite.SqliteOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retention soak: pushes many events through the service's parts (intake append, dispatcher, a
 * no-op target) with short horizons and the background pruner running, and prints, every few
 * seconds, how the backlog file grows: elapsed, events done, file size (db + -wal), free pages,
 * rows held in events and releases, rows pruned, and the longest one pruning transaction held the
 * writer. With retention the file levels off once the horizon has passed; without it, it grows by
 * the size of every event.
 *
 * <p>The producer stays at most {@code --max-waiting} events ahead of the dispatcher, as a steady
 * stream would: the waiting rows are the backlog's own, not what retention is about.
 *
 * <pre>
 * RetentionSoak [--events 10000000] [--horizon 1m] [--every 10s] [--batch 500]
 *               [--max-waiting 100000] [--chunk 2000] [--pause 20ms] [--no-prune] [--dir DIR]
 * </pre>
 */
public final class RetentionSoak {

  private RetentionSoak() {}

  public static void main(String[] args) throws Exception {
    long events = 10_000_000;
    Duration horizon = Duration.ofMinutes(1);
    Duration every = Duration.ofSeconds(10);
    int batch = 500;
    long maxWaiting = 100_000;
    int chunk = Pruner.Settings.DEFAULT_CHUNK;
    Duration pause = Pruner.Settings.DEFAULT_PAUSE;
    boolean prune = true;
    Path dir = Path.of("bench/target/soak");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Long.parseLong(args[++i]);
        case "--horizon" -> horizon = duration(args[++i]);
        case "--every" -> every = duration(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--max-waiting" -> maxWaiting = Long.parseLong(args[++i]);
        case "--chunk" -> chunk = Integer.parseInt(args[++i]);
        case "--pause" -> pause = duration(args[++i]);
        case "--no-prune" -> prune = false;
        case "--dir" -> dir = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    run(events, horizon, every, batch, maxWaiting, chunk, pause, prune, dir, System.out);
  }

  private static Duration duration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    long n = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(n);
      case 'm' -> Duration.ofMinutes(n);
      case 'h' -> Duration.ofHours(n);
      default -> throw new IllegalArgumentException("not a duration: " + text);
    };
  }

  static void run(
      long events,
      Duration horizon,
      Duration every,
      int batch,
      long maxWaiting,
      int chunk,
      Duration pause,
      boolean prune,
      Path dir,
      PrintStream out)
      throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve("soak.db");
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(Path.of(file + suffix));
    }
    out.printf(
        "retention soak: events=%,d horizon=%s (dedup and releases) batch=%d max-waiting=%,d"
            + " chunk=%d pause=%dms prune=%s%n",
        events, horizon, batch, maxWaiting, chunk, pause.toMillis(), prune);
    TimeSource time = TimeSource.system();
    // The service's sync level for intake (FULL); claims and settlements commit at NORMAL.
    SqliteBacklog backlog = SqliteBacklog.open(file, SqliteOptions.defaults());
    // No limits, and a lease shorter than the horizon: the gate needs only the lease of the log.
    Duration lease = Duration.ofSeconds(30);
    DispatcherConfig config =
        new DispatcherConfig(lease, 64, 500, Duration.ofMillis(100), RetryPolicy.defaults());
    ExecutorService workers = WorkerPool.create(64, "soak-worker");
    Dispatcher dispatcher =
        new Dispatcher(
            backlog,
            new NoOpTarget(),
            new Gate(Limits.none()),
            time,
            config,
            workers,
            new Random());
    EventIntake intake = new EventIntake(new NotificationParser(), backlog, time, dispatcher::wake);
    AtomicLong prunedEvents = new AtomicLong();
    AtomicLong prunedReleases = new AtomicLong();
    Pruner pruner =
        new Pruner(
            backlog,
            time,
            new Pruner.Settings(horizon, horizon, chunk, pause, Duration.ofSeconds(1)),
            () -> lease,
            p -> {
              prunedEvents.addAndGet(p.events());
              prunedReleases.addAndGet(p.releases());
            });
    try (Connection pages = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
      dispatcher.start();
      if (prune) {
        pruner.start();
      }
      out.println(
          "| elapsed | done | events/s | file (db + wal) | free pages | event rows | release rows"
              + " | pruned events | pruned releases | longest prune tx |");
      out.println("|---|---|---|---|---|---|---|---|---|---|");
      long start = System.nanoTime();
      long nextReport = start + every.toNanos();
      long lastDone = 0;
      long lastReportAt = start;
      long appended = 0;
      while (true) {
        long done = dispatcher.stats().completed();
        if (appended < events && appended - done < maxWaiting) {
          int count = (int) Math.min(batch, events - appended);
          intake.appendEvents(BenchEvents.numbered(appended, count));
          appended += count;
        } else if (appended >= events && done >= events) {
          break;
        } else {
          Thread.sleep(1);
        }
        long now = System.nanoTime();
        if (now >= nextReport) {
          report(
              out,
              backlog,
              time,
              pages,
              file,
              now - start,
              done,
              (done - lastDone),
              now - lastReportAt,
              prunedEvents.get(),
              prunedReleases.get());
          lastDone = done;
          lastReportAt = now;
          nextReport += every.toNanos();
        }
      }
      long end = System.nanoTime();
      long done = dispatcher.stats().completed();
      report(
          out,
          backlog,
          time,
          pages,
          file,
          end - start,
          done,
          done - lastDone,
          end - lastReportAt,
          prunedEvents.get(),
          prunedReleases.get());
      out.println(Figures.rate("end to end with pruning", events, end - start));
      pruner.close();
      dispatcher.close();
      workers.shutdownNow();
      // The counts kept in step with every change, against the rows really there.
      BacklogStats stats = backlog.stats(time.now());
      long counted = stats.waiting() + stats.leased() + stats.done() + stats.dead();
      out.printf(
          "counts row: %,d events, %,d releases; count(*): %,d events, %,d releases%n",
          counted,
          stats.releases(),
          scalar(pages, "SELECT count(*) FROM events"),
          scalar(pages, "SELECT count(*) FROM releases"));
      out.printf(
          "longest prune transaction: %d ms%n", backlog.longestPruneTransaction().toMillis());
      out.printf("VmHWM: %.1f MiB%n", ProcessMemory.read().peakRssMib());
    } finally {
      pruner.close();
      dispatcher.close();
      workers.shutdownNow();
      backlog.close();
    }
  }

  private static void report(
      PrintStream out,
      SqliteBacklog backlog,
      TimeSource time,
      Connection pages,
      Path file,
      long elapsedNanos,
      long done,
      long doneSinceLast,
      long sinceLastNanos,
      long prunedEvents,
      long prunedReleases)
      throws SQLException {
    BacklogStats s = backlog.stats(time.now());
    long rows = s.waiting() + s.leased() + s.done() + s.dead();
    out.printf(
        "| %.0f s | %,d | %,.0f | %.1f MiB | %,d | %,d | %,d | %,d | %,d | %d ms |%n",
        elapsedNanos / 1e9,
        done,
        doneSinceLast / (sinceLastNanos / 1e9),
        (size(file) + size(Path.of(file + "-wal"))) / 1048576.0,
        scalar(pages, "PRAGMA freelist_count"),
        rows,
        s.releases(),
        prunedEvents,
        prunedReleases,
        backlog.longestPruneTransaction().toMillis());
    out.flush();
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
