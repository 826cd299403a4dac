package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice where} and the forecast on {@code sluice status}, against a running service. */
class WhereCommandTest {
  @TempDir Path dataDir;

  @Test
  void where_whenTheObjectWaits_printsItsPositionAndForecastStart() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), Limits.window(5, Duration.ofMinutes(1)), true)) {
      sluice.postObjects(InProcessSluice.keys("w", 7));

      CliRun run = CliRun.of("where", "landing", "w-6.parquet", "--url", sluice.url());

      assertThat(run.exitCode()).isZero();
      assertThat(run.outLines())
          .contains(
              "object       landing w-6.parquet",
              "state        waiting",
              "position     7 (6 ahead)");
      assertThat(run.outLines())
          .anySatisfy(
              l ->
                  assertThat(l).startsWith("starts       in 1m00s, at ").endsWith(" once resumed"));
    }
  }

  @Test
  void where_whenPartitioned_printsItsPlaceByFairShare() {
    try (InProcessSluice sluice =
        InProcessSluice.startPartitioned(
            dataDir,
            RecordingTarget.completing(),
            new dev.sluice.service.config.PartitionsConfig(
                dev.sluice.core.partition.PartitionRule.prefix(1)),
            Limits.window(5, Duration.ofMinutes(1)),
            true)) {
      sluice.postObjects(InProcessSluice.keys("a/x", 30));
      sluice.postObjects(InProcessSluice.keys("b/x", 3));

      CliRun run = CliRun.of("where", "landing", "b/x-2.parquet", "--url", sluice.url());

      // b/'s third: two of b/'s and three of a/'s go first, so the second window, not the
      // seventh (32 ahead oldest first).
      assertThat(run.exitCode()).isZero();
      assertThat(run.outLines())
          .contains(
              "state        waiting",
              "position     6 by fair share (2 ahead in partition 'b/', 32 in the backlog)");
      assertThat(run.outLines())
          .anySatisfy(
              l ->
                  assertThat(l).startsWith("starts       in 1m00s, at ").endsWith(" once resumed"));
    }
  }

  @Test
  void where_whenNoSuchObject_failsWithOneLine() {
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, RecordingTarget.completing(), Limits.none(), true)) {
      CliRun run = CliRun.of("where", "landing", "nope/x.csv", "--url", sluice.url());

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.err()).contains("404").contains("no event for bucket landing key nope/x.csv");
    }
  }

  @Test
  void status_whenABacklogWaits_showsTheRateAndTheDrainForecast() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), Limits.window(5, Duration.ofMinutes(1)), true)) {
      sluice.postObjects(InProcessSluice.keys("s", 7));

      CliRun run = CliRun.of("status", "--url", sluice.url());

      assertThat(run.exitCode()).isZero();
      assertThat(run.outLines()).contains("rate         0.0/s (0 released in the last minute)");
      assertThat(run.outLines())
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("forecast     drained in 1m00s (")
                      .endsWith(") once resumed, 0.1/s at most, target answers in 0.0s"));
    }
  }
}
