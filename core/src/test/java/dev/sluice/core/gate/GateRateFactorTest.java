package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gate's window and rate scaled by the adapted factor, under the limits in effect. */
class GateRateFactorTest {

  private static final long MS = 1_000_000L;

  @Test
  void scaledBy_scalesWindowAndRate_keepsMaxInFlight_withinTheirBounds() {
    Limits l =
        Limits.window(100, Duration.ofSeconds(1))
            .withRate(new Limits.Rate(20, 10))
            .withMaxInFlight(7);
    Limits s = l.scaledBy(0.19, 1);
    assertThat(s.window().limit()).isEqualTo(19);
    assertThat(s.rate().perSecond()).isEqualTo(3.8);
    assertThat(s.rate().burst()).isEqualTo(1);
    assertThat(s.maxInFlight()).isEqualTo(7);
    // At least one, at least a whole batch, never above the configured value.
    assertThat(l.scaledBy(0.001, 1).window().limit()).isEqualTo(1);
    assertThat(l.scaledBy(0.001, 1).rate().perSecond()).isEqualTo(0.02);
    assertThat(l.scaledBy(0.1, 25).window().limit()).isEqualTo(25);
    assertThat(l.scaledBy(0.1, 25).rate().burst()).isEqualTo(10);
    assertThat(l.scaledBy(1, 25)).isEqualTo(l);
    assertThatThrownBy(() -> l.scaledBy(1.5, 1)).hasMessageContaining("factor");
  }

  @Test
  void setRateFactor_admitsTheScaledWindow_countingTheStartsAlreadyMade() {
    Gate gate = new Gate(Limits.window(100, Duration.ofSeconds(1)));
    gate.onRelease(0, 15);
    gate.onCompletion(0, 15);

    gate.setRateFactor(0.2, 1, 10 * MS);

    // 20 a second, 15 of them already started in this second.
    assertThat(gate.admission(10 * MS).permits()).isEqualTo(5);
    assertThat(gate.limits()).isEqualTo(Limits.window(100, Duration.ofSeconds(1)));
    assertThat(gate.limitsInForce().window().limit()).isEqualTo(20);
    assertThat(gate.startsWithin(1000 * MS, 10 * MS)).isEqualTo(15);
    // Back to 1: the configured window, still counting those starts.
    gate.setRateFactor(1, 1, 20 * MS);
    assertThat(gate.admission(20 * MS).permits()).isEqualTo(85);
  }

  @Test
  void setLimits_atAScheduleBoundary_keepsTheFactor() {
    Gate gate = new Gate(Limits.window(100, Duration.ofSeconds(1)));
    gate.setRateFactor(0.5, 1, 0);

    gate.setLimits(Limits.window(40, Duration.ofSeconds(1)), 5 * MS);

    assertThat(gate.rateFactor()).isEqualTo(0.5);
    assertThat(gate.limitsInForce().window().limit()).isEqualTo(20);
    assertThat(gate.admission(5 * MS).permits()).isEqualTo(20);
  }

  @Test
  void setRateFactor_scalesTheRate_andRejectsAFactorOutOfRange() {
    Gate gate = new Gate(Limits.none().withRate(new Limits.Rate(10, 10)));
    gate.setRateFactor(0.5, 1, 0);
    assertThat(gate.admission(0).permits()).isEqualTo(5);
    gate.onRelease(0, 5);
    // 5 a second: the next token a fifth of a second on.
    assertThat(gate.admission(0).retryAtNanos()).isEqualTo(200 * MS);
    assertThatThrownBy(() -> gate.setRateFactor(0, 1, 0)).hasMessageContaining("rate factor");
  }

  @Test
  void setRateFactor_underSteadyReleases_keepsTheBucketsTokens_insteadOfRefillingIt() {
    Gate gate = new Gate(Limits.none().withRate(new Limits.Rate(20, 20)));
    // Drained steadily for 3 s: one start each 50 ms, the bucket empties and stays near empty.
    for (long t = 0; t <= 3000; t += 10) {
      long now = t * MS;
      int free = gate.admission(now).permits();
      if (free > 0 && t >= 1000) {
        gate.onRelease(now, 1);
        gate.onCompletion(now, 1);
      } else if (free > 0 && t < 1000) {
        gate.onRelease(now, free);
        gate.onCompletion(now, free);
      }
    }
    assertThat(gate.admission(3000 * MS).permits()).isZero();

    gate.setRateFactor(0.9, 1, 3000 * MS);

    // 18 a second from an empty bucket: nothing now, the next token 1/18 s on; rebuilt from the
    // last second alone, it would have started near full.
    assertThat(gate.admission(3000 * MS).admits()).isFalse();
    assertThat(gate.admission(3056 * MS).permits()).isEqualTo(1);
  }
}
