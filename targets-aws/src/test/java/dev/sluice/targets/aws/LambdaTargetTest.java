package dev.sluice.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.localaws.LocalLambda;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The lambda target on the real SDK against a local endpoint that checks the Invoke protocol. */
class LambdaTargetTest {
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

  private LambdaTarget target(LambdaSettings settings) {
    return new LambdaTarget(client, settings, false);
  }

  @Test
  void deliver_whenFunctionAnswers_completesAndSendsTheJobWithItsIdempotencyKey() {
    Job job = TestJobs.job("in/my file.parquet", 1);

    Outcome outcome = target(LambdaSettings.of(LocalLambda.FUNCTION)).deliver(job);

    assertThat(outcome).isInstanceOf(Outcome.Completed.class);
    assertThat(local.refused()).isEmpty();
    assertThat(local.invocations())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.invocationType()).isEqualTo("RequestResponse");
              assertThat(i.payload().get("key").asText()).isEqualTo("in/my file.parquet");
              assertThat(i.payload().get("idempotencyKey").asText())
                  .isEqualTo(job.idempotencyKey());
            });
  }

  @Test
  void deliver_whenFunctionErrors_failsRetryablyWithItsTypeAndMessage() {
    local.script(p -> LocalLambda.Answer.functionError("RuntimeException", "disk full"));

    Outcome outcome = target(LambdaSettings.of(LocalLambda.FUNCTION)).deliver(TestJobs.job("a", 1));

    assertThat(outcome).isEqualTo(Outcome.retryable("function error RuntimeException: disk full"));
  }

  @Test
  void deliver_whenFunctionErrorTypeIsPermanentByRule_failsPermanently() {
    local.script(p -> LocalLambda.Answer.functionError("ValidationError", "not parquet"));
    LambdaSettings rule =
        new LambdaSettings(
            LocalLambda.FUNCTION,
            LambdaSettings.InvocationType.REQUEST_RESPONSE,
            true,
            Set.of("ValidationError"));
    LambdaSettings noRetries =
        new LambdaSettings(
            LocalLambda.FUNCTION, LambdaSettings.InvocationType.REQUEST_RESPONSE, false, Set.of());

    assertThat(target(rule).deliver(TestJobs.job("a", 1)))
        .isEqualTo(Outcome.permanent("function error ValidationError: not parquet"));
    assertThat(target(noRetries).deliver(TestJobs.job("a", 1)))
        .isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.retryable()).isFalse());
  }

  @Test
  void deliver_whenThrottled_isThrottledAfterTheRetryAfter() {
    local.script(p -> LocalLambda.Answer.throttled("7"));

    Outcome outcome = target(LambdaSettings.of(LocalLambda.FUNCTION)).deliver(TestJobs.job("a", 1));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Throttled.class,
            t -> {
              assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(7));
              assertThat(t.detail()).contains("TooManyRequestsException");
            });
    assertThat(local.invocations()).isEmpty();
  }

  @Test
  void deliver_whenEvent_isDoneOnceLambdaQueuedIt() {
    LambdaSettings event =
        new LambdaSettings(
            LocalLambda.FUNCTION, LambdaSettings.InvocationType.EVENT, true, Set.of());

    Outcome outcome = target(event).deliver(TestJobs.job("a", 1));

    assertThat(outcome).isInstanceOf(Outcome.Completed.class);
    assertThat(local.invocations())
        .extracting(LocalLambda.Invocation::invocationType)
        .containsExactly("Event");
  }

  @Test
  void deliver_whenFunctionDoesNotExist_failsPermanently() {
    local.script(p -> LocalLambda.Answer.notFound());

    Outcome outcome = target(LambdaSettings.of(LocalLambda.FUNCTION)).deliver(TestJobs.job("a", 1));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class,
            f -> {
              assertThat(f.retryable()).isFalse();
              assertThat(f.error()).contains("ResourceNotFoundException");
            });
  }

  @Test
  void deliver_whenTheFunctionIsBeingUpdated_failsRetryably() {
    local.script(p -> LocalLambda.Answer.pending());

    Outcome outcome = target(LambdaSettings.of(LocalLambda.FUNCTION)).deliver(TestJobs.job("a", 1));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Failed.class,
            f -> {
              assertThat(f.retryable()).isTrue();
              assertThat(f.error()).contains("ResourceConflictException");
            });
  }

  @Test
  void settings_whenInvocationTypeUnknown_namesTheKey() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LambdaSettings.InvocationType.parse("DryRun"))
        .hasMessage("invocation-type must be RequestResponse or Event, got DryRun");
  }
}
