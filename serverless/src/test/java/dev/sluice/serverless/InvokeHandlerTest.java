package dev.sluice.serverless;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.ExecutionName;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.localaws.LocalClients;
import dev.sluice.sfnlocal.ExecutionStatus;
import dev.sluice.sfnlocal.LocalStepFunctions;
import dev.sluice.targets.ExecutionInput;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The invoke function on the real SDK: ElasticMQ, dynalite and the local Step Functions endpoint.
 */
class InvokeHandlerTest {
  private static final LocalAws AWS = LocalAws.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final String table = AWS.newTable();
  private final URI invocations = AWS.sqs.createQueue(LocalAws.unique("invocations"), 30);
  private final URI deadLetters = AWS.sqs.createQueue(LocalAws.unique("invocations-dlq"), 30);
  private LocalStepFunctions sfn;
  private SfnClient sfnClient;

  @AfterEach
  void stop() {
    if (sfnClient != null) {
      sfnClient.close();
    }
    if (sfn != null) {
      sfn.close();
    }
  }

  private void startSfn(LocalStepFunctions.Builder b) {
    sfn = b.stateMachine("process").start();
    sfnClient =
        SfnClient.builder()
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .region(LocalClients.REGION)
            .credentialsProvider(LocalClients.credentials())
            .endpointOverride(sfn.endpoint())
            .overrideConfiguration(
                c ->
                    c.retryStrategy(
                        software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
            .build();
  }

  private InvokeHandler handler(String stateMachineArn) {
    Map<String, String> env = new HashMap<>();
    env.put("STATE_MACHINE_ARN", stateMachineArn);
    env.put("TABLE_NAME", table);
    env.put("INVOCATION_QUEUE_URL", invocations.toString());
    env.put("INVOCATION_DLQ_URL", deadLetters.toString());
    env.put("MAX_RECEIVES", "3");
    return new InvokeHandler(
        env,
        sfnClient,
        AWS.proxiedSqs,
        AWS.dynamo.client(),
        Clock.fixed(T0, ZoneOffset.UTC),
        QUIET);
  }

  private InvokeHandler handler() {
    return handler(sfn.stateMachineArn("process"));
  }

  @Test
  void invoke_startsTheNamedExecutionWithTheEventAsInput() throws Exception {
    startSfn(LocalStepFunctions.builder().executionDuration(Duration.ofMinutes(5)));
    SluiceMessage m = LocalAws.message("in/a b.csv", 1);

    List<String> failed = LocalAws.invoke(handler(), LocalAws.sqsRecord("m1", m.toJson(), 1));

    assertThat(failed).isEmpty();
    assertThat(sfn.recording().executions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo(ExecutionName.of(m.event().identity(), 1));
              assertThat(e.input()).isEqualTo(ExecutionInput.of(m.event(), 1));
            });
  }

  @Test
  void invoke_whenTheSameMessageComesTwice_startsOneExecutionAndKeepsItsSlotWhileItRuns()
      throws Exception {
    startSfn(LocalStepFunctions.builder().executionDuration(Duration.ofMinutes(5)));
    SluiceMessage m = LocalAws.message("a.csv", 1);
    AWS.slots(table).reserve(T0, List.of(m.executionName()));

    LocalAws.invoke(handler(), LocalAws.sqsRecord("m1", m.toJson(), 1));
    List<String> failed = LocalAws.invoke(handler(), LocalAws.sqsRecord("m2", m.toJson(), 1));

    assertThat(failed).isEmpty();
    assertThat(sfn.recording().executions()).hasSize(1);
    assertThat(AWS.slots(table).load(T0).state().holds(m.executionName())).isTrue();
  }

  @Test
  void invoke_whenTheExecutionAlreadyEnded_freesItsSlot() throws Exception {
    startSfn(LocalStepFunctions.builder().executionDuration(Duration.ZERO));
    SluiceMessage m = LocalAws.message("a.csv", 1);
    SluiceMessage other = LocalAws.message("b.csv", 1);
    LocalAws.invoke(handler(), LocalAws.sqsRecord("m1", m.toJson(), 1));
    Awaitility.await()
        .until(() -> sfn.recording().executions().get(0).status() == ExecutionStatus.SUCCEEDED);
    // The scheduler moved a duplicate of m: it took m's slot again.
    AWS.slots(table).reserve(T0, List.of(m.executionName(), other.executionName()));

    LocalAws.invoke(handler(), LocalAws.sqsRecord("m2", m.toJson(), 1));

    InFlightSlots after = AWS.slots(table).load(T0).state();
    assertThat(after.holds(m.executionName())).isFalse();
    assertThat(after.holds(other.executionName())).isTrue();
    assertThat(sfn.recording().executions()).hasSize(1);
  }

  @Test
  void invoke_whenThrottled_sendsTheMessageBackDelayedAsANewMessage() throws Exception {
    startSfn(
        LocalStepFunctions.builder()
            .executionDuration(Duration.ofMinutes(5))
            .startExecutionRate(1, 0.001));
    SluiceMessage first = LocalAws.message("a.csv", 1);
    SluiceMessage second = LocalAws.message("b.csv", 1);

    List<String> failed =
        LocalAws.invoke(
            handler(),
            LocalAws.sqsRecord("m1", first.toJson(), 1),
            LocalAws.sqsRecord("m2", second.toJson(), 4));

    // Reported done, so the original (already received 4 times) is deleted, not dead-lettered.
    assertThat(failed).isEmpty();
    assertThat(sfn.recording().executions()).hasSize(1);
    List<Message> back = new java.util.ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> back.addAll(AWS.receiveVisible(invocations)) && !back.isEmpty());
    assertThat(back)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.body()).isEqualTo(second.toJson());
              assertThat(m.messageAttributes().get(Invoker.THROTTLES).stringValue()).isEqualTo("1");
              // Sent with a delay of 1 s: not handed out before that.
              long sent = Long.parseLong(m.attributesAsStrings().get("SentTimestamp"));
              long handedOut =
                  Long.parseLong(m.attributesAsStrings().get("ApproximateFirstReceiveTimestamp"));
              assertThat(handedOut - sent).isGreaterThanOrEqualTo(1000);
            });
    assertThat(AWS.sqs.messagesOn(deadLetters)).isZero();
  }

  @Test
  void invoke_whenTheSendBackItselfFails_reportsTheMessageFailedSoSqsKeepsIt() throws Exception {
    startSfn(
        LocalStepFunctions.builder()
            .executionDuration(Duration.ofMinutes(5))
            .startExecutionRate(1, 0.001));
    AWS.proxy.failSendEntries(
        invocations.toString().substring(invocations.toString().lastIndexOf('/') + 1), 1.0, 1);
    try {
      List<String> failed =
          LocalAws.invoke(
              handler(),
              LocalAws.sqsRecord("m1", LocalAws.message("a.csv", 1).toJson(), 1),
              LocalAws.sqsRecord("m2", LocalAws.message("b.csv", 1).toJson(), 1));

      assertThat(failed).containsExactly("m2");
    } finally {
      AWS.proxy.stopFailing();
    }
  }

  @Test
  void invoke_whenTheStateMachineDoesNotExist_deadLettersWithTheErrorAndFreesTheSlot()
      throws Exception {
    startSfn(LocalStepFunctions.builder());
    SluiceMessage m = LocalAws.message("a.csv", 1);
    AWS.slots(table).reserve(T0, List.of(m.executionName()));

    List<String> failed =
        LocalAws.invoke(
            handler(sfn.stateMachineArn("process").replace("process", "gone")),
            LocalAws.sqsRecord("m1", m.toJson(), 1));

    assertThat(failed).isEmpty();
    assertThat(AWS.receiveVisible(deadLetters))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.body()).isEqualTo(m.toJson());
              assertThat(d.messageAttributes().get(Invoker.ERROR).stringValue())
                  .contains("StateMachineDoesNotExist");
            });
    assertThat(AWS.slots(table).load(T0).state().holds(m.executionName())).isFalse();
  }

  @Test
  void invoke_whenStepFunctionsCannotBeReached_retriesViaSqsThenDeadLettersAtTheLastReceive()
      throws Exception {
    startSfn(LocalStepFunctions.builder());
    String arn = sfn.stateMachineArn("process");
    sfn.close(); // nothing answers on its port now
    SluiceMessage m = LocalAws.message("a.csv", 1);

    List<String> early = LocalAws.invoke(handler(arn), LocalAws.sqsRecord("m1", m.toJson(), 1));
    List<String> last = LocalAws.invoke(handler(arn), LocalAws.sqsRecord("m1", m.toJson(), 3));

    assertThat(early).containsExactly("m1");
    assertThat(last).isEmpty();
    assertThat(AWS.receiveVisible(deadLetters))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.messageAttributes().get(Invoker.ERROR).stringValue())
                    .startsWith("StartExecution: "));
    sfn = null;
  }

  @Test
  void invoke_whenTheBodyIsNotASluiceMessage_deadLettersIt() throws Exception {
    startSfn(LocalStepFunctions.builder());

    List<String> failed = LocalAws.invoke(handler(), LocalAws.sqsRecord("m1", "{\"hello\":1}", 1));

    assertThat(failed).isEmpty();
    assertThat(AWS.receiveVisible(deadLetters))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.messageAttributes().get(Invoker.ERROR).stringValue())
                    .startsWith("unreadable message: sluice:"));
    assertThat(sfn.recording().executions()).isEmpty();
  }

  @Test
  void throttleDelay_doublesUpToTheCap() {
    InvokeSettings settings = new InvokeSettings("arn", "t", "q", "d", 5, Duration.ofSeconds(30));
    Invoker invoker = new Invoker(null, null, null, null, settings, Clock.systemUTC());

    assertThat(List.of(1, 2, 3, 5, 6, 40))
        .extracting(invoker::throttleDelaySeconds)
        .containsExactly(1, 2, 4, 16, 30, 30);
  }
}
