package dev.sluice.serverless;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.StoredLimit;
import dev.sluice.localaws.LocalClients;
import dev.sluice.localaws.LocalLambda;
import dev.sluice.targets.ExecutionInput;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The invoke function with a Lambda function as its target ({@code TARGET_FUNCTION}), on the real
 * SDK: the local Lambda endpoint that checks the Invoke protocol, ElasticMQ and dynalite.
 */
class InvokeFunctionTargetTest {
  private static final LocalAws AWS = LocalAws.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final String ALIAS_ARN = LocalLambda.functionArn(LocalClients.REGION.id(), "live");

  private final String table = AWS.newTable();
  private final URI invocations = AWS.sqs.createQueue(LocalAws.unique("invocations"), 30);
  private final URI deadLetters = AWS.sqs.createQueue(LocalAws.unique("invocations-dlq"), 30);
  private final LocalLambda lambda = LocalLambda.start();
  private final LambdaClient lambdaClient =
      LambdaClient.builder()
          .httpClient(UrlConnectionHttpClient.create())
          .region(LocalClients.REGION)
          .credentialsProvider(LocalClients.credentials())
          .endpointOverride(lambda.endpoint())
          .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();

  @AfterEach
  void stop() {
    lambdaClient.close();
    lambda.close();
  }

  private InvokeHandler handler(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("TARGET_FUNCTION", ALIAS_ARN);
    env.put("TABLE_NAME", table);
    env.put("INVOCATION_QUEUE_URL", invocations.toString());
    env.put("INVOCATION_DLQ_URL", deadLetters.toString());
    env.put("MAX_RECEIVES", "3");
    env.putAll(extra);
    return new InvokeHandler(
        env,
        lambdaClient,
        AWS.proxiedSqs,
        AWS.dynamo.client(),
        Clock.fixed(T0, ZoneOffset.UTC),
        QUIET);
  }

  private InvokeHandler handler() {
    return handler(Map.of());
  }

  private static SluiceMessage message(String key, int attempt) {
    ObjectEvent event =
        new ObjectEvent("data", key, 12L, "e1", null, "0A1B", "ObjectCreated:Put", null, "s3");
    return new SluiceMessage(event, attempt, null).named();
  }

  private static ObjectNode record(String id, SluiceMessage m, int receiveCount) {
    return LocalAws.sqsRecord(id, m.toJson(), receiveCount);
  }

  private StoredLimit<InFlightSlots> slots() {
    return new StoredLimit<>(
        new ConcurrencyPolicy(100, Duration.ofDays(1)),
        DynamoLimitStateStore.inFlight(AWS.dynamo.client(), table));
  }

  private boolean holds(SluiceMessage m) {
    return slots().load(T0).state().holds(m.executionName());
  }

  private List<Message> receiveAll(URI queue) {
    return AWS.sqs
        .client()
        .receiveMessage(
            b ->
                b.queueUrl(queue.toString())
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(0)
                    .messageAttributeNames("All")
                    .messageSystemAttributeNamesWithStrings("All"))
        .messages();
  }

  private static String error(Message deadLetter) {
    return deadLetter.messageAttributes().get(Invoker.ERROR).stringValue();
  }

  @Test
  void invoke_whenTheFunctionAnswers_sendsTheExecutionInputToTheAliasAndFreesTheSlot()
      throws Exception {
    SluiceMessage m = message("in/a b.csv", 2);
    SluiceMessage other = message("other.csv", 1);
    slots().reserve(T0, List.of(m.executionName(), other.executionName()));

    List<String> failed = LocalAws.invoke(handler(), record("m1", m, 1));

    assertThat(failed).isEmpty();
    assertThat(lambda.refused()).isEmpty();
    assertThat(lambda.invocations())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.invocationType()).isEqualTo("RequestResponse");
              assertThat(i.qualifier()).isEqualTo("live");
              assertThat(i.payload()).isEqualTo(JSON.readTree(ExecutionInput.of(m.event(), 2)));
              assertThat(i.payload().get("idempotencyKey").asText())
                  .isEqualTo(m.event().identity().idempotencyKey());
              assertThat(i.payload().get("key").asText()).isEqualTo("in/a b.csv");
            });
    assertThat(holds(m)).as("no completion event will free it: freed at once").isFalse();
    assertThat(holds(other)).isTrue();
    assertThat(AWS.sqs.messagesOn(deadLetters)).isZero();
  }

  @Test
  void invoke_whenOneWarmHandlerTakesBatchAfterBatch_freesSlotsTakenBetweenThem() throws Exception {
    InvokeHandler warm = handler();
    SluiceMessage first = message("first.csv", 1);
    SluiceMessage second = message("second.csv", 1);
    slots().reserve(T0, List.of(first.executionName()));
    LocalAws.invoke(warm, record("m1", first, 1));
    // The scheduler releases the next event after the handler's last write.
    slots().reserve(T0, List.of(second.executionName()));

    LocalAws.invoke(warm, record("m2", second, 1));

    assertThat(slots().load(T0).state().size()).isZero();
  }

  @Test
  void invoke_whenTheFunctionErrs_retriesViaSqsThenDeadLettersAtTheLastReceive() throws Exception {
    lambda.script(p -> LocalLambda.Answer.functionError("RuntimeException", "disk full"));
    SluiceMessage m = message("a.csv", 1);
    slots().reserve(T0, List.of(m.executionName()));

    List<String> early = LocalAws.invoke(handler(), record("m1", m, 1));

    assertThat(early).containsExactly("m1");
    assertThat(holds(m)).as("it will be tried again: it keeps its slot").isTrue();
    assertThat(AWS.sqs.messagesOn(deadLetters)).isZero();

    List<String> last = LocalAws.invoke(handler(), record("m1", m, 3));

    assertThat(last).isEmpty();
    assertThat(receiveAll(deadLetters))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.body()).isEqualTo(m.toJson());
              assertThat(error(d)).isEqualTo("function error RuntimeException: disk full");
            });
    assertThat(holds(m)).isFalse();
    assertThat(lambda.invocations()).hasSize(2);
  }

  @Test
  void invoke_whenLambdaFailsOnItsSide_retriesViaSqs() throws Exception {
    lambda.script(p -> LocalLambda.Answer.serviceError());
    SluiceMessage m = message("a.csv", 1);

    List<String> failed = LocalAws.invoke(handler(), record("m1", m, 1));

    assertThat(failed).containsExactly("m1");
    assertThat(AWS.sqs.messagesOn(deadLetters)).isZero();
  }

  @Test
  void invoke_whenTheErrorTypeIsPermanent_deadLettersAtTheFirstReceive() throws Exception {
    lambda.script(
        p ->
            p.get("key").asText().startsWith("bad")
                ? LocalLambda.Answer.functionError("ValidationError", "not parquet")
                : LocalLambda.Answer.functionError("RuntimeException", "disk full"));
    SluiceMessage bad = message("bad.csv", 1);
    SluiceMessage flaky = message("flaky.csv", 1);
    slots().reserve(T0, List.of(bad.executionName(), flaky.executionName()));

    List<String> failed =
        LocalAws.invoke(
            handler(Map.of("PERMANENT_ERROR_TYPES", "SchemaError, ValidationError")),
            record("m1", bad, 1),
            record("m2", flaky, 1));

    assertThat(failed).containsExactly("m2");
    assertThat(receiveAll(deadLetters))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.body()).isEqualTo(bad.toJson());
              assertThat(error(d)).isEqualTo("function error ValidationError: not parquet");
            });
    assertThat(holds(bad)).isFalse();
    assertThat(holds(flaky)).isTrue();
  }

  @Test
  void invoke_whenFunctionErrorsAreNotRetried_deadLettersEveryOneAtOnce() throws Exception {
    lambda.script(p -> LocalLambda.Answer.functionError("RuntimeException", "disk full"));
    SluiceMessage m = message("a.csv", 1);

    List<String> failed =
        LocalAws.invoke(handler(Map.of("RETRY_FUNCTION_ERRORS", "false")), record("m1", m, 1));

    assertThat(failed).isEmpty();
    assertThat(receiveAll(deadLetters))
        .singleElement()
        .satisfies(
            d -> assertThat(error(d)).isEqualTo("function error RuntimeException: disk full"));
  }

  @Test
  void invoke_whenTheFunctionIsMissing_deadLettersWithTheErrorAndFreesTheSlot() throws Exception {
    lambda.script(p -> LocalLambda.Answer.notFound());
    SluiceMessage m = message("a.csv", 1);
    slots().reserve(T0, List.of(m.executionName()));

    List<String> failed = LocalAws.invoke(handler(), record("m1", m, 1));

    assertThat(failed).isEmpty();
    assertThat(receiveAll(deadLetters))
        .singleElement()
        .satisfies(
            d ->
                assertThat(error(d))
                    .startsWith("Invoke: ResourceNotFoundException")
                    .contains("Function not found"));
    assertThat(holds(m)).isFalse();
  }

  @Test
  void invoke_whenThrottled_sendsTheMessageBackDelayedAsANewMessageKeepingItsSlot()
      throws Exception {
    lambda.script(
        p ->
            p.get("key").asText().equals("b.csv")
                ? LocalLambda.Answer.throttled("7")
                : LocalLambda.Answer.ok());
    SluiceMessage first = message("a.csv", 1);
    SluiceMessage second = message("b.csv", 1);
    slots().reserve(T0, List.of(first.executionName(), second.executionName()));

    List<String> failed =
        LocalAws.invoke(handler(), record("m1", first, 1), record("m2", second, 3));

    // Reported done, so the original (already at its last receive) is deleted, not dead-lettered.
    assertThat(failed).isEmpty();
    List<Message> back = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> back.addAll(receiveAll(invocations)) && !back.isEmpty());
    assertThat(back)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.body()).isEqualTo(second.toJson());
              assertThat(m.messageAttributes().get(Invoker.THROTTLES).stringValue()).isEqualTo("1");
              long sent = Long.parseLong(m.attributesAsStrings().get("SentTimestamp"));
              long handedOut =
                  Long.parseLong(m.attributesAsStrings().get("ApproximateFirstReceiveTimestamp"));
              assertThat(handedOut - sent).isGreaterThanOrEqualTo(1000);
            });
    assertThat(holds(first)).isFalse();
    assertThat(holds(second)).isTrue();
    assertThat(AWS.sqs.messagesOn(deadLetters)).isZero();
  }

  @Test
  void invoke_whenEvent_isDoneOnceLambdaQueuedItAndFreesTheSlot() throws Exception {
    // What the function would do with the event later is not this invocation's answer.
    lambda.script(p -> LocalLambda.Answer.functionError("RuntimeException", "later"));
    SluiceMessage m = message("a.csv", 1);
    slots().reserve(T0, List.of(m.executionName()));

    List<String> failed =
        LocalAws.invoke(handler(Map.of("INVOCATION_TYPE", "Event")), record("m1", m, 1));

    assertThat(failed).isEmpty();
    assertThat(lambda.invocations())
        .singleElement()
        .satisfies(i -> assertThat(i.invocationType()).isEqualTo("Event"));
    assertThat(holds(m)).isFalse();
    assertThat(AWS.sqs.messagesOn(deadLetters)).isZero();
  }

  @Test
  void invoke_whenABatchWaitsForItsFunctionRuns_invokesThemAtOnce() throws Exception {
    // Each run returns only once all three are running, or fails after a while if they are not.
    CountDownLatch running = new CountDownLatch(3);
    lambda.script(
        p -> {
          running.countDown();
          try {
            return running.await(10, TimeUnit.SECONDS)
                ? LocalLambda.Answer.ok()
                : LocalLambda.Answer.functionError("Sequential", "ran alone");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return LocalLambda.Answer.functionError("Interrupted", "stopped");
          }
        });

    List<String> failed =
        LocalAws.invoke(
            handler(),
            record("m1", message("a.csv", 1), 1),
            record("m2", message("b.csv", 1), 1),
            record("m3", message("c.csv", 1), 1));

    assertThat(failed).isEmpty();
    assertThat(lambda.invocations()).hasSize(3);
  }
}
