package dev.sluice.bench;

import dev.sluice.store.sqlite.SqliteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The backlog benchmark of issue 2: prints figures, asserts nothing.
 *
 * <pre>
 * BacklogBenchmark [fill-then-drain|end-to-end|latency|all] [--events N] [--append-batch N]
 *                  [--workers N] [--claim-batch N] [--sync full|normal] [--dir DIR]
 * </pre>
 *
 * Run each phase in its own JVM (bench/run.sh does) so that the peak RSS of one does not hide in
 * another's.
 */
public final class BacklogBenchmark {

  private BacklogBenchmark() {}

  public static void main(String[] args) throws Exception {
    String phase = "all";
    int events = 1_000_000;
    int appendBatch = 1_000;
    int workers = 64;
    int claimBatch = 1_000;
    SqliteOptions.Synchronous sync = SqliteOptions.Synchronous.FULL;
    Path dir = null;
    int batch = 1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--append-batch" -> appendBatch = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--claim-batch" -> claimBatch = Integer.parseInt(args[++i]);
        case "--sync" ->
            sync = SqliteOptions.Synchronous.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--dir" -> dir = Path.of(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + a);
          }
          phase = a;
        }
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory("sluice-bench");
    }
    BenchSettings s = new BenchSettings(events, appendBatch, workers, claimBatch, sync, dir, batch);
    switch (phase) {
      case "fill-then-drain" -> FillThenDrain.run(s, System.out);
      case "end-to-end" -> EndToEndThroughput.run(s, System.out);
      case "latency" -> ArrivalLatency.run(s, System.out);
      case "all" -> {
        FillThenDrain.run(s, System.out);
        EndToEndThroughput.run(s, System.out);
        ArrivalLatency.run(s, System.out);
      }
      default ->
          throw new IllegalArgumentException(
              "unknown phase " + phase + " (fill-then-drain, end-to-end, latency, all)");
    }
  }
}
