package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.cluster.GateFence;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' dispatchers on one backlog, in virtual time: only the node holding the gate releases,
 * and a node that takes the gate over counts what the previous holder released, from the release
 * log, so no limit is exceeded across the handover.
 */
class DispatcherSharedGateTest {

  private static final DispatcherConfig CONFIG =
      DispatcherConfig.defaults().withLead(Duration.ZERO).withLease(Duration.ofSeconds(10));
  private static final Executor DIRECT = Runnable::run;

  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog();
  private final Instant t0 = time.now();

  /** What the gate keeper of one node would say: the term it holds now, if any. */
  private static final class TermFence implements GateFence {
    private volatile GateTerm term;

    @Override
    public Optional<GateTerm> heldTerm() {
      return Optional.ofNullable(term);
    }
  }

  private record Node(Dispatcher dispatcher, TermFence fence, ScriptedTarget target) {
    void grant(GateTerm term) {
      fence.term = term;
      dispatcher.takeOver(term);
    }

    void lose() {
      GateTerm term = fence.term;
      fence.term = null;
      dispatcher.gateLost(term);
    }

    int tickUntilIdle() {
      int total = 0;
      for (int n; (n = dispatcher.tick()) > 0; ) {
        total += n;
      }
      dispatcher.applyOutcomes();
      return total;
    }
  }

  private Node node(Limits limits, Executor executor) {
    return node(limits, executor, ScriptedTarget.completing());
  }

  private Node node(Limits limits, Executor executor, ScriptedTarget target) {
    Dispatcher d =
        new Dispatcher(backlog, target, new Gate(limits), time, CONFIG, executor, new Random(7));
    TermFence fence = new TermFence();
    d.shareGate(fence);
    return new Node(d, fence, target);
  }

  private GateTerm term(long epoch, String node) {
    return new GateTerm(epoch, node, time.now().plusSeconds(5));
  }

  private void appendObjects(int n) {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(ObjectEvent.created("data", String.format("in/part-%05d.parquet", i), "test"));
    }
    backlog.append(events, time.now());
  }

  private void advanceTo(Duration sinceStart) {
    time.advance(Duration.between(time.now(), t0.plus(sinceStart)));
  }

  @Test
  void tick_withoutATerm_releasesNothingAndClaimsNothing() {
    Node a = node(Limits.none(), DIRECT);
    appendObjects(5);

    assertThat(a.tickUntilIdle()).isZero();
    assertThat(a.dispatcher().holdsGate()).isFalse();
    assertThat(backlog.releases(Instant.EPOCH, 0, 100)).isEmpty();
    assertThat(backlog.stats(time.now()).waiting()).isEqualTo(5);
  }

  @Test
  void takeOver_whenPreviousHolderFilledTheWindow_waitsForItsStartsToLeaveTheWindow() {
    Limits limits = Limits.window(10, Duration.ofSeconds(1));
    Node a = node(limits, DIRECT);
    Node b = node(limits, DIRECT);
    appendObjects(30);
    a.grant(term(1, "a"));
    assertThat(a.tickUntilIdle()).isEqualTo(10);
    assertThat(b.tickUntilIdle()).isZero(); // b holds no term

    advanceTo(Duration.ofMillis(400));
    a.lose();
    b.grant(term(2, "b"));

    assertThat(b.tickUntilIdle()).isZero();
    assertThat(b.dispatcher().holdsGate()).isTrue();
    advanceTo(Duration.ofMillis(999));
    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(Duration.ofMillis(1000));
    assertThat(b.tickUntilIdle()).isEqualTo(10);
    assertThat(a.tickUntilIdle()).isZero();
    assertThat(a.dispatcher().holdsGate()).isFalse();
    assertThat(a.target().received).hasSize(10);
    assertThat(b.target().received).hasSize(10);
  }

  @Test
  void takeOver_countsThePreviousHoldersStartedJobsInFlightUntilTheirHoldEnds() {
    Limits limits = new Limits(null, null, 2);
    Duration hold = Duration.ofHours(1);
    Node a =
        node(
            limits,
            DIRECT,
            new ScriptedTarget(j -> Outcome.started("execution-" + j.eventId(), hold)));
    Node b = node(limits, DIRECT);
    appendObjects(30);
    a.grant(term(1, "a"));
    assertThat(a.tickUntilIdle()).isEqualTo(2); // both still running at the target

    // Long after the lease (10 s) and any window: only the hold keeps them in flight.
    advanceTo(Duration.ofMinutes(15));
    a.lose();
    b.grant(term(2, "b"));

    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(hold.minusMillis(1));
    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(hold);
    assertThat(b.tickUntilIdle()).isPositive();
    assertThat(a.target().received).hasSize(2);
  }

  @Test
  void takeOver_countsThePreviousHoldersOpenReleasesAsStartingUntilTheArrivalMargin() {
    Limits limits = Limits.window(10, Duration.ofSeconds(1));
    Queue<Runnable> neverRun = new ArrayDeque<>();
    Node a = node(limits, neverRun::add); // its jobs never reach the target: open releases
    Node b = node(limits, DIRECT);
    appendObjects(30);
    a.grant(term(1, "a"));
    assertThat(a.tickUntilIdle()).isEqualTo(10);

    advanceTo(Duration.ofMillis(200));
    a.lose();
    b.grant(term(2, "b"));

    // a's ten may reach the target until the arrival margin after the takeover (1.2 s): they count
    // as starting then, so the window is full until 2.2 s.
    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(Duration.ofMillis(1200));
    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(Duration.ofMillis(2199));
    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(Duration.ofMillis(2200));
    assertThat(b.tickUntilIdle()).isEqualTo(10);
    assertThat(b.target().received).hasSize(10);
  }

  @Test
  void takeOver_underAnAlignedWindow_countsThePreviousHoldersReleasesInTheCurrentWindow() {
    Limits limits = Limits.none().withWindow(new Limits.Window(10, Duration.ofSeconds(1), true));
    Node a = node(limits, DIRECT);
    Node b = node(limits, DIRECT);
    appendObjects(30);
    a.grant(term(1, "a"));
    assertThat(a.tickUntilIdle()).isEqualTo(10);

    advanceTo(Duration.ofMillis(300));
    a.lose();
    b.grant(term(2, "b"));

    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(Duration.ofMillis(999));
    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(Duration.ofMillis(1000)); // the next aligned window
    assertThat(b.tickUntilIdle()).isEqualTo(10);
  }

  @Test
  void takeOver_underARate_startsFromTheBucketThePreviousHolderLeft() {
    Limits limits = Limits.none().withRate(new Limits.Rate(10.0, 10));
    Node a = node(limits, DIRECT);
    Node b = node(limits, DIRECT);
    appendObjects(40);
    a.grant(term(1, "a"));
    assertThat(a.tickUntilIdle()).isEqualTo(10); // the full burst, bucket empty

    advanceTo(Duration.ofMillis(500));
    a.lose();
    b.grant(term(2, "b"));

    // Half a second at 10 per second refilled five tokens, not a fresh bucket of ten.
    assertThat(b.tickUntilIdle()).isEqualTo(5);
  }

  @Test
  void takeOver_underMaxInFlight_holdsThePreviousHoldersSlotsUntilTheirLeasesEnd() {
    Limits limits = Limits.none().withMaxInFlight(5);
    Queue<Runnable> neverRun = new ArrayDeque<>();
    Node a = node(limits, neverRun::add);
    Node b = node(limits, DIRECT);
    appendObjects(20);
    a.grant(term(1, "a"));
    assertThat(a.tickUntilIdle()).isEqualTo(5);

    advanceTo(Duration.ofSeconds(1));
    a.lose();
    b.grant(term(2, "b"));

    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(Duration.ofMillis(9_999));
    assertThat(b.tickUntilIdle()).isZero();
    advanceTo(Duration.ofSeconds(10)); // a's leases (10 s from its release at 0) end
    assertThat(b.tickUntilIdle()).isPositive();
    assertThat(b.target().received).isNotEmpty();
  }

  @Test
  void run_whenTheNodeLostTheGateBeforeTheJobStarted_doesNotStartIt_andTheEventWaitsAgain() {
    Queue<Runnable> held = new ArrayDeque<>();
    Node a = node(Limits.none(), held::add);
    appendObjects(3);
    a.grant(term(1, "a"));
    assertThat(a.tickUntilIdle()).isEqualTo(3);

    a.lose();
    held.forEach(Runnable::run);
    a.dispatcher().applyOutcomes();

    assertThat(a.target().received).isEmpty();
    assertThat(backlog.stats(time.now()).waiting()).isEqualTo(3);
    List<ReleaseRecord> log = backlog.releases(Instant.EPOCH, 0, 100);
    assertThat(log).hasSize(3).allSatisfy(r -> assertThat(r.outcome()).isEqualTo("throttled"));

    // Given the gate again, the node releases them as the same attempt: none was spent.
    a.grant(term(3, "a"));
    Node same = a;
    held.clear();
    assertThat(same.tickUntilIdle()).isEqualTo(3);
    held.forEach(Runnable::run);
    same.dispatcher().applyOutcomes();
    assertThat(a.target().received).hasSize(3).allSatisfy(j -> assertThat(j.attempt()).isOne());
  }
}
