package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.service.config.RetentionConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service prunes in the background: with horizons of one second, done events and their releases
 * leave the SQLite file on their own, and a redelivery after that is a new event.
 */
class RetentionServiceTest {
  @TempDir Path dataDir;

  @Test
  void serve_whenHorizonsPass_prunesDoneEventsAndAcceptsARedeliveryAsNew() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.startWith(
            dataDir,
            target,
            RetentionServiceTest::oneSecondHorizons,
            o -> o.withPruning(100, Duration.ofMillis(50)))) {
      String first = Notifications.forKeys(List.of("part-1.parquet", "part-2.parquet"));
      assertThat(sluice.api.post("/v1/events", first).ok().get("accepted").asInt()).isEqualTo(2);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sluice.status().get("completed").asLong() == 2);
      // within the horizon, a redelivery is a duplicate
      assertThat(sluice.api.post("/v1/events", first).ok().get("duplicates").asInt()).isEqualTo(2);
      // a later object: the newest event and release always stay, so part-1 and part-2 can go
      sluice.api.post("/v1/events", Notifications.forKeys(List.of("part-3.parquet"))).ok();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> prunedRows(sluice, "events") >= 2 && prunedRows(sluice, "releases") >= 2);

      JsonNode status = sluice.status();
      assertThat(status.get("completed").asLong()).isLessThanOrEqualTo(1);
      JsonNode again =
          sluice.api.post("/v1/events", Notifications.forKeys(List.of("part-1.parquet"))).ok();
      assertThat(again.get("accepted").asInt()).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  target.jobs().stream()
                          .filter(j -> j.event().key().equals("part-1.parquet"))
                          .count()
                      == 2);
      assertThat(dataDir.resolve("backlog.db")).exists();
    }
  }

  private static SluiceConfig oneSecondHorizons(SluiceConfig c) {
    // no limits and a 1s lease: the gate needs 1s of the release log, so 1s horizons are allowed
    return new SluiceConfig(
            c.dataDir(),
            c.http(),
            c.s3Endpoint(),
            c.limits(),
            c.retry(),
            DispatcherConfig.defaults()
                .withLease(Duration.ofSeconds(1))
                .withWorkers(4)
                .withBatch(100),
            c.target(),
            c.store(),
            c.sources())
        .withRetention(new RetentionConfig(Duration.ofSeconds(1), Duration.ofSeconds(1)));
  }

  private static double prunedRows(RunningSluice sluice, String kind) {
    Map<String, Double> samples = Promtool.samples(sluice.api.get("/metrics").body());
    return samples.getOrDefault("sluice_pruned_rows_total{kind=\"" + kind + "\"}", 0.0);
  }
}
