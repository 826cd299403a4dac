package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.ObjectEvent;
import dev.sluice.sfnlocal.ExecutionOutcome;
import dev.sluice.sfnlocal.ExecutionStatus;
import dev.sluice.sfnlocal.RecordedExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A failed execution goes back through the gate as its next attempt, under a new name; an event
 * whose every attempt fails ends in the invocation dead-letter queue with the error and cause.
 */
class FailedExecutionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void failedExecution_isRetriedAsAttempt2_andOneThatAlwaysFailsIsDeadLetteredAfterMaxAttempts()
      throws Exception {
    List<ObjectEvent> objects = new ArrayList<>();
    objects.addAll(TestPipeline.objects("flaky", 3));
    objects.addAll(TestPipeline.objects("doomed", 1));
    objects.addAll(TestPipeline.objects("fine", 2));
    try (TestPipeline p =
        new TestPipeline(
            sfn ->
                sfn.outcome(
                    e -> {
                      if (e.input().contains("doomed/")) {
                        return ExecutionOutcome.fail("Boom", "always fails");
                      }
                      if (e.input().contains("flaky/") && e.name().endsWith("-1")) {
                        return ExecutionOutcome.fail("Flaky", "first attempt fails");
                      }
                      return ExecutionOutcome.succeed(e.input());
                    }),
            f ->
                f.limit(50)
                    .every(Duration.ofSeconds(1))
                    .environment("RETRY_DELAY", "PT1S")
                    .environment("MAX_ATTEMPTS", "3"))) {
      p.notifyIntake(objects);
      p.functions.startEventSource();
      p.functions.ticker().start(t -> {}, e -> {});

      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  p.messagesOn(p.invocations.deadLetterQueue()) == 1 && p.succeeded().size() == 5);
      p.functions.ticker().close();

      Map<String, List<RecordedExecution>> byKey =
          p.executions().stream().collect(Collectors.groupingBy(TestPipeline::keyOf));
      for (ObjectEvent flaky : objects.subList(0, 3)) {
        List<RecordedExecution> runs = byKey.get(flaky.key());
        assertThat(runs)
            .extracting(RecordedExecution::status)
            .containsExactly(ExecutionStatus.FAILED, ExecutionStatus.SUCCEEDED);
        assertThat(runs.get(0).name()).endsWith("-1");
        assertThat(runs.get(1).name())
            .isEqualTo(runs.get(0).name().substring(0, runs.get(0).name().length() - 2) + "-2");
      }
      ObjectEvent doomed = objects.get(3);
      assertThat(byKey.get(doomed.key()))
          .extracting(RecordedExecution::status)
          .containsExactly(ExecutionStatus.FAILED, ExecutionStatus.FAILED, ExecutionStatus.FAILED);
      for (ObjectEvent fine : objects.subList(4, 6)) {
        assertThat(byKey.get(fine.key()))
            .extracting(RecordedExecution::status)
            .containsExactly(ExecutionStatus.SUCCEEDED);
      }

      List<Message> deadLetters =
          TestPipeline.AWS
              .sqs
              .client()
              .receiveMessage(
                  b ->
                      b.queueUrl(p.invocations.deadLetterQueue().toString())
                          .maxNumberOfMessages(10)
                          .messageAttributeNames("All"))
              .messages();
      assertThat(deadLetters).hasSize(1);
      Message dead = deadLetters.get(0);
      assertThat(JSON.readTree(dead.body()).path("key").asText()).isEqualTo(doomed.key());
      assertThat(JSON.readTree(dead.body()).path("attempt").asInt()).isEqualTo(3);
      assertThat(dead.messageAttributes().get("sluice-error").stringValue())
          .startsWith("FAILED: Boom: always fails");
      assertThat(p.messagesOn(p.events.queue()) + p.messagesOn(p.invocations.queue())).isZero();
    }
  }
}
