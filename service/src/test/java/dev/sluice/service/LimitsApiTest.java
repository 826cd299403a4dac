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

/** {@code PUT /v1/limits} changes the gate at runtime; a bad document changes nothing. */
class LimitsApiTest {
  @TempDir Path dataDir;

  @Test
  void putLimits_whenWindowChanges_isShownAndEnforced() throws Exception {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      String fivePerHour = "{\"window\": {\"limit\": 5, \"every\": \"1h\"}}";
      JsonNode answer = sluice.api.put("/v1/limits", fivePerHour).ok();
      JsonNode expected =
          ApiCalls.JSON.readTree(
              "{\"window\": {\"limit\": 5, \"every\": \"1h\", \"aligned\": false},"
                  + " \"rate\": null, \"concurrency\": null}");
      assertThat(answer).isEqualTo(expected);
      assertThat(sluice.api.get("/v1/limits").ok()).isEqualTo(expected);
      assertThat(sluice.status().get("limits")).isEqualTo(expected);

      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("w", 0, 25))).ok();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 5);
      // The window is used up for an hour: nothing more goes, though the loop has looked again.
      sluice.awaitDispatcherLooked();
      assertThat(sluice.status().get("released").asLong()).isEqualTo(5);
      assertThat(target.count()).isEqualTo(5);

      sluice.api.put("/v1/limits", "{\"window\": {\"limit\": 20, \"every\": \"1h\"}}").ok();
      assertThat(sluice.status().get("limits").get("window").get("limit").asInt()).isEqualTo(20);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 20);
      sluice.awaitDispatcherLooked();
      JsonNode status = sluice.status();
      assertThat(status.get("released").asLong()).isEqualTo(20);
      assertThat(status.get("backlog").asLong()).isEqualTo(5);
      assertThat(target.count()).isEqualTo(20);
    }
  }

  @Test
  void putLimits_whenBodyIsInvalid_answers400NamingTheKeyAndKeepsTheLimits() {
    Limits tenPerMinute = Limits.window(10, Duration.ofMinutes(1));
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir, RecordingTarget.completing(), tenPerMinute, RunningSluice.fastRetry(3))) {
      JsonNode before = sluice.api.get("/v1/limits").ok();

      assertThat(
              sluice
                  .api
                  .put("/v1/limits", "{\"window\": {\"limit\": -5, \"every\": \"1m\"}}")
                  .error(400))
          .contains("limits.window.limit")
          .contains("-5");
      assertThat(sluice.api.put("/v1/limits", "{\"windw\": {\"limit\": 5}}").error(400))
          .contains("windw");
      assertThat(
              sluice
                  .api
                  .put("/v1/limits", "{\"window\": {\"limit\": 5, \"evry\": \"1m\"}}")
                  .error(400))
          .contains("evry");
      assertThat(
              sluice
                  .api
                  .put("/v1/limits", "{\"window\": {\"limit\": 5, \"every\": \"abc\"}}")
                  .error(400))
          .contains("limits.window.every");
      assertThat(
              sluice.api.put("/v1/limits", "{\"concurrency\": {\"max-in-flight\": 0}}").error(400))
          .contains("limits.concurrency.max-in-flight");
      assertThat(sluice.api.put("/v1/limits", "{\"rate\": {\"per-second\": \"fast\"}}").error(400))
          .contains("limits.rate.per-second");
      assertThat(sluice.api.put("/v1/limits", "not json").error(400)).contains("not JSON");
      assertThat(sluice.api.put("/v1/limits", "[]").error(400)).contains("limits");

      assertThat(sluice.api.get("/v1/limits").ok()).isEqualTo(before);
      assertThat(before.get("window").get("limit").asInt()).isEqualTo(10);
    }
  }
}
