package dev.sluice.service.config;

import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionShares;
import java.util.Objects;

/**
 * Batches ({@code batch: {max, wait}}) and what the limits count ({@code limits.count}). With
 * {@code batch.max} above 1 a job carries up to that many events of one partition, and {@code
 * limits.count} must say whether a limit counts jobs (a batch is one) or objects (a batch is its
 * events); with no batching a job is one event and the two are the same.
 *
 * @param settings the batch size K and how long a partial batch waits ({@link BatchSettings#NONE}:
 *     no batching)
 * @param count what the limits count; {@link LimitCount#OBJECTS} when not batching
 */
public record BatchConfig(BatchSettings settings, LimitCount count) {

  public BatchConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(count, "count");
  }

  /** No batching: one event per job, limits count objects (= jobs). */
  public static BatchConfig none() {
    return new BatchConfig(BatchSettings.NONE, LimitCount.OBJECTS);
  }

  public boolean batching() {
    return settings.batching();
  }

  /**
   * Checks that a batch can ever go under {@code limits}: counting objects, a batch of K takes K
   * permits at once, so every limit must allow K.
   *
   * @throws IllegalArgumentException naming {@code batch.max} and the limit that is too small
   */
  public void checkAgainst(Limits limits) {
    if (!batching() || count != LimitCount.OBJECTS) {
      return;
    }
    int k = settings.max();
    if (limits.window() != null && limits.window().limit() < k) {
      throw tooBig("limits.window.limit", limits.window().limit());
    }
    if (limits.rate() != null && limits.rate().burst() < k) {
      throw tooBig("limits.rate.burst", limits.rate().burst());
    }
    if (limits.maxInFlight() != null && limits.maxInFlight() < k) {
      throw tooBig("limits.concurrency.max-in-flight", limits.maxInFlight());
    }
  }

  /**
   * Checks that every partition's batches can go under its cap: a cap counts events in flight, and
   * a batch of K puts K in flight at once, so a cap below K would hold that partition's whole
   * batches back for good.
   *
   * @throws IllegalArgumentException naming the cap and {@code batch.max}
   */
  public void checkAgainst(PartitionShares shares) {
    if (!batching()) {
      return;
    }
    shares
        .caps()
        .forEach(
            (partition, cap) -> {
              if (cap < settings.max()) {
                throw new IllegalArgumentException(
                    "partitions.caps.'"
                        + partition
                        + "' must be at least batch.max ("
                        + settings.max()
                        + ") while batching: a cap counts events in flight and a batch puts "
                        + settings.max()
                        + " in flight at once, so it could never go; got "
                        + cap);
              }
            });
  }

  private IllegalArgumentException tooBig(String limit, int allowed) {
    return new IllegalArgumentException(
        "batch.max must be at most "
            + limit
            + " ("
            + allowed
            + ") when limits.count is objects: a batch of "
            + settings.max()
            + " takes "
            + settings.max()
            + " permits at once, so it could never go; got "
            + settings.max());
  }
}
