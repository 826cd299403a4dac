package dev.sluice.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Real notification samples. Expected values are read off the fixture text and SOURCES.md (the
 * decoded keys it states), never off the parser's output.
 */
class RecordsFixturesTest {

  private final NotificationParser parser = new NotificationParser();

  /** The event the AWS documentation example describes. */
  private static final ObjectEvent AWS_DOC_EVENT =
      new ObjectEvent(
          "mybucket",
          "HappyFace.jpg",
          1024L,
          "d41d8cd98f00b204e9800998ecf8427e",
          "096fKKXTRTtl3on89fVO.nfljtsv6qko",
          "0055AED6DCD90281E5",
          "ObjectCreated:Put",
          Instant.parse("1970-01-01T00:00:00Z"),
          "webhook");

  @Test
  void parse_whenAwsDocExample_givesEveryField() {
    ParseResult result = parser.parse(Fixtures.s3Event("a-s3-put-aws-doc-example"));

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.events()).containsExactly(AWS_DOC_EVENT);
    assertThat(result.dropped()).isEmpty();
    assertThat(result.rejected()).isEmpty();
  }

  @Test
  void parse_whenOptionalSectionsPresent_ignoresThem() {
    ParseResult result = parser.parse(Fixtures.s3Event("a-s3-put-sdkv2-all-optional-sections"));

    assertThat(result.events()).containsExactly(AWS_DOC_EVENT);
    assertThat(result.rejected()).isEmpty();
  }

  @Test
  void parse_whenKeyHasPlus_decodesItAsSpace() {
    ParseResult result =
        parser.parse(Fixtures.s3Event("a-DERIVED-s3-put-plus-for-space-red-flower"));

    assertThat(result.events())
        .singleElement()
        .extracting(ObjectEvent::key)
        .isEqualTo("red flower.jpg");
  }

  @Test
  void parse_whenKeyHasPercent20_decodesItAsSpace() {
    ParseResult result =
        parser.parse(Fixtures.s3Event("a-s3-put-encoded-key-percent20-powertools"));

    assertThat(result.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("Happy Face.jpg");
              assertThat(e.bucket()).isEqualTo("sourcebucket");
              assertThat(e.eventTime()).isEqualTo(Instant.parse("1970-01-01T00:00:00.123Z"));
            });
  }

  @Test
  void parse_whenKeyHasEncodedAtSign_decodesIt() {
    // The fixture is a LocalStack snapshot: the recorder replaced eventTime with the placeholder
    // "date". Put a real time back so this test is about the key only.
    String body =
        new String(
                Fixtures.s3Event("a-s3-key-encoding-at-sign-localstack-aws-validated"),
                StandardCharsets.UTF_8)
            .replace("\"eventTime\": \"date\"", "\"eventTime\": \"2025-01-21T10:00:00.000Z\"");

    ParseResult result = parser.parse(body.getBytes(StandardCharsets.UTF_8));

    assertThat(result.rejected()).isEmpty();
    assertThat(result.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("a@b");
              assertThat(e.size()).isEqualTo(9L);
              assertThat(e.eTag()).isEqualTo("437b930db84b8079c2dd804a71936b5f");
            });
  }

  @Test
  void parse_whenSnapshotPlaceholderTime_rejectsTheRecordNamingEventTime() {
    ParseResult result =
        parser.parse(Fixtures.s3Event("a-s3-key-encoding-at-sign-localstack-aws-validated"));

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.index()).isZero();
              assertThat(r.reason()).contains("Records[0].eventTime").contains("'date'");
            });
  }

  @Test
  void parse_whenSequencerIsNotHex_keepsItAsIs() {
    ParseResult result = parser.parse(Fixtures.s3Event("a-s3-put-lambda-java-libs"));

    assertThat(result.rejected()).isEmpty();
    assertThat(result.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.sequencer()).isEqualTo("Happy Sequencer");
              assertThat(e.key()).isEqualTo("HappyFace.jpg");
              assertThat(e.versionId()).isEqualTo("version");
            });
  }

  @Test
  void parse_whenNoVersionId_leavesItNullAndIdentityUsesSequencer() {
    ParseResult result = parser.parse(Fixtures.s3Event("a-s3-put-v2.1-powertools"));

    assertThat(result.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bucket()).isEqualTo("lambda-artifacts-deafc19498e3f2df");
              assertThat(e.key()).isEqualTo("b21b84d653bb07b05b1e6b33684dc11b");
              assertThat(e.size()).isEqualTo(1305107L);
              assertThat(e.versionId()).isNull();
              assertThat(e.identity().version()).isEqualTo("s:0C0F6F405D6ED209E1");
            });
  }

  @Test
  void parse_whenObjectRemoved_dropsItNamingTheEvent() {
    ParseResult result = parser.parse(Fixtures.s3Event("a-s3-delete-no-size-etag-powertools"));

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected()).isEmpty();
    assertThat(result.dropped())
        .containsExactly(
            new Dropped(
                0,
                DropCategory.EVENT_NAME,
                "event ObjectRemoved:Delete is outside the filter ObjectCreated:*"));
  }

  @Test
  void parse_whenTestEvent_dropsTheWholeBody() {
    ParseResult result = parser.parse(Fixtures.s3Event("b-s3-test-event-aws-doc"));

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.events()).isEmpty();
    assertThat(result.rejected()).isEmpty();
    assertThat(result.dropped())
        .containsExactly(new Dropped(Dropped.WHOLE_BODY, DropCategory.TEST_EVENT, "s3:TestEvent"));
  }

  @Test
  void parse_whenMinioSendsPercent2B_decodesALiteralPlus() {
    ParseResult result = parser.parse(Fixtures.s3Event("e-minio-webhook-put-literal-plus-key"));

    assertThat(result.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bucket()).isEqualTo("vd-main");
              assertThat(e.key()).isEqualTo("Tile_+002_+002.mtl");
              assertThat(e.eventName()).isEqualTo("s3:ObjectCreated:Put");
              assertThat(e.size()).isEqualTo(210L);
              assertThat(e.eTag()).isEqualTo("775ff5def9531772a2bb12853cd46fce");
              assertThat(e.eventTime()).isEqualTo(Instant.parse("2024-01-05T11:26:33.408Z"));
            });
  }

  @Test
  void parse_whenMinioBlankedBucketName_rejectsNamingTheBucket() {
    // minio/minio#15200: the reporter blanked the bucket name and the time; the time may be empty,
    // the bucket may not.
    ParseResult result = parser.parse(Fixtures.s3Event("e-minio-webhook-slash-encoded-issue15200"));

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected())
        .containsExactly(new Rejected(0, "Records[0].s3.bucket.name is empty"));
  }

  @Test
  void parse_whenSourceGiven_recordsIt() {
    ParseResult result =
        new NotificationParser(SourceOptions.defaults("minio"))
            .parse(Fixtures.s3Event("a-s3-put-aws-doc-example"));

    assertThat(result.events()).singleElement().extracting(ObjectEvent::source).isEqualTo("minio");
  }
}
