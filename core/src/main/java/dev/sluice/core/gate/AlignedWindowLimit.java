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
    long p = Math.floorDiv(nowNanos - anchorNanos, everyNanos);
    // A time from an earlier period is counted in the current one: never hand out a period twice.
    if (p > period) {
      period = p;
      usedInPeriod = 0;
    }
  }
}
