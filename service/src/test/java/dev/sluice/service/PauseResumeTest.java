package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pause stops releases while intake goes on; resume releases what waited. */
class PauseResumeTest {
  @TempDir Path dataDir;

  @Test
  void pause_whenEventsArrive_acceptsButReleasesNothingUntilResume() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      assertThat(sluice.status().get("paused").asBoolean()).isFalse();

      JsonNode paused = sluice.api.post("/v1/pause", "").ok();
      assertThat(paused.get("paused").asBoolean()).isTrue();
      JsonNode report =
          sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("p", 0, 10))).ok();
      assertThat(report.get("accepted").asInt()).isEqualTo(10);

      // The dispatcher has looked at the backlog since the events were accepted: unpaused, it
      // would have released them.
      sluice.awaitDispatcherLooked();
      JsonNode status = sluice.status();
      assertThat(status.get("paused").asBoolean()).isTrue();
      assertThat(status.get("released").asLong()).isZero();
      assertThat(status.get("backlog").asLong()).isEqualTo(10);
      assertThat(target.count()).isZero();

      JsonNode resumed = sluice.api.post("/v1/resume", "").ok();
      assertThat(resumed.get("paused").asBoolean()).isFalse();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 10);
      assertThat(sluice.status().get("released").asLong()).isEqualTo(10);
      assertThat(target.count()).isEqualTo(10);
    }
  }
}
