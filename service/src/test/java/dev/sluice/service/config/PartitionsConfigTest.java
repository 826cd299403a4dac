package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.partition.PartitionRule;
import org.junit.jupiter.api.Test;

/** The {@code partitions} section: the rule it names, and the errors a wrong one gets. */
class PartitionsConfigTest {

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    assertThat(e.getMessage()).doesNotContain("\n");
    return e.getMessage();
  }

  private static PartitionRule ruleOf(String yaml) {
    return ConfigLoader.parse(yaml).partitions().rule();
  }

  @Test
  void parse_whenNoPartitionsSection_hasNoPartitions() {
    assertThat(ruleOf("data-dir: ./d\n")).isEqualTo(PartitionRule.none());
  }

  @Test
  void parse_whenByNone_hasNoPartitions() {
    assertThat(ruleOf("partitions: { by: none }\n")).isEqualTo(PartitionRule.none());
  }

  @Test
  void parse_whenByBucket_partitionsByBucket() {
    assertThat(ruleOf("partitions: { by: bucket }\n")).isEqualTo(PartitionRule.bucket());
  }

  @Test
  void parse_whenByPrefixWithoutDepth_takesOneSegment() {
    PartitionRule rule = ruleOf("partitions: { by: prefix }\n");

    assertThat(rule).isEqualTo(PartitionRule.prefix(1));
    assertThat(rule.partitionOf("b", "tenant-a/2026/x.parquet")).isEqualTo("tenant-a/");
  }

  @Test
  void parse_whenByPrefixWithDepth_takesThatManySegments() {
    assertThat(ruleOf("partitions:\n  by: prefix\n  depth: 3\n"))
        .isEqualTo(PartitionRule.prefix(3));
  }

  @Test
  void parse_whenByIsUnknown_namesTheKeyAndTheChoices() {
    assertThat(errorOf("partitions: { by: tenant }\n"))
        .startsWith("partitions.by: unknown value 'tenant'")
        .contains("none, bucket, prefix");
  }

  @Test
  void parse_whenDepthIsZero_namesTheKey() {
    assertThat(errorOf("partitions: { by: prefix, depth: 0 }\n"))
        .startsWith("partitions.depth: must be >= 1")
        .contains("got 0");
  }

  @Test
  void parse_whenDepthIsNotAnInteger_namesTheKey() {
    assertThat(errorOf("partitions: { by: prefix, depth: two }\n"))
        .startsWith("partitions.depth: expected an integer");
  }

  @Test
  void parse_whenDepthGivenWithoutPrefix_saysItAppliesToPrefixOnly() {
    assertThat(errorOf("partitions: { by: bucket, depth: 2 }\n"))
        .startsWith("partitions.depth: applies to partitions.by: prefix only")
        .contains("bucket");
    assertThat(errorOf("partitions: { depth: 2 }\n"))
        .startsWith("partitions.depth: applies to partitions.by: prefix only")
        .contains("none");
  }

  @Test
  void parse_whenUnknownKey_isRefused() {
    assertThat(errorOf("partitions: { by: prefix, dept: 2 }\n"))
        .isEqualTo("unknown key 'dept' in partitions (did you mean 'depth'?)");
  }

  @Test
  void withPartitions_keepsTheRestOfTheConfiguration() {
    SluiceConfig config = ConfigLoader.parse("retention: { dedup: 2d }\n");

    SluiceConfig partitioned = config.withPartitions(new PartitionsConfig(PartitionRule.prefix(2)));

    assertThat(partitioned.partitions().rule()).isEqualTo(PartitionRule.prefix(2));
    assertThat(partitioned.retention()).isEqualTo(config.retention());
    assertThat(partitioned.withLimits(config.limits()).partitions())
        .isEqualTo(partitioned.partitions());
  }
}
