package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.partition.PartitionRule;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code batch} section and {@code limits.count}: what they set, and the errors they get. */
class BatchConfigTest {

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    assertThat(e.getMessage()).doesNotContain("\n");
    return e.getMessage();
  }

  @Test
  void parse_whenNoBatchSection_isOneEventPerJobCountingObjects() {
    SluiceConfig c = ConfigLoader.parse("data-dir: ./d\n");
    assertThat(c.batch().batching()).isFalse();
    assertThat(c.batch().count()).isEqualTo(LimitCount.OBJECTS);
    assertThat(c.partitions().rule()).isEqualTo(PartitionRule.none());
  }

  @Test
  void parse_whenBatchAndCount_setsThemAndGroupsByBucketWithoutPartitions() {
    SluiceConfig c =
        ConfigLoader.parse(
            "batch: { max: 20, wait: 30s }\nlimits:\n  count: jobs\n  window: { limit: 5, every: 1m }\n");
    assertThat(c.batch().settings().max()).isEqualTo(20);
    assertThat(c.batch().settings().maxWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.batch().count()).isEqualTo(LimitCount.JOBS);
    assertThat(c.limits().window().limit()).isEqualTo(5);
    assertThat(c.partitions().rule()).isEqualTo(PartitionRule.bucket());
  }

  @Test
  void parse_whenBatchAndPartitions_keepsThePartitionRule() {
    SluiceConfig c =
        ConfigLoader.parse(
            "batch: { max: 20, wait: 30s }\nlimits: { count: objects }\n"
                + "partitions: { by: prefix, depth: 2 }\n");
    assertThat(c.partitions().rule()).isEqualTo(PartitionRule.prefix(2));
    assertThat(c.batch().count()).isEqualTo(LimitCount.OBJECTS);
  }

  @Test
  void parse_whenBatchMaxAboveOneWithoutCount_namesLimitsCount() {
    assertThat(errorOf("batch: { max: 20, wait: 30s }\n"))
        .startsWith("limits.count: must be set to jobs or objects when batch.max is above 1");
  }

  @Test
  void parse_whenBatchMaxIsOne_needsNoCount() {
    SluiceConfig c = ConfigLoader.parse("batch: { max: 1 }\n");
    assertThat(c.batch().batching()).isFalse();
    assertThat(c.partitions().rule()).isEqualTo(PartitionRule.none());
  }

  @Test
  void parse_whenCountIsUnknown_namesTheKeyAndTheChoices() {
    assertThat(errorOf("batch: { max: 5 }\nlimits: { count: events }\n"))
        .startsWith("limits.count: unknown value 'events'")
        .contains("jobs, objects");
  }

  @Test
  void parse_whenBatchFieldsAreWrong_namesTheKey() {
    assertThat(errorOf("batch: { max: 0 }\n")).startsWith("batch.max: must be between 1 and");
    assertThat(errorOf("batch: { max: 5, wait: -1s }\nlimits: { count: jobs }\n"))
        .startsWith("batch.wait");
    assertThat(errorOf("batch: { max: 5, size: 3 }\n")).contains("size").contains("in batch");
  }

  @Test
  void parse_whenCountingObjectsAndALimitIsBelowMax_namesBatchMaxAndTheLimit() {
    assertThat(
            errorOf(
                "batch: { max: 20 }\nlimits:\n  count: objects\n  window: { limit: 10, every: 1s }\n"))
        .startsWith("batch.max: must be at most limits.window.limit (10)");
    assertThat(
            errorOf(
                "batch: { max: 20 }\nlimits:\n  count: objects\n  concurrency: { max-in-flight: 4 }\n"))
        .contains("limits.concurrency.max-in-flight (4)");
    // Counting jobs, a window of 10 batches is fine.
    ConfigLoader.parse(
        "batch: { max: 20 }\nlimits:\n  count: jobs\n  window: { limit: 10, every: 1s }\n");
  }

  @Test
  void parse_whenAPartitionCapIsBelowBatchMax_namesTheCapAndBatchMax() {
    assertThat(
            errorOf(
                "batch: { max: 20, wait: 30s }\nlimits: { count: jobs }\n"
                    + "partitions: { by: prefix, caps: { a/: 10 } }\n"))
        .contains("partitions.caps.'a/': must be at least batch.max (20)");
  }

  @Test
  void limitsAtRuntime_refuseCount() {
    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () ->
                        LimitsDocument.read(
                            new com.fasterxml.jackson.databind.ObjectMapper()
                                .createObjectNode()
                                .put("count", "jobs")))
                .getMessage())
        .contains("count");
  }

  @Test
  void exampleFile_itsBatchSectionUncommented_parsesWithACount() throws Exception {
    // Surefire runs in the module directory; the example lives at the repository root.
    String example =
        java.nio.file.Files.readString(java.nio.file.Path.of("..", "sluice.example.yaml"));
    StringBuilder section = new StringBuilder();
    boolean in = false;
    for (String line : example.split("\n")) {
      if (line.startsWith("# batch:")) {
        in = true;
      } else if (in && !line.startsWith("#")) {
        break;
      }
      if (in) {
        section.append(line.substring(Math.min(2, line.length()))).append('\n');
      }
    }
    assertThat(section).as("the example documents a batch: section").isNotEmpty();

    SluiceConfig c = ConfigLoader.parse(section + "limits: { count: jobs }\n");

    assertThat(c.batch().settings().max()).isEqualTo(20);
    assertThat(c.batch().settings().maxWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(errorOf(section.toString())).startsWith("limits.count: must be set");
  }
}
