package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sfnlocal.LocalStepFunctions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command's own run: everything embedded, 115 objects, 50 per 2 s tick. */
class ServerlessLocalRunTest {

  @Test
  void run_115ObjectsWithLimit50Every2s_endsWithInvocationsPerTick50_50_15() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ServerlessLocalSettings settings =
        ServerlessLocalSettings.defaults().withLoad(115, 50, Duration.ofSeconds(2));

    int code =
        new ServerlessLocalRun(
                settings,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC())
            .run();

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    assertThat(lines).last().isEqualTo("invocations per tick: 50 50 15");
    assertThat(lines).contains("released per tick (the scheduler's reports): 50 50 15");
  }

  @Test
  void run_againstEndpointsThatRunAlready_usesTheirQueuesTableAndStateMachine() throws Exception {
    SharedAws aws = SharedAws.get();
    var events = aws.sqs.createQueueWithDeadLetter(SharedAws.unique("events"), 30, 5);
    var invocations = aws.sqs.createQueueWithDeadLetter(SharedAws.unique("invocations"), 30, 5);
    String table = SharedAws.unique("limits");
    aws.dynamo.createTable(table);
    try (LocalStepFunctions sfn = LocalStepFunctions.builder().stateMachine("other").start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      ServerlessLocalSettings settings =
          new ServerlessLocalSettings(
              7,
              3,
              Duration.ofSeconds(1),
              null,
              null,
              Duration.ofMinutes(1),
              aws.sqs.endpoint(),
              events.queue().toString(),
              invocations.queue().toString(),
              null, // found from the invocation queue's redrive policy
              aws.dynamo.endpoint(),
              table,
              sfn.endpoint(),
              sfn.stateMachineArn("other"),
              false);

      int code =
          new ServerlessLocalRun(
                  settings,
                  new PrintStream(out, true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8),
                  Clock.systemUTC())
              .run();

      assertThat(code).as("exit code; stderr: %s", err).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
          .last()
          .isEqualTo("invocations per tick: 3 3 1");
      assertThat(sfn.recording().executions()).hasSize(7);
      assertThat(aws.sqs.messagesOn(events.queue()) + aws.sqs.messagesOn(invocations.queue()))
          .isZero();
      assertThat(
              aws.dynamo.client().scan(b -> b.tableName(table)).items().stream()
                  .map(item -> item.get("pk").s()))
          .as("the ticks' budgets were kept in the given table")
          .anyMatch(pk -> pk.startsWith("tick#"));
    }
  }
}
