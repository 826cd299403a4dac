package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** S3 delivers a notification twice: both deliveries are released, one execution starts. */
class RedeliveredNotificationTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void sameNotificationTwice_releasedOnTwoTicks_startsOneExecution() {
    var object = TestPipeline.objects("redelivered", 1).get(0);
    String notification = S3Notification.of(object, "us-east-1");
    try (TestPipeline p =
        new TestPipeline(sfn -> {}, f -> f.limit(1).every(Duration.ofMinutes(1)))) {
      p.functions.intake().invoke(notification);
      p.functions.intake().invoke(notification);
      assertThat(p.messagesOn(p.events.queue())).isEqualTo(2);
      p.functions.startEventSource();

      Tick first = p.functions.tick(T0);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> p.messagesOn(p.invocations.queue()) == 0 && p.executions().size() == 1);
      Tick second = p.functions.tick(T0.plus(Duration.ofMinutes(1)));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> p.messagesOnAllQueues() == 0);

      assertThat(first.released()).isEqualTo(1);
      assertThat(second.released()).isEqualTo(1);
      assertThat(second.releasedNames()).isEqualTo(first.releasedNames());
      assertThat(p.executions()).hasSize(1);
      assertThat(TestPipeline.keyOf(p.executions().get(0))).isEqualTo(object.key());
    }
  }
}
