package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowLimitTest {

  private static final long T = Duration.ofSeconds(1).toNanos();

  @Test
  void admission_whenNothingReleased_admitsTheWholeLimit() {
    WindowLimit window = new WindowLimit(1000, Duration.ofSeconds(1));

    assertThat(window.admission(0)).isEqualTo(Admission.admit(1000));
  }

  @Test
  void admission_whenFullAt0_admitsNothingUntilExactlyTThenTheWholeLimit() {
    WindowLimit window = new WindowLimit(1000, Duration.ofSeconds(1));
    window.onRelease(0, 1000);

    assertThat(window.admission(0)).isEqualTo(Admission.waitUntil(T));
    assertThat(window.admission(T - 1)).isEqualTo(Admission.waitUntil(T));
    assertThat(window.admission(T)).isEqualTo(Admission.admit(1000));

    window.onRelease(T, 1000);
    assertThat(window.admission(2 * T - 1)).isEqualTo(Admission.waitUntil(2 * T));
    assertThat(window.admission(2 * T)).isEqualTo(Admission.admit(1000));
  }

  @Test
  void admission_whenReleaseIsExactlyTAfterAnother_doesNotShareItsInterval() {
    WindowLimit window = new WindowLimit(1, Duration.ofNanos(10));
    window.onRelease(5, 1);

    assertThat(window.admission(14)).isEqualTo(Admission.waitUntil(15));
    assertThat(window.admission(15)).isEqualTo(Admission.admit(1));
  }

  @Test
  void admission_whenPartlyUsed_admitsLimitMinusReleasesInTheLastT() {
    WindowLimit window = new WindowLimit(10, Duration.ofSeconds(1));
    window.onRelease(0, 2);
    window.onRelease(T / 2, 5);

    assertThat(window.admission(T / 2)).isEqualTo(Admission.admit(3));
    assertThat(window.admission(T)).isEqualTo(Admission.admit(5));
    assertThat(window.admission(T / 2 + T)).isEqualTo(Admission.admit(10));
  }

  @Test
  void admission_whenBatchesAtDifferentTimes_slidesBatchByBatch() {
    WindowLimit window = new WindowLimit(10, Duration.ofNanos(100));
    window.onRelease(0, 3);
    window.onRelease(30, 4);
    window.onRelease(60, 3);

    assertThat(window.admission(60)).isEqualTo(Admission.waitUntil(100));
    assertThat(window.admission(100)).isEqualTo(Admission.admit(3));

    window.onRelease(100, 3);
    assertThat(window.admission(100)).isEqualTo(Admission.waitUntil(130));
    assertThat(window.admission(129)).isEqualTo(Admission.waitUntil(130));
    assertThat(window.admission(130)).isEqualTo(Admission.admit(4));
    assertThat(window.admission(160)).isEqualTo(Admission.admit(7));
  }

  @Test
  void admission_whenOneReleaseMustLeaveFromABigBatch_waitsForThatBatch() {
    WindowLimit window = new WindowLimit(10, Duration.ofNanos(100));
    window.onRelease(0, 6);
    window.onRelease(50, 4);

    assertThat(window.admission(99)).isEqualTo(Admission.waitUntil(100));
    assertThat(window.admission(100)).isEqualTo(Admission.admit(6));
  }

  @Test
  void admission_whenReplayedHistoryExceedsTheLimit_waitsUntilEnoughHaveLeft() {
    // History made under a looser limit: 8 in the window against a limit of 5.
    WindowLimit window = new WindowLimit(5, Duration.ofNanos(100));
    window.replay(0, 2);
    window.replay(20, 2);
    window.replay(50, 4);

    // Fewer than 5 only once the 4 oldest have left: the last of them was released at 20.
    assertThat(window.admission(60)).isEqualTo(Admission.waitUntil(120));
    assertThat(window.admission(119)).isEqualTo(Admission.waitUntil(120));
    assertThat(window.admission(120)).isEqualTo(Admission.admit(1));
  }

  @Test
  void historyNanos_isTheWindowLength() {
    assertThat(new WindowLimit(5, Duration.ofMinutes(1)).historyNanos())
        .isEqualTo(Duration.ofMinutes(1).toNanos());
  }

  @Test
  void constructor_whenLimitNotPositive_namesTheField() {
    assertThatThrownBy(() -> new WindowLimit(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window.limit");
    assertThatThrownBy(() -> new WindowLimit(1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window.every");
  }
}
