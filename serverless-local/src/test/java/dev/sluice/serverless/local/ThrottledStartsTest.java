package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sfnlocal.RecordedExecution;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * StartExecution throttled at 10 per second: throttling never spends an attempt, so every event
 * starts, none is dead-lettered, and none starts twice.
 */
class ThrottledStartsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void invoke_whenStartExecutionIsThrottledAt10PerSecond_starts500OnceEachAndDeadLettersNone() {
    var objects = TestPipeline.objects("throttled", 500);
    try (TestPipeline p =
        new TestPipeline(
            sfn -> sfn.startExecutionRate(10, 10),
            f ->
                f.limit(1000)
                    .every(Duration.ofMinutes(1))
                    // Sent-back starts wait 1 s, then 2 s at most.
                    .environment("MAX_THROTTLE_DELAY", "PT2S"))) {
      p.notifyIntake(objects);
      Tick tick = p.functions.tick(T0);
      assertThat(tick.released()).isEqualTo(500);
      p.functions.startEventSource();

      Awaitility.await()
          .atMost(Duration.ofSeconds(150))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> p.executions().size() >= 500 && p.messagesOnAllQueues() == 0);

      List<RecordedExecution> executions = p.executions();
      assertThat(p.sfn.recording().startCounts().throttled()).as("throttled calls").isPositive();
      assertThat(executions).hasSize(500);
      assertThat(executions.stream().map(TestPipeline::keyOf))
          .containsExactlyInAnyOrderElementsOf(TestPipeline.keys(objects));
      assertThat(executions.stream().map(RecordedExecution::name))
          .allMatch(name -> name.endsWith("-1"));
      assertThat(p.messagesOn(p.invocations.deadLetterQueue())).isZero();
    }
  }
}
