package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code http.control-token}, every action needs it; views stay open to a client on the same
 * host; the webhook keeps its own credentials.
 */
class ControlTokenTest {
  private static final String TOKEN = "c0ntrol-t0ken-0123456789abcdef";

  @TempDir Path dataDir;

  private RunningSluice start() {
    return RunningSluice.startWith(
        dataDir, RecordingTarget.completing(), c -> c.withHttp(c.http().withControlToken(TOKEN)));
  }

  @Test
  void actions_whenTokenMissingOrWrong_answer401NamingTheProblemAndChangeNothing() {
    try (RunningSluice sluice = start()) {
      assertThat(sluice.api.post("/v1/pause", "").error(401))
          .contains("missing Authorization header")
          .contains("http.control-token");
      assertThat(
              sluice
                  .api
                  .call("POST", "/v1/pause", null, Map.of("Authorization", "Bearer nope"))
                  .error(401))
          .contains("control token does not match")
          .doesNotContain(TOKEN);
      assertThat(sluice.api.post("/v1/drain", "").error(401)).contains("Authorization");
      assertThat(sluice.api.call("PATCH", "/v1/limits", "{\"rate\": null}", Map.of()).error(401))
          .contains("Authorization");
      assertThat(sluice.api.put("/v1/limits", "{}").error(401)).contains("Authorization");
      assertThat(sluice.api.call("DELETE", "/v1/dead", null, Map.of()).error(401))
          .contains("Authorization");
      assertThat(sluice.api.post("/v1/dead/redrive", "").error(401)).contains("Authorization");

      assertThat(sluice.status().get("paused").asBoolean()).isFalse();
      assertThat(sluice.status().get("draining").asBoolean()).isFalse();
      assertThat(sluice.api.get("/v1/audit").ok().get("entries")).isEmpty();
    }
  }

  @Test
  void actions_whenTokenGiven_goThroughAndViewsAreOpenOnLoopback() {
    try (RunningSluice sluice = start()) {
      var answer =
          sluice.api.call("POST", "/v1/pause", null, Map.of("Authorization", "Bearer " + TOKEN));

      assertThat(answer.status()).isEqualTo(200);
      assertThat(sluice.status().get("paused").asBoolean()).isTrue();
      assertThat(sluice.api.get("/v1/limits").status()).isEqualTo(200);
      assertThat(sluice.api.get("/v1/dead").status()).isEqualTo(200);
      assertThat(sluice.api.get("/v1/releases").status()).isEqualTo(200);
      assertThat(sluice.api.get("/v1/audit").ok().get("entries")).hasSize(1);
      // The webhook has no credentials of its own here: the control token is not asked of it.
      assertThat(
              sluice
                  .api
                  .post("/v1/events", Notifications.forKeys(Notifications.keys("a", 0, 1)))
                  .status())
          .isEqualTo(200);
    }
  }

  @Test
  void start_whenTokenIsShort_isRefusedNamingTheKey() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                RunningSluice.startWith(
                    dataDir,
                    RecordingTarget.completing(),
                    c -> c.withHttp(c.http().withControlToken("short"))))
        .hasMessageContaining("control-token")
        .hasMessageContaining("16");
  }
}
