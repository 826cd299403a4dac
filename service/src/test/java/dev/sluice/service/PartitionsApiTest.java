package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.service.http.HttpApi;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/partitions}: the partitions' weights and caps from the config, the busy partitions, a
 * change at runtime (audited), its errors, the metrics, and every event released.
 */
class PartitionsApiTest {
  @TempDir Path dataDir;

  private static final Map<String, String> FROM_CLI = Map.of(HttpApi.CLIENT_HEADER, "cli");

  private static JsonNode partition(JsonNode answer, String name) {
    for (JsonNode p : answer.get("partitions")) {
      if (p.get("partition").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no partition " + name + " in " + answer);
  }

  @Test
  void partitions_fromTheConfig_areShownChangedAuditedAndReleased() {
    RecordingTarget target = RecordingTarget.completing();
    PartitionShares shares =
        PartitionShares.EQUAL.withWeights(Map.of("tenant-a/", 3)).withCaps(Map.of("tenant-b/", 5));
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            target,
            c -> c.withPartitions(new PartitionsConfig(PartitionRule.prefix(1), shares)),
            o -> new SluiceService.Options(target, System.out, true, Duration.ofMillis(20)))) {
      List<String> keys = new ArrayList<>(Notifications.keys("tenant-a/obj", 0, 30));
      keys.addAll(Notifications.keys("tenant-b/obj", 0, 10));
      sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();

      // Paused: both wait, with their due counts and the shares their weights give them.
      JsonNode shown = sluice.api.get("/v1/partitions").ok();
      assertThat(shown.get("by").asText()).isEqualTo("prefix depth 1");
      assertThat(shown.get("weights").get("tenant-a/").asInt()).isEqualTo(3);
      assertThat(shown.get("caps").get("tenant-b/").asInt()).isEqualTo(5);
      assertThat(shown.get("default-weight").asInt()).isEqualTo(1);
      JsonNode a = partition(shown, "tenant-a/");
      JsonNode b = partition(shown, "tenant-b/");
      assertThat(a.get("due").asInt()).isEqualTo(30);
      assertThat(b.get("due").asInt()).isEqualTo(10);
      assertThat(a.get("share").asDouble()).isEqualTo(0.75);
      assertThat(b.get("share").asDouble()).isEqualTo(0.25);
      assertThat(b.get("cap").asInt()).isEqualTo(5);
      assertThat(a.get("cap").isNull()).isTrue();

      // Changed at runtime: b/ weighs 2 and loses its cap.
      JsonNode changed =
          sluice
              .api
              .call(
                  "PATCH",
                  "/v1/partitions",
                  "{\"weights\": {\"tenant-b/\": 2}, \"caps\": {\"tenant-b/\": null}}",
                  FROM_CLI)
              .ok();
      assertThat(changed.get("before").get("weights").has("tenant-b/")).isFalse();
      assertThat(changed.get("after").get("weights").get("tenant-b/").asInt()).isEqualTo(2);
      assertThat(changed.get("after").get("weights").get("tenant-a/").asInt()).isEqualTo(3);
      assertThat(changed.get("after").get("caps").isEmpty()).isTrue();
      assertThat(partition(changed.get("state"), "tenant-b/").get("share").asDouble())
          .isEqualTo(0.4);

      JsonNode audit = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(audit.get("action").asText()).isEqualTo("partitions");
      assertThat(audit.get("via").asText()).isEqualTo("cli");
      assertThat(audit.get("before").get("caps").get("tenant-b/").asInt()).isEqualTo(5);
      assertThat(audit.get("after")).isEqualTo(changed.get("after"));

      // Bad changes: 400 naming the key, and nothing changes.
      assertThat(
              sluice
                  .api
                  .call("PATCH", "/v1/partitions", "{\"weights\": {\"tenant-a/\": 0}}", Map.of())
                  .error(400))
          .contains("partitions.weights.'tenant-a/'");
      assertThat(
              sluice.api.call("PATCH", "/v1/partitions", "{\"wieghts\": {}}", Map.of()).error(400))
          .contains("wieghts");
      assertThat(sluice.api.get("/v1/partitions").ok().get("weights"))
          .isEqualTo(changed.get("after").get("weights"));

      // Released: every event, and the counts show per partition.
      sluice.api.post("/v1/resume", "").ok();
      await().atMost(Duration.ofSeconds(20)).until(() -> target.count() == 40);
      JsonNode after = sluice.api.get("/v1/partitions").ok();
      assertThat(partition(after, "tenant-a/").get("releasedLastMinute").asInt()).isEqualTo(30);
      assertThat(partition(after, "tenant-b/").get("releasedLastMinute").asInt()).isEqualTo(10);

      Map<String, Double> m = Promtool.samples(sluice.api.get("/metrics").ok2());
      assertThat(m)
          .containsEntry("sluice_partition_weight{partition=\"tenant-a/\"}", 3.0)
          .containsEntry("sluice_partition_weight{partition=\"tenant-b/\"}", 2.0)
          .containsEntry(
              "sluice_partition_released_last_minute_events{partition=\"tenant-a/\"}", 30.0);
    }
  }

  @Test
  void partitions_whenNotPartitioned_showNoneAndRefuseWeights() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice = RunningSluice.startWith(dataDir, target, c -> c)) {
      JsonNode shown = sluice.api.get("/v1/partitions").ok();
      assertThat(shown.get("by").asText()).isEqualTo("none");
      assertThat(shown.get("partitions")).isEmpty();
      assertThat(
              sluice
                  .api
                  .call("PATCH", "/v1/partitions", "{\"weights\": {\"a/\": 2}}", Map.of())
                  .error(400))
          .contains("not partitioned");
      Map<String, Double> m = Promtool.samples(sluice.api.get("/metrics").ok2());
      assertThat(m.keySet()).noneMatch(k -> k.startsWith("sluice_partition_"));
    }
  }
}
