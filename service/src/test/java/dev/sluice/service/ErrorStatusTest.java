package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.Outcome;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.WebhookAuthConfig;
import dev.sluice.service.http.HttpApi;
import dev.sluice.testkit.RecordingTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class of an error decides the HTTP status: bad input 400, auth 401, too large 413, a backlog
 * that cannot commit 503 (see {@link FullBacklogServeTest}), anything else 500; every error is JSON
 * with a code, and a 5xx is logged with its cause.
 */
class ErrorStatusTest {
  private static final String TOKEN = "s3cret-token-for-the-webhook";

  @Test
  void errors_whenTheInputIsBad_are4xxWithACodeAndNever5xx(@TempDir Path dir) {
    try (CapturedLog apiLog = CapturedLog.of(HttpApi.class);
        RunningSluice sluice =
            RunningSluice.startWithAuth(
                dir, RecordingTarget.completing(), true, WebhookAuthConfig.bearer(TOKEN))) {
      Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
      byte[] notJson = "{\"Records\": [".getBytes(StandardCharsets.UTF_8);
      byte[] notANotification = "{\"foo\": 1}".getBytes(StandardCharsets.UTF_8);
      byte[] tooLarge = new byte[2 * 1024 * 1024];

      ApiCalls.Answer malformed = sluice.api.post("/v1/events", notJson, auth);
      ApiCalls.Answer noRecords = sluice.api.post("/v1/events", notANotification, auth);
      ApiCalls.Answer badLimits =
          sluice.api.put("/v1/limits", "{\"window\": {\"limit\": -5, \"every\": \"1m\"}}");
      ApiCalls.Answer badParameter = sluice.api.get("/v1/dead?limit=abc");
      ApiCalls.Answer badInstant = sluice.api.get("/v1/releases?since=yesterday");
      ApiCalls.Answer noToken =
          sluice.api.post("/v1/events", Notifications.forKeys(List.of("a.parquet")));
      ApiCalls.Answer large = sluice.api.post("/v1/events", tooLarge, auth);
      ApiCalls.Answer noEndpoint = sluice.api.get("/v1/nothing-here");

      assertThat(malformed.error(400)).contains("not JSON");
      assertThat(noRecords.error(400)).contains("Records");
      assertThat(badLimits.error(400)).contains("limits.window.limit").contains("-5");
      assertThat(badParameter.error(400)).contains("limit").contains("abc");
      assertThat(badInstant.error(400)).contains("since");
      for (ApiCalls.Answer a : List.of(malformed, noRecords, badLimits, badParameter, badInstant)) {
        assertThat(a.json().get("code").asText())
            .as("code of %s", a.body())
            .isEqualTo("bad_request");
      }
      assertThat(noToken.error(401)).contains("Authorization");
      assertThat(noToken.json().get("code").asText()).isEqualTo("unauthorized");
      assertThat(large.error(413)).contains("larger than");
      assertThat(large.json().get("code").asText()).isEqualTo("too_large");
      assertThat(noEndpoint.error(404)).contains("no such endpoint");
      assertThat(noEndpoint.json().get("code").asText()).isEqualTo("not_found");
      // Bad input is the sender's to fix: nothing the operator must look into.
      assertThat(apiLog.records()).isEmpty();
    }
  }

  @Test
  void postEvents_whenDraining_is503Draining(@TempDir Path dir) {
    try (RunningSluice sluice =
        RunningSluice.start(
            dir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3), true)) {
      assertThat(sluice.api.post("/v1/drain", "").status()).isEqualTo(202);

      ApiCalls.Answer answer =
          sluice.api.post("/v1/events", Notifications.forKeys(List.of("late.parquet")));

      assertThat(answer.error(503)).contains("draining");
      assertThat(answer.json().get("code").asText()).isEqualTo("draining");
    }
  }

  @Test
  void errors_whenSomethingUnexpectedBreaks_are500LoggedWithTheirCause(@TempDir Path dir) {
    try (CapturedLog apiLog = CapturedLog.of(HttpApi.class);
        RunningSluice sluice =
            RunningSluice.start(
                dir, RecordingTarget.completing(), Limits.none(), RunningSluice.fastRetry(3))) {
      // A backlog closed under the running service: no request can be served, and no sender is
      // to blame.
      sluice.service.sluice().backlog().close();

      ApiCalls.Answer answer = sluice.api.get("/v1/dead");

      assertThat(answer.error(500)).contains("closed");
      assertThat(answer.json().get("code").asText()).isEqualTo("internal");
      List<LogRecord> logged = apiLog.containing("GET /v1/dead failed: 500");
      assertThat(logged).hasSize(1);
      assertThat(logged.get(0).getThrown())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }

  @Test
  void dispatcher_whenTheTargetThrows_logsTheExceptionWithItsStackTraceAndRetries(
      @TempDir Path dir) {
    IllegalStateException thrown = new IllegalStateException("target bug: no connection pool");
    AtomicInteger calls = new AtomicInteger();
    RecordingTarget target =
        new RecordingTarget(
            job -> {
              if (calls.incrementAndGet() == 1) {
                throw thrown;
              }
              return Outcome.completed();
            });
    try (CapturedLog dispatchLog = CapturedLog.of(Dispatcher.class);
        RunningSluice sluice =
            RunningSluice.start(dir, target, Limits.none(), RunningSluice.fastRetry(3))) {
      sluice.api.post("/v1/events", Notifications.forKeys(List.of("throws.parquet"))).ok();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sluice.status().get("completed").asInt() == 1);

      List<LogRecord> logged = dispatchLog.containing("target threw");
      assertThat(logged).hasSize(1);
      assertThat(logged.get(0).getThrown()).isSameAs(thrown);
      assertThat(logged.get(0).getThrown().getStackTrace()).isNotEmpty();
      assertThat(calls.get()).isEqualTo(2);
    }
  }
}
