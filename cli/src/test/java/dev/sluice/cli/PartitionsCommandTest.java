package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice partitions}: show the busy partitions, change weights and caps, refuse bad ones.
 */
class PartitionsCommandTest {
  @TempDir Path dataDir;

  private static String line(CliRun run, String partition) {
    return run.outLines().stream()
        .filter(l -> l.startsWith(partition + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + partition + " in " + run.out()));
  }

  @Test
  void partitions_showsTheBusyOnes_andChangesWeightsAndCaps() {
    PartitionsConfig partitions =
        new PartitionsConfig(
            PartitionRule.prefix(1), PartitionShares.EQUAL.withWeights(Map.of("a/", 2)));
    try (InProcessSluice sluice =
        InProcessSluice.startPartitioned(dataDir, RecordingTarget.completing(), partitions, true)) {
      sluice.postObjects(InProcessSluice.keys("a/x", 6));
      sluice.postObjects(InProcessSluice.keys("b/x", 2));

      CliRun shown = CliRun.of("partitions", "--url", sluice.url());
      assertThat(shown.exitCode()).isZero();
      assertThat(shown.outLines().get(0))
          .isEqualTo("partitions by prefix depth 1; default weight 1");
      // weight 2, no cap, 6 due, none in flight or released, 2/3 of the limit
      assertThat(line(shown, "a/").split("\\s+"))
          .containsExactly("a/", "2", "-", "6", "0", "0", "66.7%");
      assertThat(line(shown, "b/").split("\\s+"))
          .containsExactly("b/", "1", "-", "2", "0", "0", "33.3%");

      CliRun changed =
          CliRun.of(
              "partitions",
              "--url",
              sluice.url(),
              "--weight",
              "b/=6",
              "--cap",
              "a/=4",
              "--reset-weight",
              "a/");
      assertThat(changed.exitCode()).isZero();
      assertThat(line(changed, "a/").split("\\s+"))
          .containsExactly("a/", "1", "4", "6", "0", "0", "14.3%");
      assertThat(line(changed, "b/").split("\\s+"))
          .containsExactly("b/", "6", "-", "2", "0", "0", "85.7%");

      CliRun audit = CliRun.of("audit", "--url", sluice.url());
      assertThat(audit.outLines().get(0)).contains("\tpartitions\tcli 127.0.0.1\t");

      CliRun bad = CliRun.of("partitions", "--url", sluice.url(), "--weight", "b/");
      assertThat(bad.exitCode()).isNotZero();
      assertThat(bad.err()).contains("--weight: expected PARTITION=N, got 'b/'");
      CliRun zero = CliRun.of("partitions", "--url", sluice.url(), "--cap", "b/=0");
      assertThat(zero.exitCode()).isNotZero();
      assertThat(zero.err()).contains("partitions.caps.'b/'");
    }
  }
}
