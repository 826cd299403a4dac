package dev.sluice.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.localaws.LocalLambda;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** One invocation per batch against the local Invoke endpoint. */
class LambdaBatchTest {
  private LocalLambda local;
  private LambdaClient client;

  @BeforeEach
  void start() {
    local = LocalLambda.start();
    client =
        LambdaClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .endpointOverride(local.endpoint())
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    local.close();
  }

  @Test
  void deliverBatch_invokesOnceAndFailsOnlyTheItemsTheFunctionNames() {
    Batch batch = TestJobs.batch(1, 1, "a.csv", "b.csv", "c.csv");
    Job failed = batch.members().get(1);
    local.script(
        p ->
            new LocalLambda.Answer(
                200,
                "{\"batchItemFailures\":[{\"itemIdentifier\":\""
                    + p.get("items").get(1).get("idempotencyKey").asText()
                    + "\"}]}",
                null,
                null,
                null));

    BatchOutcome outcome =
        new LambdaTarget(client, LambdaSettings.of(LocalLambda.FUNCTION), false)
            .deliverBatch(batch, Target.Arrival.IGNORED);

    assertThat(local.invocations()).hasSize(1);
    assertThat(local.invocations().get(0).payload().get("batch").asText())
        .isEqualTo(batch.idempotencyKey());
    assertThat(local.invocations().get(0).payload().get("items")).hasSize(3);
    for (Job m : batch.members()) {
      if (m == failed) {
        assertThat(outcome.of(m)).isInstanceOf(Outcome.Failed.class);
      } else {
        assertThat(outcome.of(m)).isEqualTo(Outcome.completed());
      }
    }
  }

  @Test
  void deliverBatch_whenTheFunctionErrors_failsEveryMember() {
    Batch batch = TestJobs.batch(1, 1, "a.csv", "b.csv");
    local.script(p -> LocalLambda.Answer.functionError("RuntimeException", "disk full"));

    BatchOutcome outcome =
        new LambdaTarget(client, LambdaSettings.of(LocalLambda.FUNCTION), false)
            .deliverBatch(batch, Target.Arrival.IGNORED);

    assertThat(batch.members())
        .allSatisfy(
            m ->
                assertThat(outcome.of(m))
                    .isEqualTo(Outcome.retryable("function error RuntimeException: disk full")));
  }
}
