package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.gate.Limits;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice releases}: the release log as JSON lines. */
class ReleasesCommandTest {
  @TempDir Path dataDir;

  @Test
  void releases_whenEventsReleased_printsOneJsonLinePerRelease() throws Exception {
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, RecordingTarget.completing(), Limits.none(), false)) {
      List<String> keys = InProcessSluice.keys("r", 3);
      sluice.postObjects(keys);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sluice.status().get("completed").asLong() == 3);

      CliRun run = CliRun.of("releases", "--url", sluice.url());

      assertThat(run.exitCode()).isZero();
      assertThat(run.outLines()).hasSize(3);
      List<String> printedKeys = new ArrayList<>();
      for (String line : run.outLines()) {
        JsonNode release = Json.MAPPER.readTree(line);
        printedKeys.add(release.get("key").asText());
        assertThat(release.get("bucket").asText()).isEqualTo("landing");
        assertThat(release.get("attempt").asInt()).isEqualTo(1);
        assertThat(release.get("outcome").asText()).isEqualTo("completed");
        // What the target saw, beside when the gate let it go.
        Instant releasedAt = Instant.parse(release.get("releasedAt").asText());
        Instant reachedAt = Instant.parse(release.get("reachedAt").asText());
        assertThat(reachedAt).isAfterOrEqualTo(releasedAt);
        assertThat(Instant.parse(release.get("answeredAt").asText())).isAfterOrEqualTo(reachedAt);
      }
      assertThat(printedKeys).containsExactlyInAnyOrderElementsOf(keys);
      CliRun later =
          CliRun.of("releases", "--url", sluice.url(), "--since", "2999-01-01T00:00:00Z");
      assertThat(later.exitCode()).isZero();
      assertThat(later.out()).isEmpty();
    }
  }

  @Test
  void releases_whenSinceIsNotAnInstant_failsWithOneLine() {
    try (InProcessSluice sluice =
        InProcessSluice.start(dataDir, RecordingTarget.completing(), Limits.none(), false)) {
      CliRun run = CliRun.of("releases", "--url", sluice.url(), "--since", "last-tuesday");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.errLines()).hasSize(1);
      assertThat(run.err()).contains("since").contains("last-tuesday");
    }
  }
}
