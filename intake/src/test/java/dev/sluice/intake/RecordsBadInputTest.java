package dev.sluice.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bodies and records that cannot be read: each gives a value naming the problem, never a throw. */
class RecordsBadInputTest {

  private final NotificationParser parser = new NotificationParser();

  private ParseResult parse(String body) {
    return parser.parse(body.getBytes(StandardCharsets.UTF_8));
  }

  /** A Records entry with the given event name and {@code s3.object} members. */
  private static String record(String eventName, String objectMembers) {
    return """
    {"eventName": "%s", "eventTime": "2024-05-01T12:00:00Z",
     "s3": {"bucket": {"name": "data"}, "object": {%s}}}\
    """
        .formatted(eventName, objectMembers);
  }

  private static String records(String... entries) {
    return "{\"Records\": [" + String.join(",", entries) + "]}";
  }

  @Test
  void parse_whenNotJson_givesBodyError() {
    ParseResult result = parse("this is not json");

    assertThat(result.isMalformed()).isTrue();
    assertThat(result.bodyError()).startsWith("body is not JSON: ").doesNotContain("\n");
    assertThat(result.events()).isEmpty();
  }

  @Test
  void parse_whenTrailingGarbage_givesBodyError() {
    ParseResult result = parse(records(record("ObjectCreated:Put", "\"key\": \"a\"")) + " }{");

    assertThat(result.bodyError()).startsWith("body is not JSON: ");
    assertThat(result.events()).isEmpty();
  }

  @Test
  void parse_whenEmpty_givesBodyError() {
    assertThat(parser.parse(new byte[0]).bodyError()).isEqualTo("body is empty");
    assertThat(parser.parse(null).bodyError()).isEqualTo("body is empty");
    assertThat(parse("  \n ").bodyError()).isEqualTo("body is empty");
  }

  @Test
  void parse_whenTopLevelArray_givesBodyError() {
    assertThat(parse("[]").bodyError())
        .isEqualTo(
            "expected a notification (an object with Records, an SNS envelope, an EventBridge event or an s3:TestEvent), got an array");
  }

  @Test
  void parse_whenTopLevelScalar_givesBodyError() {
    assertThat(parse("42").bodyError())
        .isEqualTo(
            "expected a notification (an object with Records, an SNS envelope, an EventBridge event or an s3:TestEvent), got a number (42)");
  }

  @Test
  void parse_whenRecordsIsAString_givesBodyError() {
    assertThat(parse("{\"Records\": \"x\"}").bodyError())
        .isEqualTo(
            "expected a notification (an object with Records, an SNS envelope, an EventBridge event or an s3:TestEvent), got Records as a string");
  }

  @Test
  void parse_whenNoRecordsAndNotATestEvent_givesBodyError() {
    assertThat(parse("{\"Event\": \"s3:SomethingElse\"}").bodyError())
        .isEqualTo(
            "expected a notification (an object with Records, an SNS envelope, an EventBridge event or an s3:TestEvent), got an object with none of these");
  }

  @Test
  void parse_whenRecordsEmpty_givesNothing() {
    ParseResult result = parse("{\"Records\": []}");

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.events()).isEmpty();
    assertThat(result.dropped()).isEmpty();
    assertThat(result.rejected()).isEmpty();
  }

  @Test
  void parse_whenKeyIsANumber_rejectsTheRecordNamingTheKey() {
    ParseResult result = parse(records(record("ObjectCreated:Put", "\"key\": 123")));

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.events()).isEmpty();
    assertThat(result.rejected())
        .containsExactly(
            new Rejected(0, "Records[0].s3.object.key must be a string, got a number (123)"));
  }

  @Test
  void parse_whenKeyIsAnObject_rejectsTheRecordNamingTheKey() {
    ParseResult result = parse(records(record("ObjectCreated:Put", "\"key\": {\"a\": 1}")));

    assertThat(result.rejected())
        .containsExactly(
            new Rejected(0, "Records[0].s3.object.key must be a string, got an object"));
  }

  @Test
  void parse_whenOneBadRecordAmongGoodOnes_keepsTheGoodOnes() {
    String body =
        records(
            record("ObjectCreated:Put", "\"key\": \"first.parquet\", \"size\": 10"),
            record("ObjectCreated:Put", "\"key\": \"second.parquet\""),
            record("ObjectCreated:Put", "\"size\": 5"),
            record("ObjectRemoved:Delete", "\"key\": \"gone.parquet\""),
            record("ObjectCreated:CompleteMultipartUpload", "\"key\": \"third+part.parquet\""));

    ParseResult result = parse(body);

    assertThat(result.events())
        .extracting(ObjectEvent::key)
        .containsExactly("first.parquet", "second.parquet", "third part.parquet");
    assertThat(result.rejected())
        .containsExactly(new Rejected(2, "Records[2].s3.object.key is missing"));
    assertThat(result.dropped()).extracting(Dropped::index).containsExactly(3);
  }

  @Test
  void parse_whenBucketNameMissing_rejectsNamingIt() {
    ParseResult result =
        parse(
            records(
                "{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {}, \"object\":"
                    + " {\"key\": \"k\"}}}"));

    assertThat(result.rejected())
        .containsExactly(new Rejected(0, "Records[0].s3.bucket.name is missing"));
  }

  @Test
  void parse_whenS3SectionMissing_rejectsNamingIt() {
    ParseResult result = parse(records("{\"eventName\": \"ObjectCreated:Put\"}"));

    assertThat(result.rejected()).containsExactly(new Rejected(0, "Records[0].s3 is missing"));
  }

  @Test
  void parse_whenEventNameMissing_rejectsNamingIt() {
    ParseResult result =
        parse(records("{\"s3\": {\"bucket\": {\"name\": \"b\"}, \"object\": {\"key\": \"k\"}}}"));

    assertThat(result.rejected())
        .containsExactly(new Rejected(0, "Records[0].eventName is missing"));
  }

  @Test
  void parse_whenRecordIsNotAnObject_rejectsIt() {
    ParseResult result = parse(records("\"oops\"", record("ObjectCreated:Put", "\"key\": \"ok\"")));

    assertThat(result.rejected())
        .containsExactly(new Rejected(0, "Records[0] must be an object, got a string"));
    assertThat(result.events()).extracting(ObjectEvent::key).containsExactly("ok");
  }

  @Test
  void parse_whenKeyHasInvalidPercentEncoding_rejectsOnlyThatRecord() {
    ParseResult result =
        parse(
            records(
                record("ObjectCreated:Put", "\"key\": \"ok.csv\""),
                record("ObjectCreated:Put", "\"key\": \"100%zz.csv\""),
                record("ObjectCreated:Put", "\"key\": \"trailing%2\"")));

    assertThat(result.events()).extracting(ObjectEvent::key).containsExactly("ok.csv");
    assertThat(result.rejected()).extracting(Rejected::index).containsExactly(1, 2);
    assertThat(result.rejected())
        .allSatisfy(
            r ->
                assertThat(r.reason())
                    .startsWith(
                        "Records[" + r.index() + "].s3.object.key has invalid percent-encoding"));
  }

  @Test
  void parse_whenKeyEscapesAreNotUtf8_rejectsInsteadOfReplacing() {
    ParseResult result = parse(records(record("ObjectCreated:Put", "\"key\": \"bad%FF.csv\"")));

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.reason())
                    .startsWith("Records[0].s3.object.key has invalid percent-encoding")
                    .contains("not UTF-8"));
  }

  @Test
  void parse_whenKeyHasMultibyteEscapes_decodesUtf8() {
    ParseResult result =
        parse(records(record("ObjectCreated:Put", "\"key\": \"caf%C3%A9/%E2%82%AC+1.txt\"")));

    assertThat(result.events()).extracting(ObjectEvent::key).containsExactly("café/€ 1.txt");
  }

  @Test
  void parse_whenEventTimeUnparsable_rejectsNamingIt() {
    String body =
        records(
            "{\"eventName\": \"ObjectCreated:Put\", \"eventTime\": \"yesterday\","
                + " \"s3\": {\"bucket\": {\"name\": \"b\"}, \"object\": {\"key\": \"k\"}}}");

    ParseResult result = parse(body);

    assertThat(result.rejected())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.reason()).startsWith("Records[0].eventTime ").contains("'yesterday'"));
  }

  @Test
  void parse_whenEventTimeAbsent_leavesItNull() {
    String body =
        records(
            "{\"eventName\": \"ObjectCreated:Put\", \"s3\": {\"bucket\": {\"name\": \"b\"},"
                + " \"object\": {\"key\": \"k\"}}}");

    ParseResult result = parse(body);

    assertThat(result.events()).singleElement().extracting(ObjectEvent::eventTime).isNull();
  }

  @Test
  void parse_whenEventTimeHasOffset_convertsToInstant() {
    String body =
        records(
            "{\"eventName\": \"ObjectCreated:Put\", \"eventTime\": \"2024-05-01T14:00:00+02:00\","
                + " \"s3\": {\"bucket\": {\"name\": \"b\"}, \"object\": {\"key\": \"k\"}}}");

    assertThat(parse(body).events())
        .singleElement()
        .extracting(ObjectEvent::eventTime)
        .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
  }

  @Test
  void parse_whenETagQuoted_stripsQuotes() {
    ParseResult result =
        parse(records(record("ObjectCreated:Put", "\"key\": \"k\", \"eTag\": \"\\\"abc123\\\"\"")));

    assertThat(result.events()).singleElement().extracting(ObjectEvent::eTag).isEqualTo("abc123");
  }

  @Test
  void parse_whenSizeIsNotAWholeNumber_rejectsNamingIt() {
    ParseResult result =
        parse(
            records(
                record("ObjectCreated:Put", "\"key\": \"a\", \"size\": \"big\""),
                record("ObjectCreated:Put", "\"key\": \"b\", \"size\": -1"),
                record("ObjectCreated:Put", "\"key\": \"c\", \"size\": 1.5")));

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected())
        .extracting(Rejected::reason)
        .containsExactly(
            "Records[0].s3.object.size must be a non-negative whole number, got a string ('big')",
            "Records[1].s3.object.size must be a non-negative whole number, got a number (-1)",
            "Records[2].s3.object.size must be a non-negative whole number, got a number (1.5)");
  }

  @Test
  void parse_whenNestedTooDeep_givesBodyErrorInsteadOfRecursing() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);

    ParseResult result = parse("{\"Records\": [" + deep + "]}");

    assertThat(result.bodyError())
        .startsWith("body exceeds parser limits: ")
        .contains("nesting depth");
  }

  @Test
  void parse_whenStringHuge_givesBodyError() {
    String huge = "x".repeat(NotificationJson.MAX_STRING_LENGTH + 1);

    ParseResult result = parse(records(record("ObjectCreated:Put", "\"key\": \"" + huge + "\"")));

    assertThat(result.bodyError())
        .startsWith("body exceeds parser limits: ")
        .contains("String value length");
  }

  @Test
  void parse_whenNameHasS3Prefix_acceptsCreatedAndDropsRemoved() {
    ParseResult result =
        parse(
            records(
                record("s3:ObjectCreated:Copy", "\"key\": \"k\""),
                record("s3:ObjectRemoved:Delete", "\"key\": \"k\"")));

    assertThat(result.events())
        .extracting(ObjectEvent::eventName)
        .containsExactly("s3:ObjectCreated:Copy");
    assertThat(result.dropped())
        .containsExactly(
            new Dropped(
                1,
                DropCategory.EVENT_NAME,
                "event s3:ObjectRemoved:Delete is outside the filter ObjectCreated:*"));
  }
}
