package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The limiter keeps the gate's rate factor at the policy's, within what a whole batch needs. */
class AdaptiveLimiterRateTest {

  private final ManualTimeSource time = new ManualTimeSource();
  private final Job job = new Job(1, 1, 1, Instant.EPOCH, ObjectEvent.created("b", "k", "test"));

  private void throttleForSeconds(AdaptiveLimiter limiter, int seconds) {
    for (int i = 0; i < seconds; i++) {
      time.advance(Duration.ofSeconds(1));
      limiter.answered(job, Outcome.throttled(Duration.ofMillis(100), "429"), Duration.ZERO);
    }
  }

  @Test
  void throttles_lowerTheWindow_butNeverBelowAWholeBatch() {
    Gate gate = new Gate(Limits.window(100, Duration.ofSeconds(1)));
    AdaptiveLimiter limiter =
        new AdaptiveLimiter(gate, time, 16, AdaptiveSettings.on().withRate(true));
    limiter.keepWholeReleasesOf(() -> 25);

    throttleForSeconds(limiter, 60); // 0.9^60: far below a quarter

    assertThat(limiter.rateFactor()).isLessThan(0.25);
    assertThat(gate.limitsInForce().window().limit()).isEqualTo(25);
    assertThat(limiter.state().rate().windowLimitNow()).isEqualTo(25);
    assertThat(gate.limits()).isEqualTo(Limits.window(100, Duration.ofSeconds(1)));
  }

  @Test
  void throttles_lowerARate_andSwitchingTheRateOffGivesItBack() {
    Limits limits = Limits.none().withRate(new Limits.Rate(50, 50));
    Gate gate = new Gate(limits);
    AdaptiveLimiter limiter =
        new AdaptiveLimiter(gate, time, 16, AdaptiveSettings.on().withRate(true));

    throttleForSeconds(limiter, 5);

    // Five decreases, a second apart (the bucket refills in a second): 50 * 0.9^5 = 29.5.
    assertThat(limiter.state().rate().decreases()).isEqualTo(5);
    assertThat(gate.limitsInForce().rate().perSecond()).isEqualTo(29.525);
    assertThat(gate.limitsInForce().rate().burst()).isEqualTo(29);

    limiter.setSettings(AdaptiveSettings.on());
    assertThat(gate.rateFactor()).isEqualTo(1.0);
    assertThat(gate.limitsInForce()).isEqualTo(limits);
  }
}
