package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.config.BatchConfig;
import dev.sluice.service.config.PartitionsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice serve} with batches: the target gets them, status and metrics show them. */
class BatchServeTest {
  @TempDir Path dataDir;

  /** Takes batches whole and records them. */
  private static final class BatchTarget implements Target {
    final List<Batch> batches = new CopyOnWriteArrayList<>();

    @Override
    public BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
      arrival.arrived();
      batches.add(batch);
      return BatchOutcome.all(Outcome.completed());
    }

    @Override
    public Outcome deliver(Job job) {
      throw new AssertionError("a batching service delivers batches, got job " + job);
    }

    @Override
    public String describe() {
      return "batch target";
    }
  }

  @Test
  void serve_whenBatching_deliversBatchesAndShowsThemInStatusMetricsAndReleases() {
    BatchTarget target = new BatchTarget();
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            target,
            c ->
                c.withBatch(
                    new BatchConfig(
                        new BatchSettings(10, Duration.ofMillis(300)), LimitCount.JOBS)))) {
      List<String> keys = Notifications.keys("batched", 0, 45);
      sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sluice.status().get("completed").asLong() == 45);

      Set<String> delivered = new HashSet<>();
      int members = 0;
      for (Batch b : target.batches) {
        assertThat(b.size()).isBetween(1, 10);
        for (Job j : b.members()) {
          delivered.add(j.event().key());
          members++;
        }
      }
      assertThat(members).isEqualTo(45);
      assertThat(delivered).containsExactlyInAnyOrderElementsOf(keys);

      JsonNode batch = sluice.status().get("batch");
      assertThat(batch.get("max").asInt()).isEqualTo(10);
      assertThat(batch.get("count").asText()).isEqualTo("jobs");
      assertThat(batch.get("sinceStart").get("released").asInt()).isEqualTo(target.batches.size());
      assertThat(batch.get("sinceStart").get("events").asInt()).isEqualTo(45);

      Map<String, Double> m = Promtool.samples(sluice.api.get("/metrics").body());
      assertThat(m.get("sluice_batch_released_batches_total"))
          .isEqualTo((double) target.batches.size());
      assertThat(m.get("sluice_batch_size_events_sum")).isEqualTo(45.0);

      List<Long> references = new ArrayList<>();
      for (String line : sluice.api.get("/v1/releases").ok2().split("\n")) {
        JsonNode release = ApiCalls.JSON.readTree(line);
        assertThat(release.has("batch")).as(line).isTrue();
        references.add(release.get("batch").asLong());
      }
      assertThat(references).hasSize(45);
      assertThat(new HashSet<>(references)).hasSize(target.batches.size());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void limitsAtRuntime_whenCountingObjectsBelowTheBatchSize_areRefusedAndNothingChanges() {
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            new BatchTarget(),
            c ->
                c.withBatch(
                    new BatchConfig(
                        new BatchSettings(10, Duration.ofMillis(300)), LimitCount.OBJECTS)))) {
      String error =
          sluice
              .api
              .put("/v1/limits", "{\"window\": {\"limit\": 5, \"every\": \"1s\"}}")
              .error(400);
      assertThat(error).contains("batch.max must be at most limits.window.limit (5)");
      assertThat(sluice.status().get("limits").get("window").isNull()).isTrue();

      sluice.api.put("/v1/limits", "{\"window\": {\"limit\": 10, \"every\": \"1s\"}}").ok();
      assertThat(sluice.status().get("limits").get("window").get("limit").asInt()).isEqualTo(10);
    }
  }

  @Test
  void capsAtRuntime_whenBelowTheBatchSize_areRefusedAndNothingChanges() {
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            new BatchTarget(),
            c ->
                c.withBatch(
                        new BatchConfig(
                            new BatchSettings(10, Duration.ofMillis(300)), LimitCount.JOBS))
                    .withPartitions(
                        new PartitionsConfig(PartitionRule.bucket(), PartitionShares.EQUAL)))) {
      String error =
          sluice
              .api
              .call("PATCH", "/v1/partitions", "{\"caps\": {\"data\": 5}}", Map.of())
              .error(400);
      assertThat(error).contains("partitions.caps.'data' must be at least batch.max (10)");
      assertThat(sluice.api.get("/v1/partitions").json().get("caps").size()).isZero();

      sluice.api.call("PATCH", "/v1/partitions", "{\"caps\": {\"data\": 10}}", Map.of()).ok();
      assertThat(sluice.api.get("/v1/partitions").json().get("caps").get("data").asInt())
          .isEqualTo(10);

      // The same rule from the other side: a batch size above a cap.
      String tooBig = sluice.api.call("PATCH", "/v1/batch", "{\"max\": 11}", Map.of()).error(400);
      assertThat(tooBig).contains("partitions.caps.'data' must be at least batch.max (11)");
      assertThat(sluice.api.get("/v1/batch").json().get("max").asInt()).isEqualTo(10);
    }
  }
}
