package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlTokenTest {
  @TempDir Path dataDir;

  @Test
  void status_whenControlIsProtected_needsTheToken() {
    try (InProcessSluice sluice =
        InProcessSluice.start(
            dataDir, RecordingTarget.completing(), Limits.none(), true, "s3cret")) {
      CliRun without = CliRun.of("status", "--url", sluice.url());
      assertThat(without.exitCode()).isEqualTo(1);
      assertThat(without.err().lines()).hasSize(1);
      assertThat(without.err()).contains("401");

      CliRun with = CliRun.of("status", "--url", sluice.url(), "--token", "s3cret");
      assertThat(with.exitCode()).isZero();
      assertThat(with.out()).contains("state        PAUSED");
    }
  }
}
