package dev.sluice.core.gate;

/**
 * At most {@code maxInFlight} jobs released and not yet completed. A release takes a slot, a
 * completion frees one; when all are taken only a completion can free one.
 */
public final class ConcurrencyLimit implements Limit {

  private final int maxInFlight;
  private long inFlight;

  /** A limit with {@code inFlight} jobs already running (kept across a change of limits). */
  public ConcurrencyLimit(int maxInFlight, long inFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException(
          "concurrency.max-in-flight must be >= 1, got " + maxInFlight);
    }
    if (inFlight < 0) {
      throw new IllegalArgumentException("inFlight must be >= 0, got " + inFlight);
    }
    this.maxInFlight = maxInFlight;
    this.inFlight = inFlight;
  }

  public ConcurrencyLimit(int maxInFlight) {
    this(maxInFlight, 0);
  }

  /** Jobs not yet started are in flight already: they hold their slots from their release. */
  @Override
  public Admission admission(long nowNanos, long notYetStarted) {
    if (inFlight < maxInFlight) {
      return Admission.admit((int) (maxInFlight - inFlight));
    }
    return Admission.waitForCompletion();
  }

  @Override
  public void onRelease(long nowNanos, int count) {
    inFlight += count;
  }

  /**
   * Frees {@code count} slots.
   *
   * @throws IllegalStateException if fewer than {@code count} jobs are in flight: a job completed
   *     twice, or one that was never released, is a bug that would let the count drift
   */
  @Override
  public void onCompletion(long nowNanos, int count) {
    if (count > inFlight) {
      throw new IllegalStateException(
          "completion of " + count + " jobs but only " + inFlight + " in flight");
    }
    inFlight -= count;
  }

  /** A release remembered from before a restart is not running in this process. */
  @Override
  public void replay(long releasedNanos, int count) {}

  @Override
  public long historyNanos() {
    return 0;
  }

  public long inFlight() {
    return inFlight;
  }
}
