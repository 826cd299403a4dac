package dev.sluice.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The meters fed by a dispatcher driven by tick() in virtual time, with an asynchronous target:
 * running work, its end, throttling and the limits in force.
 */
class SluiceMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final InMemoryBacklog backlog = new InMemoryBacklog();

  /** Throttles k0 once, starts work for every other call; the test reports the ends. */
  private static final class AsyncTarget implements Target {
    final List<Job> started = new ArrayList<>();
    Target.Completions completions;
    boolean throttledOnce;

    @Override
    public void watchCompletions(Target.Completions c) {
      completions = c;
    }

    @Override
    public Outcome deliver(Job job) {
      if (job.event().key().equals("k0") && !throttledOnce) {
        throttledOnce = true;
        return Outcome.throttled(Duration.ofSeconds(1), "TooManyRequests");
      }
      started.add(job);
      return Outcome.started("arn:" + job.releaseId(), Duration.ofHours(1));
    }

    @Override
    public String describe() {
      return "async";
    }
  }

  private static void drain(Dispatcher d) {
    while (d.tick() > 0 || d.applyOutcomes() > 0) {
      // until nothing moves
    }
  }

  @Test
  void meters_followRunningWorkToItsEnd_andShowTheLimitsInForce() {
    AsyncTarget target = new AsyncTarget();
    Dispatcher d =
        new Dispatcher(
            backlog,
            target,
            new Gate(Limits.none().withMaxInFlight(3)),
            time,
            DispatcherConfig.defaults(),
            Runnable::run,
            new Random(1));
    SluiceMetrics metrics = new SluiceMetrics(backlog, time, d::limits);
    d.addObserver(metrics);
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      events.add(ObjectEvent.created("data", "k" + i, "test"));
    }
    backlog.append(events, time.now());

    drain(d);
    time.advance(Duration.ofSeconds(2)); // past the throttled event's retry
    drain(d);

    var registry = metrics.registry();
    assertThat(target.started).hasSize(3);
    assertThat(registry.get("sluice.released").counter().count()).isEqualTo(4);
    assertThat(registry.get("sluice.retries").tag("kind", "throttled").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("sluice.running").gauge().value()).isEqualTo(3);
    assertThat(registry.get("sluice.in.flight").gauge().value()).isEqualTo(3);
    assertThat(registry.get("sluice.limit.max.in.flight").gauge().value()).isEqualTo(3);
    assertThat(registry.get("sluice.limit.window.limit").gauge().value()).isNaN();

    time.advance(Duration.ofSeconds(30));
    target.completions.completed(target.started.get(0), Outcome.completed());
    target.completions.completed(target.started.get(1), Outcome.permanent("task failed"));
    drain(d);

    assertThat(registry.get("sluice.running").gauge().value()).isEqualTo(1);
    assertThat(registry.get("sluice.in.flight").gauge().value()).isEqualTo(1);
    assertThat(registry.get("sluice.closed").tag("outcome", "completed").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("sluice.closed").tag("outcome", "throttled").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("sluice.dead.lettered").counter().count()).isEqualTo(1);
    var work = registry.get("sluice.started.work").tag("outcome", "completed").timer();
    assertThat(work.count()).isEqualTo(1);
    // Started 2 s after the start of the test at the latest, ended 32 s after it.
    assertThat(work.totalTime(TimeUnit.SECONDS)).isBetween(30.0, 32.0);

    d.setLimits(Limits.window(50, Duration.ofMinutes(1)));
    assertThat(registry.get("sluice.limit.window.limit").gauge().value()).isEqualTo(50);
    assertThat(registry.get("sluice.limit.window.length").gauge().value()).isEqualTo(60);
    assertThat(registry.get("sluice.limit.max.in.flight").gauge().value()).isNaN();
  }
}
