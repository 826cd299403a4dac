package dev.sluice.sources.sqs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqsSourceSettingsTest {
  private static final SqsSourceSettings OK =
      SqsSourceSettings.of(URI.create("http://127.0.0.1:9324/000000000000/events"));

  @Test
  void maxMessages_whenAboveTen_namesTheKey() {
    assertThatThrownBy(() -> OK.withMaxMessages(11))
        .hasMessage("max-messages must be between 1 and 10 (SQS's batch limit), got 11");
  }

  @Test
  void waitTime_whenAboveTwentySeconds_namesTheKey() {
    assertThatThrownBy(() -> OK.withWaitTime(Duration.ofSeconds(21)))
        .hasMessageStartingWith("wait-time must be whole seconds between 0s and 20s");
  }

  @Test
  void visibilityTimeout_whenAFractionOfASecond_namesTheKey() {
    assertThatThrownBy(() -> OK.withVisibilityTimeout(Duration.ofMillis(1500)))
        .hasMessageStartingWith("visibility-timeout must be whole seconds between 1s and 43200s");
  }

  @Test
  void queueUrl_whenRelative_namesTheKey() {
    assertThatThrownBy(() -> SqsSourceSettings.of(URI.create("events")))
        .hasMessage("queue-url must be an absolute http(s) URL, got 'events'");
  }
}
