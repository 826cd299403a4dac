package dev.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.time.ManualTimeSource;
import dev.sluice.intake.KeyEncoding;
import dev.sluice.intake.NotificationParser;
import dev.sluice.intake.SourceOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQS source reads its messages with its own key decoding and filters. */
class SqsIntakeFilterTest {
  private static String body(String encodedKey) {
    return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
        + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"b\"},"
        + "\"object\":{\"key\":\""
        + encodedKey
        + "\",\"sequencer\":\"0A\"}}}]}";
  }

  @Test
  void accept_whenSqsHasPrefixAndRawKeys_keepsOnlyMatchingKeysAsSent() {
    InMemoryBacklog backlog = new InMemoryBacklog();
    EventIntake intake =
        new EventIntake(new NotificationParser(), backlog, new ManualTimeSource(), () -> {});
    NotificationParser sqsParser =
        new NotificationParser(
            SourceOptions.defaults("sqs").withKeyEncoding(KeyEncoding.RAW).withPrefix("incoming/"));
    SqsIntake sqs = new SqsIntake(intake, sqsParser);

    List<MessageVerdict> verdicts =
        sqs.accept(List.of(body("incoming/a+b.parquet"), body("other/c.parquet")));

    // A message whose only record is filtered out is acknowledged (deleted), not left for redrive.
    assertThat(verdicts).containsExactly(MessageVerdict.COMMITTED, MessageVerdict.COMMITTED);
    // raw: '+' stays a plus, as this source was told its sender writes keys.
    assertThat(backlog.claim(10, Duration.ofMinutes(1), Instant.parse("2030-01-01T00:00:00Z")))
        .extracting(j -> j.event().key() + "|" + j.event().source())
        .containsExactly("incoming/a+b.parquet|sqs");
    assertThat(intake.droppedCounts().byLabel()).containsEntry("prefix", 1L);
  }
}
