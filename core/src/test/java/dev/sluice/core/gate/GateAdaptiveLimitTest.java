package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The gate's adapted ceiling: jobs at the target, besides the configured limits. */
class GateAdaptiveLimitTest {

  @Test
  void admission_underAnAdaptedLimit_admitsOnlyUpToItAndWaitsForAnAnswer() {
    Gate gate = new Gate(Limits.none().withMaxInFlight(10));
    gate.setAdaptiveLimit(3);
    assertThat(gate.admission(0).permits()).isEqualTo(3);
    gate.onRelease(0, 3);
    Admission full = gate.admission(1);
    assertThat(full.admits()).isFalse();
    assertThat(full.retryAtNanos()).isEqualTo(Admission.ON_COMPLETION);

    // Answered, outcome not yet committed: no longer at the target, still in flight.
    gate.onAnswered(1);
    assertThat(gate.atTarget()).isEqualTo(2);
    assertThat(gate.inFlight()).isEqualTo(3);
    assertThat(gate.admission(2).permits()).isEqualTo(1);
    gate.onAnswersSettled(1);
    gate.onCompletion(3, 1);
    assertThat(gate.atTarget()).isEqualTo(2);
    assertThat(gate.admission(3).permits()).isEqualTo(1);
  }

  @Test
  void admission_whenMaxInFlightIsTighter_theConfiguredLimitStillHolds() {
    Gate gate = new Gate(Limits.none().withMaxInFlight(4));
    gate.setAdaptiveLimit(20);
    gate.onRelease(0, 4);
    gate.onAnswered(4);
    // Four answered and not settled: the adapted limit would allow more, max-in-flight does not.
    assertThat(gate.admission(1).admits()).isFalse();
    gate.clearAdaptiveLimit();
    assertThat(gate.adaptiveLimit()).isEmpty();
  }

  @Test
  void setAdaptiveLimit_lowerThanAtTheTarget_holdsReleasesUntilEnoughAnswer() {
    Gate gate = new Gate(Limits.none());
    gate.onRelease(0, 8);
    gate.setAdaptiveLimit(5);
    assertThat(gate.admission(1).admits()).isFalse();
    gate.onAnswered(3);
    assertThat(gate.admission(2).admits()).isFalse();
    gate.onAnswered(1);
    assertThat(gate.admission(3).permits()).isEqualTo(1);
    assertThat(gate.adaptiveLimit()).hasValue(5);
  }

  @Test
  void onAnswersSettled_whenMoreThanAnswered_refuses() {
    Gate gate = new Gate(Limits.none());
    gate.onRelease(0, 2);
    gate.onAnswered(1);
    assertThatThrownBy(() -> gate.onAnswersSettled(2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> gate.setAdaptiveLimit(0))
        .hasMessage("adaptive limit must be >= 1, got 0");
  }
}
