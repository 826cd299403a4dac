package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Permits granted ahead, each for the instant it frees, so a window's jobs can be claimed early.
 */
class GateReserveAheadTest {

  private static final long MS = 1_000_000L;

  @Test
  void reserveAhead_whenAWindowOpensBeforeTheHorizon_grantsItsPermitsAtTheInstantsTheyFree() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.reserve(0, 10);
    gate.onStart(100 * MS, 5);
    gate.onStart(300 * MS, 5);

    // At 1050 ms, looking 100 ms ahead: the first five leave at 1100 ms, the others at 1300 ms.
    assertThat(gate.reserveAhead(1_050 * MS, 1_150 * MS, 100))
        .containsExactly(new Grant(1_100 * MS, 5));
    assertThat(gate.notYetStarted()).isEqualTo(5);
    assertThat(gate.reserveAhead(1_050 * MS, 1_350 * MS, 100))
        .containsExactly(new Grant(1_300 * MS, 5));
  }

  @Test
  void reserveAhead_whenPermitsAreFreeNow_grantsThemNow() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));

    assertThat(gate.reserveAhead(0, 50 * MS, 4)).containsExactly(new Grant(0, 4));
    assertThat(gate.reserveAhead(0, 0, 100)).containsExactly(new Grant(0, 6));
  }

  @Test
  void reserveAhead_afterAGrantAhead_neverGrantsAnEarlierInstant() {
    Gate gate = new Gate(Limits.window(2, Duration.ofSeconds(1)));
    gate.onRelease(0, 1);
    gate.onRelease(500 * MS, 1);
    assertThat(gate.reserveAhead(980 * MS, 1_030 * MS, 1))
        .containsExactly(new Grant(1_000 * MS, 1));

    // Asked again at 990 ms: the gate is at 1000 ms already.
    assertThat(gate.reserveAhead(990 * MS, 990 * MS, 5)).isEmpty();
    assertThat(gate.admission(990 * MS)).isEqualTo(Admission.waitUntil(1_500 * MS));
  }

  @Test
  void reserveAhead_withARate_grantsEachTokenWhenItRefills() {
    Gate gate = new Gate(Limits.none().withRate(new Limits.Rate(10, 5)));
    gate.onRelease(0, 5);

    assertThat(gate.reserveAhead(50 * MS, 350 * MS, 10))
        .containsExactly(new Grant(100 * MS, 1), new Grant(200 * MS, 1), new Grant(300 * MS, 1));
  }

  @Test
  void reserveAhead_withARateWhoseBucketIsFull_grantsNoTokenAheadOfAnUnstartedJob() {
    // A job granted ahead may start late, and a full bucket cannot hold its token and refill too.
    Gate gate = new Gate(Limits.none().withRate(new Limits.Rate(10, 1)));
    gate.onRelease(0, 1);

    assertThat(gate.reserveAhead(50 * MS, 350 * MS, 10)).containsExactly(new Grant(100 * MS, 1));
  }

  @Test
  void reserveAhead_withMaxInFlight_grantsOnlyWhatIsFreeNowAtNow() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)).withMaxInFlight(3));

    assertThat(gate.reserveAhead(0, 50 * MS, 10)).containsExactly(new Grant(0, 3));
  }

  @Test
  void reserveAhead_whenNothingFreesByTheHorizon_grantsNothing() {
    Gate gate = new Gate(Limits.window(2, Duration.ofSeconds(1)));
    gate.onRelease(0, 2);

    assertThat(gate.reserveAhead(500 * MS, 900 * MS, 10)).isEmpty();
    assertThat(gate.inFlight()).isEqualTo(2);
  }

  @Test
  void cancel_whenGrantedJobsWereNotClaimed_givesThePermitsAndSlotsBack() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)).withMaxInFlight(4));
    gate.reserveAhead(0, 0, 4);
    assertThat(gate.admission(0)).isEqualTo(Admission.waitForCompletion());

    gate.cancel(3);

    assertThat(gate.inFlight()).isEqualTo(1);
    assertThat(gate.notYetStarted()).isEqualTo(1);
    assertThat(gate.admission(0)).isEqualTo(Admission.admit(3));
    assertThatThrownBy(() -> gate.cancel(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only 1 released and not started");
  }
}
