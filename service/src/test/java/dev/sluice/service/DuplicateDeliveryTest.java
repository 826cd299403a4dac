package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Job;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S3 delivers at least once: a notification posted twice is one event, released once. */
class DuplicateDeliveryTest {
  @TempDir Path dataDir;

  @Test
  void postEvents_whenSameNotificationTwice_keepsOneEventAndReleasesItOnce() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3), true)) {
      String body = Notifications.forKeys(List.of("part-1.parquet"));

      JsonNode first = sluice.api.post("/v1/events", body).ok();
      JsonNode second = sluice.api.post("/v1/events", body).ok();

      assertThat(first.get("accepted").asInt()).isEqualTo(1);
      assertThat(first.get("duplicates").asInt()).isEqualTo(0);
      assertThat(second.get("accepted").asInt()).isEqualTo(0);
      assertThat(second.get("duplicates").asInt()).isEqualTo(1);
      assertThat(sluice.status().get("backlog").asLong()).isEqualTo(1);

      sluice.api.post("/v1/resume", "").ok();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 1);

      // Once done, the same notification is still a duplicate, not a new event.
      JsonNode third = sluice.api.post("/v1/events", body).ok();
      assertThat(third.get("accepted").asInt()).isEqualTo(0);
      assertThat(third.get("duplicates").asInt()).isEqualTo(1);
      // A different object after it, so the dispatcher provably ran past any second copy.
      sluice.api.post("/v1/events", Notifications.forKeys(List.of("part-2.parquet"))).ok();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 2);

      JsonNode status = sluice.status();
      assertThat(status.get("backlog").asLong()).isZero();
      assertThat(status.get("inFlight").asLong()).isZero();
      assertThat(status.get("released").asLong()).isEqualTo(2);
      assertThat(status.get("completed").asLong()).isEqualTo(2);
      assertThat(target.jobs())
          .extracting(j -> j.event().key())
          .containsExactly("part-1.parquet", "part-2.parquet");
      assertThat(target.jobs()).extracting(Job::attempt).containsOnly(1);
    }
  }
}
