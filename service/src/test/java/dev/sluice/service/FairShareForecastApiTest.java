package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where an object stands ({@code /v1/events}) when the backlog is partitioned: its place under fair
 * share, not oldest first across the backlog. Paused under {@code window 100 per 1s}, so the
 * forecast has no lag and no latency, and a position p starts p / 100 seconds from now.
 */
class FairShareForecastApiTest {
  @TempDir Path dataDir;

  private static final Limits HUNDRED_PER_SECOND = Limits.window(100, Duration.ofSeconds(1));

  private RunningSluice partitioned(Limits limits, PartitionRule rule) {
    RecordingTarget target = RecordingTarget.completing();
    return RunningSluice.startWith(
        dataDir,
        target,
        c -> c.withLimits(limits).withPartitions(new PartitionsConfig(rule, PartitionShares.EQUAL)),
        o -> new SluiceService.Options(target, System.out, true, Duration.ofMillis(20)));
  }

  /** a/ has 2,000 waiting, then b/'s 100 arrive. */
  private static void aThenB(RunningSluice sluice) {
    sluice
        .api
        .post("/v1/events", Notifications.forKeys(Notifications.keys("a/obj", 0, 1_000)))
        .ok();
    sluice
        .api
        .post("/v1/events", Notifications.forKeys(Notifications.keys("a/obj", 1_000, 1_000)))
        .ok();
    sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("b/obj", 0, 100))).ok();
  }

  private static JsonNode event(RunningSluice sluice, String key) {
    JsonNode found = sluice.api.get("/v1/events/landing/" + key).ok();
    assertThat(found.get("events")).hasSize(1);
    return found.get("events").get(0);
  }

  @Test
  void events_whenPartitioned_placeALaterSmallPartitionWithinTheNextWindows() {
    try (RunningSluice sluice = partitioned(HUNDRED_PER_SECOND, PartitionRule.prefix(1))) {
      aThenB(sluice);

      JsonNode found = sluice.api.get("/v1/events/landing/b/obj-00000.parquet").ok();
      JsonNode bFirst = found.get("events").get(0);
      JsonNode bLast = event(sluice, "b/obj-00099.parquet");
      JsonNode aLast = event(sluice, "a/obj-01999.parquet");
      JsonNode status = sluice.status();

      assertThat(found.get("order").asText()).isEqualTo("fair-share");
      // b/'s first: 2,000 ahead oldest first, none in b/; one of a/'s goes beside it.
      assertThat(bFirst.get("partition").asText()).isEqualTo("b/");
      assertThat(bFirst.get("ahead").asLong()).isEqualTo(2_000);
      assertThat(bFirst.get("aheadInPartition").asLong()).isZero();
      assertThat(bFirst.get("position").asLong()).isEqualTo(2);
      assertThat(bFirst.get("forecastStartInSeconds").asDouble()).isEqualTo(0.0);
      // b/'s last: 100 of b/'s and 100 of a/'s go first: the second window, not the 21st.
      assertThat(bLast.get("ahead").asLong()).isEqualTo(2_099);
      assertThat(bLast.get("aheadInPartition").asLong()).isEqualTo(99);
      assertThat(bLast.get("position").asLong()).isEqualTo(200);
      assertThat(bLast.get("forecastStartInSeconds").asDouble()).isEqualTo(1.0);
      // a/'s last goes after everything else: at the drain time.
      assertThat(aLast.get("partition").asText()).isEqualTo("a/");
      assertThat(aLast.get("aheadInPartition").asLong()).isEqualTo(1_999);
      assertThat(aLast.get("position").asLong()).isEqualTo(2_100);
      assertThat(aLast.get("forecastStartInSeconds").asDouble()).isEqualTo(20.0);
      assertThat(status.get("timeToDrainSeconds").asDouble()).isEqualTo(20.0);
    }
  }

  @Test
  void events_whenTheWeightsChange_placeByTheWeightsInForce() {
    try (RunningSluice sluice = partitioned(HUNDRED_PER_SECOND, PartitionRule.prefix(1))) {
      aThenB(sluice);
      sluice.api.call("PATCH", "/v1/partitions", "{\"weights\": {\"a/\": 3}}", Map.of()).ok();

      JsonNode bLast = event(sluice, "b/obj-00099.parquet");
      JsonNode bFirst = event(sluice, "b/obj-00000.parquet");

      // 3 of a/'s for each of b/'s: b/'s 100th after 300 of a/'s
      assertThat(bLast.get("position").asLong()).isEqualTo(400);
      assertThat(bLast.get("forecastStartInSeconds").asDouble()).isEqualTo(3.0);
      assertThat(bFirst.get("position").asLong()).isEqualTo(4);
    }
  }

  @Test
  void events_whenNotPartitioned_placeOldestFirstAcrossTheBacklog() {
    try (RunningSluice sluice = partitioned(HUNDRED_PER_SECOND, PartitionRule.NONE)) {
      aThenB(sluice);

      JsonNode found = sluice.api.get("/v1/events/landing/b/obj-00099.parquet").ok();
      JsonNode bLast = found.get("events").get(0);

      assertThat(found.get("order").asText()).isEqualTo("oldest-first");
      assertThat(bLast.get("partition").asText()).isEmpty();
      assertThat(bLast.get("ahead").asLong()).isEqualTo(2_099);
      assertThat(bLast.get("aheadInPartition").asLong()).isEqualTo(2_099);
      assertThat(bLast.get("position").asLong()).isEqualTo(2_100);
      assertThat(bLast.get("forecastStartInSeconds").asDouble()).isEqualTo(20.0);
    }
  }
}
