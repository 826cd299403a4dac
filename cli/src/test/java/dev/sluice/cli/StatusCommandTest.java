package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.gate.Limits;
import dev.sluice.store.postgres.EmbeddedPostgresServer;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice status}, {@code pause} and {@code resume} against a running service. */
class StatusCommandTest {
  @TempDir Path dataDir;

  @Test
  void status_whenEventsWaitWhilePaused_printsCountsStateAndLimits() {
    RecordingTarget target = RecordingTarget.completing();
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, target, Limits.window(5, Duration.ofMinutes(1)), true)) {
      sluice.postObjects(InProcessSluice.keys("a", 3));

      CliRun run = CliRun.of("status", "--url", sluice.url());

      assertThat(run.exitCode()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(run.outLines())
          .contains(
              "state        PAUSED",
              "backlog      3 waiting (3 due)",
              "in flight    0",
              "released     0",
              "completed    0",
              "dead         0",
              "dropped      test-event 0, event-name 0, prefix 0, suffix 0",
              "limits       5 per 1m (sliding)",
              "target       recording target");
    }
  }

  @Test
  void status_onOneOfSeveralNodes_listsEveryNodeAndWhoHoldsTheGate() {
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
      String url = postgres.createDatabase("status_nodes");
      try (InProcessSluice a =
              InProcessSluice.startNode(
                  dataDir.resolve("a"),
                  RecordingTarget.completing(),
                  Limits.none(),
                  url,
                  "node-a");
          InProcessSluice b =
              InProcessSluice.startNode(
                  dataDir.resolve("b"),
                  RecordingTarget.completing(),
                  Limits.none(),
                  url,
                  "node-b")) {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    b.status().path("cluster").path("nodes").size() == 2
                        && b.status().path("cluster").path("holder").isObject());
        String holder = b.status().path("cluster").path("holder").path("node").asText();

        CliRun run = CliRun.of("status", "--url", b.url());

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines())
            .contains("nodes        2, this one node-b; gate held by " + holder + " (epoch 1)");
        assertThat(run.outLines())
            .filteredOn(l -> l.startsWith("  node-"))
            .hasSize(2)
            .anySatisfy(l -> assertThat(l).startsWith("  node-a ").contains("leased      0"))
            .anySatisfy(l -> assertThat(l).startsWith("  node-b "))
            .filteredOn(l -> l.endsWith("holds the gate"))
            .hasSize(1)
            .allSatisfy(l -> assertThat(l).startsWith("  " + holder + " "));
      }
    }
  }

  @Test
  void resumeAndPause_whenRun_changeWhatStatusShows() {
    RecordingTarget target = RecordingTarget.completing();
    try (InProcessSluice sluice = InProcessSluice.start(dataDir, target, Limits.none(), true)) {
      sluice.postObjects(InProcessSluice.keys("b", 4));

      CliRun resume = CliRun.of("resume", "--url", sluice.url());

      assertThat(resume.exitCode()).isZero();
      assertThat(resume.out().strip()).isEqualTo("resumed");
      assertThat(sluice.status().get("paused").asBoolean()).isFalse();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 4);
      CliRun running = CliRun.of("status", "--url", sluice.url());
      assertThat(running.outLines())
          .contains(
              "state        running", "released     4", "completed    4", "limits       none");

      CliRun pause = CliRun.of("pause", "--url", sluice.url());

      assertThat(pause.exitCode()).isZero();
      assertThat(pause.out().strip()).isEqualTo("paused");
      assertThat(sluice.status().get("paused").asBoolean()).isTrue();
      assertThat(CliRun.of("status", "--url", sluice.url()).outLines())
          .contains("state        PAUSED");
    }
  }

  @Test
  void statusJson_whenAsked_printsTheServiceDocument() throws Exception {
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, RecordingTarget.completing(), Limits.none(), true)) {
      sluice.postObjects(InProcessSluice.keys("c", 2));

      CliRun run = CliRun.of("status", "--json", "--url", sluice.url());

      assertThat(run.exitCode()).isZero();
      var doc = Json.MAPPER.readTree(run.out());
      assertThat(doc.get("backlog").asLong()).isEqualTo(2);
      assertThat(doc.get("paused").asBoolean()).isTrue();
    }
  }

  @Test
  void store_whenTheBacklogCannotWrite_saysSoWithTheErrorAndOtherwiseNothing() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(StatusText.store(json.readTree("{\"writable\":true,\"full\":false}"))).isEmpty();
    assertThat(StatusText.store(json.missingNode())).isEmpty();
    assertThat(
            StatusText.store(
                json.readTree(
                    "{\"writable\":false,\"full\":true,\"failingSince\":\"2026-12-02T05:00:00Z\","
                        + "\"failedWrites\":3,\"lastError\":\"append failed: [SQLITE_FULL]\"}")))
        .contains(
            "FULL, taking no events since 2026-12-02T05:00:00Z (3 failed writes): append failed:"
                + " [SQLITE_FULL]");
  }

  @Test
  void state_saysDrainingAndPausedAsTheyAre() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(StatusText.state(json.readTree("{\"paused\":false,\"draining\":false}")))
        .isEqualTo("running");
    assertThat(StatusText.state(json.readTree("{\"paused\":true,\"draining\":false}")))
        .isEqualTo("PAUSED");
    assertThat(StatusText.state(json.readTree("{\"paused\":false,\"draining\":true}")))
        .isEqualTo("DRAINING");
    assertThat(StatusText.state(json.readTree("{\"paused\":true,\"draining\":true}")))
        .startsWith("DRAINING, PAUSED");
  }
}
