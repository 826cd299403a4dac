package dev.sluice.serverless;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.localaws.LocalClients;
import dev.sluice.sfnlocal.ExecutionOutcome;
import dev.sluice.sfnlocal.LocalStepFunctions;
import dev.sluice.sfnlocal.StatusChangeEvent;
import dev.sluice.targets.ExecutionInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The completion function on status-change events as the local Step Functions endpoint emits them
 * (the EventBridge shape), with ElasticMQ and dynalite.
 */
class CompletionHandlerTest {
  private static final LocalAws AWS = LocalAws.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final String table = AWS.newTable();
  private final URI eventQueue = AWS.sqs.createQueue(LocalAws.unique("events"), 30);
  private final URI deadLetters = AWS.sqs.createQueue(LocalAws.unique("invocations-dlq"), 30);
  private final List<StatusChangeEvent> events = new CopyOnWriteArrayList<>();
  private LocalStepFunctions sfn;
  private SfnClient client;

  @BeforeEach
  void start() {
    sfn =
        LocalStepFunctions.builder()
            .stateMachine("process")
            .executionDuration(Duration.ZERO)
            .outcome(
                e ->
                    e.name().startsWith("bad")
                        ? ExecutionOutcome.fail("Boom", "row 7 is not a number")
                        : ExecutionOutcome.succeed("{}"))
            .listener(events::add)
            .start();
    client =
        SfnClient.builder()
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .region(LocalClients.REGION)
            .credentialsProvider(LocalClients.credentials())
            .endpointOverride(sfn.endpoint())
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    sfn.close();
  }

  private CompletionHandler handler() {
    Map<String, String> env = new HashMap<>();
    env.put("STATE_MACHINE_ARN", sfn.stateMachineArn("process"));
    env.put("TABLE_NAME", table);
    env.put("EVENT_QUEUE_URL", eventQueue.toString());
    env.put("INVOCATION_DLQ_URL", deadLetters.toString());
    env.put("MAX_ATTEMPTS", "3");
    env.put("RETRY_DELAY", "PT2S");
    return new CompletionHandler(
        env, AWS.proxiedSqs, AWS.dynamo.client(), Clock.fixed(T0, ZoneOffset.UTC), QUIET);
  }

  /** Runs message's execution to its end; returns the terminal status-change event's JSON. */
  private String runToEnd(SluiceMessage m) {
    client.startExecution(
        b ->
            b.stateMachineArn(sfn.stateMachineArn("process"))
                .name(m.executionName())
                .input(ExecutionInput.of(m.event(), m.attempt())));
    Awaitility.await()
        .until(
            () ->
                events.stream()
                    .anyMatch(
                        e ->
                            e.detail().name().equals(m.executionName())
                                && e.detail().status().isClosed()));
    return events.stream()
        .filter(e -> e.detail().name().equals(m.executionName()) && e.detail().status().isClosed())
        .findFirst()
        .orElseThrow()
        .json();
  }

  private static String complete(CompletionHandler h, String event) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    h.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
    return JSON.readTree(out.toByteArray()).get("result").asText();
  }

  @Test
  void complete_whenSucceeded_freesTheSlotOnceEvenIfDeliveredTwice() throws Exception {
    SluiceMessage done = LocalAws.message("good.csv", 1);
    SluiceMessage other = LocalAws.message("other.csv", 1);
    AWS.slots(table).reserve(T0, List.of(done.executionName(), other.executionName()));
    String event = runToEnd(done);

    assertThat(complete(handler(), event)).isEqualTo("SUCCEEDED");
    assertThat(complete(handler(), event)).isEqualTo("SUCCEEDED");

    InFlightSlots after = AWS.slots(table).load(T0).state();
    assertThat(after.holders().keySet()).containsExactly(other.executionName());
    assertThat(AWS.sqs.messagesOn(eventQueue)).isZero();
  }

  @Test
  void complete_whenFailedBeforeTheLastAttempt_sendsTheNextAttemptThroughTheEventQueue()
      throws Exception {
    SluiceMessage failing = LocalAws.message("bad.csv", 1);
    AWS.slots(table).reserve(T0, List.of(failing.executionName()));

    String result = complete(handler(), runToEnd(failing));

    assertThat(result).isEqualTo("RETRIED");
    assertThat(AWS.slots(table).load(T0).state().size()).isZero();
    List<Message> back = new java.util.ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> back.addAll(AWS.receiveVisible(eventQueue)) && !back.isEmpty());
    assertThat(back).hasSize(1);
    SluiceMessage retry = SluiceMessage.fromJson(JSON.readTree(back.get(0).body()));
    assertThat(retry.attempt()).isEqualTo(2);
    assertThat(retry.event()).isEqualTo(failing.event());
    assertThat(retry.executionName()).isNull(); // the scheduler names it when it passes the gate
    // It waited RETRY_DELAY (2 s) in the queue before it could be handed out.
    long sent = Long.parseLong(back.get(0).attributesAsStrings().get("SentTimestamp"));
    long first =
        Long.parseLong(back.get(0).attributesAsStrings().get("ApproximateFirstReceiveTimestamp"));
    assertThat(first - sent).isGreaterThanOrEqualTo(2000);
  }

  @Test
  void complete_whenTheLastAttemptFailed_deadLettersWithTheExecutionsErrorAndCause()
      throws Exception {
    SluiceMessage last = LocalAws.message("bad.csv", 3);

    String result = complete(handler(), runToEnd(last));

    assertThat(result).isEqualTo("DEAD_LETTERED");
    assertThat(AWS.receiveVisible(deadLetters))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.body()).isEqualTo(last.toJson());
              assertThat(d.messageAttributes().get(Invoker.ERROR).stringValue())
                  .isEqualTo("FAILED: Boom: row 7 is not a number (gave up after 3 attempts)");
            });
    assertThat(AWS.sqs.messagesOn(eventQueue)).isZero();
  }

  @Test
  void complete_whenAboutAnotherStateMachineOrNotAnEnd_ignoresIt() throws Exception {
    SluiceMessage m = LocalAws.message("good.csv", 1);
    AWS.slots(table).reserve(T0, List.of(m.executionName()));
    String ended = runToEnd(m);
    JsonNode other = JSON.readTree(ended);
    ((com.fasterxml.jackson.databind.node.ObjectNode) other.get("detail"))
        .put("stateMachineArn", sfn.stateMachineArn("process").replace("process", "other"));
    String running =
        events.stream()
            .filter(
                e -> e.detail().name().equals(m.executionName()) && !e.detail().status().isClosed())
            .findFirst()
            .orElseThrow()
            .json();

    assertThat(complete(handler(), other.toString())).isEqualTo("IGNORED");
    assertThat(complete(handler(), running)).isEqualTo("IGNORED");
    assertThat(AWS.slots(table).load(T0).state().holds(m.executionName())).isTrue();
  }

  @Test
  void retryDelay_doublesPerAttemptUpToFifteenMinutes() {
    CompletionSettings s = new CompletionSettings("a", "t", "q", "d", 20, Duration.ofSeconds(30));

    assertThat(List.of(1, 2, 3, 5, 6, 12))
        .extracting(a -> s.retryDelayAfter(a).toSeconds())
        .containsExactly(30L, 60L, 120L, 480L, 900L, 900L);
  }

  @Test
  void complete_inAWarmContainer_freesASlotTakenSinceItsLastInvocation() throws Exception {
    CompletionHandler warm = handler();
    SluiceMessage first = LocalAws.message("first.csv", 1);
    SluiceMessage second = LocalAws.message("second.csv", 1);
    AWS.slots(table).reserve(T0, List.of(first.executionName()));
    complete(warm, runToEnd(first));
    // The scheduler takes another slot after this container last wrote the slots.
    AWS.slots(table).reserve(T0, List.of(second.executionName()));

    complete(warm, runToEnd(second));

    assertThat(AWS.slots(table).load(T0).state().size()).isZero();
  }
}
