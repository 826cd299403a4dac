package dev.sluice.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Limits are kept where the target sees the jobs: a released job counts from the instant it reached
 * the target ({@link Gate#onStart}), and until then as if it reached it at every instant.
 */
class GateStartTimesTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  @Test
  void window_whenHalfAWindowReachedTheTargetLate_freesThatHalfOnlyOneWindowAfterItsStart() {
    Gate gate = new Gate(Limits.window(1000, Duration.ofSeconds(1)));
    gate.reserve(0, 1000);
    gate.onStart(0, 500);
    gate.onStart(800 * MS, 500);

    assertThat(gate.admission(SECOND - 1)).isEqualTo(Admission.waitUntil(SECOND));
    assertThat(gate.admission(SECOND)).isEqualTo(Admission.admit(500));
    assertThat(gate.admission(1_800 * MS - 1)).isEqualTo(Admission.admit(500));
    assertThat(gate.admission(1_800 * MS)).isEqualTo(Admission.admit(1000));
  }

  @Test
  void window_whenReleasedJobsHaveNotStarted_countsThemAtEveryInstant() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.reserve(0, 10);

    // Ten seconds later they still have not reached the target: the window is still full, and the
    // earliest they can leave is one window after now.
    assertThat(gate.admission(10 * SECOND)).isEqualTo(Admission.waitUntil(11 * SECOND));
    assertThat(gate.notYetStarted()).isEqualTo(10);

    gate.onStart(10 * SECOND, 10);
    assertThat(gate.admission(11 * SECOND - 1)).isEqualTo(Admission.waitUntil(11 * SECOND));
    assertThat(gate.admission(11 * SECOND)).isEqualTo(Admission.admit(10));
  }

  @Test
  void window_whenSomeStartedAndSomeNot_retriesWhenTheOldestStartedLeaves() {
    Gate gate = new Gate(Limits.window(4, Duration.ofSeconds(1)));
    gate.reserve(0, 4);
    gate.onStart(100 * MS, 2);

    assertThat(gate.admission(500 * MS)).isEqualTo(Admission.waitUntil(1_100 * MS));
    assertThat(gate.admission(1_100 * MS)).isEqualTo(Admission.admit(2));
  }

  @Test
  void rate_whenTokensAreHeldByJobsNotStarted_refillsFromTheirStart() {
    Gate gate = new Gate(Limits.none().withRate(new Limits.Rate(10, 10)));
    gate.reserve(0, 10);

    // The bucket was full; the ten unstarted jobs hold every token. A lower bound: 100 ms.
    assertThat(gate.admission(0)).isEqualTo(Admission.waitUntil(100 * MS));
    assertThat(gate.admission(400 * MS)).isEqualTo(Admission.waitUntil(500 * MS));

    gate.onStart(500 * MS, 10);
    assertThat(gate.admission(599 * MS)).isEqualTo(Admission.waitUntil(600 * MS));
    assertThat(gate.admission(600 * MS)).isEqualTo(Admission.admit(1));
  }

  @Test
  void aligned_whenReleasedAtThePeriodEndAndStartedInTheNext_countsInThePeriodItStarted() {
    Gate gate =
        new Gate(Limits.none().withWindow(new Limits.Window(10, Duration.ofSeconds(1), true)));
    gate.reserve(900 * MS, 10);

    // The next period opens while the ten are still on their way: they will start in it.
    assertThat(gate.admission(SECOND)).isEqualTo(Admission.waitUntil(2 * SECOND));
    gate.onStart(1_010 * MS, 10);
    assertThat(gate.admission(1_500 * MS)).isEqualTo(Admission.waitUntil(2 * SECOND));
    assertThat(gate.admission(2 * SECOND)).isEqualTo(Admission.admit(10));
  }

  @Test
  void concurrency_whenReserved_holdsTheSlotsBeforeTheStart() {
    Gate gate = new Gate(Limits.none().withMaxInFlight(3));
    gate.reserve(0, 3);

    assertThat(gate.admission(0)).isEqualTo(Admission.waitForCompletion());
    gate.onStart(5 * MS, 3);
    assertThat(gate.admission(5 * MS)).isEqualTo(Admission.waitForCompletion());
    gate.onCompletion(10 * MS, 1);
    assertThat(gate.admission(10 * MS)).isEqualTo(Admission.admit(1));
  }

  @Test
  void window_whenAStartIsReportedAfterALaterAdmission_countsItFromItsOwnTime() {
    Gate gate = new Gate(Limits.window(2, Duration.ofSeconds(1)));
    gate.reserve(0, 2);
    gate.onStart(10 * MS, 1);
    // The dispatcher asks at 50 ms, then a worker reports the other start, measured at 20 ms.
    assertThat(gate.admission(50 * MS)).isEqualTo(Admission.waitUntil(SECOND + 10 * MS));
    gate.onStart(20 * MS, 1);

    assertThat(gate.admission(1_010 * MS)).isEqualTo(Admission.admit(1));
    assertThat(gate.admission(1_020 * MS)).isEqualTo(Admission.admit(2));
  }

  @Test
  void onStart_whenMoreThanReserved_throws() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.reserve(0, 2);

    assertThatThrownBy(() -> gate.onStart(1, 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only 2 released and not started");
  }

  @Test
  void setLimits_whenJobsAreOnTheirWay_keepsCountingThem() {
    Gate gate = new Gate(Limits.window(10, Duration.ofSeconds(1)));
    gate.reserve(0, 8);

    gate.setLimits(Limits.window(20, Duration.ofSeconds(1)), 1);

    assertThat(gate.admission(2)).isEqualTo(Admission.admit(12));
  }

  /**
   * Virtual time, seeded: the gate releases whenever it admits, and each job reaches the target
   * after a random hand-over delay of up to 300 ms (a busy machine). Judged at the target's start
   * times, no interval of 1 s holds more than the limit. The same run with the release counted at
   * the decision instant (what the gate did before) does exceed it: the check can fail.
   */
  @Test
  void window_whenHandOverDelaysVary_neverExceedsTheLimitAtTheTarget() {
    for (long seed = 1; seed <= 20; seed++) {
      List<Long> starts = simulate(seed, true);
      assertThat(busiest(starts, SECOND))
          .as("seed %d, counted at start", seed)
          .isLessThanOrEqualTo(100);
      assertThat(starts).as("seed %d: the run released everything", seed).hasSize(2_000);
    }
    int worstAtDecision = 0;
    for (long seed = 1; seed <= 20; seed++) {
      worstAtDecision = Math.max(worstAtDecision, busiest(simulate(seed, false), SECOND));
    }
    assertThat(worstAtDecision).as("counted at the decision instant").isGreaterThan(100);
  }

  private record Start(long at, int count) {}

  private static List<Long> simulate(long seed, boolean countAtStart) {
    Random random = new Random(seed);
    Gate gate = new Gate(Limits.window(100, Duration.ofSeconds(1)));
    PriorityQueue<Start> onTheirWay = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
    List<Long> starts = new ArrayList<>();
    int left = 2_000;
    long now = 0;
    while (left > 0 || !onTheirWay.isEmpty()) {
      while (!onTheirWay.isEmpty() && onTheirWay.peek().at() <= now) {
        Start s = onTheirWay.poll();
        if (countAtStart) {
          gate.onStart(s.at(), s.count());
        }
        for (int i = 0; i < s.count(); i++) {
          starts.add(s.at());
        }
      }
      Admission a = gate.admission(now);
      if (a.admits() && left > 0) {
        int n = Math.min(left, 1 + random.nextInt(a.permits()));
        if (countAtStart) {
          gate.reserve(now, n);
        } else {
          gate.onRelease(now, n);
        }
        left -= n;
        for (int i = 0; i < n; i++) {
          onTheirWay.add(new Start(now + random.nextInt(300) * MS, 1));
        }
        continue;
      }
      long next = now + 10 * MS;
      if (!a.admits()) {
        next = Math.min(next, Math.max(now + 1, a.retryAtNanos()));
      }
      if (!onTheirWay.isEmpty()) {
        next = Math.min(next, onTheirWay.peek().at());
      }
      now = Math.max(now + 1, next);
    }
    return starts;
  }

  /** Most start times within any half-open interval of {@code length} (two pointers). */
  private static int busiest(List<Long> times, long length) {
    List<Long> sorted = new ArrayList<>(times);
    sorted.sort(null);
    int best = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (sorted.get(to) - sorted.get(from) >= length) {
        from++;
      }
      best = Math.max(best, to - from + 1);
    }
    return best;
  }
}
