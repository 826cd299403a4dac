package dev.sluice.bench;

import dev.sluice.store.sqlite.SqliteOptions;
import java.nio.file.Path;

/**
 * What a benchmark run uses.
 *
 * @param events events per run, > 0
 * @param appendBatch events per append (one backlog transaction), > 0
 * @param workers dispatcher workers (jobs running at once), > 0
 * @param claimBatch most events per claim, > 0
 * @param synchronous the backlog's sync level; FULL is the service default
 * @param dir where backlog files are created (each run its own file)
 * @param batchMax events per job ({@code batch.max}); 1 releases one event per job, more releases
 *     batches grouped by bucket, the limits counting jobs
 */
record BenchSettings(
    int events,
    int appendBatch,
    int workers,
    int claimBatch,
    SqliteOptions.Synchronous synchronous,
    Path dir,
    int batchMax) {

  BenchSettings {
    positive("events", events);
    positive("append-batch", appendBatch);
    positive("workers", workers);
    positive("claim-batch", claimBatch);
    positive("batch", batchMax);
    if (synchronous == null) {
      throw new IllegalArgumentException("sync must be full or normal");
    }
    if (dir == null) {
      throw new IllegalArgumentException("dir must be set");
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  String describe() {
    return String.format(
        "events=%d append-batch=%d workers=%d claim-batch=%d sync=%s%s",
        events,
        appendBatch,
        workers,
        claimBatch,
        synchronous,
        batchMax > 1 ? " batch=" + batchMax : "");
  }
}
