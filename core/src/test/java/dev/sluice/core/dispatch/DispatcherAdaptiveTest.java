package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.gate.AdaptiveConcurrency;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher with adaptive concurrency, in virtual time, against a simulated target that takes
 * a number of jobs at once and answers throttled beyond it (as an HTTP service answers 429). The
 * target's capacity changes in steps; after each step settles, the adapted limit must keep the
 * throttles rare and the target nearly full, and never exceed the configured ceiling.
 */
class DispatcherAdaptiveTest {

  private static final Duration STEP = Duration.ofMillis(5);
  private static final Duration SETTLE = Duration.ofSeconds(15);
  private static final Duration MEASURE = Duration.ofSeconds(15);

  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog();

  /**
   * Runs each job for 80 to 120 ms (an asynchronous target: it answers started and reports the
   * end), or answers throttled at once when it runs {@code capacity} jobs already.
   */
  private final class CapacityTarget implements Target {
    private record Running(Job job, long endNanos) {}

    private final List<Running> running = new ArrayList<>();
    private final Random random = new Random(11);
    private Target.Completions completions;
    int capacity;
    long calls;
    long throttled;

    @Override
    public void watchCompletions(Target.Completions c) {
      completions = c;
    }

    @Override
    public Outcome deliver(Job job) {
      calls++;
      if (running.size() >= capacity) {
        throttled++;
        return Outcome.throttled(Duration.ofMillis(200), "429 Too Many Requests");
      }
      long serviceNanos = Duration.ofMillis(80 + random.nextInt(41)).toNanos();
      running.add(new Running(job, time.nanoTime() + serviceNanos));
      return Outcome.started("run-" + job.releaseId(), Duration.ofHours(1));
    }

    /** Reports the jobs whose time is up as completed. */
    void endDue() {
      for (Iterator<Running> it = running.iterator(); it.hasNext(); ) {
        Running r = it.next();
        if (r.endNanos() <= time.nanoTime()) {
          it.remove();
          completions.completed(r.job(), Outcome.completed());
        }
      }
    }

    int running() {
      return running.size();
    }

    @Override
    public String describe() {
      return "capacity " + capacity;
    }
  }

  /** What one phase measured once it settled. */
  private record Phase(int capacity, long calls, long throttled, double meanRunning) {
    double throttledShare() {
      return calls == 0 ? 0 : (double) throttled / calls;
    }
  }

  private long appended;
  private int maxGateInFlight;
  private int maxRunning;
  private int maxLimit;

  private Dispatcher dispatcher(CapacityTarget target, Gate gate, AdaptiveSettings adaptive) {
    DispatcherConfig config =
        DispatcherConfig.defaults().withLead(Duration.ZERO).withAdaptive(adaptive);
    return new Dispatcher(backlog, target, gate, time, config, Runnable::run, new Random(42));
  }

  /** Keeps a few hundred events waiting, so the target is never short of work. */
  private void topUp(Dispatcher d) {
    long waiting = appended - d.stats().completed() - d.stats().deadLettered();
    if (waiting < 600) {
      List<ObjectEvent> events = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        events.add(ObjectEvent.created("data", "part-" + (appended + i), "test"));
      }
      backlog.append(events, time.now());
      appended += events.size();
    }
  }

  private Phase run(Dispatcher d, CapacityTarget target, int capacity, Gate gate) {
    target.capacity = capacity;
    long callsAtMeasure = 0;
    long throttledAtMeasure = 0;
    long runningSum = 0;
    long samples = 0;
    long settleSteps = SETTLE.toNanos() / STEP.toNanos();
    long allSteps = settleSteps + MEASURE.toNanos() / STEP.toNanos();
    for (long step = 0; step < allSteps; step++) {
      if (step == settleSteps) {
        callsAtMeasure = target.calls;
        throttledAtMeasure = target.throttled;
      }
      time.advance(STEP);
      target.endDue();
      topUp(d);
      d.tick();
      d.applyOutcomes();
      maxGateInFlight = Math.max(maxGateInFlight, gate.inFlight());
      maxRunning = Math.max(maxRunning, target.running());
      maxLimit = Math.max(maxLimit, d.adaptive().state().limit());
      if (step >= settleSteps) {
        runningSum += target.running();
        samples++;
      }
    }
    return new Phase(
        capacity,
        target.calls - callsAtMeasure,
        target.throttled - throttledAtMeasure,
        (double) runningSum / samples);
  }

  @Test
  void adaptive_whenCapacityStepsFrom50To10To40_keepsThrottlesRareAndTheTargetFull() {
    CapacityTarget target = new CapacityTarget();
    Limits limits = Limits.none().withMaxInFlight(60);
    Gate gate = new Gate(limits);
    Dispatcher d = dispatcher(target, gate, AdaptiveSettings.on());

    List<Phase> phases = new ArrayList<>();
    for (int capacity : new int[] {50, 10, 40}) {
      phases.add(run(d, target, capacity, gate));
    }
    // The figures docs/adaptive.md quotes.
    phases.forEach(
        p ->
            System.out.printf(
                "adaptive in virtual time: %s, throttled share %.4f%n", p, p.throttledShare()));

    for (Phase p : phases) {
      assertThat(p.throttledShare())
          .as("throttled share at capacity %d: %s", p.capacity(), p)
          .isLessThanOrEqualTo(0.05);
      assertThat(p.meanRunning())
          .as("jobs running at capacity %d: %s", p.capacity(), p)
          .isGreaterThanOrEqualTo(0.9 * p.capacity());
    }
    assertThat(maxGateInFlight).isLessThanOrEqualTo(60);
    assertThat(maxRunning).isLessThanOrEqualTo(60);
    assertThat(maxLimit).isLessThanOrEqualTo(60);
    // The limit did come down to the small capacity and went up again.
    AdaptiveLimiter.State state = d.adaptive().state();
    assertThat(state.decreases()).isGreaterThan(0);
    assertThat(state.increases()).isGreaterThan(0);
    assertThat(state.limit()).isBetween(30, 45);
  }

  @Test
  void adaptive_whenTheTargetTakesMoreThanTheCeiling_staysAtTheCeiling() {
    CapacityTarget target = new CapacityTarget();
    Gate gate = new Gate(Limits.none());
    DispatcherConfig config =
        DispatcherConfig.defaults()
            .withLead(Duration.ZERO)
            .withWorkers(16)
            .withAdaptive(AdaptiveSettings.on());
    Dispatcher d =
        new Dispatcher(backlog, target, gate, time, config, Runnable::run, new Random(42));

    Phase p = run(d, target, 100, gate);

    // No max-in-flight: the workers are the ceiling, for asynchronous work too.
    assertThat(p.throttled()).isZero();
    assertThat(maxGateInFlight).isEqualTo(16);
    assertThat(maxRunning).isEqualTo(16);
    assertThat(d.adaptive().state().limit()).isEqualTo(16);
    assertThat(d.adaptive().state().reason()).isEqualTo(AdaptiveConcurrency.Reason.START);
  }

  @Test
  void adaptive_whenOff_letsTheTargetThrottleAtTheConfiguredLimit() {
    CapacityTarget target = new CapacityTarget();
    Gate gate = new Gate(Limits.none().withMaxInFlight(60));
    Dispatcher d = dispatcher(target, gate, AdaptiveSettings.off());

    Phase p = run(d, target, 10, gate);

    // The contrast that shows the adaptive limit at work: without it most calls are refused.
    assertThat(p.throttledShare()).isGreaterThan(0.5);
    assertThat(gate.adaptiveLimit()).isEmpty();
  }
}
