package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.Main;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator state outlives a crash: a real {@code sluice serve} is paused and its limits changed
 * through the CLI, then killed with {@code kill -9}; the restarted process comes back paused, with
 * the audit trail intact, releases nothing until resumed, and a drain then ends it with exit code
 * 0.
 */
class PauseAuditKillNineTest {
  private static final String TOKEN = "e2e-control-token-0123456789";
  private static final int EVENTS = 20;

  @RegisterExtension final ServeProcesses services = new ServeProcesses();

  @Test
  void killNine_whilePaused_restartsPausedWithTheAuditTrailThenDrainsAndExitsZero(@TempDir Path dir)
      throws Exception {
    int port = FreePort.pick();
    String url = "http://127.0.0.1:" + port;
    try (RecordingJobEndpoint target = RecordingJobEndpoint.start(Duration.ofMillis(1), 8)) {
      Path config =
          ServeConfigFile.write(
              dir,
              port,
              "  control-token: " + TOKEN + "\n",
              target.url(),
              "limits:\n  concurrency:\n    max-in-flight: 4\n",
              "10m");
      SluiceClient api = new SluiceClient(port);

      SluiceServeProcess first =
          services.track(SluiceServeProcess.start("first", config, dir, api));
      assertThat(Main.run("pause", "--url", url)).as("pause without the token").isNotZero();
      assertThat(Main.run("pause", "--url", url, "--token", TOKEN)).isZero();
      assertThat(Main.run("limits", "--url", url, "--token", TOKEN, "--rate", "50")).isZero();
      List<Integer> numbers = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        numbers.add(i);
      }
      assertThat(api.postEvents(NumberedObjects.notification(numbers)).ok()).isTrue();
      assertThat(api.status().get("backlog").asLong()).isEqualTo(EVENTS);

      assertThat(first.killHard()).isEqualTo(SluiceServeProcess.KILLED_EXIT_CODE);

      SluiceServeProcess second =
          services.track(SluiceServeProcess.start("second", config, dir, api));
      JsonNode status = api.status();
      assertThat(status.get("paused").asBoolean()).isTrue();
      assertThat(status.get("backlog").asLong()).isEqualTo(EVENTS);
      assertThat(second.stderr()).contains("paused, as an operator left it");
      JsonNode entries = api.get("/v1/audit").get("entries");
      assertThat(entries)
          .extracting(e -> e.get("action").asText())
          .containsExactly("limits", "pause");
      assertThat(entries).extracting(e -> e.get("via").asText()).containsOnly("cli");
      assertThat(entries.get(0).get("after").get("rate").get("per-second").asDouble())
          .isEqualTo(50.0);
      assertThat(entries.get(0).get("after").get("concurrency").get("max-in-flight").asInt())
          .isEqualTo(4);
      assertThat(entries.get(1).get("before").get("paused").asBoolean()).isFalse();
      // Paused across the restart: the restarted loop has looked at the backlog, and nothing has
      // reached the target.
      api.awaitDispatcherLooked();
      assertThat(api.status().get("released").asLong()).isZero();
      assertThat(target.receivedCount()).isZero();

      assertThat(Main.run("resume", "--url", url, "--token", TOKEN)).isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> target.receivedCount() >= EVENTS);
      assertThat(target.receiptsByKey()).hasSize(EVENTS);

      assertThat(Main.run("drain", "--url", url, "--token", TOKEN)).isZero();
      assertThat(second.awaitExit(30_000)).as("exit code after a drain").isZero();
      assertThat(second.stderr()).contains("drained");
    }

    // The trail outlived the drain too, and the stored pause was cleared by the resume.
    SluiceClient api = new SluiceClient(port);
    Path config = dir.resolve("sluice.yaml");
    services.track(SluiceServeProcess.start("third", config, dir, api));
    assertThat(api.status().get("paused").asBoolean()).isFalse();
    assertThat(api.get("/v1/audit").get("entries"))
        .extracting(e -> e.get("action").asText())
        .containsExactly("drain", "resume", "limits", "pause");
  }
}
