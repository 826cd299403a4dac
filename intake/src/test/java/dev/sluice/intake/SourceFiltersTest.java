package dev.sluice.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ObjectEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A source's event-name, prefix and suffix filters, and its key encoding. */
class SourceFiltersTest {

  private static String record(String eventSource, String eventName, String key) {
    return """
    {"eventVersion": "2.1", "eventSource": "%s", "eventName": "%s",
     "s3": {"bucket": {"name": "data"}, "object": {"key": "%s"}}}\
    """
        .formatted(eventSource, eventName, key);
  }

  private static byte[] records(String... entries) {
    return ("{\"Records\": [" + String.join(",", entries) + "]}").getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> keys(ParseResult result) {
    return result.events().stream().map(ObjectEvent::key).toList();
  }

  @Test
  void parse_whenEventNamesListed_keepsOnlyMatchingNames() {
    NotificationParser parser =
        new NotificationParser(
            SourceOptions.defaults()
                .withEventNames(List.of("ObjectCreated:Put", "ObjectRemoved:*")));

    ParseResult result =
        parser.parse(
            records(
                record("aws:s3", "ObjectCreated:Put", "put"),
                record("aws:s3", "ObjectCreated:Copy", "copy"),
                record("minio:s3", "s3:ObjectRemoved:Delete", "removed"),
                record("aws:s3", "ObjectRestore:Completed", "restored")));

    assertThat(keys(result)).containsExactly("put", "removed");
    assertThat(result.dropped())
        .containsExactly(
            new Dropped(
                1,
                DropCategory.EVENT_NAME,
                "event ObjectCreated:Copy is outside the filter ObjectCreated:Put, ObjectRemoved:*"),
            new Dropped(
                3,
                DropCategory.EVENT_NAME,
                "event ObjectRestore:Completed is outside the filter ObjectCreated:Put,"
                    + " ObjectRemoved:*"));
  }

  @Test
  void parse_whenPatternHasS3Prefix_matchesNamesWithoutIt() {
    NotificationParser parser =
        new NotificationParser(
            SourceOptions.defaults().withEventNames(List.of("s3:ObjectCreated:*")));

    assertThat(keys(parser.parse(records(record("aws:s3", "ObjectCreated:Post", "a")))))
        .containsExactly("a");
  }

  @Test
  void parse_whenStarAlone_keepsEveryEvent() {
    NotificationParser parser =
        new NotificationParser(SourceOptions.defaults().withEventNames(List.of("*")));

    assertThat(
            keys(
                parser.parse(
                    records(
                        record("aws:s3", "ObjectRemoved:Delete", "a"),
                        record("aws:s3", "LifecycleExpiration:Delete", "b")))))
        .containsExactly("a", "b");
  }

  @Test
  void parse_whenPrefixSet_dropsOtherKeysAfterDecoding() {
    NotificationParser parser =
        new NotificationParser(SourceOptions.defaults().withPrefix("in box/"));

    ParseResult result =
        parser.parse(
            records(
                record("aws:s3", "ObjectCreated:Put", "in+box/a.csv"),
                record("aws:s3", "ObjectCreated:Put", "outbox/b.csv")));

    assertThat(keys(result)).containsExactly("in box/a.csv");
    assertThat(result.dropped())
        .containsExactly(
            new Dropped(
                1, DropCategory.PREFIX, "key 'outbox/b.csv' is outside the prefix 'in box/'"));
  }

  @Test
  void parse_whenSuffixSet_dropsOtherKeys() {
    NotificationParser parser =
        new NotificationParser(SourceOptions.defaults().withSuffix(".parquet"));

    ParseResult result =
        parser.parse(
            records(
                record("aws:s3", "ObjectCreated:Put", "a.parquet"),
                record("aws:s3", "ObjectCreated:Put", "a.parquet.tmp")));

    assertThat(keys(result)).containsExactly("a.parquet");
    assertThat(result.dropped())
        .containsExactly(
            new Dropped(
                1, DropCategory.SUFFIX, "key 'a.parquet.tmp' is outside the suffix '.parquet'"));
  }

  @Test
  void parse_whenRemovalOutsidePrefix_countsItByEventName() {
    NotificationParser parser = new NotificationParser(SourceOptions.defaults().withPrefix("in/"));

    ParseResult result = parser.parse(records(record("aws:s3", "ObjectRemoved:Delete", "out/x")));

    assertThat(result.dropped())
        .extracting(Dropped::category)
        .containsExactly(DropCategory.EVENT_NAME);
  }

  @Test
  void parse_whenEventBridgeOutsideSuffix_dropsIt() {
    NotificationParser parser = new NotificationParser(SourceOptions.defaults().withSuffix(".csv"));

    ParseResult result =
        parser.parse(
            SameObjectsEveryShapeTest.eventBridgeBody("a.json").getBytes(StandardCharsets.UTF_8));

    assertThat(result.events()).isEmpty();
    assertThat(result.dropped()).extracting(Dropped::category).containsExactly(DropCategory.SUFFIX);
  }

  @Test
  void parse_whenAutoAndCeph_keepsPlusAndPercentAsTheyAre() {
    ParseResult result =
        new NotificationParser()
            .parse(
                records(
                    record("ceph:s3", "s3:ObjectCreated:Put", "c++ 100%.txt"),
                    record("aws:s3", "ObjectCreated:Put", "c%2B%2B+100%25.txt")));

    assertThat(keys(result)).containsExactly("c++ 100%.txt", "c++ 100%.txt");
  }

  @Test
  void parse_whenRawForced_keepsAwsKeysUndecoded() {
    NotificationParser parser =
        new NotificationParser(SourceOptions.defaults().withKeyEncoding(KeyEncoding.RAW));

    assertThat(keys(parser.parse(records(record("aws:s3", "ObjectCreated:Put", "a+b%20c")))))
        .containsExactly("a+b%20c");
  }

  @Test
  void parse_whenFormForced_decodesCephKeys() {
    NotificationParser parser =
        new NotificationParser(SourceOptions.defaults().withKeyEncoding(KeyEncoding.FORM));

    assertThat(keys(parser.parse(records(record("ceph:s3", "ObjectCreated:Put", "a+b%20c")))))
        .containsExactly("a b c");
  }

  @Test
  void parse_whenEventBridgeKeyIsLiteral_decodesItAsFormUnlessRaw() {
    // The documented choice: EventBridge keys are form-decoded like every AWS key. A literal key
    // without '+' or '%' is unchanged; one with '+' needs key-encoding: raw.
    byte[] plain =
        SameObjectsEveryShapeTest.eventBridgeBody("my file/ü.txt").getBytes(StandardCharsets.UTF_8);
    byte[] plus =
        SameObjectsEveryShapeTest.eventBridgeBody("c++ notes.txt").getBytes(StandardCharsets.UTF_8);
    NotificationParser auto = new NotificationParser();
    NotificationParser raw =
        new NotificationParser(SourceOptions.defaults().withKeyEncoding(KeyEncoding.RAW));

    assertThat(keys(auto.parse(plain))).containsExactly("my file/ü.txt");
    assertThat(keys(auto.parse(plus))).containsExactly("c   notes.txt");
    assertThat(keys(raw.parse(plus))).containsExactly("c++ notes.txt");
  }

  @Test
  void sourceOptions_whenDefaults_keepCreatedEventsAndDecodeAuto() {
    SourceOptions defaults = SourceOptions.defaults();

    assertThat(defaults.source()).isEqualTo("webhook");
    assertThat(defaults.keyEncoding()).isEqualTo(KeyEncoding.AUTO);
    assertThat(defaults.eventNames()).containsExactly("ObjectCreated:*");
    assertThat(defaults.prefix()).isEmpty();
    assertThat(defaults.suffix()).isEmpty();
  }

  @Test
  void sourceOptions_whenInvalid_namesTheField() {
    assertThatThrownBy(() -> SourceOptions.defaults().withEventNames(List.of()))
        .hasMessageStartingWith("event-names must name at least one pattern");
    assertThatThrownBy(() -> SourceOptions.defaults().withEventNames(List.of("Object*Created")))
        .hasMessage(
            "event-names[0] may have '*' only at its end, like ObjectCreated:*, got"
                + " 'Object*Created'");
    assertThatThrownBy(() -> SourceOptions.defaults().withEventNames(List.of("a", " ")))
        .hasMessage("event-names[1] must not be empty");
    assertThatThrownBy(() -> SourceOptions.defaults(" ")).hasMessage("source must not be blank");
  }
}
