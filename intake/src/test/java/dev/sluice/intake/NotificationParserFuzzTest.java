package dev.sluice.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of every real sample: the parser answers each with a value (events,
 * dropped, rejected or a body error) and never throws.
 */
class NotificationParserFuzzTest {

  private static final List<String> SAMPLES =
      List.of(
          "a-s3-put-aws-doc-example",
          "b-s3-test-event-aws-doc",
          "c-DERIVED-lambda-sqs-sns-s3-nexrad",
          "c-lambda-sqs-with-s3-body-powertools",
          "c-sns-envelope-s3-nexrad-real",
          "d-eventbridge-s3-object-created-powertools",
          "e-ceph-rgw-notification-2021-capture-unencoded-space",
          "e-ceph-rgw-notification-doc",
          "e-minio-webhook-put-literal-plus-key",
          "g-eventbridge-scheduled-event-java-libs");

  private static final String[] INSERTS = {
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "-1",
    "1e999",
    "%",
    "%zz",
    "%C3",
    "+",
    "\\\"",
    "\\u0000",
    "[[[[[[",
    "\"Records\"",
    "\"Type\":\"Notification\"",
    "\"body\"",
    "\"aws.s3\""
  };

  @Test
  void parse_whenSamplesMutatedAtRandom_neverThrows() {
    Random random = new Random(20261125L);
    NotificationParser parser = new NotificationParser();
    int malformed = 0;
    for (int i = 0; i < 3_000; i++) {
      String sample =
          new String(
              Fixtures.s3Event(SAMPLES.get(random.nextInt(SAMPLES.size()))),
              StandardCharsets.UTF_8);
      byte[] body = mutate(sample, random).getBytes(StandardCharsets.UTF_8);

      ParseResult[] result = new ParseResult[1];
      assertThatCode(() -> result[0] = parser.parse(body))
          .as("body %s", new String(body, StandardCharsets.UTF_8))
          .doesNotThrowAnyException();
      assertThat(result[0]).isNotNull();
      if (result[0].isMalformed()) {
        malformed++;
      }
    }
    // The mutations must actually break bodies, or this test proves nothing.
    assertThat(malformed).isGreaterThan(300);
  }

  private static String mutate(String text, Random random) {
    StringBuilder b = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && b.length() > 0; e++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(4)) {
        case 0 -> b.setLength(at);
        case 1 -> b.insert(at, INSERTS[random.nextInt(INSERTS.length)]);
        case 2 -> b.deleteCharAt(at);
        default -> b.setCharAt(at, (char) (32 + random.nextInt(95)));
      }
    }
    return b.toString();
  }
}
