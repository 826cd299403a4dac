package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What observers of the dispatcher see, driven by tick() in virtual time. */
class DispatchObserverTest {

  /** The default settings but claiming only what is free now: these tests tick a manual clock. */
  private static final DispatcherConfig NO_LEAD =
      DispatcherConfig.defaults().withLead(Duration.ZERO);

  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog();

  /** Everything an observer was told, in order. */
  private static final class Recording implements DispatchObserver {
    record Release(List<Job> jobs, Instant at, Duration heldByGate) {}

    record Answer(Job job, Outcome outcome, Duration took) {}

    final List<Release> releases = new CopyOnWriteArrayList<>();
    final List<Instant> refusals = new CopyOnWriteArrayList<>();
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    final List<Answer> ends = new CopyOnWriteArrayList<>();
    final List<Settlement> settlements = new CopyOnWriteArrayList<>();

    @Override
    public void released(List<Job> jobs, Instant at, Duration heldByGate) {
      releases.add(new Release(jobs, at, heldByGate));
    }

    @Override
    public void gateRefused(Instant at) {
      refusals.add(at);
    }

    @Override
    public void answered(Job job, Outcome outcome, Duration atTarget) {
      answers.add(new Answer(job, outcome, atTarget));
    }

    @Override
    public void ended(Job job, Outcome outcome, Duration sinceReached) {
      ends.add(new Answer(job, outcome, sinceReached));
    }

    @Override
    public void settled(List<Settlement> s, Instant at) {
      settlements.addAll(s);
    }

    List<String> releasedKeys() {
      return releases.stream().flatMap(r -> r.jobs().stream()).map(j -> j.event().key()).toList();
    }
  }

  /**
   * k0 takes 200 ms and completes, k1 takes 50 ms and starts work that ends later, k2 takes 30 ms
   * and fails for good. Records when each call reached it, on the manual clock.
   */
  private final class TimedTarget implements Target {
    final Map<String, Instant> reachedAt = new HashMap<>();
    final Map<String, Job> jobs = new HashMap<>();
    Target.Completions completions;

    @Override
    public void watchCompletions(Target.Completions c) {
      completions = c;
    }

    @Override
    public Outcome deliver(Job job) {
      String key = job.event().key();
      reachedAt.put(key, time.now());
      jobs.put(key, job);
      switch (key) {
        case "k0" -> {
          time.advance(Duration.ofMillis(200));
          return Outcome.completed();
        }
        case "k1" -> {
          time.advance(Duration.ofMillis(50));
          return Outcome.started("arn:execution:k1", Duration.ofHours(1));
        }
        default -> {
          time.advance(Duration.ofMillis(30));
          return Outcome.permanent("no such bucket");
        }
      }
    }

    @Override
    public String describe() {
      return "timed";
    }
  }

  private Dispatcher dispatcher(Target target) {
    return new Dispatcher(
        backlog,
        target,
        new Gate(Limits.window(2, Duration.ofSeconds(1))),
        time,
        NO_LEAD,
        Runnable::run,
        new Random(7));
  }

  private void append(String... keys) {
    List<ObjectEvent> events = new ArrayList<>();
    for (String k : keys) {
      events.add(ObjectEvent.created("data", k, "test"));
    }
    backlog.append(events, time.now());
  }

  private static void drain(Dispatcher d) {
    while (d.tick() > 0 || d.applyOutcomes() > 0) {
      // until nothing moves
    }
  }

  @Test
  void observer_seesEachRelease_answerWithItsTime_endOfStartedWork_andSettlement() {
    TimedTarget target = new TimedTarget();
    Dispatcher d = dispatcher(target);
    Recording seen = new Recording();
    d.addObserver(seen);
    append("k0", "k1", "k2");

    drain(d); // two go out, the window holds the third back
    assertThat(seen.releasedKeys()).containsExactlyInAnyOrder("k0", "k1");
    assertThat(seen.refusals).isNotEmpty();
    Instant firstRefusal = seen.refusals.get(0);

    time.advance(Duration.ofSeconds(1));
    drain(d);
    Instant endReported = time.now().plusSeconds(5);
    time.advance(Duration.ofSeconds(5));
    target.completions.completed(target.jobs.get("k1"), Outcome.completed());
    drain(d);

    assertThat(seen.releasedKeys()).containsExactlyInAnyOrder("k0", "k1", "k2");
    Recording.Release third = seen.releases.get(seen.releases.size() - 1);
    assertThat(third.jobs()).extracting(j -> j.event().key()).containsExactly("k2");
    assertThat(third.heldByGate()).isEqualTo(Duration.between(firstRefusal, third.at()));
    assertThat(seen.releases.get(0).heldByGate()).isZero();

    assertThat(seen.answers)
        .extracting(a -> a.job().event().key(), a -> a.outcome().label(), Recording.Answer::took)
        .containsExactlyInAnyOrder(
            tuple("k0", "completed", Duration.ofMillis(200)),
            tuple("k1", "started", Duration.ofMillis(50)),
            tuple("k2", "failed-permanent", Duration.ofMillis(30)));
    assertThat(seen.ends)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.job().event().key()).isEqualTo("k1");
              assertThat(e.outcome()).isInstanceOf(Outcome.Completed.class);
              assertThat(e.took())
                  .isEqualTo(Duration.between(target.reachedAt.get("k1"), endReported));
            });

    assertThat(seen.settlements)
        .extracting(s -> s.job().event().key(), Settlement::kind)
        .containsExactlyInAnyOrder(
            tuple("k0", Settlement.Kind.DONE),
            tuple("k1", Settlement.Kind.STARTED),
            tuple("k2", Settlement.Kind.DEAD),
            tuple("k1", Settlement.Kind.DONE));
    List<Settlement.Kind> k1 =
        seen.settlements.stream()
            .filter(s -> s.job().event().key().equals("k1"))
            .map(Settlement::kind)
            .toList();
    assertThat(k1).containsExactly(Settlement.Kind.STARTED, Settlement.Kind.DONE);
    // Every release is closed by exactly one settlement.
    assertThat(seen.settlements.stream().filter(Settlement::closesRelease).count()).isEqualTo(3);
  }

  @Test
  void observerThatThrows_isIgnored_andTheOthersAreStillTold() {
    TimedTarget target = new TimedTarget();
    Dispatcher d = dispatcher(target);
    d.addObserver(
        new DispatchObserver() {
          @Override
          public void released(List<Job> jobs, Instant at, Duration heldByGate) {
            throw new IllegalStateException("broken observer");
          }

          @Override
          public void settled(List<Settlement> settlements, Instant at) {
            throw new IllegalStateException("broken observer");
          }
        });
    Recording seen = new Recording();
    d.addObserver(seen);
    append("k0");

    drain(d);

    assertThat(backlog.stats(time.now()).done()).isEqualTo(1);
    assertThat(d.stats().inFlight()).isZero();
    assertThat(seen.releasedKeys()).containsExactly("k0");
    assertThat(seen.settlements).extracting(Settlement::kind).containsExactly(Settlement.Kind.DONE);
  }
}
