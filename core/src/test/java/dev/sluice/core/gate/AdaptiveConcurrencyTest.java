package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The AIMD policy alone, in virtual time: every time is a number the test chooses. */
class AdaptiveConcurrencyTest {

  private static final long MS = 1_000_000L;

  @Test
  void limit_whenNew_isTheCeiling() {
    AdaptiveConcurrency a = new AdaptiveConcurrency(AdaptiveSettings.on(), 40, 0);
    assertThat(a.limit()).isEqualTo(40);
    assertThat(a.lastChange().reason()).isEqualTo(AdaptiveConcurrency.Reason.START);
  }

  @Test
  void onThrottled_lowersByTheBackoff_onceForJobsSentBeforeTheDecrease() {
    AdaptiveConcurrency a = new AdaptiveConcurrency(AdaptiveSettings.on(), 50, 0);

    assertThat(a.onThrottled(10 * MS, 20 * MS)).isTrue();
    assertThat(a.limit()).isEqualTo(45); // 50 * 0.9
    // Sent before the decrease at 20 ms: the decrease already answered for them.
    assertThat(a.onThrottled(15 * MS, 21 * MS)).isFalse();
    assertThat(a.onThrottled(19 * MS, 25 * MS)).isFalse();
    assertThat(a.limit()).isEqualTo(45);
    // Sent under the lowered limit and still throttled: lower again.
    assertThat(a.onThrottled(22 * MS, 30 * MS)).isTrue();
    assertThat(a.limit()).isEqualTo(40); // 45 * 0.9 = 40.5
    assertThat(a.lastChange())
        .isEqualTo(
            new AdaptiveConcurrency.Change(30 * MS, 45, 40, AdaptiveConcurrency.Reason.THROTTLED));
    assertThat(a.decreases()).isEqualTo(2);
  }

  @Test
  void onAnswered_whenInUse_raisesByOneAtMostOncePerRoundTrip_twoAfterADecrease() {
    AdaptiveConcurrency a = new AdaptiveConcurrency(AdaptiveSettings.on(), 20, 0);
    a.onThrottled(0, 0); // 18 at t=0
    assertThat(a.limit()).isEqualTo(18);

    // Calls take 100 ms; the first increase comes two round trips after the decrease.
    assertThat(a.onAnswered(0, 100 * MS, 18)).isFalse();
    assertThat(a.onAnswered(99 * MS, 199 * MS, 18)).isFalse();
    assertThat(a.onAnswered(100 * MS, 200 * MS, 18)).isTrue();
    assertThat(a.limit()).isEqualTo(19);
    // Then one a round trip.
    assertThat(a.onAnswered(150 * MS, 250 * MS, 19)).isFalse();
    assertThat(a.onAnswered(199 * MS, 299 * MS, 19)).isFalse();
    assertThat(a.onAnswered(200 * MS, 300 * MS, 19)).isTrue();
    assertThat(a.limit()).isEqualTo(20);
    assertThat(a.lastChange().reason()).isEqualTo(AdaptiveConcurrency.Reason.RECOVERING);
    // Never above the ceiling.
    assertThat(a.onAnswered(300 * MS, 400 * MS, 20)).isFalse();
    assertThat(a.onAnswered(900 * MS, 1000 * MS, 20)).isFalse();
    assertThat(a.limit()).isEqualTo(20);
  }

  @Test
  void onAnswered_whenLessThanHalfTheLimitIsInUse_doesNotRaise() {
    AdaptiveConcurrency a = new AdaptiveConcurrency(AdaptiveSettings.on(), 100, 0);
    a.onThrottled(0, 0); // 90
    assertThat(a.onAnswered(900 * MS, 1000 * MS, 44)).isFalse();
    assertThat(a.limit()).isEqualTo(90);
    assertThat(a.onAnswered(1900 * MS, 2000 * MS, 45)).isTrue();
    assertThat(a.limit()).isEqualTo(91);
  }

  @Test
  void onAnswered_whenSlowerThanTheBound_countsAsAThrottle() {
    AdaptiveSettings s = AdaptiveSettings.on().withLatencyAbove(Duration.ofMillis(500));
    AdaptiveConcurrency a = new AdaptiveConcurrency(s, 30, 0);

    assertThat(a.onAnswered(0, 500 * MS, 30)).isFalse(); // at the bound: in time
    assertThat(a.limit()).isEqualTo(30);
    assertThat(a.onAnswered(0, 501 * MS, 30)).isTrue();
    assertThat(a.limit()).isEqualTo(27);
    assertThat(a.lastChange().reason()).isEqualTo(AdaptiveConcurrency.Reason.LATENCY);
  }

  @Test
  void onThrottled_neverGoesBelowTheFloor() {
    AdaptiveConcurrency a = new AdaptiveConcurrency(AdaptiveSettings.on().withMin(3), 10, 0);
    for (int i = 1; i <= 50; i++) {
      a.onThrottled(i * MS, i * MS);
    }
    assertThat(a.limit()).isEqualTo(3);
    // Another throttle at the floor is still the latest news about the target.
    a.onThrottled(60 * MS, 60 * MS);
    assertThat(a.lastChange().atNanos()).isEqualTo(60 * MS);
    assertThat(a.lastChange().to()).isEqualTo(3);
  }

  @Test
  void setCeiling_whenLowered_clampsTheLimit_andWhenRaised_letsItGrowByOne() {
    AdaptiveConcurrency a = new AdaptiveConcurrency(AdaptiveSettings.on(), 50, 0);
    assertThat(a.setCeiling(20, MS)).isTrue();
    assertThat(a.limit()).isEqualTo(20);
    assertThat(a.lastChange().reason()).isEqualTo(AdaptiveConcurrency.Reason.CEILING);

    assertThat(a.setCeiling(30, 2 * MS)).isFalse();
    assertThat(a.limit()).isEqualTo(20);
    assertThat(a.onAnswered(100 * MS, 200 * MS, 20)).isTrue();
    assertThat(a.limit()).isEqualTo(21);
  }

  @Test
  void setCeiling_belowTheFloor_wins() {
    AdaptiveConcurrency a = new AdaptiveConcurrency(AdaptiveSettings.on().withMin(8), 50, 0);
    a.setCeiling(5, MS);
    assertThat(a.limit()).isEqualTo(5);
  }

  @Test
  void setSettings_whenSwitchedBackOn_startsAtTheCeiling() {
    AdaptiveConcurrency a = new AdaptiveConcurrency(AdaptiveSettings.on(), 50, 0);
    for (int i = 1; i <= 10; i++) {
      a.onThrottled(i * MS, i * MS);
    }
    assertThat(a.limit()).isLessThan(20);
    a.setSettings(AdaptiveSettings.off(), 20 * MS);
    a.setSettings(AdaptiveSettings.on(), 30 * MS);
    assertThat(a.limit()).isEqualTo(50);
    assertThat(a.lastChange().reason()).isEqualTo(AdaptiveConcurrency.Reason.SETTINGS);
  }

  @Test
  void settings_whenOutOfRange_nameTheKey() {
    assertThatThrownBy(() -> AdaptiveSettings.on().withMin(0))
        .hasMessage("adaptive.min must be >= 1, got 0");
    assertThatThrownBy(() -> AdaptiveSettings.on().withBackoff(1.0))
        .hasMessage("adaptive.backoff must be > 0 and < 1, got 1.0");
    assertThatThrownBy(() -> AdaptiveSettings.on().withLatencyAbove(Duration.ZERO))
        .hasMessageStartingWith("adaptive.latency-above must be a positive duration");
  }

  @Test
  void limit_underRandomAnswers_staysBetweenFloorAndCeiling() {
    Random random = new Random(7);
    for (int run = 0; run < 200; run++) {
      int ceiling = 1 + random.nextInt(100);
      int min = 1 + random.nextInt(10);
      AdaptiveConcurrency a =
          new AdaptiveConcurrency(
              AdaptiveSettings.on().withMin(min).withBackoff(0.1 + random.nextDouble() * 0.85),
              ceiling,
              0);
      long now = 0;
      for (int i = 0; i < 500; i++) {
        now += random.nextInt(50) * MS;
        long start = now - random.nextInt(200) * MS;
        if (random.nextInt(10) == 0) {
          a.setCeiling(1 + random.nextInt(100), now);
          ceiling = a.ceiling();
        }
        if (random.nextInt(4) == 0) {
          a.onThrottled(start, now);
        } else {
          a.onAnswered(start, now, random.nextInt(ceiling + 1));
        }
        assertThat(a.limit()).isBetween(Math.min(min, ceiling), ceiling);
      }
    }
  }
}
