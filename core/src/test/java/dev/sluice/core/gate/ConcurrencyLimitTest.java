package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConcurrencyLimitTest {

  @Test
  void admission_whenAllSlotsTaken_waitsForACompletion() {
    ConcurrencyLimit limit = new ConcurrencyLimit(3);
    assertThat(limit.admission(0)).isEqualTo(Admission.admit(3));

    limit.onRelease(0, 2);
    assertThat(limit.admission(0)).isEqualTo(Admission.admit(1));
    limit.onRelease(0, 1);

    Admission full = limit.admission(1_000_000);
    assertThat(full.permits()).isZero();
    assertThat(full.retryAtNanos()).isEqualTo(Admission.ON_COMPLETION);
  }

  @Test
  void onCompletion_freesSlots() {
    ConcurrencyLimit limit = new ConcurrencyLimit(3);
    limit.onRelease(0, 3);

    limit.onCompletion(5, 2);

    assertThat(limit.admission(5)).isEqualTo(Admission.admit(2));
    assertThat(limit.inFlight()).isEqualTo(1);
  }

  @Test
  void onCompletion_whenMoreThanInFlight_throwsAndKeepsTheCount() {
    ConcurrencyLimit limit = new ConcurrencyLimit(3);
    limit.onRelease(0, 1);

    assertThatThrownBy(() -> limit.onCompletion(0, 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only 1 in flight");
    assertThat(limit.inFlight()).isEqualTo(1);
  }

  @Test
  void replay_doesNotTakeASlot() {
    ConcurrencyLimit limit = new ConcurrencyLimit(3);

    limit.replay(0, 3);

    assertThat(limit.admission(0)).isEqualTo(Admission.admit(3));
  }

  @Test
  void constructor_withJobsInFlight_countsThem() {
    ConcurrencyLimit limit = new ConcurrencyLimit(5, 4);

    assertThat(limit.admission(0)).isEqualTo(Admission.admit(1));
  }
}
