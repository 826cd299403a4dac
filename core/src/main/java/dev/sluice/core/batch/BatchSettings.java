package dev.sluice.core.batch;

import dev.sluice.core.time.DurationFormat;
import java.time.Duration;

/**
 * How events are grouped into batches: the one definition of the config file's top-level {@code
 * batch:} section. Messages start with the field's name in that section ({@code max must be >= 1,
 * got 0}).
 *
 * @param max most events in one batch, K; 1 means no batching (one event per job, as without the
 *     section)
 * @param maxWait {@code wait}: how long the oldest due event of a partition waits for its batch to
 *     fill; after it, a partial batch goes
 */
public record BatchSettings(int max, Duration maxWait) {

  /** Most events one batch may carry: a Distributed Map reads far more, a POST body should not. */
  public static final int MAX_MAX = 10_000;

  /** No batching: every job carries one event. */
  public static final BatchSettings NONE = new BatchSettings(1, Duration.ZERO);

  public BatchSettings {
    if (max < 1 || max > MAX_MAX) {
      throw new IllegalArgumentException("max must be between 1 and " + MAX_MAX + ", got " + max);
    }
    if (maxWait == null || maxWait.isNegative()) {
      throw new IllegalArgumentException(
          "wait must be a duration >= 0, got " + DurationFormat.format(maxWait));
    }
  }

  /** Whether jobs carry more than one event. */
  public boolean batching() {
    return max > 1;
  }
}
