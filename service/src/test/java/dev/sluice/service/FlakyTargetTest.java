package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transient failures are retried until every event is done: none lost, none dead. */
class FlakyTargetTest {
  @TempDir Path dataDir;

  private static final int EVENTS = 300;

  @Test
  void release_whenTargetFailsTransiently_completesEveryEvent() {
    // Each key fails its first 0 to 3 attempts, fixed by the key: most events fail at least once,
    // none fails all ten, and nothing depends on which thread asks first.
    RecordingTarget target =
        new RecordingTarget(
            job ->
                job.attempt() <= failuresOf(job.event().key())
                    ? Outcome.retryable("flaky: 503 from backend")
                    : Outcome.completed());
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(10))) {
      List<String> keys = Notifications.keys("flaky", 0, EVENTS);
      for (int from = 0; from < EVENTS; from += 100) {
        JsonNode report =
            sluice
                .api
                .post("/v1/events", Notifications.forKeys(keys.subList(from, from + 100)))
                .ok();
        assertThat(report.get("accepted").asInt()).isEqualTo(100);
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sluice.status().get("completed").asLong() == EVENTS);

      JsonNode status = sluice.status();
      assertThat(status.get("dead").asLong()).isZero();
      assertThat(status.get("backlog").asLong()).isZero();
      assertThat(status.get("inFlight").asLong()).isZero();
      assertThat(sluice.api.get("/v1/dead").ok().get("dead")).isEmpty();
      // The failures happened and were retried: more deliveries than events.
      assertThat(status.get("sinceStart").get("retried").asLong()).isPositive();
      int failures = keys.stream().mapToInt(FlakyTargetTest::failuresOf).sum();
      assertThat(failures).isGreaterThan(EVENTS / 2);
      // Every failure was released again, once: one delivery per event plus one per failure.
      assertThat(target.count())
          .isEqualTo(status.get("released").asInt())
          .isEqualTo(EVENTS + failures);
      Set<String> delivered =
          target.jobs().stream().map(Job::event).map(e -> e.key()).collect(Collectors.toSet());
      assertThat(delivered).containsExactlyInAnyOrderElementsOf(keys);
    }
  }

  /** How many first attempts of {@code key} fail: 0 to 3. */
  private static int failuresOf(String key) {
    return Math.floorMod(key.hashCode(), 4);
  }
}
