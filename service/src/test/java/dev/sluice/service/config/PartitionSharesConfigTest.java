package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.partition.PartitionShares;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The weights and caps of the {@code partitions} section, the runtime patch that changes them, and
 * the document nodes share them through.
 */
class PartitionSharesConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    return e.getMessage();
  }

  @Test
  void parse_whenNoWeights_everyPartitionWeighsOne() {
    assertThat(ConfigLoader.parse("partitions: { by: bucket }\n").partitions().shares())
        .isEqualTo(PartitionShares.EQUAL);
    assertThat(SluiceConfig.defaults().partitions().shares()).isEqualTo(PartitionShares.EQUAL);
  }

  @Test
  void parse_whenWeightsAndCapsGiven_keepsThem() {
    PartitionShares shares =
        ConfigLoader.parse(
                "partitions:\n"
                    + "  by: prefix\n"
                    + "  default-weight: 2\n"
                    + "  weights:\n"
                    + "    tenant-a/: 6\n"
                    + "    tenant.b/: 1\n"
                    + "  caps:\n"
                    + "    tenant-c/: 20\n")
            .partitions()
            .shares();
    assertThat(shares.weights())
        .containsExactly(Map.entry("tenant-a/", 6), Map.entry("tenant.b/", 1));
    assertThat(shares.caps()).containsExactly(Map.entry("tenant-c/", 20));
    assertThat(shares.defaultWeight()).isEqualTo(2);
    assertThat(shares.weightOf("other/")).isEqualTo(2);
  }

  @Test
  void parse_whenAValueIsBad_namesTheKey() {
    assertThat(errorOf("partitions: { by: bucket, weights: { landing: 0 } }\n"))
        .isEqualTo("partitions.weights.'landing': must be between 1 and 1000000, got 0");
    assertThat(errorOf("partitions: { by: bucket, caps: { landing: -2 } }\n"))
        .isEqualTo("partitions.caps.'landing': must be >= 1, got -2");
    assertThat(errorOf("partitions: { by: bucket, weights: { landing: lots } }\n"))
        .isEqualTo("partitions.weights.'landing': expected an integer, got 'lots'");
    assertThat(errorOf("partitions: { by: bucket, default-weight: 0 }\n"))
        .isEqualTo("partitions.default-weight: must be between 1 and 1000000, got 0");
    assertThat(errorOf("partitions: { by: bucket, weight: { a: 1 } }\n"))
        .startsWith("unknown key 'weight' in partitions");
  }

  @Test
  void parse_whenWeightsWithoutPartitions_saysTheyNeedARule() {
    assertThat(errorOf("partitions: { weights: { a/: 2 } }\n"))
        .startsWith("partitions.weights: ")
        .contains("partitions.by");
  }

  @Test
  void patch_mergesEntries_nullRemovesOne_andKeepsTheRest() throws Exception {
    PartitionShares current = new PartitionShares(Map.of("a/", 3, "b/", 2), Map.of("c/", 5), 1);
    PartitionShares patched =
        PartitionsDocument.patch(
            current,
            JSON.readTree("{\"weights\": {\"b/\": null, \"d/\": 7}, \"default-weight\": 4}"));
    assertThat(patched)
        .isEqualTo(new PartitionShares(Map.of("a/", 3, "d/", 7), Map.of("c/", 5), 4));
    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () -> PartitionsDocument.patch(current, JSON.readTree("{}")))
                .getMessage())
        .contains("at least one of weights, caps and default-weight");
    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () -> PartitionsDocument.patch(current, JSON.readTree("{\"by\": \"bucket\"}")))
                .getMessage())
        .startsWith("unknown key 'by' in partitions");
  }

  @Test
  void document_readsWhatItWrites() {
    PartitionShares shares = new PartitionShares(Map.of("a/", 3), Map.of("b/", 9), 2);
    assertThat(PartitionsDocument.read(PartitionsDocument.write(shares, JSON))).isEqualTo(shares);
    assertThat(PartitionsDocument.read(PartitionsDocument.write(PartitionShares.EQUAL, JSON)))
        .isEqualTo(PartitionShares.EQUAL);
  }

  @Test
  void exampleFile_itsPartitionsSectionUncommented_parses() throws Exception {
    // Surefire runs in the module directory; the example lives at the repository root.
    String example =
        java.nio.file.Files.readString(java.nio.file.Path.of("..", "sluice.example.yaml"));
    StringBuilder section = new StringBuilder();
    boolean in = false;
    for (String line : example.split("\n")) {
      if (line.startsWith("# partitions:")) {
        in = true;
      } else if (in && !line.startsWith("#")) {
        break;
      }
      if (in) {
        section.append(line.substring(Math.min(2, line.length()))).append('\n');
      }
    }

    PartitionsConfig p = ConfigLoader.parse(section.toString()).partitions();

    assertThat(p.rule()).isEqualTo(dev.sluice.core.partition.PartitionRule.prefix(1));
    assertThat(p.shares())
        .isEqualTo(new PartitionShares(Map.of("tenant-a/", 3), Map.of("tenant-b/", 20), 1));
  }
}
