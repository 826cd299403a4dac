package dev.sluice.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.ExecutionName;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.sfnlocal.ExecutionOutcome;
import dev.sluice.sfnlocal.ExecutionStatus;
import dev.sluice.sfnlocal.LocalStepFunctions;
import dev.sluice.sfnlocal.RecordedExecution;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The step-functions target on the real SDK against the local endpoint, which enforces the name
 * rules and the 90-day name idempotency of a Standard state machine.
 */
class StepFunctionsTargetTest {
  private LocalStepFunctions local;
  private SfnClient client;
  private StepFunctionsTarget target;

  private void start(Duration runFor, Function<String, ExecutionOutcome> byName, int bucket) {
    start(runFor, byName, bucket, null);
  }

  /** With {@code clock}, executions end only when the test moves it (read at each call). */
  private void start(
      Duration runFor, Function<String, ExecutionOutcome> byName, int bucket, Clock clock) {
    var b =
        LocalStepFunctions.builder()
            .stateMachine("process")
            .executionDuration(runFor)
            .outcome(e -> byName.apply(e.name()));
    if (clock != null) {
      b.clock(clock).finishInBackground(false);
    }
    if (bucket > 0) {
      b.startExecutionRate(bucket, 0.001);
    }
    local = b.start();
    client =
        SfnClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.of(local.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .endpointOverride(local.endpoint())
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  private StepFunctionsTarget target(StepFunctionsSettings.Completion completion) {
    target =
        new StepFunctionsTarget(
            client,
            StepFunctionsSettings.of(local.stateMachineArn("process"))
                .withCompletion(completion)
                .withPollInterval(Duration.ofMillis(50)),
            false);
    return target;
  }

  @AfterEach
  void stop() {
    if (target != null) {
      target.close();
    }
    client.close();
    local.close();
  }

  private static ExecutionOutcome ok(String name) {
    return ExecutionOutcome.succeed("{}");
  }

  private static String name(Job job, int attempt) {
    return ExecutionName.of(job.event().identity(), attempt);
  }

  @Test
  void deliver_startsAnExecutionNamedForTheAttemptWithTheEventAsInput() {
    start(Duration.ofMinutes(5), StepFunctionsTargetTest::ok, 0);
    Job job = TestJobs.job("in/my file+1.parquet", 1);

    Outcome outcome = target(StepFunctionsSettings.Completion.POLL).deliver(job);

    RecordedExecution e = local.recording().executions().get(0);
    assertThat(e.name()).isEqualTo(name(job, 1));
    assertThat(outcome).isEqualTo(new Outcome.Started(e.executionArn(), Duration.ofDays(1), false));
    assertThat(e.input())
        .contains("\"key\":\"in/my file+1.parquet\"")
        .contains("\"idempotencyKey\":\"" + job.idempotencyKey() + "\"")
        .doesNotContain("releaseId")
        .doesNotContain("releasedAt");
  }

  @Test
  void deliver_whenTheSameAttemptIsReleasedAgain_adoptsTheRunningExecution() {
    start(Duration.ofMinutes(5), StepFunctionsTargetTest::ok, 0);
    StepFunctionsTarget t = target(StepFunctionsSettings.Completion.POLL);
    Outcome first = t.deliver(TestJobs.job("a.csv", 1, 1));

    Outcome again = t.deliver(TestJobs.job("a.csv", 1, 2));

    // Same name and same input while it runs: Step Functions answers the first start again.
    assertThat(local.recording().executions()).hasSize(1);
    assertThat(again)
        .isInstanceOfSatisfying(
            Outcome.Started.class,
            s -> assertThat(s.reference()).isEqualTo(((Outcome.Started) first).reference()));
  }

  @Test
  void deliver_whenALaterAttemptFindsAnEarlierOneRunningOrDone_startsNothingNew() {
    MovableClock clock = new MovableClock(Instant.parse("2026-03-01T12:00:00Z"));
    start(Duration.ofMinutes(5), StepFunctionsTargetTest::ok, 0, clock);
    StepFunctionsTarget t = target(StepFunctionsSettings.Completion.POLL);
    t.deliver(TestJobs.job("a.csv", 1, 1));

    // A crash or an expired lease: the backlog counts another attempt of the same work.
    Outcome whileRunning = t.deliver(TestJobs.job("a.csv", 2, 2));
    clock.advance(Duration.ofMinutes(10));
    Outcome afterSuccess = t.deliver(TestJobs.job("a.csv", 3, 3));

    assertThat(whileRunning)
        .isInstanceOfSatisfying(Outcome.Started.class, s -> assertThat(s.duplicate()).isTrue());
    assertThat(afterSuccess).isInstanceOf(Outcome.Completed.class);
    assertThat(local.recording().startedNames()).hasSize(1);
  }

  /** A clock the test moves by hand. */
  private static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void deliver_whenTheEarlierAttemptFailed_startsANewExecutionUnderTheNextName() {
    Job first = TestJobs.job("a.csv", 1, 1);
    String failing = name(first, 1);
    start(
        Duration.ZERO,
        n -> n.equals(failing) ? ExecutionOutcome.fail("Boom", "bad row") : ok(n),
        0);
    StepFunctionsTarget t = target(StepFunctionsSettings.Completion.POLL);
    t.deliver(first);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> local.recording().executions().get(0).status() == ExecutionStatus.FAILED);

    t.deliver(TestJobs.job("a.csv", 2, 2));

    assertThat(local.recording().startedNames()).containsExactly(failing, name(first, 2));
  }

  @Test
  void deliver_whenARedrivenEventFindsItsNamesUsedByFailedExecutions_takesTheNextFreeName() {
    Job job = TestJobs.job("a.csv", 1, 1);
    List<String> used = List.of(name(job, 1), name(job, 2));
    start(Duration.ZERO, n -> used.contains(n) ? ExecutionOutcome.fail("Boom", null) : ok(n), 0);
    StepFunctionsTarget t = target(StepFunctionsSettings.Completion.POLL);
    t.deliver(TestJobs.job("a.csv", 1, 1));
    t.deliver(TestJobs.job("a.csv", 2, 2));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                local.recording().executions().stream()
                    .allMatch(e -> e.status() == ExecutionStatus.FAILED));

    // Redriven: attempts start over at 1.
    Outcome outcome = t.deliver(TestJobs.job("a.csv", 1, 3));

    assertThat(outcome).isInstanceOf(Outcome.Started.class);
    assertThat(local.recording().startedNames())
        .containsExactly(name(job, 1), name(job, 2), name(job, 3));
  }

  @Test
  void deliver_whenStartExecutionIsThrottled_isThrottledAndStartsNothing() {
    start(Duration.ofMinutes(5), StepFunctionsTargetTest::ok, 1);
    StepFunctionsTarget t = target(StepFunctionsSettings.Completion.POLL);
    t.deliver(TestJobs.job("a.csv", 1));

    Outcome outcome = t.deliver(TestJobs.job("b.csv", 1));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Throttled.class, th -> assertThat(th.detail()).contains("ThrottlingException"));
    assertThat(local.recording().executions()).hasSize(1);
  }

  @Test
  void deliver_whenTheStateMachineDoesNotExist_failsPermanently() {
    start(Duration.ofMinutes(5), StepFunctionsTargetTest::ok, 0);
    target =
        new StepFunctionsTarget(
            client,
            StepFunctionsSettings.of(local.stateMachineArn("process").replace("process", "gone")),
            false);

    Outcome outcome = target.deliver(TestJobs.job("a.csv", 1));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class,
            f -> {
              assertThat(f.retryable()).isFalse();
              assertThat(f.error()).contains("StateMachineDoesNotExist");
            });
  }

  @Test
  void watch_reportsEachEndOnceWithTheExecutionsErrorAndCause() {
    start(
        Duration.ofMillis(200),
        n -> n.startsWith("bad") ? ExecutionOutcome.fail("Boom", "row 7 is not a number") : ok(n),
        0);
    StepFunctionsTarget t = target(StepFunctionsSettings.Completion.POLL);
    Map<Long, Outcome> ends = new ConcurrentHashMap<>();
    List<Long> reportedTwice = new java.util.concurrent.CopyOnWriteArrayList<>();
    t.watchCompletions(
        (job, outcome) -> {
          if (ends.putIfAbsent(job.releaseId(), outcome) != null) {
            reportedTwice.add(job.releaseId());
          }
        });

    t.deliver(TestJobs.job("good.csv", 1, 1));
    t.deliver(TestJobs.job("bad.csv", 1, 2));
    await().atMost(Duration.ofSeconds(10)).until(() -> ends.size() == 2);
    // An end is reported as its execution leaves the watch: nothing is left to report again.
    await().atMost(Duration.ofSeconds(10)).until(() -> t.watching() == 0);

    assertThat(ends.get(1L)).isInstanceOf(Outcome.Completed.class);
    assertThat(ends.get(2L)).isEqualTo(Outcome.retryable("FAILED: Boom: row 7 is not a number"));
    assertThat(reportedTwice).isEmpty();
  }

  @Test
  void deliver_whenCompletionIsNone_isDoneOnceStarted() {
    start(Duration.ofMinutes(5), StepFunctionsTargetTest::ok, 0);

    Outcome outcome =
        target(StepFunctionsSettings.Completion.NONE).deliver(TestJobs.job("a.csv", 1));

    assertThat(outcome).isInstanceOf(Outcome.Completed.class);
    assertThat(local.recording().executions()).hasSize(1);
  }
}
