package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drain forecast in {@code /v1/status} and where one object stands at {@code /v1/events}. */
class ForecastApiTest {
  @TempDir Path dataDir;

  private static final Limits FIVE_PER_MINUTE = Limits.window(5, Duration.ofMinutes(1));

  @Test
  void status_whenTwelveWaitUnderFivePerMinute_forecastsTheDrainAtTwoMinutes() {
    try (RunningSluice sluice = paused(FIVE_PER_MINUTE)) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("f", 0, 12))).ok();

      JsonNode status = sluice.status();

      // 5 start now, 5 a minute later, the last 2 two minutes later; nothing answered yet, so no
      // latency is added.
      assertThat(status.get("timeToDrainSeconds").asDouble()).isEqualTo(120.0);
      JsonNode f = status.get("forecast");
      assertThat(f.get("waiting").asLong()).isEqualTo(12);
      assertThat(f.get("assumesResumeNow").asBoolean()).isTrue();
      assertThat(Duration.between(instant(status, "now"), instant(f, "lastStart")))
          .isEqualTo(Duration.ofMinutes(2));
      assertThat(f.get("steadyPerSecond").asDouble()).isEqualTo(5 / 60.0);
      assertThat(status.get("releasedLastMinute").asLong()).isZero();
    }
  }

  @Test
  void events_whenObjectsWait_givesEachItsPositionAndForecastStart() {
    try (RunningSluice sluice = paused(FIVE_PER_MINUTE)) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        keys.add(String.format("deep/dir/part-%02d.parquet", i));
      }
      sluice.api.post("/v1/events", Notifications.forKeys(keys)).ok();

      JsonNode seventh = sluice.api.get("/v1/events/landing/deep/dir/part-06.parquet").ok();
      JsonNode eleventh =
          sluice.api.get("/v1/events?bucket=landing&key=deep%2Fdir%2Fpart-10.parquet").ok();

      assertThat(seventh.get("bucket").asText()).isEqualTo("landing");
      assertThat(seventh.get("key").asText()).isEqualTo("deep/dir/part-06.parquet");
      JsonNode e = seventh.get("events").get(0);
      assertThat(e.get("state").asText()).isEqualTo("waiting");
      assertThat(e.get("ahead").asLong()).isEqualTo(6);
      assertThat(e.get("position").asLong()).isEqualTo(7);
      assertThat(e.get("forecastStartInSeconds").asDouble()).isEqualTo(60.0);
      JsonNode last = eleventh.get("events").get(0);
      assertThat(last.get("position").asLong()).isEqualTo(11);
      assertThat(last.get("forecastStartInSeconds").asDouble()).isEqualTo(120.0);
      assertThat(Duration.between(instant(eleventh, "now"), instant(last, "forecastStart")))
          .isEqualTo(Duration.ofMinutes(2));
    }
  }

  @Test
  void events_whenTheKeyHoldsPlusAndSpace_findsItByItsDecodedKey() {
    try (RunningSluice sluice = paused(Limits.none())) {
      // S3 sends keys URL-encoded: the object's key is "a+b c.csv".
      sluice.api.post("/v1/events", Notifications.forKeys(List.of("in/a%2Bb+c.csv"))).ok();

      JsonNode found =
          sluice
              .api
              .get(
                  "/v1/events?bucket=landing&key="
                      + URLEncoder.encode("in/a+b c.csv", StandardCharsets.UTF_8))
              .ok();

      JsonNode byPath = sluice.api.get("/v1/events/landing/in/a+b%20c.csv").ok();

      assertThat(found.get("key").asText()).isEqualTo("in/a+b c.csv");
      assertThat(byPath.get("key").asText()).isEqualTo("in/a+b c.csv");
      assertThat(found.get("events").get(0).get("forecastStartInSeconds").asDouble())
          .isEqualTo(0.0);
    }
  }

  @Test
  void events_whenNoSuchObject_answers404WithAJsonError() {
    try (RunningSluice sluice = paused(Limits.none())) {
      sluice.api.post("/v1/events", Notifications.forKeys(List.of("x.csv"))).ok();

      assertThat(sluice.api.get("/v1/events/landing/nothing/here.csv").error(404))
          .isEqualTo("no event for bucket landing key nothing/here.csv");
      assertThat(sluice.api.get("/v1/events?bucket=landing").error(400))
          .contains("/v1/events?bucket=BUCKET&key=KEY");
    }
  }

  @Test
  void forecast_rightAfterAWindowWasUsed_doesNotGrantAFreshOne() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice = paused(FIVE_PER_MINUTE, target)) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("g", 0, 12))).ok();
      sluice.api.post("/v1/resume", "").ok();
      await().atMost(Duration.ofSeconds(10)).until(() -> target.count() == 5);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 5);

      JsonNode status = sluice.status();

      // 7 left: 5 when the first 5 leave the window (a minute after they started), 2 a minute
      // later. A forecast that forgot the window would say 60 s.
      assertThat(status.get("backlog").asLong()).isEqualTo(7);
      assertThat(status.get("releasedLastMinute").asLong()).isEqualTo(5);
      assertThat(status.get("timeToDrainSeconds").asDouble()).isBetween(100.0, 121.0);
      JsonNode done = sluice.api.get("/v1/events/landing/g-00000.parquet").ok();
      assertThat(done.get("events").get(0).get("state").asText()).isEqualTo("done");
      assertThat(done.get("events").get(0).get("forecastStart").isNull()).isTrue();
      JsonNode next = sluice.api.get("/v1/events/landing/g-00005.parquet").ok();
      assertThat(next.get("events").get(0).get("position").asLong()).isEqualTo(1);
      assertThat(next.get("events").get(0).get("forecastStartInSeconds").asDouble())
          .isBetween(40.0, 60.5);
    }
  }

  private RunningSluice paused(Limits limits) {
    return paused(limits, RecordingTarget.completing());
  }

  private RunningSluice paused(Limits limits, RecordingTarget target) {
    return RunningSluice.start(dataDir, target, limits, RunningSluice.fastRetry(3), true);
  }

  private static Instant instant(JsonNode n, String field) {
    return Instant.parse(n.get(field).asText());
  }
}
