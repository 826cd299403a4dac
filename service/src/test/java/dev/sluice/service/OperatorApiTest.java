package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.http.HttpApi;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator actions over the HTTP API: each recorded in the audit trail, pause kept across a
 * restart, limits changed in part, dead letters purged, and a drain that ends the service.
 */
class OperatorApiTest {
  @TempDir Path dataDir;

  private static final Map<String, String> FROM_CLI = Map.of(HttpApi.CLIENT_HEADER, "cli");

  @Test
  void pause_thenRestart_comesBackPausedWithTheAuditTrail() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      sluice.api.call("POST", "/v1/pause", null, FROM_CLI);
      assertThat(sluice.status().get("paused").asBoolean()).isTrue();
    }

    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      assertThat(sluice.service.restoredPaused()).isTrue();
      assertThat(sluice.status().get("paused").asBoolean()).isTrue();
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("p", 0, 3))).ok();
      assertThat(target.count()).isZero();

      JsonNode entries = sluice.api.get("/v1/audit").ok().get("entries");
      assertThat(entries).hasSize(1);
      JsonNode pause = entries.get(0);
      assertThat(pause.get("action").asText()).isEqualTo("pause");
      assertThat(pause.get("via").asText()).isEqualTo("cli");
      assertThat(pause.get("client").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
      assertThat(pause.get("before").get("paused").asBoolean()).isFalse();
      assertThat(pause.get("after").get("paused").asBoolean()).isTrue();

      sluice.api.post("/v1/resume", "").ok();
      await().atMost(Duration.ofSeconds(10)).until(() -> target.count() == 3);
      JsonNode resume = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(resume.get("action").asText()).isEqualTo("resume");
      // No header: plain HTTP, whatever a client might claim otherwise.
      assertThat(resume.get("via").asText()).isEqualTo("http");
    }

    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      assertThat(sluice.status().get("paused").asBoolean()).isFalse();
    }
  }

  @Test
  void audit_whenClientClaimsAnUnknownInterface_recordsHttp() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3))) {
      sluice.api.call("POST", "/v1/pause", null, Map.of(HttpApi.CLIENT_HEADER, "local"));
      sluice.api.call("POST", "/v1/resume", null, Map.of(HttpApi.CLIENT_HEADER, "dashboard"));

      JsonNode entries = sluice.api.get("/v1/audit").ok().get("entries");
      assertThat(entries.get(0).get("via").asText()).isEqualTo("dashboard");
      assertThat(entries.get(1).get("via").asText()).isEqualTo("http");
    }
  }

  @Test
  void audit_whenManyEntries_pagesNewestFirstWithoutRepeats() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3))) {
      for (int i = 0; i < 5; i++) {
        sluice.api.post(i % 2 == 0 ? "/v1/pause" : "/v1/resume", "").ok();
      }

      List<Long> ids = new ArrayList<>();
      String path = "/v1/audit?limit=2";
      while (true) {
        JsonNode page = sluice.api.get(path).ok();
        page.get("entries").forEach(e -> ids.add(e.get("id").asLong()));
        if (!page.hasNonNull("next")) {
          break;
        }
        path = "/v1/audit?limit=2&before=" + page.get("next").asLong();
      }

      assertThat(ids).hasSize(5).doesNotHaveDuplicates();
      assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a));
      assertThat(sluice.api.get("/v1/audit?limit=0").error(400)).contains("limit");
    }
  }

  @Test
  void patchLimits_whenOnePartChanges_keepsTheOthersAndAnswersBeforeAndAfter() {
    Limits start = new Limits(Limits.window(10, Duration.ofMinutes(1)).window(), null, 4);
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir, RecordingTarget.completing(), start, RunningSluice.fastRetry(3))) {
      JsonNode answer =
          sluice.api.call("PATCH", "/v1/limits", "{\"window\": {\"limit\": 20}}", FROM_CLI).ok();

      assertThat(answer.get("before").get("window").get("limit").asInt()).isEqualTo(10);
      assertThat(answer.get("after").get("window").get("limit").asInt()).isEqualTo(20);
      assertThat(answer.get("after").get("window").get("every").asText()).isEqualTo("1m");
      assertThat(answer.get("after").get("concurrency").get("max-in-flight").asInt()).isEqualTo(4);
      JsonNode now = sluice.api.get("/v1/limits").ok();
      assertThat(now).isEqualTo(answer.get("after"));

      JsonNode audit = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(audit.get("action").asText()).isEqualTo("limits");
      assertThat(audit.get("before")).isEqualTo(answer.get("before"));
      assertThat(audit.get("after")).isEqualTo(answer.get("after"));

      // null removes a part; the rest stays.
      JsonNode removed =
          sluice.api.call("PATCH", "/v1/limits", "{\"concurrency\": null}", Map.of()).ok();
      assertThat(removed.get("after").get("concurrency").isNull()).isTrue();
      assertThat(removed.get("after").get("window").get("limit").asInt()).isEqualTo(20);
    }
  }

  @Test
  void patchLimits_whenTwoOperatorsChangeDifferentPartsAtOnce_bothChangesHold() throws Exception {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir,
            RecordingTarget.completing(),
            Limits.window(10, Duration.ofMinutes(1)),
            RunningSluice.fastRetry(3))) {
      for (int round = 0; round < 10; round++) {
        int limit = 100 + round;
        int inFlight = 1 + round;
        var a =
            CompletableFuture.runAsync(
                () ->
                    sluice
                        .api
                        .call(
                            "PATCH",
                            "/v1/limits",
                            "{\"window\": {\"limit\": " + limit + "}}",
                            Map.of())
                        .ok());
        var b =
            CompletableFuture.runAsync(
                () ->
                    sluice
                        .api
                        .call(
                            "PATCH",
                            "/v1/limits",
                            "{\"concurrency\": {\"max-in-flight\": " + inFlight + "}}",
                            Map.of())
                        .ok());
        CompletableFuture.allOf(a, b).get();

        JsonNode now = sluice.api.get("/v1/limits").ok();
        assertThat(now.get("window").get("limit").asInt()).isEqualTo(limit);
        assertThat(now.get("concurrency").get("max-in-flight").asInt()).isEqualTo(inFlight);
      }
    }
  }

  @Test
  void patchLimits_whenInvalid_answers400AndRecordsNothing() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir,
            RecordingTarget.completing(),
            Limits.window(10, Duration.ofMinutes(1)),
            RunningSluice.fastRetry(3))) {
      assertThat(
              sluice
                  .api
                  .call("PATCH", "/v1/limits", "{\"window\": {\"limit\": -5}}", Map.of())
                  .error(400))
          .contains("limits.window.limit");
      assertThat(sluice.api.call("PATCH", "/v1/limits", "{}", Map.of()).error(400))
          .contains("at least one");

      assertThat(sluice.api.get("/v1/limits").ok().get("window").get("limit").asInt())
          .isEqualTo(10);
      assertThat(sluice.api.get("/v1/audit").ok().get("entries")).isEmpty();
    }
  }

  @Test
  void putLimits_isRecordedWithTheOldAndNewValues() {
    try (RunningSluice sluice =
        RunningSluice.start(
            dataDir,
            RecordingTarget.completing(),
            Limits.window(10, Duration.ofMinutes(1)),
            RunningSluice.fastRetry(3))) {
      sluice.api.put("/v1/limits", "{\"rate\": {\"per-second\": 3, \"burst\": 3}}").ok();

      JsonNode entry = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(entry.get("before").get("window").get("limit").asInt()).isEqualTo(10);
      // PUT replaces: the window is gone.
      assertThat(entry.get("after").get("window").isNull()).isTrue();
      assertThat(entry.get("after").get("rate").get("burst").asInt()).isEqualTo(3);
    }
  }

  @Test
  void purge_whenIdsGiven_deletesThoseAndAuditsIt_thenAllWithoutIds() {
    RecordingTarget target = RecordingTarget.answering(Outcome.permanent("400 bad input"));
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("d", 0, 3))).ok();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.api.get("/v1/dead").ok().get("dead").size() == 3);
      JsonNode dead = sluice.api.get("/v1/dead").ok().get("dead");
      long first = dead.get(0).get("eventId").asLong();

      JsonNode one = sluice.api.call("DELETE", "/v1/dead?ids=" + first, null, FROM_CLI).ok();

      assertThat(one.get("purged").asInt()).isEqualTo(1);
      assertThat(sluice.api.get("/v1/dead").ok().get("dead"))
          .extracting(d -> d.get("eventId").asLong())
          .doesNotContain(first)
          .hasSize(2);
      assertThat(sluice.status().get("dead").asLong()).isEqualTo(2);
      JsonNode entry = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(entry.get("action").asText()).isEqualTo("purge");
      assertThat(entry.get("before").get("dead").asLong()).isEqualTo(3);
      assertThat(entry.get("after").get("dead").asLong()).isEqualTo(2);
      assertThat(entry.get("after").get("ids").get(0).asLong()).isEqualTo(first);

      JsonNode rest = sluice.api.call("DELETE", "/v1/dead", null, Map.of()).ok();
      assertThat(rest.get("purged").asInt()).isEqualTo(2);
      assertThat(sluice.api.get("/v1/dead").ok().get("dead")).isEmpty();
      // A purged letter is gone: redrive finds nothing to move.
      assertThat(sluice.api.post("/v1/dead/redrive", "").ok().get("redriven").asInt()).isZero();
      assertThat(sluice.api.call("DELETE", "/v1/dead?ids=x", null, Map.of()).error(400))
          .contains("ids");
    }
  }

  @Test
  void redrive_isAudited() {
    RecordingTarget target = RecordingTarget.answering(Outcome.permanent("400 bad input"));
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("r", 0, 2))).ok();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.api.get("/v1/dead").ok().get("dead").size() == 2);
      target.answerWith(job -> Outcome.completed());

      sluice.api.post("/v1/dead/redrive", "").ok();

      JsonNode entry = sluice.api.get("/v1/audit").ok().get("entries").get(0);
      assertThat(entry.get("action").asText()).isEqualTo("redrive");
      assertThat(entry.get("before").get("dead").asLong()).isEqualTo(2);
      assertThat(entry.get("after").get("redriven").asInt()).isEqualTo(2);
      assertThat(entry.get("after").get("ids").asText()).isEqualTo("all");
    }
  }

  @Test
  void drain_refusesNewEventsFinishesTheBacklogAndSignalsDrained() {
    RecordingTarget target = RecordingTarget.completing();
    try (RunningSluice sluice =
        RunningSluice.start(dataDir, target, Limits.none(), RunningSluice.fastRetry(3), true)) {
      sluice.api.post("/v1/events", Notifications.forKeys(Notifications.keys("k", 0, 20))).ok();

      assertThat(sluice.api.post("/v1/drain", "").status()).isEqualTo(202);

      assertThat(sluice.status().get("draining").asBoolean()).isTrue();
      assertThat(
              sluice
                  .api
                  .post("/v1/events", Notifications.forKeys(Notifications.keys("late", 0, 1)))
                  .error(503))
          .contains("draining");
      // Paused: the drain waits for a resume; nothing is lost meanwhile.
      assertThat(sluice.service.drained()).isNotDone();
      sluice.api.post("/v1/resume", "").ok();

      await().atMost(Duration.ofSeconds(10)).until(() -> sluice.service.drained().isDone());
      assertThat(target.count()).isEqualTo(20);
      JsonNode status = sluice.status();
      assertThat(status.get("backlog").asLong()).isZero();
      assertThat(status.get("inFlight").asLong()).isZero();
      assertThat(sluice.api.get("/v1/audit").ok().get("entries"))
          .extracting(e -> e.get("action").asText())
          .containsExactly("resume", "drain");
    }
  }

  @Test
  void drain_whenNothingWaits_answersBeforeTheServiceCloses() {
    for (int run = 0; run < 5; run++) {
      try (RunningSluice sluice =
          RunningSluice.start(
              dataDir.resolve("run-" + run),
              RecordingTarget.completing(),
              Limits.none(),
              RunningSluice.fastRetry(3))) {
        // As `sluice serve` does: close the moment the drain is done.
        sluice.service.drained().thenRun(sluice.service::close);

        assertThat(sluice.api.post("/v1/drain", "").status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> sluice.service.drained().isDone());
      }
    }
  }
}
