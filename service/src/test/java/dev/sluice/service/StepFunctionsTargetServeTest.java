package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.sfnlocal.ExecutionOutcome;
import dev.sluice.sfnlocal.ExecutionStatus;
import dev.sluice.sfnlocal.LocalStepFunctions;
import dev.sluice.sfnlocal.RecordedExecution;
import dev.sluice.targets.aws.StepFunctionsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve} with the step-functions target, built from configuration as the command
 * builds it (credentials from the SDK's chain), against the local Step Functions endpoint whose own
 * record is the judge.
 */
class StepFunctionsTargetServeTest {
  @TempDir Path dataDir;
  private LocalStepFunctions sfn;

  @BeforeAll
  static void credentials() {
    // The SDK's chain reads these first; the local endpoint checks a signature is there.
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
  }

  @AfterAll
  static void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @AfterEach
  void stop() {
    if (sfn != null) {
      sfn.close();
    }
  }

  private LocalStepFunctions endpoint(
      Duration runFor, Function<String, ExecutionOutcome> byName, int bucket, double refill) {
    var b =
        LocalStepFunctions.builder()
            .stateMachine("process")
            .executionDuration(runFor)
            .outcome(e -> byName.apply(e.name()));
    if (bucket > 0) {
      b.startExecutionRate(bucket, refill);
    }
    return b.start();
  }

  private RunningSluice serve(Limits limits, int maxAttempts) {
    StepFunctionsSettings settings =
        StepFunctionsSettings.of(sfn.stateMachineArn("process"))
            .withPollInterval(Duration.ofMillis(100));
    TargetConfig target =
        TargetConfig.stepFunctions(settings, Duration.ofSeconds(10), sfn.region(), sfn.endpoint());
    return RunningSluice.startConfigured(
        dataDir, target, limits, RunningSluice.fastRetry(maxAttempts));
  }

  private static void post(RunningSluice sluice, List<String> keys) {
    JsonNode report = sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();
    assertThat(report.get("accepted").asInt()).isEqualTo(keys.size());
  }

  @Test
  void maxInFlight_countsRunningExecutionsUntilTheyEnd() {
    sfn = endpoint(Duration.ofMillis(500), n -> ExecutionOutcome.succeed("{}"), 0, 0);
    try (RunningSluice sluice = serve(Limits.none().withMaxInFlight(5), 3)) {
      post(sluice, Notifications.keys("inflight", 0, 30));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> sluice.status().get("completed").asLong() == 30);

      List<RecordedExecution> runs = sfn.recording().executions();
      assertThat(runs).hasSize(30).allMatch(e -> e.status() == ExecutionStatus.SUCCEEDED);
      assertThat(sfn.recording().maxRunningAtOnce()).isBetween(1, 5);
      JsonNode status = sluice.status();
      assertThat(status.get("dead").asLong()).isZero();
      assertThat(status.get("inFlight").asLong()).isZero();
    }
  }

  @Test
  void failedExecution_isRetriedUnderANewNameThenDeadLetteredWithItsErrorAndCause() {
    // Every first attempt of "flaky" keys fails; every attempt of "poison" fails.
    sfn =
        endpoint(
            Duration.ofMillis(50),
            n ->
                n.startsWith("poison") || (n.startsWith("flaky") && n.endsWith("-1"))
                    ? ExecutionOutcome.fail("Boom", "row 7 is not a number")
                    : ExecutionOutcome.succeed("{}"),
            0,
            0);
    try (RunningSluice sluice = serve(Limits.none(), 3)) {
      post(sluice, List.of("in/flaky-a.csv", "in/flaky-b.csv", "in/poison.csv", "in/fine.csv"));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  sluice.status().get("completed").asLong() == 3
                      && sluice.status().get("dead").asLong() == 1);

      JsonNode dead = sluice.api.get("/v1/dead").ok().get("dead");
      assertThat(dead).hasSize(1);
      assertThat(dead.get(0).get("key").asText()).isEqualTo("in/poison.csv");
      assertThat(dead.get(0).get("lastError").asText())
          .startsWith("FAILED: Boom: row 7 is not a number");
      // poison: 3 executions (one per attempt); flaky: 2 each; fine: 1.
      assertThat(sfn.recording().executions()).hasSize(3 + 2 + 2 + 1);
      assertThat(sfn.recording().startedNames()).doesNotHaveDuplicates();
    }
  }

  @Test
  void throttledStarts_areRetriedWithoutSpendingAttempts() {
    // Ten at once, then ten per second; two attempts would dead-letter a throttled event twice
    // over.
    sfn = endpoint(Duration.ZERO, n -> ExecutionOutcome.succeed("{}"), 10, 10);
    try (RunningSluice sluice = serve(Limits.none(), 2)) {
      post(sluice, Notifications.keys("throttled", 0, 60));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> sluice.status().get("completed").asLong() == 60);

      assertThat(sfn.recording().startCounts().throttled()).isPositive();
      assertThat(sfn.recording().executions()).hasSize(60);
      assertThat(sluice.status().get("dead").asLong()).isZero();
    }
  }
}
