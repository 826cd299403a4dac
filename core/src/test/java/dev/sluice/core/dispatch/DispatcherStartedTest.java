package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous targets: work answered {@link Outcome.Started} holds its in-flight slot until the
 * target reports its end; throttling never spends an attempt. Driven by tick() in virtual time.
 */
class DispatcherStartedTest {

  /** The default settings but claiming only what is free now: these tests tick a manual clock. */
  private static final DispatcherConfig NO_LEAD =
      DispatcherConfig.defaults().withLead(Duration.ZERO);

  private static final Duration HOLD = Duration.ofHours(1);
  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog();

  /** Starts every job and lets the test end them; may end a job before answering its start. */
  private static final class AsyncTarget implements Target {
    final List<Job> started = new CopyOnWriteArrayList<>();
    Target.Completions completions;
    BiConsumer<Job, Target.Completions> beforeAnswer = (j, c) -> {};

    @Override
    public void watchCompletions(Target.Completions c) {
      this.completions = c;
    }

    @Override
    public Outcome deliver(Job job) {
      started.add(job);
      beforeAnswer.accept(job, completions);
      return Outcome.started("arn:execution:" + job.releaseId(), HOLD);
    }

    @Override
    public String describe() {
      return "async";
    }
  }

  private Dispatcher dispatcher(Limits limits, Target target, RetryPolicy retry) {
    return new Dispatcher(
        backlog,
        target,
        new Gate(limits),
        time,
        NO_LEAD.withRetry(retry),
        Runnable::run,
        new Random(42));
  }

  private void append(int n) {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(ObjectEvent.created("data", "k" + i, "test"));
    }
    backlog.append(events, time.now());
  }

  private static void drain(Dispatcher d) {
    while (d.tick() > 0 || d.applyOutcomes() > 0) {
      // until nothing moves
    }
  }

  @Test
  void maxInFlight_countsStartedWorkUntilItsEndIsReported() {
    AsyncTarget target = new AsyncTarget();
    Dispatcher d = dispatcher(Limits.none().withMaxInFlight(2), target, RetryPolicy.defaults());
    append(5);

    drain(d);
    time.advance(Duration.ofMinutes(10));
    drain(d);

    assertThat(target.started).hasSize(2);
    assertThat(d.stats().running()).isEqualTo(2);
    assertThat(d.stats().inFlight()).isEqualTo(2);
    assertThat(backlog.stats(time.now()).leased()).isEqualTo(2);

    target.completions.completed(target.started.get(0), Outcome.completed());
    drain(d);

    assertThat(target.started).hasSize(3);
    assertThat(backlog.stats(time.now()).done()).isEqualTo(1);
    assertThat(d.stats().inFlight()).isEqualTo(2);
  }

  @Test
  void end_whenReportedTwice_freesOneSlotOnly() {
    AsyncTarget target = new AsyncTarget();
    Dispatcher d = dispatcher(Limits.none().withMaxInFlight(1), target, RetryPolicy.defaults());
    append(3);
    drain(d);
    Job first = target.started.get(0);

    target.completions.completed(first, Outcome.completed());
    target.completions.completed(first, Outcome.completed());
    drain(d);

    assertThat(target.started).hasSize(2);
    assertThat(d.stats().inFlight()).isEqualTo(1);
    assertThat(d.stats().completed()).isEqualTo(1);
  }

  @Test
  void end_whenReportedBeforeTheStartIsAnswered_isSettledAfterIt() {
    AsyncTarget target = new AsyncTarget();
    target.beforeAnswer = (job, completions) -> completions.completed(job, Outcome.completed());
    Dispatcher d = dispatcher(Limits.none().withMaxInFlight(1), target, RetryPolicy.defaults());
    append(4);

    drain(d);

    assertThat(target.started).hasSize(4);
    assertThat(backlog.stats(time.now()).done()).isEqualTo(4);
    assertThat(d.stats().inFlight()).isZero();
    assertThat(d.stats().running()).isZero();
    assertThat(backlog.releases(time.now().minusSeconds(60), 0, 10))
        .extracting(ReleaseRecord::outcome)
        .containsOnly("completed");
  }

  @Test
  void end_whenWorkFailed_retriesWithANewAttemptThenDeadLettersWithTheError() {
    AsyncTarget target = new AsyncTarget();
    RetryPolicy twice = new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0);
    Dispatcher d = dispatcher(Limits.none(), target, twice);
    append(1);

    drain(d);
    target.completions.completed(
        target.started.get(0), Outcome.retryable("States.TaskFailed: worker crashed"));
    drain(d);
    time.advance(Duration.ofSeconds(2));
    drain(d);
    target.completions.completed(
        target.started.get(1), Outcome.retryable("States.TaskFailed: worker crashed"));
    drain(d);

    assertThat(target.started).extracting(Job::attempt).containsExactly(1, 2);
    assertThat(backlog.deadLetters(0, 10))
        .singleElement()
        .satisfies(
            dl -> assertThat(dl.lastError()).startsWith("States.TaskFailed: worker crashed"));
    assertThat(d.stats().inFlight()).isZero();
  }

  @Test
  void throttled_neverSpendsAnAttemptNorDeadLetters() {
    int[] calls = {0};
    ScriptedTarget target =
        new ScriptedTarget(
            j ->
                ++calls[0] <= 20
                    ? Outcome.throttled(null, "ThrottlingException")
                    : Outcome.completed());
    RetryPolicy twice = new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), 1.0);
    Dispatcher d = dispatcher(Limits.none(), target, twice);
    append(1);

    for (int i = 0; i < 30; i++) {
      drain(d);
      time.advance(Duration.ofSeconds(1));
    }

    assertThat(calls[0]).isEqualTo(21);
    assertThat(target.received).extracting(Job::attempt).containsOnly(1);
    assertThat(backlog.deadLetters(0, 10)).isEmpty();
    assertThat(backlog.stats(time.now()).done()).isEqualTo(1);
  }
}
