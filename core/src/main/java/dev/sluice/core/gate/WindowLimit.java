package dev.sluice.core.gate;

import java.time.Duration;

/**
 * At most {@code limit} releases in any interval of length {@code every}: sliding and exact. A
 * release at time b is allowed iff fewer than {@code limit} earlier releases happened at times a
 * with {@code b - a < every}; a release exactly {@code every} after another does not share its
 * interval.
 *
 * <p>When full, the answer is to retry when the release that must leave the window leaves it: its
 * time plus {@code every}.
 */
public final class WindowLimit implements Limit {

  private final int limit;
  private final long everyNanos;
  private final ReleaseHistory inWindow = new ReleaseHistory();

  public WindowLimit(int limit, Duration every) {
    if (limit <= 0) {
      throw new IllegalArgumentException("window.limit must be > 0, got " + limit);
    }
    if (every == null || every.isZero() || every.isNegative()) {
      throw new IllegalArgumentException("window.every must be a positive duration, got " + every);
    }
    this.limit = limit;
    this.everyNanos = every.toNanos();
  }

  @Override
  public Admission admission(long nowNanos, long notYetStarted) {
    inWindow.forgetOlderThan(nowNanos, everyNanos);
    long held = inWindow.total() + notYetStarted;
    if (held < limit) {
      return Admission.admit((int) (limit - held));
    }
    // After a lowered limit the window can hold more than it allows; all the excess must leave too.
    // The jobs not yet started are the youngest: they start now at the earliest.
    long mustLeave = held - limit + 1;
    long leavesAt = mustLeave <= inWindow.total() ? inWindow.nanosOfNth(mustLeave) : nowNanos;
    return Admission.waitUntil(leavesAt + everyNanos);
  }

  @Override
  public void onRelease(long nowNanos, int count) {
    inWindow.forgetOlderThan(nowNanos, everyNanos);
    inWindow.add(nowNanos, count);
  }

  @Override
  public long historyNanos() {
    return everyNanos;
  }
}
