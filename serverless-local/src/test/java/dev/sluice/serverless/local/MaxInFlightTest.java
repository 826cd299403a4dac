package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sfnlocal.RecordedExecution;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** MAX_IN_FLIGHT holds across the four functions: the completion function frees the slots. */
class MaxInFlightTest {

  @Test
  void maxInFlight5_withExecutionsOf1s_neverRunsMoreThan5AndEveryEventSucceeds() {
    var objects = TestPipeline.objects("in-flight", 20);
    try (TestPipeline p =
        new TestPipeline(
            sfn -> sfn.executionDuration(Duration.ofSeconds(1)),
            f -> f.limit(50).every(Duration.ofSeconds(1)).maxInFlight(5))) {
      p.notifyIntake(objects);
      p.functions.startEventSource();
      p.functions.ticker().start(t -> {}, e -> {});

      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> p.succeeded().size() >= objects.size());

      List<RecordedExecution> executions = p.executions();
      assertThat(p.sfn.recording().maxRunningAtOnce()).isLessThanOrEqualTo(5);
      assertThat(executions).hasSize(objects.size());
      assertThat(executions.stream().map(TestPipeline::keyOf))
          .containsExactlyInAnyOrderElementsOf(TestPipeline.keys(objects));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> p.messagesOnAllQueues() == 0);
    }
  }
}
