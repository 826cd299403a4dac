package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.config.BatchConfig;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drain forecast ({@code /v1/status}) and one object's forecast start ({@code /v1/events}) when
 * jobs are batches. Paused under {@code window 10 per 1s} with 1,000 waiting, so the forecast has
 * no lag, no latency and no recent starts: the n-th permit (from 0) starts n / 10 seconds from now.
 */
class BatchForecastApiTest {
  @TempDir Path dataDir;

  private static final Limits TEN_PER_SECOND = Limits.window(10, Duration.ofSeconds(1));

  private RunningSluice pausedWith(int batchMax, LimitCount count) {
    RecordingTarget target = RecordingTarget.completing();
    RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            target,
            c ->
                c.withLimits(TEN_PER_SECOND)
                    .withBatch(
                        new BatchConfig(
                            new BatchSettings(batchMax, Duration.ofMillis(100)), count)),
            o -> new SluiceService.Options(target, System.out, true, Duration.ofMillis(20)));
    sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("obj", 0, 1_000))).ok();
    return sluice;
  }

  @Test
  void forecast_whenBatchesUnderFairShare_countsEachPartitionsPartialBatchAsAPermit() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            target,
            c ->
                c.withLimits(TEN_PER_SECOND)
                    .withPartitions(
                        new PartitionsConfig(PartitionRule.prefix(1), PartitionShares.EQUAL))
                    .withBatch(
                        new BatchConfig(
                            new BatchSettings(20, Duration.ofMillis(100)), LimitCount.JOBS)),
            o -> new SluiceService.Options(target, System.out, true, Duration.ofMillis(20)))) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("a/obj", 0, 1_000)));
      for (int p = 0; p < 30; p++) {
        String prefix = String.format("p%02d/obj", p);
        sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys(prefix, 0, 1))).ok();
      }

      JsonNode a199 = event(sluice, "a/obj-00199.parquet");
      JsonNode small = event(sluice, "p29/obj-00000.parquet");

      // a/'s 200th event is in its 10th batch; by then each of the 30 other partitions has sent
      // its one partial batch, a permit each: 9 + 30 permits before it, the fourth window. (In
      // events, 199 + 30 ahead would make it the second.)
      assertThat(a199.get("aheadInPartition").asLong()).isEqualTo(199);
      assertThat(a199.get("position").asLong()).isEqualTo(40);
      assertThat(a199.get("forecastStartInSeconds").asDouble()).isEqualTo(3.0);
      // A small partition's only event: its batch beside one of a/'s and one of each other's.
      assertThat(small.get("position").asLong()).isEqualTo(31);
      assertThat(small.get("forecastStartInSeconds").asDouble()).isEqualTo(3.0);
      // 1,030 waiting: a/'s 50 batches and 30 partial ones, 80 permits: the eighth window (as
      // 1,030 events in full batches, 52 permits, it would be the sixth).
      assertThat(sluice.status().get("timeToDrainSeconds").asDouble()).isEqualTo(7.0);
    }
  }

  private static JsonNode event(RunningSluice sluice, String key) {
    JsonNode found = sluice.api.get("/v1/events/landing/" + key).ok();
    assertThat(found.get("events")).hasSize(1);
    return found.get("events").get(0);
  }

  @Test
  void forecast_whenBatchesOf20CountedAsJobs_countsOnePermitPerBatch() {
    try (RunningSluice sluice = pausedWith(20, LimitCount.JOBS)) {
      JsonNode status = sluice.status();
      JsonNode at450 = event(sluice, "obj-00450.parquet");
      JsonNode last = event(sluice, "obj-00999.parquet");

      assertThat(status.get("backlog").asLong()).isEqualTo(1_000);
      // 1,000 events are 50 batches, 10 a window: the fifth window, 4 s from now, not the 100th.
      assertThat(status.get("timeToDrainSeconds").asDouble()).isEqualTo(4.0);
      assertThat(status.get("forecast").get("waiting").asLong()).isEqualTo(1_000);
      assertThat(status.get("forecast").get("assumesResumeNow").asBoolean()).isTrue();
      // The pace in events: 10 batches of 20 a second.
      assertThat(status.get("forecast").get("steadyPerSecond").asDouble()).isEqualTo(200.0);
      // 450 ahead: batch 22 (from 0), in the third window.
      assertThat(at450.get("ahead").asLong()).isEqualTo(450);
      assertThat(at450.get("position").asLong()).isEqualTo(23);
      assertThat(at450.get("forecastStartInSeconds").asDouble()).isEqualTo(2.0);
      assertThat(last.get("position").asLong()).isEqualTo(50);
      assertThat(last.get("forecastStartInSeconds").asDouble()).isEqualTo(4.0);
    }
  }

  @Test
  void forecast_whenBatchesCountedAsObjects_countsOnePermitPerEvent() {
    // Counting objects every limit must allow a whole batch: batches of 10 under 10 per 1s.
    try (RunningSluice sluice = pausedWith(10, LimitCount.OBJECTS)) {
      JsonNode status = sluice.status();
      JsonNode at450 = event(sluice, "obj-00450.parquet");

      // 1,000 events, 10 a window: the last in the 100th window, 99 s from now.
      assertThat(status.get("timeToDrainSeconds").asDouble()).isEqualTo(99.0);
      assertThat(status.get("forecast").get("steadyPerSecond").asDouble()).isEqualTo(10.0);
      assertThat(at450.get("position").asLong()).isEqualTo(451);
      assertThat(at450.get("forecastStartInSeconds").asDouble()).isEqualTo(45.0);
    }
  }
}
