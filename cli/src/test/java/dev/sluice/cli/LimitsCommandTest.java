package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice limits}: show, change part of, and refuse bad limits. */
class LimitsCommandTest {
  @TempDir Path dataDir;

  private static final Limits FIVE_PER_MINUTE_FOUR_IN_FLIGHT =
      new Limits(new Limits.Window(5, Duration.ofMinutes(1), false), null, 4);

  @Test
  void limits_whenNoOption_printsTheCurrentLimits() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), FIVE_PER_MINUTE_FOUR_IN_FLIGHT, true)) {
      CliRun run = CliRun.of("limits", "--url", sluice.url());

      assertThat(run.exitCode()).isZero();
      assertThat(run.out().strip()).isEqualTo("5 per 1m (sliding), max 4 in flight");
    }
  }

  @Test
  void limits_whenWindowGiven_changesItAndKeepsTheOtherParts() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), FIVE_PER_MINUTE_FOUR_IN_FLIGHT, true)) {
      CliRun run = CliRun.of("limits", "--url", sluice.url(), "--limit", "10", "--every", "1s");

      assertThat(run.exitCode()).isZero();
      assertThat(run.out().strip()).isEqualTo("10 per 1s (sliding), max 4 in flight");
      JsonNode limits = sluice.limits();
      assertThat(limits.get("window").get("limit").asInt()).isEqualTo(10);
      assertThat(limits.get("window").get("every").asText()).isEqualTo("1s");
      assertThat(limits.get("concurrency").get("max-in-flight").asInt()).isEqualTo(4);
      assertThat(limits.get("rate").isNull()).isTrue();
    }
  }

  @Test
  void limits_whenOnlyLimitGiven_keepsTheWindowLength() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), FIVE_PER_MINUTE_FOUR_IN_FLIGHT, true)) {
      CliRun run = CliRun.of("limits", "--url", sluice.url(), "--limit", "7");

      assertThat(run.exitCode()).isZero();
      assertThat(run.out().strip()).isEqualTo("7 per 1m (sliding), max 4 in flight");
    }
  }

  @Test
  void limits_whenLimitNegative_failsWithOneLineNamingTheFieldAndChangesNothing() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), FIVE_PER_MINUTE_FOUR_IN_FLIGHT, true)) {
      CliRun run = CliRun.of("limits", "--url", sluice.url(), "--limit", "-1", "--every", "1s");

      assertThat(run.exitCode()).isNotZero();
      assertThat(run.out()).isEmpty();
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.err()).contains("limits.window.limit").contains("-1");
      assertThat(sluice.limits().get("window").get("limit").asInt()).isEqualTo(5);
    }
  }
}
