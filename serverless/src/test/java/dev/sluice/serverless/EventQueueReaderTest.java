package dev.sluice.serverless;

import static dev.sluice.serverless.LocalAws.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.EventIdentity;
import dev.sluice.core.ExecutionName;
import dev.sluice.core.ObjectEvent;
import dev.sluice.ingest.MessageVerdict;
import dev.sluice.intake.SourceOptions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventQueueReaderTest {
  private final EventQueueReader reader = new EventQueueReader(SourceOptions.defaults("sqs"));

  private static String reference(String id, String bucket, String key) {
    String body = "{\"bucket_name\": \"" + bucket + "\", \"key\": \"" + key + "\"}";
    return "{\"event_id\": \""
        + id
        + "\", \"event_timestamp\": \"2026-03-01T12:00:00\", \"event_body\": "
        + com.fasterxml.jackson.databind.node.TextNode.valueOf(body)
        + "}";
  }

  @Test
  void read_referenceMessage_decodesTheKeyAndIgnoresTheRandomId() {
    EventQueueReader.Read first =
        reader.read(reference("id-1", "mybucket", "my+file%2Bv2.parquet"));
    EventQueueReader.Read again =
        reader.read(reference("id-2", "mybucket", "my+file%2Bv2.parquet"));

    assertThat(first.verdict()).isEqualTo(MessageVerdict.COMMITTED);
    assertThat(first.jobs()).hasSize(1);
    ObjectEvent e = first.jobs().get(0).event();
    assertThat(e.bucket()).isEqualTo("mybucket");
    assertThat(e.key()).isEqualTo("my file+v2.parquet");
    assertThat(first.jobs().get(0).executionName())
        .isEqualTo(ExecutionName.of(new EventIdentity("mybucket", "my file+v2.parquet", ""), 1))
        .isEqualTo(again.jobs().get(0).executionName());
  }

  @Test
  void read_sluiceMessage_keepsItsAttemptAndNamesThatAttempt() {
    ObjectEvent e =
        new ObjectEvent(
            "b",
            "dir/a b.csv",
            5L,
            "etag",
            null,
            "0055",
            "ObjectCreated:Put",
            Instant.parse("2026-03-01T12:00:00Z"),
            "s3");
    String body = new SluiceMessage(e, 3, null).toJson();

    EventQueueReader.Read read = reader.read(body);

    assertThat(read.jobs()).hasSize(1);
    assertThat(read.jobs().get(0).event()).isEqualTo(e);
    assertThat(read.jobs().get(0).attempt()).isEqualTo(3);
    assertThat(read.jobs().get(0).executionName()).isEqualTo(ExecutionName.of(e.identity(), 3));
  }

  @Test
  void read_everyNotificationShape_givesTheDecodedKeys() {
    assertThat(key(fixture("a-DERIVED-s3-put-plus-for-space-red-flower")))
        .isEqualTo("red flower.jpg");
    assertThat(key(fixture("c-sns-envelope-s3-nexrad-real")))
        .isEqualTo("KDAX/734/20151228-200051-001-S");
    assertThat(key(fixture("d-eventbridge-s3-object-created-powertools")))
        .isEqualTo("IMG_m7fzo3.jpg");
    assertThat(key(fixture("e-minio-webhook-put-literal-plus-key")))
        .isEqualTo("Tile_+002_+002.mtl");
    assertThat(key(fixture("e-ceph-rgw-notification-doc"))).isEqualTo("myimage1.jpg");
  }

  @Test
  void read_redeliveredNotification_givesTheSameExecutionName() {
    String body = fixture("a-s3-put-aws-doc-example");

    assertThat(reader.read(body).jobs().get(0).executionName())
        .isEqualTo(reader.read(body).jobs().get(0).executionName())
        .endsWith("-1");
  }

  @Test
  void read_testEvent_isDoneWithAndHasNoJobs() {
    EventQueueReader.Read read = reader.read(fixture("b-s3-test-event-aws-doc"));

    assertThat(read.jobs()).isEmpty();
    assertThat(read.verdict()).isEqualTo(MessageVerdict.COMMITTED);
    assertThat(read.parsed().dropped()).hasSize(1);
  }

  @Test
  void read_poison_isNeverReadableAndNamesTheProblem() {
    assertThat(reader.read("not json at all").verdict()).isEqualTo(MessageVerdict.NEVER_READABLE);
    EventQueueReader.Read badSluice =
        reader.read("{\"sluice\": 2, \"bucket\": \"b\", \"key\": \"k\"}");
    assertThat(badSluice.verdict()).isEqualTo(MessageVerdict.NEVER_READABLE);
    assertThat(badSluice.parsed().bodyError()).contains("version");
    EventQueueReader.Read noKey =
        reader.read("{\"event_id\": \"x\", \"event_body\": \"{\\\"bucket_name\\\": \\\"b\\\"}\"}");
    assertThat(noKey.verdict()).isEqualTo(MessageVerdict.NEVER_READABLE);
    assertThat(noKey.parsed().rejected().get(0).reason()).contains("event_body.key");
  }

  @Test
  void read_withPrefix_dropsOtherKeysOfEveryShape() {
    EventQueueReader filtered =
        new EventQueueReader(SourceOptions.defaults("sqs").withPrefix("incoming/"));

    EventQueueReader.Read reference = filtered.read(reference("i", "b", "other/x.csv"));
    EventQueueReader.Read kept = filtered.read(reference("i", "b", "incoming/x.csv"));

    assertThat(reference.jobs()).isEmpty();
    assertThat(reference.verdict()).isEqualTo(MessageVerdict.COMMITTED);
    assertThat(kept.jobs()).hasSize(1);
    assertThat(filtered.read(fixture("a-s3-put-aws-doc-example")).jobs()).isEmpty();
  }

  private String key(String body) {
    EventQueueReader.Read read = reader.read(body);
    assertThat(read.jobs()).hasSize(1);
    return read.jobs().get(0).event().key();
  }
}
