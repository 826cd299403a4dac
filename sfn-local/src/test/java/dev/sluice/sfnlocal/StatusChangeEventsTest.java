package dev.sluice.sfnlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

class StatusChangeEventsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RUN = Duration.ofMillis(150);

  private static ExecutionOutcome scripted(ExecutionStart e) {
    if (e.name().startsWith("bad")) {
      return ExecutionOutcome.fail("Boom", "scripted failure of " + e.name());
    }
    if (e.name().startsWith("late")) {
      return ExecutionOutcome.timeOut();
    }
    return ExecutionOutcome.succeed("{\"done\":\"" + e.name() + "\"}");
  }

  @Test
  void everyExecution_emitsRunningThenItsTerminalStatus_withTheFieldsStepFunctionsSends()
      throws Exception {
    List<StatusChangeEvent> received = new CopyOnWriteArrayList<>();
    try (LocalStepFunctions sfn =
            LocalStepFunctions.builder()
                .account("210987654321")
                .region("eu-west-1")
                .stateMachine("ingest")
                .executionDuration(RUN)
                .outcome(StatusChangeEventsTest::scripted)
                .listener(received::add)
                .start();
        SfnClient client = SfnClients.of(sfn)) {
      String machine = sfn.stateMachineArn("ingest");
      for (String name : List.of("good-1", "bad-1", "late-1")) {
        client.startExecution(
            r -> r.stateMachineArn(machine).name(name).input("{\"n\":\"" + name + "\"}"));
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 6);

      for (String name : List.of("good-1", "bad-1", "late-1")) {
        List<StatusChangeEvent> mine =
            received.stream().filter(e -> e.detail().name().equals(name)).toList();
        assertThat(mine)
            .extracting(StatusChangeEvent::status)
            .first()
            .isEqualTo(ExecutionStatus.RUNNING);
        assertThat(mine).hasSize(2);
        String arn = "arn:aws:states:eu-west-1:210987654321:execution:ingest:" + name;
        DescribeExecutionResponse d = client.describeExecution(r -> r.executionArn(arn));
        assertThat(mine.get(1).status().name()).isEqualTo(d.statusAsString());

        JsonNode running = JSON.readTree(mine.get(0).json());
        assertThat(running.get("version").asText()).isEqualTo("0");
        assertThat(running.get("id").asText()).isEqualTo(mine.get(0).id());
        assertThat(running.get("detail-type").asText())
            .isEqualTo("Step Functions Execution Status Change");
        assertThat(running.get("source").asText()).isEqualTo("aws.states");
        assertThat(running.get("account").asText()).isEqualTo("210987654321");
        assertThat(running.get("region").asText()).isEqualTo("eu-west-1");
        assertThat(Instant.parse(running.get("time").asText()))
            .isEqualTo(d.startDate().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(running.get("resources").get(0).asText()).isEqualTo(arn);
        JsonNode rd = running.get("detail");
        assertThat(rd.get("executionArn").asText()).isEqualTo(arn);
        assertThat(rd.get("stateMachineArn").asText()).isEqualTo(machine);
        assertThat(rd.get("name").asText()).isEqualTo(name);
        assertThat(rd.get("status").asText()).isEqualTo("RUNNING");
        assertThat(rd.get("startDate").isIntegralNumber()).isTrue();
        assertThat(rd.get("startDate").asLong()).isEqualTo(d.startDate().toEpochMilli());
        assertThat(rd.get("stopDate").isNull()).isTrue();
        assertThat(rd.get("input").asText()).isEqualTo("{\"n\":\"" + name + "\"}");
        assertThat(rd.get("inputDetails").get("included").asBoolean()).isTrue();
        assertThat(rd.get("output").isNull()).isTrue();

        JsonNode closed = JSON.readTree(mine.get(1).json()).get("detail");
        assertThat(closed.get("status").asText()).isEqualTo(d.statusAsString());
        assertThat(closed.get("startDate").asLong()).isEqualTo(d.startDate().toEpochMilli());
        assertThat(closed.get("stopDate").asLong()).isEqualTo(d.stopDate().toEpochMilli());
        // An execution never ends before its duration has passed.
        assertThat(closed.get("stopDate").asLong() - closed.get("startDate").asLong())
            .isGreaterThanOrEqualTo(RUN.toMillis());
      }

      JsonNode good = detailOf(received, "good-1", ExecutionStatus.SUCCEEDED);
      assertThat(good.get("output").asText()).isEqualTo("{\"done\":\"good-1\"}");
      assertThat(good.get("outputDetails").get("included").asBoolean()).isTrue();
      assertThat(good.get("error").isNull()).isTrue();

      JsonNode bad = detailOf(received, "bad-1", ExecutionStatus.FAILED);
      assertThat(bad.get("error").asText()).isEqualTo("Boom");
      assertThat(bad.get("cause").asText()).isEqualTo("scripted failure of bad-1");
      assertThat(bad.get("output").isNull()).isTrue();
      assertThat(bad.get("outputDetails").isNull()).isTrue();

      JsonNode late = detailOf(received, "late-1", ExecutionStatus.TIMED_OUT);
      assertThat(late.get("error").asText()).isEqualTo("States.Timeout");

      DescribeExecutionResponse failed =
          client.describeExecution(r -> r.executionArn(bad.get("executionArn").asText()));
      assertThat(failed.error()).isEqualTo("Boom");
      assertThat(failed.cause()).isEqualTo("scripted failure of bad-1");

      assertThat(sfn.recording().statusChanges())
          .extracting(StatusChangeEvent::id)
          .containsExactlyElementsOf(received.stream().map(StatusChangeEvent::id).toList());
    }
  }

  private static JsonNode detailOf(
      List<StatusChangeEvent> events, String name, ExecutionStatus status) throws Exception {
    StatusChangeEvent e =
        events.stream()
            .filter(x -> x.detail().name().equals(name) && x.status() == status)
            .findFirst()
            .orElseThrow();
    return JSON.readTree(e.json()).get("detail");
  }

  @Test
  void onAManualClock_theTerminalEventCarriesTheDueInstant() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00.500Z"));
    try (LocalStepFunctions sfn =
            LocalStepFunctions.builder()
                .stateMachine("ingest")
                .clock(clock)
                .executionDuration(Duration.ofSeconds(60))
                .finishInBackground(false)
                .start();
        SfnClient client = SfnClients.of(sfn)) {
      client.startExecution(r -> r.stateMachineArn(sfn.stateMachineArn("ingest")).name("x"));
      clock.advance(Duration.ofMinutes(3));

      sfn.finishDueExecutions();

      List<StatusChangeEvent> changes = sfn.recording().statusChanges();
      assertThat(changes)
          .extracting(StatusChangeEvent::status)
          .containsExactly(ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED);
      StatusChangeEvent done = changes.get(1);
      assertThat(done.time()).isEqualTo(Instant.parse("2026-12-01T10:01:00.500Z"));
      JsonNode json = JSON.readTree(done.json());
      assertThat(json.get("time").asText()).isEqualTo("2026-12-01T10:01:00Z");
      assertThat(json.get("detail").get("stopDate").asLong())
          .isEqualTo(Instant.parse("2026-12-01T10:01:00.500Z").toEpochMilli());
    }
  }

  @Test
  void aListener_mayCallTheEndpointBack_andAFailingListenerStopsNoDelivery() {
    List<String> seenByDescribe = new CopyOnWriteArrayList<>();
    try (LocalStepFunctions sfn =
        LocalStepFunctions.builder()
            .stateMachine("ingest")
            .executionDuration(Duration.ofMillis(50))
            .listener(
                e -> {
                  throw new IllegalStateException("a listener bug");
                })
            .start()) {
      SfnClient client = SfnClients.of(sfn);
      sfn.addListener(
          e ->
              seenByDescribe.add(
                  client.describeExecution(r -> r.executionArn(e.detail().executionArn())).name()));
      for (int i = 0; i < 3; i++) {
        int n = i;
        client.startExecution(r -> r.stateMachineArn(sfn.stateMachineArn("ingest")).name("n" + n));
      }

      await().atMost(Duration.ofSeconds(20)).until(() -> seenByDescribe.size() == 6);
      assertThat(seenByDescribe).containsOnly("n0", "n1", "n2");
      client.close();
    }
  }
}
