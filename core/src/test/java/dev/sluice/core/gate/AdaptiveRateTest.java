package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rate factor's rule alone, in virtual time: every time is a number the test chooses. */
class AdaptiveRateTest {

  private static final long MS = 1_000_000L;
  private static final AdaptiveSettings ON = AdaptiveSettings.on().withRate(true);

  /** 100 per second: a period of a second, one release = 0.01. */
  private static final AdaptiveRate.Scale SCALE =
      AdaptiveRate.Scale.of(Limits.window(100, Duration.ofSeconds(1)));

  @Test
  void scale_ofAWindowAndARate_takesTheLongerPeriodAndTheTighterLimit() {
    assertThat(SCALE).isEqualTo(new AdaptiveRate.Scale(1000 * MS, 100));
    Limits both =
        Limits.window(100, Duration.ofSeconds(2)).withRate(new Limits.Rate(10, 5)); // 20 per 2 s
    assertThat(AdaptiveRate.Scale.of(both)).isEqualTo(new AdaptiveRate.Scale(2000 * MS, 20));
    // A rate alone: its refill time, at least a second.
    assertThat(AdaptiveRate.Scale.of(Limits.none().withRate(new Limits.Rate(2, 10))))
        .isEqualTo(new AdaptiveRate.Scale(5000 * MS, 10));
    assertThat(AdaptiveRate.Scale.of(Limits.none().withMaxInFlight(4))).isNull();
  }

  @Test
  void onThrottled_lowersByTheBackoff_atMostOncePerPeriod() {
    AdaptiveRate r = new AdaptiveRate(ON, 0);
    assertThat(r.factor()).isEqualTo(1.0);

    assertThat(r.onThrottled(0, 10 * MS, SCALE)).isTrue();
    assertThat(r.factor()).isEqualTo(0.9);
    // Started before the decrease, or within a period of it: the target still counts old starts.
    assertThat(r.onThrottled(5 * MS, 20 * MS, SCALE)).isFalse();
    assertThat(r.onThrottled(500 * MS, 900 * MS, SCALE)).isFalse();
    assertThat(r.factor()).isEqualTo(0.9);
    // A period on, still throttled: lower again.
    assertThat(r.onThrottled(1005 * MS, 1010 * MS, SCALE)).isTrue();
    assertThat(r.factor()).isCloseTo(0.81, within(1e-12));
    assertThat(r.lastChange().reason()).isEqualTo(AdaptiveRate.Reason.THROTTLED);
    assertThat(r.decreases()).isEqualTo(2);
  }

  @Test
  void onAnswered_whenInUse_stepsUpOncePerPeriod_twoAfterADecrease_neverAbove1() {
    AdaptiveRate r = new AdaptiveRate(ON, 0);
    r.onThrottled(0, 0, SCALE);
    double f = r.factor(); // 0.9

    assertThat(r.onAnswered(1000 * MS, 1999 * MS, true, SCALE)).isFalse();
    assertThat(r.onAnswered(1999 * MS, 2000 * MS, false, SCALE)).isFalse(); // not in use
    assertThat(r.onAnswered(1999 * MS, 2000 * MS, true, SCALE)).isTrue();
    assertThat(r.factor()).isCloseTo(f * 1.05, within(1e-12));
    assertThat(r.onAnswered(2500 * MS, 2999 * MS, true, SCALE)).isFalse(); // once per period
    assertThat(r.onAnswered(2999 * MS, 3000 * MS, true, SCALE)).isTrue();
    assertThat(r.factor()).isCloseTo(0.99225, within(1e-12)); // 0.9 * 1.05 * 1.05
    assertThat(r.onAnswered(3999 * MS, 4000 * MS, true, SCALE)).isTrue();
    assertThat(r.factor()).isEqualTo(1.0); // capped: the configured limits are the ceiling
    assertThat(r.onAnswered(5000 * MS, 9000 * MS, true, SCALE)).isFalse();
    assertThat(r.factor()).isEqualTo(1.0);
    assertThat(r.increases()).isEqualTo(3);
  }

  @Test
  void onAnswered_whenLow_stepsAtLeastOneReleaseAPeriod() {
    AdaptiveRate r = new AdaptiveRate(ON, 0);
    long t = 0;
    for (int i = 0; i < 60; i++) { // 0.9^60 is far below one release in 100
      t += 1000 * MS;
      r.onThrottled(t, t, SCALE);
    }
    assertThat(r.factor()).isEqualTo(0.01); // the floor: one release a period
    t += 2000 * MS;
    assertThat(r.onAnswered(t, t, true, SCALE)).isTrue();
    assertThat(r.factor()).isCloseTo(0.02, within(1e-12)); // one more release, not 5 % of 1
  }

  @Test
  void latencyAboveTheBound_countsAsAThrottle() {
    AdaptiveRate r = new AdaptiveRate(ON.withLatencyAbove(Duration.ofMillis(500)), 0);
    assertThat(r.onAnswered(0, 600 * MS, true, SCALE)).isTrue();
    assertThat(r.factor()).isEqualTo(0.9);
    assertThat(r.lastChange().reason()).isEqualTo(AdaptiveRate.Reason.LATENCY);
  }

  @Test
  void whenTheRateSettingIsOff_theFactorStaysAt1() {
    AdaptiveRate r = new AdaptiveRate(AdaptiveSettings.on(), 0);
    assertThat(r.onThrottled(0, 10 * MS, SCALE)).isFalse();
    assertThat(r.factor()).isEqualTo(1.0);
    assertThat(r.decreases()).isZero();

    // Switched on: adapts from 1; switched off: the limits as configured at once.
    assertThat(r.setSettings(ON, 20 * MS)).isFalse();
    r.onThrottled(30 * MS, 30 * MS, SCALE);
    assertThat(r.factor()).isEqualTo(0.9);
    assertThat(r.setSettings(AdaptiveSettings.on(), 40 * MS)).isTrue();
    assertThat(r.factor()).isEqualTo(1.0);
    assertThat(r.lastChange().reason()).isEqualTo(AdaptiveRate.Reason.SETTINGS);
    // On again: starts again at 1, not at what was learned before.
    assertThat(r.setSettings(ON, 50 * MS)).isFalse();
    assertThat(r.factor()).isEqualTo(1.0);
  }

  @Test
  void randomAnswers_neverLeaveTheFloorOrGoAbove1() {
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      AdaptiveRate r = new AdaptiveRate(ON, 0);
      long t = 0;
      for (int i = 0; i < 500; i++) {
        t += random.nextInt(400) * MS;
        long start = t - random.nextInt(200) * MS;
        if (random.nextInt(4) == 0) {
          r.onThrottled(start, t, SCALE);
        } else {
          r.onAnswered(start, t, random.nextBoolean(), SCALE);
        }
        assertThat(r.factor()).as("seed %d", seed).isBetween(0.01, 1.0);
      }
    }
  }
}
