package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.gate.Limits;
import dev.sluice.intake.KeyEncoding;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.SourcesConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.service.config.WebhookSourceConfig;
import dev.sluice.testkit.RecordingTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/events} takes every notification shape as real senders send it (the shared
 * fixtures, read from the intake module), answers what became of each record, and counts dropped
 * records by category in {@code GET /v1/status}.
 */
class EveryShapeIntakeTest {
  @TempDir Path dataDir;

  private static final Path FIXTURES =
      Path.of("..", "intake", "src", "test", "resources", "s3-events");

  private static String fixture(String name) {
    try {
      return Files.readString(FIXTURES.resolve(name + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Service implements AutoCloseable {
    final SluiceService service;
    final ApiCalls api;

    Service(Path dataDir, RecordingTarget target, WebhookSourceConfig webhook) {
      SluiceConfig config =
          new SluiceConfig(
              dataDir,
              new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
              new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
              Limits.none(),
              RunningSluice.fastRetry(3),
              DispatcherConfig.defaults().withWorkers(4).withBatch(100),
              TargetConfig.log(),
              StoreConfig.defaults(),
              SourcesConfig.defaults().withWebhook(webhook));
      service =
          SluiceService.start(
              config, new SluiceService.Options(target, System.out, true, Duration.ofMillis(20)));
      api = new ApiCalls(service.apiUrl());
    }

    JsonNode post(String body) {
      return api.post("/v1/events", body).ok();
    }

    JsonNode status() {
      return api.get("/v1/status").ok();
    }

    @Override
    public void close() {
      service.close();
    }
  }

  @Test
  void postEvents_whenEveryShape_acceptsEachObjectOnceAndCountsDrops() {
    RecordingTarget target = RecordingTarget.completing();
    try (Service sluice = new Service(dataDir, target, WebhookSourceConfig.defaults())) {
      for (String shape :
          List.of(
              "a-s3-put-aws-doc-example",
              "c-lambda-sqs-with-s3-body-powertools",
              "c-sns-envelope-s3-nexrad-real",
              "d-eventbridge-s3-object-created-powertools",
              "e-minio-webhook-put-literal-plus-key",
              "e-ceph-rgw-notification-doc",
              "e-ceph-rgw-notification-2021-capture-unencoded-space")) {
        JsonNode answer = sluice.post(fixture(shape));
        assertThat(answer.get("accepted").asInt()).as(shape).isEqualTo(1);
        assertThat(answer.get("rejected")).as(shape).isEmpty();
      }
      // The same NEXRAD object again, now wrapped SQS -> SNS -> S3: a duplicate, not a new event.
      JsonNode again = sluice.post(fixture("c-DERIVED-lambda-sqs-sns-s3-nexrad"));
      assertThat(again.get("accepted").asInt()).isZero();
      assertThat(again.get("duplicates").asInt()).isEqualTo(1);

      JsonNode test = sluice.post(fixture("b-s3-test-event-aws-doc"));
      assertThat(test.get("accepted").asInt()).isZero();
      assertThat(test.get("dropped").get(0).get("index").asInt()).isEqualTo(-1);
      assertThat(test.get("dropped").get(0).get("reason").asText()).isEqualTo("s3:TestEvent");
      JsonNode deleted = sluice.post(fixture("d-eventbridge-s3-object-deleted-powertools"));
      assertThat(deleted.get("dropped").get(0).get("index").asInt()).isZero();
      sluice.post(fixture("e-minio-webhook-delete-literal-plus-key"));

      JsonNode status = sluice.status();
      assertThat(status.get("backlog").asLong()).isEqualTo(7);
      assertThat(ApiCalls.JSON.convertValue(status.get("dropped"), Map.class))
          .isEqualTo(Map.of("test-event", 1, "event-name", 2, "prefix", 0, "suffix", 0));

      sluice.api.post("/v1/resume", "").ok();
      await().atMost(Duration.ofSeconds(10)).until(() -> target.jobs().size() == 7);
      assertThat(target.jobs())
          .extracting(j -> j.event().bucket() + "/" + j.event().key())
          .containsExactlyInAnyOrder(
              "mybucket/HappyFace.jpg",
              "xxx/test.pdf",
              "unidata-nexrad-level2-chunks/KDAX/734/20151228-200051-001-S",
              "example-bucket/IMG_m7fzo3.jpg",
              "vd-main/Tile_+002_+002.mtl",
              "mybucket1/myimage1.jpg",
              "xraylab-0001/demo_Micheal Phillips_6580_1947-05-22_2017-04-27.jpeg");
    }
  }

  @Test
  void postEvents_whenNoNotification_answers400NamingWhy() {
    try (Service sluice =
        new Service(dataDir, RecordingTarget.completing(), WebhookSourceConfig.defaults())) {
      assertThat(
              sluice
                  .api
                  .post("/v1/events", fixture("g-eventbridge-scheduled-event-java-libs"))
                  .error(400))
          .startsWith("EventBridge event from source 'aws.events'");
      assertThat(
              sluice
                  .api
                  .post("/v1/events", fixture("f-lambda-sqs-batch-response-java-libs"))
                  .error(400))
          .startsWith("expected a notification");
      assertThat(
              sluice
                  .api
                  .post("/v1/events", fixture("c-lambda-sqs-with-sns-envelope-powertools"))
                  .error(400))
          .contains("Records[0].body: SNS envelope Message: expected a notification");
      assertThat(sluice.status().get("backlog").asLong()).isZero();
    }
  }

  @Test
  void postEvents_whenFiltersConfigured_dropsAndCountsByPrefixAndSuffix() {
    WebhookSourceConfig webhook =
        new WebhookSourceConfig(KeyEncoding.AUTO, List.of("ObjectCreated:*"), "in/", ".csv");
    try (Service sluice = new Service(dataDir, RecordingTarget.completing(), webhook)) {
      JsonNode answer =
          sluice.post(
              Notifications.forKeys(List.of("in/a.csv", "out/b.csv", "in/c.json", "in/d+e.csv")));

      assertThat(answer.get("accepted").asInt()).isEqualTo(2);
      assertThat(answer.get("dropped"))
          .extracting(d -> d.get("index").asInt())
          .containsExactly(1, 2);
      assertThat(answer.get("dropped").get(0).get("reason").asText())
          .isEqualTo("key 'out/b.csv' is outside the prefix 'in/'");
      JsonNode dropped = sluice.status().get("dropped");
      assertThat(dropped.get("prefix").asLong()).isEqualTo(1);
      assertThat(dropped.get("suffix").asLong()).isEqualTo(1);
      assertThat(dropped.get("test-event").asLong()).isZero();
    }
  }

  @Test
  void postEvents_whenKeyEncodingRaw_keepsPlusSigns() {
    RecordingTarget target = RecordingTarget.completing();
    WebhookSourceConfig webhook =
        new WebhookSourceConfig(KeyEncoding.RAW, List.of("ObjectCreated:*"), "", "");
    try (Service sluice = new Service(dataDir, target, webhook)) {
      sluice.post(Notifications.forKeys(List.of("c++ notes.txt")));
      sluice.api.post("/v1/resume", "").ok();

      await().atMost(Duration.ofSeconds(10)).until(() -> target.jobs().size() == 1);
      assertThat(target.jobs().get(0).event().key()).isEqualTo("c++ notes.txt");
    }
  }
}
