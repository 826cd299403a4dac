package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher with the rate adapting, in virtual time, against a simulated target with a quota
 * of starts per second (as Step Functions' StartExecution or an API with a request rate quota): it
 * answers 429 to a call when it accepted {@code quota} calls in the last second. Its jobs are
 * short, so the jobs at once never bind; only fewer starts a second help. The configured window
 * (100 per second) stays a hard ceiling.
 */
class DispatcherAdaptiveRateTest {

  private static final Duration STEP = Duration.ofMillis(5);
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final Duration MEASURE = Duration.ofSeconds(30);
  private static final long SECOND = 1_000_000_000L;

  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog();

  /** Answers at once: done, or 429 beyond its quota of accepted calls in any second. */
  private final class QuotaTarget implements Target {
    private final Deque<Long> accepted = new ArrayDeque<>();
    private final Deque<Long> calledAt = new ArrayDeque<>();
    int quota;
    long calls;
    long throttled;
    long done;
    int mostCallsInASecond;

    @Override
    public Outcome deliver(Job job) {
      long now = time.nanoTime();
      calls++;
      calledAt.addLast(now);
      while (now - calledAt.peekFirst() >= SECOND) {
        calledAt.pollFirst();
      }
      mostCallsInASecond = Math.max(mostCallsInASecond, calledAt.size());
      while (!accepted.isEmpty() && now - accepted.peekFirst() >= SECOND) {
        accepted.pollFirst();
      }
      if (accepted.size() >= quota) {
        throttled++;
        return Outcome.throttled(Duration.ofMillis(200), "429 Too Many Requests");
      }
      accepted.addLast(now);
      done++;
      return Outcome.completed();
    }

    @Override
    public String describe() {
      return "quota " + quota + "/s";
    }
  }

  /** What one phase measured once it settled. */
  private record Phase(int quota, long calls, long throttled, long done, double seconds) {
    double throttledShare() {
      return calls == 0 ? 0 : (double) throttled / calls;
    }

    double goodput() {
      return done / seconds;
    }
  }

  private long appended;

  private Dispatcher dispatcher(QuotaTarget target, Gate gate, AdaptiveSettings adaptive) {
    DispatcherConfig config =
        DispatcherConfig.defaults().withLead(Duration.ZERO).withAdaptive(adaptive);
    return new Dispatcher(backlog, target, gate, time, config, Runnable::run, new Random(42));
  }

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

  private Phase run(Dispatcher d, QuotaTarget target, int quota) {
    target.quota = quota;
    long calls0 = 0;
    long throttled0 = 0;
    long done0 = 0;
    long settleSteps = SETTLE.toNanos() / STEP.toNanos();
    long allSteps = settleSteps + MEASURE.toNanos() / STEP.toNanos();
    for (long step = 0; step < allSteps; step++) {
      if (step == settleSteps) {
        calls0 = target.calls;
        throttled0 = target.throttled;
        done0 = target.done;
      }
      time.advance(STEP);
      topUp(d);
      d.tick();
      d.applyOutcomes();
    }
    return new Phase(
        quota,
        target.calls - calls0,
        target.throttled - throttled0,
        target.done - done0,
        MEASURE.toNanos() / 1e9);
  }

  @Test
  void adaptiveRate_whenTheTargetTakes20ThenAllows50PerSecond_followsItUnderTheWindow() {
    QuotaTarget target = new QuotaTarget();
    Gate gate = new Gate(Limits.window(100, Duration.ofSeconds(1)));
    Dispatcher d = dispatcher(target, gate, AdaptiveSettings.on().withRate(true));

    Phase at20 = run(d, target, 20);
    AdaptiveLimiter.RateState after20 = d.adaptive().state().rate();
    Phase at50 = run(d, target, 50);
    AdaptiveLimiter.RateState after50 = d.adaptive().state().rate();
    // The figures docs/adaptive.md quotes.
    for (Phase p : List.of(at20, at50)) {
      System.out.printf(
          "adaptive rate in virtual time: %s, throttled share %.4f, goodput %.2f/s%n",
          p, p.throttledShare(), p.goodput());
    }
    System.out.printf("rate state after 20/s: %s%nafter 50/s: %s%n", after20, after50);

    for (Phase p : List.of(at20, at50)) {
      assertThat(p.throttledShare()).as("throttled share: %s", p).isLessThanOrEqualTo(0.05);
      assertThat(p.goodput()).as("goodput: %s", p).isGreaterThanOrEqualTo(0.9 * p.quota());
    }
    assertThat(target.mostCallsInASecond).isLessThanOrEqualTo(100);
    // The window came down near the quota, then up again after it rose.
    assertThat(after20.windowLimitNow()).isBetween(16, 25);
    assertThat(after50.windowLimitNow()).isBetween(40, 60);
    assertThat(after50.factor()).isLessThanOrEqualTo(1.0);
    assertThat(gate.limits()).isEqualTo(Limits.window(100, Duration.ofSeconds(1)));
  }

  @Test
  void adaptiveRate_underARateLimit_comesDownToTheQuotaToo() {
    QuotaTarget target = new QuotaTarget();
    Limits limits = Limits.none().withRate(new Limits.Rate(100, 100));
    Gate gate = new Gate(limits);
    Dispatcher d = dispatcher(target, gate, AdaptiveSettings.on().withRate(true));

    Phase p = run(d, target, 20);
    System.out.printf(
        "adaptive rate (token bucket) in virtual time: %s, throttled share %.4f, goodput %.2f/s,"
            + " %s%n",
        p, p.throttledShare(), p.goodput(), d.adaptive().state().rate());

    assertThat(p.throttledShare()).as("throttled share: %s", p).isLessThanOrEqualTo(0.05);
    assertThat(p.goodput()).as("goodput: %s", p).isGreaterThanOrEqualTo(0.9 * 20);
    // The configured bucket's own ceiling: a full burst plus a second's refill.
    assertThat(target.mostCallsInASecond).isLessThanOrEqualTo(100 + 100);
    assertThat(d.adaptive().state().rate().ratePerSecondNow()).isBetween(16.0, 25.0);
  }

  @Test
  void adaptiveRate_whenOff_leavesTheWindowAsConfigured() {
    QuotaTarget target = new QuotaTarget();
    Gate gate = new Gate(Limits.window(100, Duration.ofSeconds(1)));
    Dispatcher d = dispatcher(target, gate, AdaptiveSettings.on());

    Phase p = run(d, target, 20);

    // Today's behaviour: fewer jobs at once do not help, the target refuses most calls.
    assertThat(p.throttledShare()).isGreaterThan(0.5);
    assertThat(gate.rateFactor()).isEqualTo(1.0);
    assertThat(gate.limitsInForce()).isEqualTo(gate.limits());
    assertThat(d.adaptive().state().rate().factor()).isEqualTo(1.0);
    assertThat(d.adaptive().state().rate().windowLimitNow()).isEqualTo(100);
    assertThat(d.adaptive().state().rate().decreases()).isZero();
  }
}
