package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The reference architecture's worst defect, checked on the serverless shape: a send to the
 * invocation queue that fails must not lose its event.
 */
class TransientSendFailuresTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void ticks_with5PercentOfInvocationQueueSendsFailing_start1000DistinctExecutionsAndLoseNone() {
    var objects = TestPipeline.objects("faults", 1000);
    try (TestPipeline p =
        new TestPipeline(
            sfn -> {},
            f ->
                f.limit(1000)
                    .every(Duration.ofMinutes(1))
                    .schedulerSqsEndpoint(TestPipeline.AWS.proxy.endpoint()))) {
      p.notifyIntake(objects);
      p.functions.startEventSource();
      long failedBefore = TestPipeline.AWS.proxy.entriesFailed();
      TestPipeline.AWS.proxy.failSendEntries(queueName(p.invocations.queue()), 0.05, 42);
      List<Tick> ticks = new ArrayList<>();
      try {
        for (int k = 0; k < 30 && p.messagesOn(p.events.queue()) > 0; k++) {
          ticks.add(p.functions.tick(T0.plus(Duration.ofMinutes(k))));
        }
      } finally {
        TestPipeline.AWS.proxy.stopFailing();
      }

      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> p.executions().size() >= objects.size() && p.messagesOnAllQueues() == 0);

      assertThat(TestPipeline.AWS.proxy.entriesFailed() - failedBefore)
          .as("sends that failed")
          .isGreaterThan(0);
      assertThat(ticks.stream().mapToInt(Tick::unsent).sum()).isGreaterThan(0);
      assertThat(p.executions()).hasSize(objects.size());
      assertThat(p.executions().stream().map(TestPipeline::keyOf))
          .containsExactlyInAnyOrderElementsOf(TestPipeline.keys(objects));
      assertThat(p.messagesOnAllQueues()).isZero();
    }
  }

  private static String queueName(URI queue) {
    String path = queue.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
