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
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.service.config.BatchConfig;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET/PATCH /v1/batch}: the batch size and wait changed at runtime, checked and audited. */
class BatchApiTest {
  private static final String TOKEN = "c0ntrol-t0ken-0123456789abcdef";
  private static final Duration WAIT = Duration.ofMillis(300);

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

  private RunningSluice batching(Target target, int max, LimitCount count, Limits limits) {
    return RunningSluice.startWith(
        dataDir,
        target,
        c ->
            c.withLimits(limits)
                .withBatch(new BatchConfig(new BatchSettings(max, WAIT), count))
                .withPartitions(new PartitionsConfig(PartitionRule.bucket())));
  }

  private static ApiCalls.Answer patch(RunningSluice sluice, String body) {
    return sluice.api.call("PATCH", "/v1/batch", body, Map.of());
  }

  @Test
  void getBatch_whenBatching_showsTheSettingsTheCountAndTheGrouping() {
    try (RunningSluice sluice = batching(new BatchTarget(), 10, LimitCount.JOBS, Limits.none())) {
      JsonNode b = sluice.api.get("/v1/batch").ok();

      assertThat(b.get("max").asInt()).isEqualTo(10);
      assertThat(b.get("wait").asText()).isEqualTo("300ms");
      assertThat(b.get("count").asText()).isEqualTo("jobs");
      assertThat(b.get("groupedBy").asText()).isEqualTo("bucket");
      assertThat(b.get("sinceStart").get("released").asInt()).isZero();
    }
  }

  @Test
  void patchBatch_changesMaxAndWait_theNextBatchesUseThemAndTheChangeIsAudited() {
    BatchTarget target = new BatchTarget();
    try (RunningSluice sluice = batching(target, 10, LimitCount.JOBS, Limits.none())) {
      JsonNode answer = patch(sluice, "{\"max\": 4, \"wait\": \"200ms\"}").ok();

      assertThat(answer.get("before").get("max").asInt()).isEqualTo(10);
      assertThat(answer.get("before").get("wait").asText()).isEqualTo("300ms");
      assertThat(answer.get("after").get("max").asInt()).isEqualTo(4);
      assertThat(answer.get("after").get("wait").asText()).isEqualTo("200ms");
      assertThat(answer.get("state").get("max").asInt()).isEqualTo(4);
      assertThat(sluice.api.get("/v1/batch").ok().get("max").asInt()).isEqualTo(4);
      assertThat(sluice.status().get("batch").get("wait").asText()).isEqualTo("200ms");
      assertThat(sluice.service.sluice().dispatcher().batchPlanner().settings())
          .isEqualTo(new BatchSettings(4, Duration.ofMillis(200)));

      List<String> keys = Notifications.keys("batched", 0, 22);
      sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sluice.status().get("completed").asLong() == 22);
      Set<String> delivered = new HashSet<>();
      for (Batch b : target.batches) {
        assertThat(b.size()).isBetween(1, 4);
        b.members().forEach(j -> delivered.add(j.event().key()));
      }
      assertThat(delivered).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(target.batches.size()).isGreaterThanOrEqualTo(6);

      JsonNode entry = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(entry.get("action").asText()).isEqualTo("batch");
      assertThat(entry.get("before").get("max").asInt()).isEqualTo(10);
      assertThat(entry.get("before").get("wait").asText()).isEqualTo("300ms");
      assertThat(entry.get("after").get("max").asInt()).isEqualTo(4);
      assertThat(entry.get("after").get("wait").asText()).isEqualTo("200ms");

      Map<String, Double> m = Promtool.samples(sluice.api.get("/metrics").body());
      assertThat(m.get("sluice_batch_max")).isEqualTo(4.0);
      assertThat(m.get("sluice_batch_wait_seconds")).isEqualTo(0.2);
    }
  }

  @Test
  void patchBatch_whenOnlyWaitIsNamed_keepsMax() {
    try (RunningSluice sluice = batching(new BatchTarget(), 10, LimitCount.JOBS, Limits.none())) {
      JsonNode answer = patch(sluice, "{\"wait\": \"2s\", \"count\": \"jobs\"}").ok();

      assertThat(answer.get("after").get("max").asInt()).isEqualTo(10);
      assertThat(answer.get("after").get("wait").asText()).isEqualTo("2s");
    }
  }

  @Test
  void patchBatch_whenAValueIsBad_answers400NamingTheFieldAndChangesNothing() {
    try (RunningSluice sluice = batching(new BatchTarget(), 10, LimitCount.JOBS, Limits.none())) {
      assertThat(patch(sluice, "{\"max\": 1}").error(400))
          .startsWith("batch.max: must stay above 1 at runtime, got 1")
          .contains("config file");
      assertThat(patch(sluice, "{\"max\": 0}").error(400)).startsWith("batch.max: must be between");
      assertThat(patch(sluice, "{\"max\": \"many\"}").error(400))
          .startsWith("batch.max: expected an integer");
      assertThat(patch(sluice, "{\"wait\": \"soon\"}").error(400)).startsWith("batch.wait:");
      assertThat(patch(sluice, "{\"count\": \"objects\"}").error(400))
          .startsWith("count: what the limits count (limits.count: jobs) is set in the config");
      assertThat(patch(sluice, "{\"size\": 3}").error(400)).contains("unknown key 'size'");
      assertThat(patch(sluice, "{}").error(400)).contains("at least one of max and wait");
      assertThat(patch(sluice, "max=3").error(400)).contains("body is not JSON");

      JsonNode b = sluice.api.get("/v1/batch").ok();
      assertThat(b.get("max").asInt()).isEqualTo(10);
      assertThat(b.get("wait").asText()).isEqualTo("300ms");
      assertThat(sluice.api.get("/v1/audit").ok().get("entries")).isEmpty();
    }
  }

  @Test
  void patchBatch_whenCountingObjectsAndMaxExceedsALimit_isRefusedAsTheConfigFileRefusesIt() {
    try (RunningSluice sluice =
        batching(
            new BatchTarget(),
            5,
            LimitCount.OBJECTS,
            Limits.window(10, Duration.ofSeconds(1)).withMaxInFlight(8))) {
      assertThat(patch(sluice, "{\"max\": 11}").error(400))
          .contains("batch.max must be at most limits.window.limit (10)");
      assertThat(patch(sluice, "{\"max\": 9}").error(400))
          .contains("batch.max must be at most limits.concurrency.max-in-flight (8)");
      assertThat(sluice.api.get("/v1/batch").ok().get("max").asInt()).isEqualTo(5);

      assertThat(patch(sluice, "{\"max\": 8}").ok().get("after").get("max").asInt()).isEqualTo(8);
      // and the limits are then checked against the new K
      assertThat(
              sluice
                  .api
                  .put("/v1/limits", "{\"window\": {\"limit\": 7, \"every\": \"1s\"}}")
                  .error(400))
          .contains("batch.max must be at most limits.window.limit (7)");
    }
  }

  @Test
  void batch_whenNotBatching_showsMaxOneAndRefusesToSwitchItOn() {
    try (RunningSluice sluice =
        RunningSluice.startWith(dataDir, RecordingTarget.completing(), c -> c)) {
      JsonNode b = sluice.api.get("/v1/batch").ok();
      assertThat(b.get("max").asInt()).isEqualTo(1);
      assertThat(b.get("groupedBy").isNull()).isTrue();

      assertThat(patch(sluice, "{\"max\": 20}").error(400))
          .startsWith("batch.max: batching is off")
          .contains("config file");
      assertThat(sluice.service.sluice().dispatcher().batchPlanner()).isNull();
      assertThat(sluice.api.get("/v1/audit").ok().get("entries")).isEmpty();
    }
  }

  @Test
  void patchBatch_underAControlToken_needsIt() {
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            new BatchTarget(),
            c ->
                c.withHttp(c.http().withControlToken(TOKEN))
                    .withBatch(new BatchConfig(new BatchSettings(10, WAIT), LimitCount.JOBS)))) {
      assertThat(patch(sluice, "{\"max\": 4}").error(401)).contains("Authorization");
      assertThat(sluice.api.get("/v1/batch").ok().get("max").asInt()).isEqualTo(10);

      var answer =
          sluice.api.call(
              "PATCH", "/v1/batch", "{\"max\": 4}", Map.of("Authorization", "Bearer " + TOKEN));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(sluice.api.get("/v1/batch").ok().get("max").asInt()).isEqualTo(4);
    }
  }
}
