package dev.sluice.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.ExecutionName;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.sfnlocal.ExecutionOutcome;
import dev.sluice.sfnlocal.LocalStepFunctions;
import dev.sluice.sfnlocal.RecordedExecution;
import java.time.Duration;
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

/** One execution per batch, on the real SDK against the local Step Functions endpoint. */
class StepFunctionsBatchTest {
  private LocalStepFunctions local;
  private SfnClient client;
  private StepFunctionsTarget target;

  private StepFunctionsTarget start(Duration runFor, Function<String, ExecutionOutcome> byName) {
    local =
        LocalStepFunctions.builder()
            .stateMachine("process")
            .executionDuration(runFor)
            .outcome(e -> byName.apply(e.name()))
            .start();
    client =
        SfnClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.of(local.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .endpointOverride(local.endpoint())
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
    target =
        new StepFunctionsTarget(
            client,
            StepFunctionsSettings.of(local.stateMachineArn("process"))
                .withCompletion(StepFunctionsSettings.Completion.POLL)
                .withPollInterval(Duration.ofMillis(50)),
            false);
    return target;
  }

  @AfterEach
  void stop() {
    target.close();
    client.close();
    local.close();
  }

  @Test
  void deliverBatch_startsOneExecutionNamedForTheBatchWithTheObjectsUnderItems() throws Exception {
    StepFunctionsTarget t = start(Duration.ofMinutes(5), n -> ExecutionOutcome.succeed("{}"));
    Batch batch = TestJobs.batch(1, 1, "in/b.csv", "in/a.csv", "in/c.csv");

    BatchOutcome outcome = t.deliverBatch(batch, Target.Arrival.IGNORED);

    assertThat(local.recording().executions()).hasSize(1);
    RecordedExecution e = local.recording().executions().get(0);
    assertThat(e.name()).isEqualTo(ExecutionName.ofBatch(batch, 1));
    assertThat(e.name()).startsWith("photos-" + batch.idempotencyKey().substring(0, 40) + "-1");
    JsonNode input = new ObjectMapper().readTree(e.input());
    assertThat(input.get("batch").asText()).isEqualTo(batch.idempotencyKey());
    assertThat(input.get("size").asInt()).isEqualTo(3);
    // What a Distributed Map with ItemsPath $.items iterates: one object per member.
    assertThat(input.get("items")).hasSize(3);
    for (JsonNode item : input.get("items")) {
      assertThat(item.get("bucket").asText()).isEqualTo("photos");
      assertThat(item.has("releaseId")).isFalse();
    }
    for (Job m : batch.members()) {
      assertThat(outcome.of(m))
          .isInstanceOfSatisfying(
              Outcome.Started.class, s -> assertThat(s.reference()).isEqualTo(e.executionArn()));
    }
  }

  @Test
  void deliverBatch_whenTheSameMembersComeAgain_isTheSameExecution() {
    StepFunctionsTarget t = start(Duration.ofMinutes(5), n -> ExecutionOutcome.succeed("{}"));
    Batch first = TestJobs.batch(1, 1, "a.csv", "b.csv");
    // The same members in another order, released again (after a crash: another release id).
    Batch again = Batch.of("photos", List.of(first.members().get(1), first.members().get(0)));

    Outcome started = t.deliverBatch(first, Target.Arrival.IGNORED).common();
    BatchOutcome repeat = t.deliverBatch(again, Target.Arrival.IGNORED);

    // Same name and same input while it runs: Step Functions answers the first start again.
    assertThat(local.recording().startedNames()).hasSize(1);
    assertThat(repeat.common())
        .isInstanceOfSatisfying(
            Outcome.Started.class,
            s -> assertThat(s.reference()).isEqualTo(((Outcome.Started) started).reference()));
    // A later attempt of the same members adopts the running execution instead of a second one.
    Batch later = TestJobs.batch(2, 5, "a.csv", "b.csv");
    assertThat(later.idempotencyKey()).isEqualTo(first.idempotencyKey());
    assertThat(t.deliverBatch(later, Target.Arrival.IGNORED).common())
        .isInstanceOfSatisfying(Outcome.Started.class, s -> assertThat(s.duplicate()).isTrue());
    assertThat(local.recording().startedNames()).hasSize(1);
  }

  @Test
  void deliverBatch_theExecutionsEndSettlesEveryMember() {
    StepFunctionsTarget t =
        start(
            Duration.ofMillis(200),
            n ->
                n.contains("-1")
                    ? ExecutionOutcome.fail("Boom", "row 3")
                    : ExecutionOutcome.succeed("{}"));
    Map<Long, Outcome> ends = new ConcurrentHashMap<>();
    t.watchCompletions((job, outcome) -> ends.put(job.eventId(), outcome));
    Batch batch = TestJobs.batch(1, 1, "a.csv", "b.csv", "c.csv");

    t.deliverBatch(batch, Target.Arrival.IGNORED);

    await().atMost(Duration.ofSeconds(10)).until(() -> ends.size() == 3);
    assertThat(ends.keySet()).containsExactlyInAnyOrder(10L, 11L, 12L);
    assertThat(ends.values())
        .allSatisfy(o -> assertThat(o).isEqualTo(Outcome.retryable("FAILED: Boom: row 3")));
    await().atMost(Duration.ofSeconds(10)).until(() -> t.watching() == 0);
  }
}
