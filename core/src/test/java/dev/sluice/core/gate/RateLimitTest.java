package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RateLimitTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  @Test
  void admission_whenNew_admitsTheWholeBurst() {
    RateLimit rate = new RateLimit(new Limits.Rate(10, 5));

    assertThat(rate.admission(0)).isEqualTo(Admission.admit(5));
  }

  @Test
  void admission_whenEmpty_waitsUntilOneWholeTokenIsRefilled() {
    RateLimit rate = new RateLimit(new Limits.Rate(10, 5));
    rate.onRelease(0, 5);

    assertThat(rate.admission(0)).isEqualTo(Admission.waitUntil(100 * MS));
    assertThat(rate.admission(100 * MS - 1)).isEqualTo(Admission.waitUntil(100 * MS));
    assertThat(rate.admission(100 * MS)).isEqualTo(Admission.admit(1));
    assertThat(rate.admission(250 * MS)).isEqualTo(Admission.admit(2));
  }

  @Test
  void admission_afterALongPause_neverExceedsTheBurst() {
    RateLimit rate = new RateLimit(new Limits.Rate(10, 5));
    rate.onRelease(0, 5);

    assertThat(rate.admission(3600 * SECOND)).isEqualTo(Admission.admit(5));
  }

  @Test
  void admission_withSlowRate_waitsWholeSecondsPerToken() {
    RateLimit rate = new RateLimit(new Limits.Rate(0.5, 1));
    rate.onRelease(7, 1);

    assertThat(rate.admission(7)).isEqualTo(Admission.waitUntil(7 + 2 * SECOND));
  }

  @Test
  void admission_withRateNotDividingASecond_roundsTheWaitUp() {
    RateLimit rate = new RateLimit(new Limits.Rate(3, 1));
    rate.onRelease(0, 1);

    // One token takes 333,333,333.33 ns: the first whole nanosecond with a token is the next one.
    assertThat(rate.admission(0)).isEqualTo(Admission.waitUntil(333_333_334L));
    assertThat(rate.admission(333_333_333L).permits()).isZero();
    assertThat(rate.admission(333_333_334L)).isEqualTo(Admission.admit(1));
  }

  @Test
  void admission_whileTheBucketNeverFills_doesNotDriftFromRoundingEachToken() {
    RateLimit rate = new RateLimit(new Limits.Rate(3, 2));
    rate.onRelease(0, 2);

    // Token k is back at k / 3 s, rounded up once, not k times.
    assertThat(rate.admission(0)).isEqualTo(Admission.waitUntil(333_333_334L));
    rate.onRelease(333_333_334L, 1);
    assertThat(rate.admission(333_333_334L)).isEqualTo(Admission.waitUntil(666_666_667L));
    rate.onRelease(666_666_667L, 1);
    assertThat(rate.admission(666_666_667L)).isEqualTo(Admission.waitUntil(SECOND));
    assertThat(rate.admission(SECOND - 1).permits()).isZero();
    assertThat(rate.admission(SECOND)).isEqualTo(Admission.admit(1));
  }

  @Test
  void admission_whenTheBucketOverflowsBetweenNanoseconds_losesTheOverflow() {
    RateLimit rate = new RateLimit(new Limits.Rate(3, 1));
    rate.onRelease(0, 1);
    // Full at 333,333,333.33 ns; the bucket holds one token, so the next one starts at the release.
    rate.onRelease(333_333_334L, 1);

    assertThat(rate.admission(333_333_334L)).isEqualTo(Admission.waitUntil(666_666_668L));
  }

  @Test
  @Timeout(10)
  void greedyRelease_overAnHour_releasesBurstPlusRateTimesTimeExactly() {
    RateLimit rate = new RateLimit(new Limits.Rate(7.3, 20));
    long end = 3600 * SECOND;
    long now = 0;
    long released = 0;
    while (now <= end) {
      Admission a = rate.admission(now);
      if (a.admits()) {
        rate.onRelease(now, a.permits());
        released += a.permits();
      } else {
        assertThat(a.retryAtNanos()).isGreaterThan(now);
        now = a.retryAtNanos();
      }
    }

    // B + R * t = 20 + 7.3 * 3600, and 7.3 * 3600 = 26280 exactly.
    assertThat(released).isEqualTo(20 + 26_280);
  }

  @Test
  void greedyRelease_afterTheBurst_releasesOneTokenEveryOneOverRSeconds() {
    RateLimit rate = new RateLimit(new Limits.Rate(4, 2));
    rate.onRelease(0, 2);

    long now = 0;
    for (int k = 1; k <= 8; k++) {
      Admission a = rate.admission(now);
      assertThat(a.retryAtNanos()).isEqualTo(k * 250 * MS);
      now = a.retryAtNanos();
      assertThat(rate.admission(now)).isEqualTo(Admission.admit(1));
      rate.onRelease(now, 1);
    }
  }

  @Test
  void onRelease_whenMoreThanTheTokens_emptiesTheBucketAndNoMore() {
    RateLimit rate = new RateLimit(new Limits.Rate(10, 5));

    rate.replay(0, 50);

    assertThat(rate.admission(0)).isEqualTo(Admission.waitUntil(100 * MS));
  }

  @Test
  void historyNanos_isTheTimeToRefillFromEmptyToFull() {
    assertThat(new RateLimit(new Limits.Rate(10, 5)).historyNanos()).isEqualTo(500 * MS);
    assertThat(new RateLimit(new Limits.Rate(3, 1)).historyNanos()).isEqualTo(333_333_334L);
  }
}
