package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The dispatcher driven by tick() in virtual time, with jobs run in the calling thread. */
class DispatcherTest {

  /** The default settings but claiming only what is free now: these tests tick a manual clock. */
  private static final DispatcherConfig NO_LEAD =
      DispatcherConfig.defaults().withLead(Duration.ZERO);

  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog();
  private static final Executor DIRECT = Runnable::run;

  private Dispatcher dispatcher(
      Limits limits, ScriptedTarget target, DispatcherConfig config, Executor ex) {
    return new Dispatcher(backlog, target, new Gate(limits), time, config, ex, new Random(42));
  }

  private Dispatcher dispatcher(Limits limits, ScriptedTarget target) {
    return dispatcher(limits, target, NO_LEAD, DIRECT);
  }

  private void appendObjects(int n) {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(ObjectEvent.created("data", String.format("data/part-%05d.parquet", i), "test"));
    }
    backlog.append(events, time.now());
  }

  private int tickUntilIdle(Dispatcher d) {
    int total = 0;
    for (int n; (n = d.tick()) > 0; ) {
      total += n;
    }
    d.applyOutcomes();
    return total;
  }

  @Test
  void tick_whenWindowIs50Per2s_releases115As50Then50Then15() {
    ScriptedTarget target = ScriptedTarget.completing();
    Dispatcher d = dispatcher(Limits.window(50, Duration.ofSeconds(2)), target);
    appendObjects(115);

    assertThat(tickUntilIdle(d)).isEqualTo(50);
    time.advance(Duration.ofMillis(1999));
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1));
    assertThat(tickUntilIdle(d)).isEqualTo(50);
    time.advance(Duration.ofSeconds(2));
    assertThat(tickUntilIdle(d)).isEqualTo(15);
    time.advance(Duration.ofSeconds(2));
    assertThat(tickUntilIdle(d)).isZero();

    assertThat(target.received).hasSize(115);
    assertThat(target.received).extracting(j -> j.event().key()).doesNotHaveDuplicates();
    assertThat(backlog.stats(time.now()).done()).isEqualTo(115);
    assertThat(d.stats().inFlight()).isZero();
  }

  @Test
  void tick_whenTargetFailsTransiently_retriesWithBackoffUntilCompleted() {
    // Fails the first two attempts of every job, then completes.
    ScriptedTarget target =
        new ScriptedTarget(j -> j.attempt() <= 2 ? Outcome.retryable("busy") : Outcome.completed());
    Dispatcher d = dispatcher(Limits.none(), target);
    appendObjects(1);

    assertThat(tickUntilIdle(d)).isEqualTo(1);
    // Backoff after attempt 1 is between 0.5 s and 1 s (initial 1 s, equal jitter).
    time.advance(Duration.ofMillis(499));
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(501));
    assertThat(tickUntilIdle(d)).isEqualTo(1);
    // After attempt 2: between 1 s and 2 s.
    time.advance(Duration.ofMillis(999));
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1001));
    assertThat(tickUntilIdle(d)).isEqualTo(1);

    assertThat(target.received).extracting(Job::attempt).containsExactly(1, 2, 3);
    assertThat(backlog.stats(time.now()).done()).isEqualTo(1);
    assertThat(d.stats().retried()).isEqualTo(2);
  }

  @Test
  void tick_whenTargetAlwaysFailsRetryably_deadLettersAfterMaxAttemptsWithLastError() {
    ScriptedTarget target =
        new ScriptedTarget(j -> Outcome.retryable("HTTP 500 attempt " + j.attempt()));
    DispatcherConfig config =
        NO_LEAD.withRetry(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(10), 2.0));
    Dispatcher d = dispatcher(Limits.none(), target, config, DIRECT);
    appendObjects(1);

    for (int i = 0; i < 10; i++) {
      tickUntilIdle(d);
      time.advance(Duration.ofSeconds(10));
    }

    assertThat(target.received).hasSize(3);
    List<DeadLetter> dead = backlog.deadLetters(0, 10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).attempts()).isEqualTo(3);
    assertThat(dead.get(0).lastError()).contains("HTTP 500 attempt 3");
  }

  @Test
  void tick_whenTargetFailsPermanently_deadLettersAtOnce() {
    ScriptedTarget target = new ScriptedTarget(j -> Outcome.permanent("404 no such state machine"));
    Dispatcher d = dispatcher(Limits.none(), target);
    appendObjects(2);

    tickUntilIdle(d);
    time.advance(Duration.ofHours(1));
    tickUntilIdle(d);

    assertThat(target.received).hasSize(2);
    assertThat(backlog.deadLetters(0, 10))
        .hasSize(2)
        .allSatisfy(dl -> assertThat(dl.lastError()).isEqualTo("404 no such state machine"));
  }

  @Test
  void tick_whenTargetThrottlesWithRetryAfter_waitsAtLeastThatLong() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    ScriptedTarget target =
        new ScriptedTarget(
            j ->
                calls.incrementAndGet() == 1
                    ? Outcome.throttled(Duration.ofSeconds(30), "429")
                    : Outcome.completed());
    Dispatcher d = dispatcher(Limits.none(), target);
    appendObjects(1);

    tickUntilIdle(d);
    time.advance(Duration.ofMillis(29_999));
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1));
    assertThat(tickUntilIdle(d)).isEqualTo(1);
    assertThat(backlog.stats(time.now()).done()).isEqualTo(1);
  }

  @Test
  void tick_whenTargetThrows_countsAsRetryable() {
    ScriptedTarget target =
        new ScriptedTarget(
            j -> {
              if (j.attempt() == 1) {
                throw new IllegalStateException("boom");
              }
              return Outcome.completed();
            });
    Dispatcher d = dispatcher(Limits.none(), target);
    appendObjects(1);

    tickUntilIdle(d);
    time.advance(Duration.ofSeconds(2));
    tickUntilIdle(d);

    List<ReleaseRecord> log = backlog.releases(Instant.EPOCH, 0, 10);
    assertThat(log)
        .extracting(ReleaseRecord::outcome)
        .containsExactly("failed-retryable", "completed");
    assertThat(log.get(0).error()).contains("boom");
  }

  @Test
  void tick_whenMaxInFlightIs2_startsNoMoreUntilACompletion() {
    Queue<Runnable> pending = new ArrayDeque<>();
    ScriptedTarget target = ScriptedTarget.completing();
    Dispatcher d = dispatcher(Limits.none().withMaxInFlight(2), target, NO_LEAD, pending::add);
    appendObjects(5);

    assertThat(d.tick()).isEqualTo(2);
    assertThat(d.tick()).isZero();
    pending.poll().run(); // one job finishes
    assertThat(d.tick()).isEqualTo(1);
    assertThat(d.tick()).isZero();
    assertThat(d.stats().inFlight()).isEqualTo(2);
  }

  @Test
  void tick_whenWorkersAreBusy_releasesNoMoreThanFreeWorkers() {
    Queue<Runnable> pending = new ArrayDeque<>();
    Dispatcher d =
        dispatcher(
            Limits.none(), ScriptedTarget.completing(), NO_LEAD.withWorkers(3), pending::add);
    appendObjects(10);

    assertThat(d.tick()).isEqualTo(3);
    assertThat(d.tick()).isZero();
    assertThat(backlog.releases(Instant.EPOCH, 0, 100)).hasSize(3);
  }

  @Test
  void tick_whenPaused_releasesNothingUntilResumed() {
    ScriptedTarget target = ScriptedTarget.completing();
    Dispatcher d = dispatcher(Limits.none(), target);
    appendObjects(3);

    d.pause();
    assertThat(d.tick()).isZero();
    assertThat(d.stats().paused()).isTrue();
    d.resume();
    assertThat(tickUntilIdle(d)).isEqualTo(3);
  }

  @Test
  void releasePasses_countsEveryReleaseStepPausedOrNot() {
    Dispatcher d = dispatcher(Limits.window(1, Duration.ofHours(1)), ScriptedTarget.completing());
    appendObjects(2);
    assertThat(d.releasePasses()).isZero();

    d.pause();
    d.tick();
    d.resume();
    d.tick(); // releases the window's one job
    d.tick(); // the window is used up: a step that releases nothing still counts

    assertThat(d.releasePasses()).isGreaterThanOrEqualTo(3);
    assertThat(d.stats().released()).isEqualTo(1);
  }

  @Test
  void newDispatcher_afterRestartMidWindow_doesNotGrantAFreshWindow() {
    ScriptedTarget target = ScriptedTarget.completing();
    Limits limits = Limits.window(10, Duration.ofSeconds(1));
    Dispatcher first = dispatcher(limits, target);
    appendObjects(30);
    assertThat(tickUntilIdle(first)).isEqualTo(10);

    time.advance(Duration.ofMillis(400));
    // A restart: a new gate and dispatcher over the same backlog.
    Dispatcher second = dispatcher(limits, target);
    assertThat(tickUntilIdle(second)).isZero();
    time.advance(Duration.ofMillis(600));
    assertThat(tickUntilIdle(second)).isEqualTo(10);
  }

  @Test
  void setLimits_whenRaisedMidWindow_countsReleasesAlreadyMade() {
    ScriptedTarget target = ScriptedTarget.completing();
    Dispatcher d = dispatcher(Limits.window(10, Duration.ofSeconds(1)), target);
    appendObjects(100);
    assertThat(tickUntilIdle(d)).isEqualTo(10);

    d.setLimits(Limits.window(25, Duration.ofSeconds(1)));
    assertThat(tickUntilIdle(d)).isEqualTo(15);
    assertThat(d.limits().window().limit()).isEqualTo(25);
  }

  @Test
  void tick_whenWindowIsLargerThanAClaim_releasesTheWholeBudgetInOneStepAtOneInstant() {
    Queue<Runnable> pending = new ArrayDeque<>();
    Dispatcher d =
        dispatcher(
            Limits.window(1000, Duration.ofSeconds(1)),
            ScriptedTarget.completing(),
            NO_LEAD.withWorkers(1000).withBatch(300),
            pending::add);
    appendObjects(3000);

    assertThat(d.tick()).isEqualTo(1000);
    assertThat(pending).hasSize(1000);
    assertThat(backlog.releases(Instant.EPOCH, 0, 2000))
        .hasSize(1000)
        .extracting(ReleaseRecord::releasedAt)
        .containsOnly(time.now());
    assertThat(d.tick()).isZero();
  }

  @Test
  void tick_whenJobsReachTheTargetLate_theWindowFreesOneWindowAfterEachStart() {
    Queue<Runnable> pending = new ArrayDeque<>();
    Dispatcher d =
        dispatcher(
            Limits.window(10, Duration.ofSeconds(1)),
            ScriptedTarget.completing(),
            NO_LEAD,
            pending::add);
    appendObjects(30);
    assertThat(d.tick()).isEqualTo(10);

    // Handed to the target late: five after 300 ms, five after 800 ms.
    time.advance(Duration.ofMillis(300));
    runSome(pending, 5);
    time.advance(Duration.ofMillis(500));
    runSome(pending, 5);

    time.advance(Duration.ofMillis(200)); // 1 s after the release
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(299));
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1)); // 1 s after the first five started
    assertThat(tickUntilIdle(d)).isEqualTo(5);
    time.advance(Duration.ofMillis(499));
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1));
    assertThat(tickUntilIdle(d)).isEqualTo(5);
  }

  @Test
  void releaseLog_recordsWhenEachJobReachedTheTargetAndWhenItAnswered() {
    Instant released = time.now();
    // The target takes 250 ms to answer.
    ScriptedTarget target =
        new ScriptedTarget(
            j -> {
              time.advance(Duration.ofMillis(250));
              return Outcome.completed();
            });
    Queue<Runnable> pending = new ArrayDeque<>();
    Dispatcher d = dispatcher(Limits.none(), target, NO_LEAD, pending::add);
    appendObjects(1);
    d.tick();
    time.advance(Duration.ofMillis(40)); // handed over 40 ms after the release
    runSome(pending, 1);
    time.advance(Duration.ofMillis(10));
    d.applyOutcomes();

    ReleaseRecord r = backlog.releases(Instant.EPOCH, 0, 10).get(0);
    assertThat(r.releasedAt()).isEqualTo(released);
    assertThat(r.reachedAt()).isEqualTo(released.plusMillis(40));
    assertThat(r.answeredAt()).isEqualTo(released.plusMillis(290));
    assertThat(r.finishedAt()).isEqualTo(released.plusMillis(300));
  }

  @Test
  void newDispatcher_afterRestart_countsTheWindowFromWhenJobsReachedTheTarget() {
    Queue<Runnable> pending = new ArrayDeque<>();
    Limits limits = Limits.window(10, Duration.ofSeconds(1));
    Dispatcher first = dispatcher(limits, ScriptedTarget.completing(), NO_LEAD, pending::add);
    appendObjects(30);
    assertThat(first.tick()).isEqualTo(10);
    time.advance(Duration.ofMillis(600));
    runSome(pending, 10);
    first.applyOutcomes();

    time.advance(Duration.ofMillis(500)); // 1.1 s after the release, 0.5 s after the starts
    Dispatcher second = dispatcher(limits, ScriptedTarget.completing());
    assertThat(tickUntilIdle(second)).isZero();
    time.advance(Duration.ofMillis(499));
    assertThat(tickUntilIdle(second)).isZero();
    time.advance(Duration.ofMillis(1));
    assertThat(tickUntilIdle(second)).isEqualTo(10);
  }

  @Test
  void tick_whenTheTargetAnswersWithinTheMargin_countsTheJobFromTheAnswer() {
    // The target records a job somewhere between the call's beginning and its answer; only the
    // answer is known to be after that record.
    ScriptedTarget target =
        new ScriptedTarget(
            j -> {
              time.advance(Duration.ofMillis(20));
              return Outcome.completed();
            });
    Dispatcher d = dispatcher(Limits.window(1, Duration.ofSeconds(1)), target);
    appendObjects(2);
    assertThat(tickUntilIdle(d)).isEqualTo(1); // began at 0, answered at 20 ms

    time.advance(Duration.ofMillis(999)); // 1019 ms
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1)); // 1 s after the answer
    assertThat(tickUntilIdle(d)).isEqualTo(1);
  }

  @Test
  void tick_whenACallRunsLongerThanTheMargin_countsTheJobFromItsBeginningPlusTheMargin() {
    // A command that runs for 5 s: it holds its window slot for the margin, not while it runs.
    ScriptedTarget target =
        new ScriptedTarget(
            j -> {
              time.advance(Duration.ofSeconds(5));
              return Outcome.completed();
            });
    Dispatcher d = dispatcher(Limits.window(1, Duration.ofSeconds(1)), target);
    appendObjects(2);
    Instant t0 = time.now();

    // The first began at 0 and answered at 5 s; counted from the margin (1 s), it left the window
    // at 2 s, so the second goes at once at 5 s.
    assertThat(tickUntilIdle(d)).isEqualTo(2);
    assertThat(backlog.releases(Instant.EPOCH, 0, 10))
        .extracting(ReleaseRecord::releasedAt)
        .containsExactly(t0, t0.plusSeconds(5));
  }

  @Test
  void tick_whileALongCallRuns_countsItFromTheMarginOnward() {
    Queue<Runnable> pending = new ArrayDeque<>();
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    ScriptedTarget target =
        new ScriptedTarget(
            j -> {
              try {
                answer.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return Outcome.completed();
            });
    Dispatcher d =
        dispatcher(Limits.window(1, Duration.ofSeconds(1)), target, NO_LEAD, pending::add);
    appendObjects(2);
    assertThat(d.tick()).isEqualTo(1);
    Thread call = new Thread(pending.poll()); // the call begins at 0 and does not answer
    call.start();
    try {
      org.awaitility.Awaitility.await().until(() -> call.getState() == Thread.State.WAITING);

      time.advance(Duration.ofSeconds(1).plus(Dispatcher.ARRIVAL_MARGIN).minusNanos(1));
      assertThat(d.tick()).isZero();
      time.advance(Duration.ofNanos(1)); // 1 s after the margin
      assertThat(d.tick()).isEqualTo(1);
    } finally {
      answer.countDown();
    }
  }

  @Test
  void tick_withALead_claimsTheNextWindowBeforeItOpensAndItsJobsWaitForTheInstant()
      throws Exception {
    Instant t0 = time.now();
    Queue<Runnable> pending = new ArrayDeque<>();
    ScriptedTarget target = ScriptedTarget.completing();
    Dispatcher d =
        dispatcher(
            Limits.window(3, Duration.ofSeconds(1)),
            target,
            DispatcherConfig.defaults().withLead(Duration.ofMillis(50)),
            pending::add);
    appendObjects(6);
    assertThat(d.tick()).isEqualTo(3); // free now: released now
    runSome(pending, 3); // they arrive at 0
    d.applyOutcomes();

    // The window opens again at 1000 ms; it is claimed 50 ms before.
    time.advance(Duration.ofMillis(950).minusNanos(1));
    assertThat(d.tick()).isZero();
    time.advance(Duration.ofNanos(1));
    assertThat(d.tick()).isEqualTo(3);
    assertThat(backlog.releases(Instant.EPOCH, 0, 10))
        .extracting(ReleaseRecord::releasedAt)
        .containsExactly(t0, t0, t0, t0.plusMillis(1000), t0.plusMillis(1000), t0.plusMillis(1000));

    // Their workers wait for the instant before they call the target.
    Thread worker =
        new Thread(
            () -> {
              for (Runnable job; (job = pending.poll()) != null; ) {
                job.run();
              }
            });
    worker.start();
    org.awaitility.Awaitility.await().until(() -> worker.getState() == Thread.State.WAITING);
    assertThat(target.received).hasSize(3);
    time.advance(Duration.ofMillis(50));
    worker.join(10_000);
    assertThat(target.received).hasSize(6);
  }

  @Test
  void tick_whenTheTargetTellsItsArrival_countsTheJobFromThenNotFromItsAnswer() {
    // It has the job at once, then works on it for 500 ms before it answers.
    Target target =
        new Target() {
          @Override
          public Outcome deliver(Job job) {
            throw new AssertionError("the dispatcher passes the arrival");
          }

          @Override
          public Outcome deliver(Job job, Target.Arrival arrival) {
            arrival.arrived();
            time.advance(Duration.ofMillis(500));
            return Outcome.completed();
          }

          @Override
          public String describe() {
            return "slow target that tells its arrival";
          }
        };
    Dispatcher d =
        new Dispatcher(
            backlog,
            target,
            new Gate(Limits.window(1, Duration.ofSeconds(1))),
            time,
            NO_LEAD,
            DIRECT,
            new Random(42));
    appendObjects(2);
    assertThat(tickUntilIdle(d)).isEqualTo(1); // arrived at 0, answered at 500 ms

    time.advance(Duration.ofMillis(499)); // 999 ms
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1)); // 1 s after the arrival, 500 ms after the answer
    assertThat(tickUntilIdle(d)).isEqualTo(1);
  }

  private static void runSome(Queue<Runnable> pending, int n) {
    for (int i = 0; i < n; i++) {
      pending.poll().run();
    }
  }

  @Test
  void releaseLog_recordsEveryReleaseWithItsOutcome() {
    ScriptedTarget target = ScriptedTarget.completing();
    Dispatcher d = dispatcher(Limits.none(), target);
    appendObjects(4);
    tickUntilIdle(d);

    List<ReleaseRecord> log = backlog.releases(Instant.EPOCH, 0, 100);
    assertThat(log).hasSize(4);
    assertThat(log)
        .extracting(ReleaseRecord::key)
        .containsExactlyElementsOf(
            IntStream.range(0, 4)
                .mapToObj(i -> String.format("data/part-%05d.parquet", i))
                .toList());
    assertThat(log)
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo("completed");
              assertThat(r.attempt()).isEqualTo(1);
              assertThat(r.finishedAt()).isNotNull();
            });
  }
}
