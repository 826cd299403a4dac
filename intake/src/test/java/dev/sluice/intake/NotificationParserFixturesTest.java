package dev.sluice.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every real sample in {@code s3-events/} through {@link NotificationParser}. Expected values are
 * read off the fixture text and SOURCES.md, never off the parser's output. The S3 {@code Records}
 * samples are also covered field by field in {@link RecordsFixturesTest}.
 */
class NotificationParserFixturesTest {

  private final NotificationParser parser = new NotificationParser();

  private ParseResult parse(String fixture) {
    return parser.parse(Fixtures.s3Event(fixture));
  }

  private static final String SHAPES =
      "expected a notification (an object with Records, an SNS envelope, an EventBridge event"
          + " or an s3:TestEvent)";

  /** The NEXRAD object inside the SNS envelope (SOURCES.md c). */
  private static final ObjectEvent NEXRAD =
      new ObjectEvent(
          "unidata-nexrad-level2-chunks",
          "KDAX/734/20151228-200051-001-S",
          11714L,
          "e3d721125d839db8337f32636c33d2b9",
          null,
          "00568194F4F94A44B5",
          "ObjectCreated:Put",
          Instant.parse("2015-12-28T20:00:53.031Z"),
          "webhook");

  /** Every fixture file must appear in this list, so a new sample cannot go untested. */
  private static final Set<String> COVERED =
      Set.of(
          "a-DERIVED-s3-put-plus-for-space-red-flower",
          "a-s3-delete-marker-created-localstack-aws-validated",
          "a-s3-delete-no-size-etag-powertools",
          "a-s3-key-encoding-at-sign-localstack-aws-validated",
          "a-s3-put-aws-doc-example",
          "a-s3-put-encoded-key-percent20-powertools",
          "a-s3-put-glacier-restore-powertools",
          "a-s3-put-lambda-java-libs",
          "a-s3-put-sdkv2-all-optional-sections",
          "a-s3-put-v2.1-powertools",
          "b-s3-test-event-aws-doc",
          "c-DERIVED-lambda-sqs-sns-s3-nexrad",
          "c-lambda-sqs-with-s3-body-powertools",
          "c-lambda-sqs-with-sns-envelope-powertools",
          "c-sns-envelope-s3-nexrad-real",
          "d-eventbridge-s3-object-created-powertools",
          "d-eventbridge-s3-object-deleted-powertools",
          "e-ceph-rgw-notification-2021-capture-unencoded-space",
          "e-ceph-rgw-notification-doc",
          "e-minio-kafka-log-envelope-2022-capture",
          "e-minio-kafka-log-envelope-vallard",
          "e-minio-webhook-delete-literal-plus-key",
          "e-minio-webhook-put-literal-plus-key",
          "e-minio-webhook-slash-encoded-issue15200",
          "f-lambda-sqs-batch-response-java-libs",
          "f-lambda-sqs-event-2records-powertools",
          "f-lambda-sqs-event-java-libs",
          "g-eventbridge-scheduled-event-java-libs");

  @Test
  void fixtures_whenListed_matchTheFilesExactly() throws IOException, URISyntaxException {
    Path dir = Path.of(Fixtures.class.getResource("/s3-events").toURI());
    Set<String> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".json"))
              .map(n -> n.substring(0, n.length() - ".json".length()))
              .collect(Collectors.toSet());
    }
    assertThat(files).hasSize(28).containsExactlyInAnyOrderElementsOf(COVERED);
  }

  @Test
  void parse_whenEveryFixture_neverThrowsAndAccountsForTheBody() {
    for (String name : COVERED) {
      ParseResult result = parse(name);
      int accountedFor =
          result.events().size() + result.dropped().size() + result.rejected().size();
      assertThat(result.isMalformed() || accountedFor > 0)
          .as("%s gives a body error or at least one record outcome", name)
          .isTrue();
    }
  }

  @Test
  void parse_whenGlacierRestoreBlock_ignoresIt() {
    assertThat(parse("a-s3-put-glacier-restore-powertools").events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bucket()).isEqualTo("lambda-artifacts-deafc19498e3f2df");
              assertThat(e.key()).isEqualTo("b21b84d653bb07b05b1e6b33684dc11b");
              assertThat(e.size()).isEqualTo(1305107L);
              assertThat(e.sequencer()).isEqualTo("0C0F6F405D6ED209E1");
              assertThat(e.eventTime()).isEqualTo(Instant.parse("2019-09-03T19:37:27.192Z"));
            });
  }

  @Test
  void parse_whenDeleteMarkerCreated_dropsItByEventName() {
    ParseResult result = parse("a-s3-delete-marker-created-localstack-aws-validated");

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected()).isEmpty();
    assertThat(result.dropped())
        .containsExactly(
            new Dropped(
                0,
                DropCategory.EVENT_NAME,
                "event ObjectRemoved:DeleteMarkerCreated is outside the filter ObjectCreated:*"));
  }

  @Test
  void parse_whenDeleteMarkerCreatedAndRemovalsKept_givesItWithoutSize() {
    String body =
        new String(
                Fixtures.s3Event("a-s3-delete-marker-created-localstack-aws-validated"),
                StandardCharsets.UTF_8)
            .replace("\"eventTime\": \"date\"", "\"eventTime\": \"2025-01-21T10:00:00.000Z\"");
    NotificationParser removals =
        new NotificationParser(SourceOptions.defaults().withEventNames(List.of("ObjectRemoved:*")));

    ParseResult result = removals.parse(body.getBytes(StandardCharsets.UTF_8));

    assertThat(result.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("test-key");
              assertThat(e.size()).isNull();
              assertThat(e.eTag()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
              assertThat(e.versionId()).isEqualTo("version-id");
              assertThat(e.eventName()).isEqualTo("ObjectRemoved:DeleteMarkerCreated");
            });
  }

  @Test
  void parse_whenTestEvent_dropsTheWholeBodyAsTestEvent() {
    ParseResult result = parse("b-s3-test-event-aws-doc");

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.events()).isEmpty();
    assertThat(result.rejected()).isEmpty();
    assertThat(result.dropped())
        .containsExactly(new Dropped(Dropped.WHOLE_BODY, DropCategory.TEST_EVENT, "s3:TestEvent"));
  }

  @Test
  void parse_whenSnsEnvelope_unwrapsTheS3Message() {
    ParseResult result = parse("c-sns-envelope-s3-nexrad-real");

    assertThat(result.isMalformed()).isFalse();
    assertThat(result.events()).containsExactly(NEXRAD);
    assertThat(result.rejected()).isEmpty();
  }

  @Test
  void parse_whenLambdaSqsEventHoldsSnsEnvelope_unwrapsBoth() {
    ParseResult result = parse("c-DERIVED-lambda-sqs-sns-s3-nexrad");

    assertThat(result.events()).containsExactly(NEXRAD);
    assertThat(result.rejected()).isEmpty();
  }

  @Test
  void parse_whenLambdaSqsEventHoldsS3Body_givesTheEvent() {
    assertThat(parse("c-lambda-sqs-with-s3-body-powertools").events())
        .containsExactly(
            new ObjectEvent(
                "xxx",
                "test.pdf",
                104681L,
                "2e3ad1e983318bbd8e73b080e2997980",
                "yd3d4HaWOT2zguDLvIQLU6ptDTwKBnQV",
                "00643717F9F8B85354",
                "ObjectCreated:Put",
                Instant.parse("2023-04-12T20:43:38.021Z"),
                "webhook"));
  }

  @Test
  void parse_whenSnsMessageIsNotS3_rejectsTheSqsRecordNamingWhy() {
    ParseResult result = parse("c-lambda-sqs-with-sns-envelope-powertools");

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected())
        .containsExactly(
            new Rejected(
                0,
                "Records[0].body: SNS envelope Message: "
                    + SHAPES
                    + ", got an object with none of these"));
  }

  @Test
  void parse_whenEventBridgeObjectCreated_givesTheEvent() {
    assertThat(parse("d-eventbridge-s3-object-created-powertools").events())
        .containsExactly(
            new ObjectEvent(
                "example-bucket",
                "IMG_m7fzo3.jpg",
                184662L,
                "4e68adba0abe2dc8653dc3354e14c01d",
                null,
                "006408CAD69598B05E",
                "ObjectCreated:Put",
                Instant.parse("2023-03-08T17:50:14Z"),
                "webhook"));
  }

  @Test
  void parse_whenEventBridgeObjectDeleted_dropsItByEventName() {
    ParseResult result = parse("d-eventbridge-s3-object-deleted-powertools");

    assertThat(result.events()).isEmpty();
    assertThat(result.dropped())
        .containsExactly(
            new Dropped(
                0,
                DropCategory.EVENT_NAME,
                "event ObjectRemoved:DeleteMarkerCreated is outside the filter ObjectCreated:*"));
  }

  @Test
  void parse_whenCephCapture_keepsTheRawSpaceAndReadsTheSpacedTime() {
    assertThat(parse("e-ceph-rgw-notification-2021-capture-unencoded-space").events())
        .containsExactly(
            new ObjectEvent(
                "xraylab-0001",
                "demo_Micheal Phillips_6580_1947-05-22_2017-04-27.jpeg",
                108622L,
                "819c1e1c1b4c7b9853301ba2e6c300f1",
                null,
                "5C1C2F6049974614",
                "s3:ObjectCreated:Put",
                Instant.parse("2021-02-19T02:03:08.330496Z"),
                "webhook"));
  }

  @Test
  void parse_whenCephDocExample_readsSizeGivenAsAString() {
    assertThat(parse("e-ceph-rgw-notification-doc").events())
        .containsExactly(
            new ObjectEvent(
                "mybucket1",
                "myimage1.jpg",
                1024L,
                "37b51d194a7513e45b56f6524f2d51f2",
                null,
                "F7E6D75DC742D108",
                "ObjectCreated:Put",
                Instant.parse("2019-11-22T13:47:35.124724Z"),
                "webhook"));
  }

  @Test
  void parse_whenMinioKeyDisagreesWithRecords_trustsTheRecords() {
    assertThat(parse("e-minio-kafka-log-envelope-2022-capture").events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bucket()).isEqualTo("test");
              assertThat(e.key()).isEqualTo("input.json");
              assertThat(e.size()).isEqualTo(649L);
              assertThat(e.sequencer()).isEqualTo("16DC88295AFFFD7B");
            });
  }

  @Test
  void parse_whenMinioKafkaEnvelope_givesTheVersionedEvent() {
    assertThat(parse("e-minio-kafka-log-envelope-vallard").events())
        .containsExactly(
            new ObjectEvent(
                "uploads",
                "Fortnite-Small.png",
                223865L,
                "dae67bfdbc2778805c9ee4daee42aadd",
                "1",
                "157A4048256B4083",
                "s3:ObjectCreated:Put",
                Instant.parse("2019-01-16T06:28:20Z"),
                "webhook"));
  }

  @Test
  void parse_whenMinioDelete_dropsItByEventName() {
    ParseResult result = parse("e-minio-webhook-delete-literal-plus-key");

    assertThat(result.events()).isEmpty();
    assertThat(result.dropped())
        .extracting(Dropped::index, Dropped::category)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, DropCategory.EVENT_NAME));
  }

  @Test
  void parse_whenMinioPercent2F_decodesASlash() {
    // The reporter of minio/minio#15200 blanked the bucket name; put one back to test the key.
    String body =
        new String(
                Fixtures.s3Event("e-minio-webhook-slash-encoded-issue15200"),
                StandardCharsets.UTF_8)
            .replaceFirst("\"name\"\\s*:\\s*\"\"", "\"name\": \"photos\"");

    ParseResult result = parser.parse(body.getBytes(StandardCharsets.UTF_8));

    assertThat(result.rejected()).isEmpty();
    assertThat(result.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.bucket()).isEqualTo("photos");
              assertThat(e.key()).isEqualTo("users/ABC");
              assertThat(e.size()).isEqualTo(132L);
              assertThat(e.eventName()).isEqualTo("s3:ObjectCreated:Post");
            });
  }

  @Test
  void parse_whenBlankedMinioBucket_rejectsNamingTheBucket() {
    assertThat(parse("e-minio-webhook-slash-encoded-issue15200").rejected())
        .containsExactly(new Rejected(0, "Records[0].s3.bucket.name is empty"));
  }

  @Test
  void parse_whenLambdaSqsBatchResponse_givesBodyError() {
    ParseResult result = parse("f-lambda-sqs-batch-response-java-libs");

    assertThat(result.bodyError()).isEqualTo(SHAPES + ", got an object with none of these");
  }

  @Test
  void parse_whenSqsBodiesAreNotNotifications_rejectsEachRecord() {
    ParseResult result = parse("f-lambda-sqs-event-2records-powertools");

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected())
        .satisfiesExactly(
            r -> {
              assertThat(r.index()).isZero();
              assertThat(r.reason()).startsWith("Records[0].body: body is not JSON: ");
            },
            r ->
                assertThat(r)
                    .isEqualTo(
                        new Rejected(
                            1,
                            "Records[1].body: " + SHAPES + ", got an object with none of these")));
  }

  @Test
  void parse_whenSqsBodyIsPlainText_rejectsTheRecord() {
    ParseResult result = parse("f-lambda-sqs-event-java-libs");

    assertThat(result.events()).isEmpty();
    assertThat(result.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.index()).isZero();
              assertThat(r.reason()).startsWith("Records[0].body: body is not JSON: ");
            });
  }

  @Test
  void parse_whenEventBridgeScheduledEvent_givesBodyErrorNamingTheSource() {
    assertThat(parse("g-eventbridge-scheduled-event-java-libs").bodyError())
        .isEqualTo(
            "EventBridge event from source 'aws.events' (detail-type 'Scheduled Event') is not"
                + " an S3 event; expected source 'aws.s3'");
  }
}
