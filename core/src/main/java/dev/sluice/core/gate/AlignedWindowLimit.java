package dev.sluice.core.gate;

import java.time.Duration;

/**
 * Up to {@code limit} releases per period of a fixed schedule, as the reference architecture's
 * scheduler does when it runs every {@code every}. Periods start at {@code anchorNanos + k *
 * every}; when a period's releases are used up, the answer is to retry at the start of the next
 * one.
 *
 * <p>Unlike {@link WindowLimit} this is not a hard limit on every interval: an interval of length
 * {@code every} straddling a period start can hold up to {@code 2 * limit} releases (a full period
 * end, then a full period start), exactly what a scheduler that runs every {@code every} releases.
 */
public final class AlignedWindowLimit implements Limit {

  private final int limit;
  private final long everyNanos;
  private final long anchorNanos;
  private long period = Long.MIN_VALUE;
  private long usedInPeriod;

  public AlignedWindowLimit(int limit, Duration every, long anchorNanos) {
    if (limit <= 0) {
      throw new IllegalArgumentException("window.limit must be > 0, got " + limit);
    }
    if (every == null || every.isZero() || every.isNegative()) {
      throw new IllegalArgumentException("window.every must be a positive duration, got " + every);
    }
    this.limit = limit;
    this.everyNanos = every.toNanos();
    this.anchorNanos = anchorNanos;
  }

  /**
   * A limit that resumes from a stored {@link State}, so a short-lived process decides as if it had
   * made every release itself.
   */
  public static AlignedWindowLimit restored(
      int limit, Duration every, long anchorNanos, State state) {
    AlignedWindowLimit restored = new AlignedWindowLimit(limit, every, anchorNanos);
    restored.period = state.period();
    restored.usedInPeriod = state.used();
    return restored;
  }

  /**
   * What a store must keep of this limit: the period (counted from the anchor) and the releases in
   * it.
   *
   * @param period index of the period, {@code floor((t - anchor) / every)}; {@link Long#MIN_VALUE}
   *     before the first release
   * @param used releases counted in that period, >= 0
   */
  public record State(long period, long used) {
    public State {
      if (used < 0) {
        throw new IllegalArgumentException("used must be >= 0, got " + used);
      }
    }
  }

  /** This limit's state now, to be stored and {@link #restored} later. */
  public State state() {
    return new State(period, usedInPeriod);
  }

  /** The index of the period that holds {@code nanos}. */
  public long periodOf(long nanos) {
    return Math.floorDiv(nanos - anchorNanos, everyNanos);
  }

  /** When period {@code p} starts. */
  public long periodStartNanos(long p) {
    return anchorNanos + p * everyNanos;
  }

  @Override
  public Admission admission(long nowNanos, long notYetStarted) {
    enterPeriodOf(nowNanos);
    long used = usedInPeriod + notYetStarted;
    if (used < limit) {
      return Admission.admit((int) (limit - used));
    }
    return Admission.waitUntil(anchorNanos + (period + 1) * everyNanos);
  }

  @Override
  public void onRelease(long nowNanos, int count) {
    enterPeriodOf(nowNanos);
    usedInPeriod += count;
  }

  @Override
  public long historyNanos() {
    return everyNanos;
  }

  private void enterPeriodOf(long nowNanos) {
    long p = periodOf(nowNanos);
    // A time from an earlier period is counted in the current one: never hand out a period twice.
    if (p > period) {
      period = p;
      usedInPeriod = 0;
    }
  }
}
