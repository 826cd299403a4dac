package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.Outcome;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a running service, after real releases: Prometheus' own checker accepts
 * it, and the numbers agree with what was posted and what the target received.
 */
class MetricsEndpointTest {
  private static final String TEST_EVENT =
      "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-01-01T00:00:00.000Z\","
          + "\"Bucket\":\"landing\",\"RequestId\":\"R\",\"HostId\":\"H\"}";

  @TempDir Path dataDir;

  @Test
  void metrics_afterReleases_passPromtoolAndCountWhatHappened() throws Exception {
    RecordingTarget target =
        new RecordingTarget(
            job ->
                job.event().key().startsWith("bad")
                    ? Outcome.permanent("no such bucket")
                    : Outcome.completed());
    List<String> good = Notifications.keys("good", 0, 10);
    List<String> bad = Notifications.keys("bad", 0, 2);
    List<String> all = new ArrayList<>(good);
    all.addAll(bad);
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir,
            target,
            Limits.window(5, Duration.ofMillis(500)),
            RunningSluice.fastRetry(3))) {
      sluice.api.post("/v1/events", Notifications.forKeys(all)).ok();
      sluice.api.post("/v1/events", Notifications.forKeys(all)).ok(); // every one a duplicate
      sluice.api.post("/v1/events", TEST_EVENT).ok();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                Map<String, Double> m = Promtool.samples(sluice.api.get("/metrics").body());
                return m.getOrDefault("sluice_in_flight_releases", -1.0) == 0
                    && m.getOrDefault("sluice_backlog_waiting_events", -1.0) == 0
                    && m.getOrDefault("sluice_dead_lettered_events_total", 0.0) == 2;
              });

      ApiCalls.Answer answer = sluice.api.get("/metrics");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.contentType()).startsWith("text/plain");
      String text = answer.body();
      Path out = Path.of("target", "metrics-sample.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, text);

      String problems = Promtool.check(text);
      assertThat(problems).as("promtool check metrics on %s", out.toAbsolutePath()).isEmpty();

      Map<String, Double> m = Promtool.samples(text);
      assertThat(m)
          .containsEntry("sluice_accepted_events_total{source=\"webhook\"}", 12.0)
          .containsEntry("sluice_duplicate_events_total{source=\"webhook\"}", 12.0)
          .containsEntry("sluice_dropped_events_total{reason=\"test-event\"}", 1.0)
          .containsEntry("sluice_dropped_events_total{reason=\"prefix\"}", 0.0)
          .containsEntry("sluice_released_events_total", (double) target.jobs().size())
          .containsEntry("sluice_released_events_total", 12.0)
          .containsEntry("sluice_closed_releases_total{outcome=\"completed\"}", 10.0)
          .containsEntry("sluice_closed_releases_total{outcome=\"failed-permanent\"}", 2.0)
          .containsEntry("sluice_dead_lettered_events_total", 2.0)
          .containsEntry("sluice_retries_total{kind=\"retry\"}", 0.0)
          .containsEntry("sluice_target_latency_seconds_count{outcome=\"completed\"}", 10.0)
          .containsEntry("sluice_target_latency_seconds_count{outcome=\"failed-permanent\"}", 2.0)
          .containsEntry("sluice_in_flight_releases", 0.0)
          .containsEntry("sluice_running_releases", 0.0)
          .containsEntry("sluice_backlog_due_events", 0.0)
          .containsEntry("sluice_backlog_oldest_waiting_age_seconds", 0.0)
          .containsEntry("sluice_limit_window_limit_events", 5.0)
          .containsEntry("sluice_limit_window_length_seconds", 0.5);
      assertThat(m.get("sluice_limit_rate_events_per_second")).isNaN();
      assertThat(m.get("sluice_limit_max_in_flight_releases")).isNaN();
      // 12 due at once under 5 per 500 ms: at least three release steps, and the gate held the
      // rest back at least once, for part of a window.
      assertThat(m.get("sluice_gate_decisions_total{decision=\"admitted\"}")).isGreaterThan(2);
      assertThat(m.get("sluice_gate_decisions_total{decision=\"waited\"}")).isGreaterThan(0);
      assertThat(m.get("sluice_gate_wait_seconds_count")).isGreaterThan(0);
      assertThat(m.get("sluice_gate_wait_seconds_sum")).isGreaterThan(0).isLessThan(60);
      // The histogram's last bucket holds every answer.
      assertThat(m)
          .containsEntry(
              "sluice_target_latency_seconds_bucket{outcome=\"completed\",le=\"+Inf\"}", 10.0);
      // Every meter says what it is.
      List<String> families =
          text.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
      assertThat(families).hasSizeGreaterThan(20);
      for (String family : families) {
        assertThat(text).containsPattern("(?m)^# HELP " + family + " \\S");
      }
    }
  }
}
