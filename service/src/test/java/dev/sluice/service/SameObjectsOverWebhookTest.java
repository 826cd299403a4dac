package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Job;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same objects' notifications, posted to the webhook as AWS S3, MinIO and EventBridge send
 * them, reach the target with the same keys: the keys the objects were named with.
 */
class SameObjectsOverWebhookTest {
  private static final List<String> KEYS =
      List.of(
          "plain.parquet",
          "my file.txt",
          "c++/a+b.txt",
          "100%/50% done.csv",
          "café/naïve ☃ 日本.txt",
          "a/b/c/d/e.parquet");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  /** Form encoding: what S3 puts in its notifications, and MinIO's Go url.QueryEscape. */
  private static String formEncoded(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8);
  }

  private static ObjectNode record(String bucket, String source, String name, String key) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "2.1").put("eventSource", source).put("eventName", name);
    r.put("eventTime", "2026-11-25T12:00:00.000Z");
    ObjectNode s3 = r.putObject("s3");
    s3.putObject("bucket").put("name", bucket);
    s3.putObject("object").put("key", key).put("size", 7).put("sequencer", "0A");
    return r;
  }

  private static String s3Body(String key) {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("Records")
        .add(record("from-s3", "aws:s3", "ObjectCreated:Put", formEncoded(key)));
    return root.toString();
  }

  private static String minioBody(String key) {
    ObjectNode root = JSON.createObjectNode();
    root.put("EventName", "s3:ObjectCreated:Put").put("Key", "from-minio/" + key);
    root.putArray("Records")
        .add(record("from-minio", "minio:s3", "s3:ObjectCreated:Put", formEncoded(key)));
    return root.toString();
  }

  /** EventBridge with the key %-encoded (a space as %20), as LocalStack sends it. */
  private static String eventBridgeBody(String key) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "0").put("detail-type", "Object Created").put("source", "aws.s3");
    root.put("time", "2026-11-25T12:00:00Z");
    ObjectNode detail = root.putObject("detail");
    detail.putObject("bucket").put("name", "from-eventbridge");
    detail
        .putObject("object")
        .put("key", formEncoded(key).replace("+", "%20"))
        .put("size", 7)
        .put("sequencer", "0A");
    detail.put("reason", "PutObject");
    return root.toString();
  }

  @Test
  void post_whenSameObjectsAnnouncedByThreeSenders_targetSeesTheSameKeys() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      for (String key : KEYS) {
        for (String body : List.of(s3Body(key), minioBody(key), eventBridgeBody(key))) {
          assertThat(sluice.api.post("v1/events", body).ok().path("accepted").asInt())
              .as(body)
              .isEqualTo(1);
        }
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> target.count() == 3 * KEYS.size());

      for (String bucket : List.of("from-s3", "from-minio", "from-eventbridge")) {
        assertThat(
                target.jobs().stream()
                    .map(Job::event)
                    .filter(e -> e.bucket().equals(bucket))
                    .map(e -> e.key())
                    .toList())
            .as(bucket)
            .containsExactlyInAnyOrderElementsOf(KEYS);
      }
    }
  }
}
