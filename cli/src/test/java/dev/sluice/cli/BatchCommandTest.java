package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.config.BatchConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice batch}: show the batches, change their size and wait, refuse bad values. */
class BatchCommandTest {
  @TempDir Path dataDir;

  private InProcessSluice batching(LimitCount count, Limits limits) {
    return InProcessSluice.startBatching(
        dataDir,
        RecordingTarget.completing(),
        limits,
        new BatchConfig(new BatchSettings(10, Duration.ofSeconds(30)), count),
        true);
  }

  @Test
  void batch_showsTheSettings_thenChangesMaxAndWaitAndAuditsIt() {
    try (InProcessSluice sluice = batching(LimitCount.JOBS, Limits.none())) {
      CliRun shown = CliRun.of("batch", "--url", sluice.url());
      assertThat(shown.exitCode()).isZero();
      assertThat(shown.out().strip())
          .isEqualTo(
              "max 10, wait 30s, limits count jobs, by bucket; 0 released (mean size 0.0),"
                  + " 0 partial, 0 partly failed");

      CliRun changed = CliRun.of("batch", "--url", sluice.url(), "--max", "4", "--wait", "2s");
      assertThat(changed.exitCode()).isZero();
      assertThat(changed.out().strip()).startsWith("max 4, wait 2s, limits count jobs, by bucket;");

      CliRun waitOnly = CliRun.of("batch", "--url", sluice.url(), "--wait", "500ms");
      assertThat(waitOnly.out().strip()).startsWith("max 4, wait 500ms,");

      CliRun status = CliRun.of("status", "--url", sluice.url());
      assertThat(status.out()).contains("batches      max 4, wait 500ms");

      CliRun audit = CliRun.of("audit", "--url", sluice.url());
      assertThat(audit.outLines().get(0)).contains("\tbatch\tcli 127.0.0.1\t");
    }
  }

  @Test
  void batch_whenAValueIsRefused_failsWithOneLineNamingItAndChangesNothing() {
    try (InProcessSluice sluice =
        batching(LimitCount.OBJECTS, Limits.window(12, Duration.ofSeconds(1)))) {
      CliRun off = CliRun.of("batch", "--url", sluice.url(), "--max", "1");
      assertThat(off.exitCode()).isNotZero();
      assertThat(off.err().strip()).contains("batch.max: must stay above 1").doesNotContain("\n");

      CliRun tooBig = CliRun.of("batch", "--url", sluice.url(), "--max", "20");
      assertThat(tooBig.exitCode()).isNotZero();
      assertThat(tooBig.err()).contains("batch.max must be at most limits.window.limit (12)");

      CliRun badWait = CliRun.of("batch", "--url", sluice.url(), "--wait", "later");
      assertThat(badWait.exitCode()).isNotZero();
      assertThat(badWait.err()).contains("batch.wait:");

      assertThat(sluice.status().get("batch").get("max").asInt()).isEqualTo(10);
      assertThat(sluice.status().get("batch").get("wait").asText()).isEqualTo("30s");
    }
  }

  @Test
  void batch_whenNotBatching_saysSoAndRefusesToSwitchItOn() {
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, RecordingTarget.completing(), Limits.none(), true)) {
      CliRun shown = CliRun.of("batch", "--url", sluice.url());
      assertThat(shown.exitCode()).isZero();
      assertThat(shown.out().strip()).startsWith("off: every job carries one event");

      CliRun on = CliRun.of("batch", "--url", sluice.url(), "--max", "20");
      assertThat(on.exitCode()).isNotZero();
      assertThat(on.err()).contains("batch.max: batching is off");
    }
  }
}
