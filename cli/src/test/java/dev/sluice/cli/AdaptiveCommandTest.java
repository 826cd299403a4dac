package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice adaptive}: show, switch on and off, change settings; and its line in status. */
class AdaptiveCommandTest {
  @TempDir Path dataDir;

  @Test
  void adaptive_whenSwitchedOnWithSettings_showsTheLimitAtTheCeilingAndAuditsIt() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), Limits.none().withMaxInFlight(6), true)) {
      CliRun shown = CliRun.of("adaptive", "--url", sluice.url());
      assertThat(shown.exitCode()).isZero();
      assertThat(shown.out().strip()).isEqualTo("off (min 1, backoff 0.9)");

      CliRun on =
          CliRun.of("adaptive", "on", "--url", sluice.url(), "--min", "2", "--latency-above", "3s");
      assertThat(on.exitCode()).isZero();
      assertThat(on.out().strip())
          .startsWith("on: 6 in flight of max 6 (last: settings 6 -> 6 at ")
          .endsWith("; 0 down, 0 up); min 2, backoff 0.9, slow above 3s");

      CliRun status = CliRun.of("status", "--url", sluice.url());
      assertThat(status.out()).contains("adaptive     on: 6 in flight of max 6");

      CliRun audit = CliRun.of("audit", "--url", sluice.url());
      assertThat(audit.outLines().get(0)).contains("\tadaptive\tcli 127.0.0.1\t");

      CliRun off = CliRun.of("adaptive", "off", "--url", sluice.url(), "--no-latency");
      assertThat(off.out().strip()).isEqualTo("off (min 2, backoff 0.9)");
    }
  }

  @Test
  void adaptive_withRate_showsTheWindowAllowedNowAndKeepsItOnOffAgain() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir,
            RecordingTarget.completing(),
            Limits.window(100, java.time.Duration.ofSeconds(1)),
            true)) {
      CliRun on = CliRun.of("adaptive", "on", "--rate", "--url", sluice.url());
      assertThat(on.exitCode()).isZero();
      assertThat(on.out().strip())
          .contains("min 1, backoff 0.9, rate adapts; rate x1.00: window 100 (last: settings at ")
          .endsWith("; 0 down, 0 up)");
      JsonNode adaptive = sluice.status().get("adaptive");
      assertThat(adaptive.get("rate").asBoolean()).isTrue();
      assertThat(adaptive.get("rateFactor").asDouble()).isEqualTo(1.0);
      assertThat(adaptive.get("windowLimitNow").asInt()).isEqualTo(100);
      assertThat(adaptive.get("ratePerSecondNow").isNull()).isTrue();

      CliRun noRate = CliRun.of("adaptive", "--no-rate", "--url", sluice.url());
      assertThat(noRate.out().strip()).endsWith("min 1, backoff 0.9");
      assertThat(sluice.status().get("adaptive").get("rate").asBoolean()).isFalse();

      CliRun both = CliRun.of("adaptive", "--rate", "--no-rate", "--url", sluice.url());
      assertThat(both.exitCode()).isNotZero();
      assertThat(both.err()).contains("--rate and --no-rate");
    }
  }

  @Test
  void adaptive_whenSwitchIsNeitherOnNorOff_failsNamingIt() {
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, RecordingTarget.completing(), Limits.none(), true)) {
      CliRun run = CliRun.of("adaptive", "maybe", "--url", sluice.url());
      assertThat(run.exitCode()).isNotZero();
      assertThat(run.err()).contains("expected on or off, got 'maybe'");
      JsonNode status = sluice.status();
      assertThat(status.get("adaptive").get("enabled").asBoolean()).isFalse();
    }
  }
}
