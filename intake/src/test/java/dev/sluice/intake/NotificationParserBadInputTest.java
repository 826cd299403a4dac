package dev.sluice.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bad envelopes and bad new-shape fields: a value naming the problem, never a throw. */
class NotificationParserBadInputTest {

  private final NotificationParser parser = new NotificationParser();

  private ParseResult parse(String body) {
    return parser.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String quote(String json) {
    return "\"" + json.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static final String GOOD =
      "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\":"
          + " \"data\"}, \"object\": {\"key\": \"ok\"}}}]}";

  @Test
  void parse_whenSnsMessageIsNotAString_givesBodyError() {
    assertThat(parse("{\"Type\": \"Notification\", \"Message\": {\"Records\": []}}").bodyError())
        .isEqualTo("SNS envelope Message must be a string, got an object");
  }

  @Test
  void parse_whenSnsMessageIsNotJson_givesBodyErrorNamingMessage() {
    assertThat(parse("{\"Type\": \"Notification\", \"Message\": \"hello\"}").bodyError())
        .startsWith("SNS envelope Message: body is not JSON: ");
  }

  @Test
  void parse_whenAKeyDecodesToANulCharacter_rejectsThatRecordOnly() {
    String body =
        "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\":"
            + " \"data\"}, \"object\": {\"key\": \"a%00b\"}}},"
            + " {\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\":"
            + " \"data\"}, \"object\": {\"key\": \"ok\"}}}]}";

    ParseResult result = parse(body);

    assertThat(result.rejected())
        .containsExactly(
            new Rejected(
                0, "Records[0].s3.object.key decodes to a key with a NUL character (U+0000)"));
    assertThat(result.events()).singleElement().satisfies(e -> assertThat(e.key()).isEqualTo("ok"));
  }

  @Test
  void parse_whenAStringFieldHoldsANulCharacter_rejectsTheRecordNamingTheField() {
    String body =
        "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\":"
            + " \"data\"}, \"object\": {\"key\": \"ok\", \"eTag\": \"ab\\u0000cd\"}}}]}";

    assertThat(parse(body).rejected())
        .containsExactly(
            new Rejected(0, "Records[0].s3.object.eTag contains a NUL character (U+0000)"));
  }

  @Test
  void parse_whenSqsBodyIsNotAString_rejectsTheRecordOnly() {
    String body =
        "{\"Records\": [{\"eventSource\": \"aws:sqs\", \"body\": 42},"
            + " {\"eventSource\": \"aws:sqs\", \"body\": "
            + quote(GOOD)
            + "}]}";

    ParseResult result = parse(body);

    assertThat(result.rejected())
        .containsExactly(new Rejected(0, "Records[0].body must be a string, got a number (42)"));
    assertThat(result.events()).singleElement().satisfies(e -> assertThat(e.key()).isEqualTo("ok"));
  }

  @Test
  void parse_whenSqsBodyHoldsBadRecord_rejectsAtTheOuterIndexNamingBoth() {
    String inner = "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\"}]}";

    ParseResult result =
        parse("{\"Records\": [{\"eventSource\": \"aws:sqs\", \"body\": " + quote(inner) + "}]}");

    assertThat(result.rejected())
        .containsExactly(new Rejected(0, "Records[0].body: Records[0].s3 is missing"));
  }

  @Test
  void parse_whenSqsBodyIsTestEvent_dropsThatRecordAsTestEvent() {
    String test = "{\"Service\": \"Amazon S3\", \"Event\": \"s3:TestEvent\"}";

    ParseResult result =
        parse("{\"Records\": [{\"eventSource\": \"aws:sqs\", \"body\": " + quote(test) + "}]}");

    assertThat(result.dropped())
        .containsExactly(new Dropped(0, DropCategory.TEST_EVENT, "s3:TestEvent"));
    assertThat(result.rejected()).isEmpty();
  }

  @Test
  void parse_whenEnvelopesNestTooDeep_rejectsInsteadOfRecursing() {
    String body = GOOD;
    for (int i = 0; i < NotificationParser.MAX_ENVELOPES + 1; i++) {
      body = "{\"Type\": \"Notification\", \"Message\": " + quote(body) + "}";
    }

    ParseResult result = parse(body);

    assertThat(result.events()).isEmpty();
    assertThat(result.bodyError()).contains("more than 4 envelopes");
  }

  @Test
  void parse_whenEventBridgeKeyMissing_rejectsNamingIt() {
    ParseResult result =
        parse(
            "{\"detail-type\": \"Object Created\", \"source\": \"aws.s3\", \"detail\":"
                + " {\"bucket\": {\"name\": \"b\"}, \"object\": {\"size\": 1}}}");

    assertThat(result.rejected()).containsExactly(new Rejected(0, "detail.object.key is missing"));
  }

  @Test
  void parse_whenEventBridgeDetailMissing_rejectsNamingIt() {
    ParseResult result = parse("{\"detail-type\": \"Object Created\", \"source\": \"aws.s3\"}");

    assertThat(result.rejected()).containsExactly(new Rejected(0, "detail is missing"));
  }

  @Test
  void parse_whenEventVersionIsNot2_rejectsNamingIt() {
    ParseResult result =
        parse(
            "{\"Records\": [{\"eventVersion\": \"3.0\", \"eventName\": \"ObjectCreated:Put\","
                + " \"s3\": {\"bucket\": {\"name\": \"b\"}, \"object\": {\"key\": \"k\"}}}]}");

    assertThat(result.rejected())
        .containsExactly(new Rejected(0, "Records[0].eventVersion must be 2.x, got '3.0'"));
  }

  @Test
  void parse_whenSizeStringIsNotDigits_rejectsNamingIt() {
    ParseResult result =
        parse(
            "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\":"
                + " {\"name\": \"b\"}, \"object\": {\"key\": \"k\", \"size\": \"-5\"}}}]}");

    assertThat(result.rejected())
        .containsExactly(
            new Rejected(
                0,
                "Records[0].s3.object.size must be a non-negative whole number, got a string"
                    + " ('-5')"));
  }
}
