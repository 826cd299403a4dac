package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice audit}, {@code sluice drain}, {@code sluice dead purge}, and limits in part. */
class ControlCommandsTest {
  @TempDir Path dataDir;

  @Test
  void audit_afterPauseAndLimits_listsThemNewestFirstAsFromTheCli() throws Exception {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir,
            RecordingTarget.completing(),
            new Limits(new Limits.Window(5, Duration.ofMinutes(1), false), null, 4),
            false)) {
      assertThat(CliRun.of("pause", "--url", sluice.url()).exitCode()).isZero();
      assertThat(CliRun.of("limits", "--url", sluice.url(), "--max-in-flight", "9").exitCode())
          .isZero();

      CliRun run = CliRun.of("audit", "--url", sluice.url());
      CliRun json = CliRun.of("audit", "--json", "--url", sluice.url());

      assertThat(run.exitCode()).isZero();
      assertThat(run.outLines()).hasSize(2);
      assertThat(run.outLines().get(0)).contains("\tlimits\tcli 127.0.0.1\t");
      assertThat(run.outLines().get(1)).contains("\tpause\tcli 127.0.0.1\t");
      JsonNode limits = Json.MAPPER.readTree(json.outLines().get(0));
      assertThat(limits.get("before").get("concurrency").get("max-in-flight").asInt()).isEqualTo(4);
      assertThat(limits.get("after").get("concurrency").get("max-in-flight").asInt()).isEqualTo(9);
      assertThat(limits.get("after").get("window").get("limit").asInt()).isEqualTo(5);
      assertThat(CliRun.of("audit", "--limit", "1", "--url", sluice.url()).outLines()).hasSize(1);
    }
  }

  @Test
  void limits_whenRateOnlyGivenAndTheWindowChangedMeanwhile_keepsTheOtherChange() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), Limits.window(5, Duration.ofMinutes(1)), true)) {
      // Another operator raised the window since this one last looked.
      assertThat(CliRun.of("limits", "--url", sluice.url(), "--limit", "30").exitCode()).isZero();

      CliRun run = CliRun.of("limits", "--url", sluice.url(), "--rate", "2.5");

      assertThat(run.exitCode()).isZero();
      JsonNode limits = sluice.limits();
      assertThat(limits.get("window").get("limit").asInt()).isEqualTo(30);
      assertThat(limits.get("rate").get("per-second").asDouble()).isEqualTo(2.5);
      assertThat(limits.get("rate").get("burst").asInt()).isEqualTo(2);
    }
  }

  @Test
  void deadPurge_whenIdsGiven_purgesThoseAndRefusesWithoutIdsOrAll() {
    RecordingTarget target = RecordingTarget.answering(Outcome.permanent("422 schema mismatch"));
    try (InProcessSluice sluice = InProcessSluice.start(dataDir, target, Limits.none(), false)) {
      sluice.postObjects(List.of("x.parquet", "y.parquet", "z.parquet"));
      await().atMost(Duration.ofSeconds(10)).until(() -> sluice.dead().get("dead").size() == 3);
      long xId = sluice.dead().get("dead").get(0).get("eventId").asLong();

      CliRun bare = CliRun.of("dead", "purge", "--url", sluice.url());
      assertThat(bare.exitCode()).isNotZero();
      assertThat(bare.err()).contains("--all");
      assertThat(sluice.dead().get("dead")).hasSize(3);

      CliRun one = CliRun.of("dead", "purge", "--url", sluice.url(), String.valueOf(xId));
      assertThat(one.exitCode()).isZero();
      assertThat(one.out().strip()).isEqualTo("purged 1");
      assertThat(sluice.dead().get("dead")).hasSize(2);

      CliRun all = CliRun.of("dead", "purge", "--all", "--url", sluice.url());
      assertThat(all.out().strip()).isEqualTo("purged 2");
      assertThat(sluice.dead().get("dead")).isEmpty();
      assertThat(CliRun.of("audit", "--url", sluice.url()).outLines())
          .hasSize(2)
          .allMatch(l -> l.contains("\tpurge\tcli "));
    }
  }

  @Test
  void drain_whenEventsWait_refusesNewOnesAndCompletesOnceReleased() {
    RecordingTarget target = RecordingTarget.completing();
    try (InProcessSluice sluice = InProcessSluice.start(dataDir, target, Limits.none(), true)) {
      sluice.postObjects(InProcessSluice.keys("d", 5));

      CliRun run = CliRun.of("drain", "--url", sluice.url());

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).contains("draining: 5 waiting").contains("sluice resume");
      assertThat(sluice.status().get("draining").asBoolean()).isTrue();
      assertThat(CliRun.of("resume", "--url", sluice.url()).exitCode()).isZero();
      await().atMost(Duration.ofSeconds(10)).until(() -> sluice.service.drained().isDone());
      assertThat(target.count()).isEqualTo(5);
    }
  }
}
