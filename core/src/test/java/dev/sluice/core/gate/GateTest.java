package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GateTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  @Test
  void admission_withNoLimits_admitsAsManyAsAnIntHolds() {
    Gate gate = new Gate(Limits.none());
    gate.onRelease(0, 1_000_000);

    assertThat(gate.admission(0)).isEqualTo(Admission.admit(Integer.MAX_VALUE));
    assertThat(gate.inFlight()).isEqualTo(1_000_000);
    assertThat(gate.historyNeeded()).isEqualTo(Duration.ZERO);
  }

  @Test
  void admission_withWindowAndMaxInFlight_theTightestWins() {
    Gate gate = new Gate(Limits.window(50, Duration.ofMinutes(1)).withMaxInFlight(5));

    assertThat(gate.admission(0)).isEqualTo(Admission.admit(5));
    gate.onRelease(0, 5);
    assertThat(gate.admission(0)).isEqualTo(Admission.waitForCompletion());

    // Nine more rounds of 5, each finished at once: 50 released within the first minute.
    for (int round = 1; round < 10; round++) {
      long now = round * SECOND;
      gate.onCompletion(now, 5);
      assertThat(gate.admission(now)).isEqualTo(Admission.admit(5));
      gate.onRelease(now, 5);
    }
    gate.onCompletion(10 * SECOND, 5);

    assertThat(gate.inFlight()).isZero();
    assertThat(gate.admission(10 * SECOND)).isEqualTo(Admission.waitUntil(60 * SECOND));
    // At one minute the first 5 leave the window; 5 slots are free.
    assertThat(gate.admission(60 * SECOND)).isEqualTo(Admission.admit(5));
    // The window allows 5 more, concurrency 5: with 3 running, concurrency is the tighter.
    gate.onRelease(60 * SECOND, 3);
    assertThat(gate.admission(60 * SECOND)).isEqualTo(Admission.admit(2));
  }

  @Test
  void admission_whenWindowAndRateBlock_retriesAtTheLaterOfThem() {
    Gate windowLater =
        new Gate(Limits.window(1, Duration.ofSeconds(10)).withRate(new Limits.Rate(1, 1)));
    windowLater.onRelease(0, 1);
    assertThat(windowLater.admission(0)).isEqualTo(Admission.waitUntil(10 * SECOND));

    Gate rateLater =
        new Gate(Limits.window(1, Duration.ofSeconds(1)).withRate(new Limits.Rate(0.1, 1)));
    rateLater.onRelease(0, 1);
    assertThat(rateLater.admission(0)).isEqualTo(Admission.waitUntil(10 * SECOND));
    assertThat(rateLater.admission(5 * SECOND)).isEqualTo(Admission.waitUntil(10 * SECOND));
  }

  @Test
  void admission_whenOnlyOneLimitBlocks_retriesWhenThatOneFrees() {
    Gate gate =
        new Gate(Limits.window(1, Duration.ofSeconds(10)).withRate(new Limits.Rate(100, 100)));
    gate.onRelease(0, 1);

    assertThat(gate.admission(SECOND)).isEqualTo(Admission.waitUntil(10 * SECOND));
  }

  @Test
  void admission_whenWindowAndConcurrencyBlock_waitsForACompletion() {
    Gate gate = new Gate(Limits.window(2, Duration.ofSeconds(10)).withMaxInFlight(2));
    gate.onRelease(0, 2);

    assertThat(gate.admission(0)).isEqualTo(Admission.waitForCompletion());
    gate.onCompletion(SECOND, 1);
    assertThat(gate.admission(SECOND)).isEqualTo(Admission.waitUntil(10 * SECOND));
  }

  @Test
  void onRelease_whenTimeGoesBackwards_countsTheReleaseAtTheLatestTimeSeen() {
    Gate gate = new Gate(Limits.window(1, Duration.ofNanos(10)));
    gate.admission(200);

    gate.onRelease(150, 1);

    assertThat(gate.admission(205)).isEqualTo(Admission.waitUntil(210));
  }

  @Test
  void onCompletion_whenMoreThanInFlight_throwsEvenWithoutAConcurrencyLimit() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.onRelease(0, 2);

    assertThatThrownBy(() -> gate.onCompletion(0, 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only 2 in flight");
    assertThat(gate.inFlight()).isEqualTo(2);
  }

  @Test
  void acquire_grantsAtMostThePermitsAndRecordsThem() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));

    assertThat(gate.acquire(0, 4)).isEqualTo(Admission.admit(4));
    assertThat(gate.acquire(0, 100)).isEqualTo(Admission.admit(6));
    assertThat(gate.acquire(0, 1)).isEqualTo(Admission.waitUntil(SECOND));
    assertThat(gate.inFlight()).isEqualTo(10);
  }

  @Test
  void acquire_fromManyThreadsAtOnce_neverGrantsMoreThanTheWindow() throws Exception {
    Gate gate = new Gate(Limits.window(1000, Duration.ofHours(1)));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> granted = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      granted.add(
          pool.submit(
              () -> {
                start.await();
                int mine = 0;
                for (int k = 0; k < 500; k++) {
                  mine += gate.acquire(k, 1).permits();
                }
                return mine;
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : granted) {
      total += f.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(total).isEqualTo(1000);
    assertThat(gate.inFlight()).isEqualTo(1000);
  }

  @Test
  void restore_whenAFullWindowWasReleasedHalfAWindowAgo_admitsNothingForTheOtherHalf() {
    long now = 10 * SECOND;
    long t = now - 500 * MS;
    Gate gate = new Gate(Limits.window(1000, Duration.ofSeconds(1)));

    gate.restore(Collections.nCopies(1000, t));

    assertThat(gate.admission(now)).isEqualTo(Admission.waitUntil(t + SECOND));
    assertThat(gate.admission(t + SECOND - 1)).isEqualTo(Admission.waitUntil(t + SECOND));
    assertThat(gate.admission(t + SECOND)).isEqualTo(Admission.admit(1000));
    assertThat(gate.inFlight()).isZero();
  }

  @Test
  void restore_doesNotTakeConcurrencySlots() {
    Gate gate = new Gate(Limits.window(1000, Duration.ofSeconds(1)).withMaxInFlight(5));

    gate.restore(List.of(SECOND, SECOND, SECOND));

    assertThat(gate.admission(SECOND)).isEqualTo(Admission.admit(5));
    assertThat(gate.inFlight()).isZero();
  }

  @Test
  void restore_withRate_startsWithTheBucketThePastReleasesLeft() {
    long now = 10 * SECOND;
    Gate gate = new Gate(Limits.none().withRate(new Limits.Rate(100, 100)));

    gate.restore(Collections.nCopies(100, now - 500 * MS));

    // Emptied half a second ago at 100/s: 50 tokens back.
    assertThat(gate.admission(now)).isEqualTo(Admission.admit(50));
  }

  @Test
  void restore_withAlignedWindow_countsOnlyTheCurrentPeriod() {
    Gate gate =
        new Gate(Limits.none().withWindow(new Limits.Window(50, Duration.ofMinutes(1), true)));
    List<Long> log = new ArrayList<>(Collections.nCopies(40, 50 * SECOND));
    log.addAll(Collections.nCopies(30, 65 * SECOND));

    gate.restore(log);

    assertThat(gate.admission(70 * SECOND)).isEqualTo(Admission.admit(20));
  }

  @Test
  void restore_acceptsReleaseTimesInAnyOrder() {
    Gate gate = new Gate(Limits.window(3, Duration.ofNanos(100)));

    gate.restore(List.of(50L, 10L, 30L));

    assertThat(gate.admission(60)).isEqualTo(Admission.waitUntil(110));
  }

  @Test
  void setLimits_whenWindowLimitLowered_keepsTheReleasesAlreadyInTheWindow() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.onRelease(0, 8);

    gate.setLimits(Limits.window(5, Duration.ofSeconds(1)), 100 * MS);
    assertThat(gate.admission(100 * MS)).isEqualTo(Admission.waitUntil(SECOND));

    gate.setLimits(Limits.window(20, Duration.ofSeconds(1)), 200 * MS);
    assertThat(gate.admission(200 * MS)).isEqualTo(Admission.admit(12));
    assertThat(gate.limits()).isEqualTo(Limits.window(20, Duration.ofSeconds(1)));
  }

  @Test
  void setLimits_whenWindowLengthened_countsTheReleasesKeptInTheLongerWindow() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.onRelease(0, 8);

    gate.setLimits(Limits.window(10, Duration.ofSeconds(2)), 500 * MS);

    assertThat(gate.admission(500 * MS)).isEqualTo(Admission.admit(2));
    assertThat(gate.admission(1500 * MS)).isEqualTo(Admission.admit(2));
    assertThat(gate.admission(2 * SECOND)).isEqualTo(Admission.admit(10));
  }

  @Test
  void setLimits_whenWindowLengthenedAfterReleasesAged_countsOnlyTheHistoryKept() {
    // The gate keeps only what the limits in force need: here the last second.
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.onRelease(0, 8);
    gate.onRelease(4 * SECOND, 1);

    gate.setLimits(Limits.window(10, Duration.ofSeconds(10)), 4500 * MS);

    assertThat(gate.admission(4500 * MS)).isEqualTo(Admission.admit(9));
  }

  @Test
  void setLimits_whenSwitchedToAligned_countsTheReleasesOfTheCurrentPeriod() {
    Gate gate = new Gate(Limits.window(50, Duration.ofMinutes(1)));
    gate.onRelease(65 * SECOND, 30);

    gate.setLimits(
        Limits.none().withWindow(new Limits.Window(40, Duration.ofMinutes(1), true)), 70 * SECOND);

    assertThat(gate.admission(70 * SECOND)).isEqualTo(Admission.admit(10));
  }

  @Test
  void setLimits_keepsJobsInFlight() {
    Gate gate = new Gate(Limits.none().withMaxInFlight(5));
    gate.onRelease(0, 3);

    gate.setLimits(Limits.none().withMaxInFlight(4), 0);
    assertThat(gate.admission(0)).isEqualTo(Admission.admit(1));

    gate.setLimits(Limits.none(), 0);
    gate.setLimits(Limits.none().withMaxInFlight(2), 0);
    assertThat(gate.admission(0)).isEqualTo(Admission.waitForCompletion());
    assertThat(gate.inFlight()).isEqualTo(3);
  }

  @Test
  void setLimits_whenRateUnchanged_keepsTheBucket() {
    Limits.Rate rate = new Limits.Rate(1, 10);
    Gate gate = new Gate(Limits.none().withRate(rate));
    gate.onRelease(0, 10);

    gate.setLimits(Limits.none().withRate(rate).withMaxInFlight(100), 500 * MS);

    assertThat(gate.admission(500 * MS)).isEqualTo(Admission.waitUntil(SECOND));
  }

  @Test
  void setLimits_whenRateChanged_doesNotGrantAFullBucket() {
    Gate gate = new Gate(Limits.none().withRate(new Limits.Rate(10, 10)));
    gate.onRelease(0, 10);

    gate.setLimits(Limits.none().withRate(new Limits.Rate(1, 5)), 100 * MS);

    assertThat(gate.admission(100 * MS)).isEqualTo(Admission.waitUntil(SECOND));
  }

  @Test
  void onRelease_remembersOnlyTheReleasesTheLimitsNeed() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.onRelease(0, 8);
    gate.onRelease(500 * MS, 1);
    assertThat(gate.releasesRemembered()).isEqualTo(9);

    gate.onRelease(SECOND, 1);

    assertThat(gate.releasesRemembered()).isEqualTo(2);
  }

  @Test
  void onRelease_withNoWindowOrRate_remembersNothing() {
    Gate gate = new Gate(Limits.none().withMaxInFlight(5));

    gate.onRelease(0, 3);

    assertThat(gate.releasesRemembered()).isZero();
  }

  @Test
  void historyNeeded_isTheLongestWindowOrRefillTime() {
    assertThat(new Gate(Limits.none().withMaxInFlight(3)).historyNeeded()).isEqualTo(Duration.ZERO);
    assertThat(new Gate(Limits.window(5, Duration.ofMinutes(1))).historyNeeded())
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(new Gate(Limits.none().withRate(new Limits.Rate(10, 50))).historyNeeded())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            new Gate(Limits.window(5, Duration.ofSeconds(2)).withRate(new Limits.Rate(10, 50)))
                .historyNeeded())
        .isEqualTo(Duration.ofSeconds(5));
  }
}
