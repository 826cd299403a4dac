package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.ScheduleRule;
import dev.sluice.service.http.HttpApi;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/schedule}: the capacity schedule set in the config and changed at runtime, audited,
 * shown in the status and the metrics, and obeyed. Its rules hold all day, so what the service does
 * does not hang on the hour the test runs at.
 */
class ScheduleApiTest {
  @TempDir Path dataDir;

  private static final Map<String, String> FROM_CLI = Map.of(HttpApi.CLIENT_HEADER, "cli");

  private static final String THREE_AN_HOUR_ALL_DAY =
      "{\"zone\": \"Europe/Berlin\", \"rules\": [{\"name\": \"all-day\", \"from\": \"00:00\","
          + " \"until\": \"24:00\", \"limits\": {\"window\": {\"limit\": 3, \"every\": \"1h\"}}}]}";

  private static final CapacitySchedule BLACKOUT_ALL_DAY =
      new CapacitySchedule(
          ZoneId.of("UTC"),
          List.of(
              ScheduleRule.blackout(
                  "maintenance",
                  EnumSet.allOf(DayOfWeek.class),
                  LocalTime.MIDNIGHT,
                  LocalTime.MIDNIGHT)));

  @Test
  void schedule_fromTheConfigThenChangedAtRuntime_isShownAuditedAndObeyed() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.startWith(dataDir, target, c -> c.withSchedule(BLACKOUT_ALL_DAY))) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("s", 0, 5))).ok();

      // The blackout from the config file: nothing goes, though the loop has looked.
      sluice.awaitDispatcherLooked();
      assertThat(target.count()).isZero();
      JsonNode capacity = sluice.status().get("capacity");
      assertThat(capacity.get("blackout").asBoolean()).isTrue();
      assertThat(capacity.get("rules").get(0).asText()).isEqualTo("maintenance");
      assertThat(capacity.get("nextChange").isNull()).isTrue(); // it holds every day, all day
      // A blackout without end is forecast as a pause is: as if lifted now, and said so.
      assertThat(sluice.status().get("forecast").get("assumesResumeNow").asBoolean()).isTrue();
      Map<String, Double> m = Promtool.samples(sluice.api.get("/metrics").ok2());
      assertThat(m).containsEntry("sluice_schedule_blackout", 1.0);

      // At runtime: three an hour instead of the blackout.
      JsonNode answer =
          sluice.api.call("PUT", "/v1/schedule", THREE_AN_HOUR_ALL_DAY, FROM_CLI).ok();
      assertThat(answer.get("schedule").get("zone").asText()).isEqualTo("Europe/Berlin");
      assertThat(answer.get("capacity").get("blackout").asBoolean()).isFalse();
      assertThat(answer.get("capacity").get("rules").get(0).asText()).isEqualTo("all-day");
      await().atMost(Duration.ofSeconds(10)).until(() -> target.count() == 3);
      sluice.awaitDispatcherLooked();
      assertThat(target.count()).isEqualTo(3);

      JsonNode status = sluice.status();
      assertThat(status.get("limits").get("window").isNull()).as("the base is unchanged").isTrue();
      assertThat(status.get("forecast").get("assumesResumeNow").asBoolean()).isFalse();
      assertThat(status.get("capacity").get("limits").get("window").get("limit").asInt())
          .isEqualTo(3);
      m = Promtool.samples(sluice.api.get("/metrics").ok2());
      assertThat(m)
          .containsEntry("sluice_schedule_blackout", 0.0)
          .containsEntry("sluice_limit_window_limit_events", 3.0)
          .containsEntry("sluice_schedule_rules_holding_rules", 1.0);

      JsonNode audit = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(audit.get("action").asText()).isEqualTo("schedule");
      assertThat(audit.get("via").asText()).isEqualTo("cli");
      assertThat(audit.get("before").get("rules").get(0).get("blackout").asBoolean()).isTrue();
      assertThat(audit.get("after")).isEqualTo(answer.get("schedule"));
      assertThat(sluice.api.get("/v1/schedule").ok()).isEqualTo(answer);

      // A bad document: 400 naming the key, and the schedule stays.
      assertThat(
              sluice
                  .api
                  .put(
                      "/v1/schedule",
                      "{\"zone\": \"UTC\", \"rules\": [{\"name\": \"n\", \"from\": \"7pm\","
                          + " \"until\": \"08:00\", \"blackout\": true}]}")
                  .error(400))
          .contains("schedule.rules[0].from");
      assertThat(sluice.api.put("/v1/schedule", "{\"zone\": \"Nowhere/City\"}").error(400))
          .contains("schedule.zone");
      assertThat(sluice.api.get("/v1/schedule").ok()).isEqualTo(answer);

      // Removed: the base (no limits) for the rest.
      JsonNode cleared = sluice.api.call("DELETE", "/v1/schedule", null, FROM_CLI).ok();
      assertThat(cleared.get("schedule").get("rules")).isEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> target.count() == 5);
      assertThat(sluice.api.get("/v1/audit").ok().get("entries").get(0).get("action").asText())
          .isEqualTo("schedule");
    }
  }
}
