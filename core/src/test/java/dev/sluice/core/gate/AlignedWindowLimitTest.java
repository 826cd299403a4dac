package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AlignedWindowLimitTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;

  @Test
  void admission_whenPeriodUsedUp_waitsForTheNextTick() {
    AlignedWindowLimit aligned = new AlignedWindowLimit(50, Duration.ofMinutes(1), 0);
    aligned.onRelease(10 * SECOND, 50);

    assertThat(aligned.admission(10 * SECOND)).isEqualTo(Admission.waitUntil(MINUTE));
    assertThat(aligned.admission(MINUTE - 1)).isEqualTo(Admission.waitUntil(MINUTE));
    assertThat(aligned.admission(MINUTE)).isEqualTo(Admission.admit(50));
  }

  @Test
  void admission_whenPartlyUsed_admitsTheRestOfThePeriod() {
    AlignedWindowLimit aligned = new AlignedWindowLimit(50, Duration.ofMinutes(1), 0);
    aligned.onRelease(SECOND, 20);

    assertThat(aligned.admission(59 * SECOND)).isEqualTo(Admission.admit(30));
  }

  @Test
  void admission_whenStraddlingATick_admitsTwoPeriodsWithinOneWindowLength() {
    AlignedWindowLimit aligned = new AlignedWindowLimit(50, Duration.ofMinutes(1), 0);
    aligned.onRelease(59 * SECOND, 50);

    // Documented: 100 releases within one second, as a scheduler ticking every minute does.
    assertThat(aligned.admission(MINUTE)).isEqualTo(Admission.admit(50));
  }

  @Test
  void admission_withAnchor_ticksAtAnchorPlusMultiplesOfT() {
    AlignedWindowLimit aligned = new AlignedWindowLimit(3, Duration.ofNanos(10), 7);
    aligned.onRelease(5, 3); // period [-3, 7)

    assertThat(aligned.admission(6)).isEqualTo(Admission.waitUntil(7));
    assertThat(aligned.admission(7)).isEqualTo(Admission.admit(3));
    aligned.onRelease(16, 3); // period [7, 17)
    assertThat(aligned.admission(16)).isEqualTo(Admission.waitUntil(17));
  }

  @Test
  @Timeout(10)
  void admission_when115ArriveAtOnce_releases50Then50Then15OnSuccessiveTicks() {
    AlignedWindowLimit aligned = new AlignedWindowLimit(50, Duration.ofMinutes(1), 0);
    int pending = 115;
    long now = 30 * SECOND;
    List<Long> releasedPerMinute = new ArrayList<>();
    while (pending > 0) {
      Admission a = aligned.admission(now);
      if (a.admits()) {
        int n = Math.min(pending, a.permits());
        aligned.onRelease(now, n);
        pending -= n;
        releasedPerMinute.add(now / MINUTE * 1000 + n);
      } else {
        assertThat(a.retryAtNanos()).isGreaterThan(now);
        now = a.retryAtNanos();
      }
    }

    assertThat(releasedPerMinute).containsExactly(50L, 1050L, 2015L);
  }

  @Test
  void restored_fromItsState_answersAsTheOriginalDoes() {
    AlignedWindowLimit original = new AlignedWindowLimit(50, Duration.ofMinutes(1), 7);
    original.onRelease(MINUTE + 10 * SECOND, 20);

    AlignedWindowLimit.State state = original.state();
    AlignedWindowLimit restored = AlignedWindowLimit.restored(50, Duration.ofMinutes(1), 7, state);

    assertThat(state).isEqualTo(new AlignedWindowLimit.State(1, 20));
    assertThat(restored.admission(MINUTE + 30 * SECOND)).isEqualTo(Admission.admit(30));
    assertThat(restored.admission(2 * MINUTE + 7)).isEqualTo(Admission.admit(50));
    assertThat(original.periodOf(2 * MINUTE + 6)).isEqualTo(1);
    assertThat(original.periodStartNanos(2)).isEqualTo(2 * MINUTE + 7);
  }
}
