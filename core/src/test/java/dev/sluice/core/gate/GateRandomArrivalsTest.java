package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Drives a gate with random arrivals and batch sizes over long virtual time, then checks the
 * recorded releases with a count of its own, not with the gate's: limits never exceeded, and no
 * permit left unused while work was waiting.
 */
@Timeout(30)
class GateRandomArrivalsTest {

  private static final long SECOND = 1_000_000_000L;

  /** Releases of {@code count} at {@code nanos}, in time order. */
  private record Release(long nanos, int count) {}

  @Test
  void slidingWindow_withRandomArrivals_neverExceedsNPerTAndIsNeverIdleWithAPermit() {
    runSlidingWindow(new Random(20260101L), 1000, SECOND);
    runSlidingWindow(new Random(42L), 7, SECOND);
    runSlidingWindow(new Random(7L), 50, 60 * SECOND);
  }

  private static void runSlidingWindow(Random random, int n, long t) {
    Gate gate = new Gate(Limits.window(n, Duration.ofNanos(t)));
    List<Release> released = new ArrayList<>();
    long end = 300 * t;
    long now = 0;
    long nextArrival = 0;
    long pending = 0;
    int blockedChecks = 0;
    int waitChecks = 0;

    while (now < end) {
      while (nextArrival <= now) {
        pending += batchSize(random, n);
        nextArrival += gap(random, n, t, now);
      }
      Admission a = gate.admission(now);
      if (pending > 0 && a.admits()) {
        int count = (int) Math.min(pending, a.permits());
        gate.onRelease(now, count);
        gate.onCompletion(now, count);
        released.add(new Release(now, count));
        pending -= count;
        a = gate.admission(now);
      }
      if (pending == 0) {
        now = nextArrival;
        continue;
      }
      // Work is waiting: the gate must be out of permits, because the window really is full.
      assertThat(a.admits()).as("permits left at %d with %d pending", now, pending).isFalse();
      assertThat(inWindowEndingAt(released, now, t)).as("window at %d", now).isEqualTo(n);
      blockedChecks++;
      long retryAt = a.retryAtNanos();
      assertThat(retryAt).isGreaterThan(now);
      // ... and stays full until the gate says to retry: it never waits longer than needed.
      assertThat(inWindowEndingAt(released, retryAt - 1, t)).isEqualTo(n);
      assertThat(inWindowEndingAt(released, retryAt, t)).isLessThan(n);
      waitChecks++;
      now = Math.min(retryAt, nextArrival);
    }

    assertThat(blockedChecks).as("demand exceeded supply at times").isGreaterThan(50);
    assertThat(waitChecks).isGreaterThan(50);
    assertThat(maxInAnyWindow(released, t)).isLessThanOrEqualTo(n);
    assertThat(maxInAnyWindow(released, t)).isEqualTo(n);
  }

  @Test
  void rateAndWindow_withRandomArrivals_neverExceedEitherLimit() {
    Random random = new Random(1234L);
    int n = 100;
    long t = 10 * SECOND;
    int burst = 30;
    double perSecond = 8.5;
    Gate gate =
        new Gate(Limits.window(n, Duration.ofNanos(t)).withRate(new Limits.Rate(perSecond, burst)));
    List<Release> released = new ArrayList<>();
    long now = 0;
    long nextArrival = 0;
    long pending = 0;
    while (now < 200 * t) {
      while (nextArrival <= now) {
        pending += batchSize(random, burst);
        nextArrival += gap(random, n, t, now);
      }
      Admission a = gate.admission(now);
      if (pending > 0 && a.admits()) {
        int count = (int) Math.min(pending, a.permits());
        gate.onRelease(now, count);
        released.add(new Release(now, count));
        gate.onCompletion(now, count);
        pending -= count;
        a = gate.admission(now);
      }
      if (pending > 0) {
        assertThat(a.retryAtNanos()).as("retry time at %d", now).isGreaterThan(now);
      }
      now = pending > 0 ? Math.min(a.retryAtNanos(), nextArrival) : nextArrival;
    }

    assertThat(maxInAnyWindow(released, t)).isLessThanOrEqualTo(n);
    assertThat(maxInAnyWindow(released, t)).isEqualTo(n);
    // Token bucket bound: any closed interval [a, b] holds at most B + floor(R * (b - a)).
    boolean rateWasReached = false;
    for (int i = 0; i < released.size(); i++) {
      long sum = 0;
      for (int j = i; j < released.size(); j++) {
        sum += released.get(j).count();
        long elapsed = released.get(j).nanos() - released.get(i).nanos();
        long allowed = burst + (long) Math.floor(perSecond * elapsed / SECOND + 1e-9);
        assertThat(sum).as("releases in [%d, %d]", i, j).isLessThanOrEqualTo(allowed);
        rateWasReached |= elapsed > 10 * SECOND && sum == allowed;
      }
    }
    assertThat(rateWasReached).as("the rate limited a long busy spell").isTrue();
    assertThat(released.stream().mapToLong(Release::count).sum()).isGreaterThan(5_000);
  }

  @Test
  void alignedWindow_withRandomArrivals_neverExceedsNPerPeriod() {
    Random random = new Random(99L);
    int n = 50;
    long t = 60 * SECOND;
    long anchor = 13 * SECOND;
    Gate gate =
        new Gate(Limits.none().withWindow(new Limits.Window(n, Duration.ofNanos(t), true)), anchor);
    long[] perPeriod = new long[400];
    long now = 0;
    long nextArrival = 0;
    long pending = 0;
    int fullPeriodsWithWork = 0;
    while (now < 300 * t) {
      while (nextArrival <= now) {
        pending += batchSize(random, n);
        nextArrival += gap(random, n, t, now);
      }
      Admission a = gate.admission(now);
      int period = (int) Math.floorDiv(now - anchor, t) + 1;
      if (pending > 0 && a.admits()) {
        int count = (int) Math.min(pending, a.permits());
        gate.onRelease(now, count);
        gate.onCompletion(now, count);
        perPeriod[period] += count;
        pending -= count;
        a = gate.admission(now);
      }
      if (pending > 0) {
        assertThat(perPeriod[period]).isEqualTo(n);
        assertThat(a.retryAtNanos()).isEqualTo(anchor + period * t);
        fullPeriodsWithWork++;
      }
      if (pending > 0) {
        assertThat(a.retryAtNanos()).as("retry time at %d", now).isGreaterThan(now);
      }
      now = pending > 0 ? Math.min(a.retryAtNanos(), nextArrival) : nextArrival;
    }

    assertThat(Arrays.stream(perPeriod).max().orElseThrow()).isEqualTo(n);
    assertThat(fullPeriodsWithWork).isGreaterThan(20);
  }

  /** 1 to n/2 most of the time, sometimes more than a whole window. */
  private static int batchSize(Random random, int n) {
    if (random.nextInt(20) == 0) {
      return 1 + random.nextInt(2 * n);
    }
    return 1 + random.nextInt(Math.max(1, n / 2));
  }

  /** Alternates busy and quiet spells of a few windows each, with random gaps within. */
  private static long gap(Random random, int n, long t, long now) {
    boolean busy = (now / (7 * t)) % 2 == 0;
    long meanGap = busy ? t / (2L * n) * Math.max(1, n / 4) : 3 * t / 2;
    return 1 + (long) (random.nextDouble() * 2 * meanGap);
  }

  /** Releases at times a with end - t < a <= end. */
  private static long inWindowEndingAt(List<Release> released, long end, long t) {
    long sum = 0;
    for (int i = released.size() - 1; i >= 0; i--) {
      Release r = released.get(i);
      if (r.nanos() > end) {
        continue;
      }
      if (end - r.nanos() >= t) {
        break;
      }
      sum += r.count();
    }
    return sum;
  }

  /** The most releases in any half-open interval of length t (one ending at each release). */
  private static long maxInAnyWindow(List<Release> released, long t) {
    long max = 0;
    long sum = 0;
    int first = 0;
    for (Release r : released) {
      sum += r.count();
      while (r.nanos() - released.get(first).nanos() >= t) {
        sum -= released.get(first).count();
        first++;
      }
      max = Math.max(max, sum);
    }
    return max;
  }
}
