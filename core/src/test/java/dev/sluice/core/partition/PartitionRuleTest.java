package dev.sluice.core.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionRuleTest {

  @Test
  void none_putsEveryEventInTheEmptyPartition() {
    PartitionRule rule = PartitionRule.none();

    assertThat(rule.partitionOf("bucket-a", "tenant-a/x.parquet")).isEmpty();
    assertThat(rule.partitionOf("bucket-b", "x")).isEmpty();
    assertThat(rule.describe()).isEqualTo("none");
  }

  @Test
  void bucket_isTheBucketName() {
    PartitionRule rule = PartitionRule.bucket();

    assertThat(rule.partitionOf("bucket-a", "tenant-a/x.parquet")).isEqualTo("bucket-a");
    assertThat(rule.partitionOf("bucket-b", "tenant-a/x.parquet")).isEqualTo("bucket-b");
    assertThat(rule.describe()).isEqualTo("bucket");
  }

  @Test
  void prefixDepth1_isTheFirstSegmentWithItsSlash() {
    PartitionRule rule = PartitionRule.prefix(1);

    assertThat(rule.partitionOf("b", "tenant-a/2026/x.parquet")).isEqualTo("tenant-a/");
    assertThat(rule.partitionOf("b", "tenant-b/x")).isEqualTo("tenant-b/");
    assertThat(rule.describe()).isEqualTo("prefix depth 1");
  }

  @Test
  void prefix_leavesTheBucketOut() {
    PartitionRule rule = PartitionRule.prefix(1);

    assertThat(rule.partitionOf("bucket-a", "t/x")).isEqualTo(rule.partitionOf("bucket-b", "t/x"));
  }

  @Test
  void prefix_whenKeyHasNoSlash_isTheEmptyPartition() {
    assertThat(PartitionRule.prefix(1).partitionOf("b", "x.parquet")).isEmpty();
    assertThat(PartitionRule.prefix(3).partitionOf("b", "x.parquet")).isEmpty();
  }

  @Test
  void prefixDepth2_takesTwoSegments() {
    PartitionRule rule = PartitionRule.prefix(2);

    assertThat(rule.partitionOf("b", "tenant-a/2026/03/x.parquet")).isEqualTo("tenant-a/2026/");
    assertThat(rule.partitionOf("b", "tenant-a/2026/x.parquet")).isEqualTo("tenant-a/2026/");
    assertThat(rule.describe()).isEqualTo("prefix depth 2");
  }

  @Test
  void prefix_whenFewerSegmentsThanDepth_isTheDirectoryPart() {
    assertThat(PartitionRule.prefix(2).partitionOf("b", "a/x")).isEqualTo("a/");
    assertThat(PartitionRule.prefix(5).partitionOf("b", "a/b/x")).isEqualTo("a/b/");
  }

  @Test
  void prefix_whenKeyEndsWithSlash_keepsTheSlash() {
    assertThat(PartitionRule.prefix(1).partitionOf("b", "folder/")).isEqualTo("folder/");
    assertThat(PartitionRule.prefix(2).partitionOf("b", "folder/")).isEqualTo("folder/");
    assertThat(PartitionRule.prefix(2).partitionOf("b", "a/b/")).isEqualTo("a/b/");
    assertThat(PartitionRule.prefix(1).partitionOf("b", "a/b/")).isEqualTo("a/");
  }

  @Test
  void prefix_whenSegmentsAreEmpty_countsThemAsSegments() {
    assertThat(PartitionRule.prefix(1).partitionOf("b", "/x")).isEqualTo("/");
    assertThat(PartitionRule.prefix(2).partitionOf("b", "a//x")).isEqualTo("a//");
  }

  @Test
  void prefix_keepsUnicodeWhole() {
    PartitionRule rule = PartitionRule.prefix(1);

    assertThat(rule.partitionOf("b", "données/été/😀.csv")).isEqualTo("données/");
    assertThat(PartitionRule.prefix(2).partitionOf("b", "😀/日本語/x")).isEqualTo("😀/日本語/");
    assertThat(rule.partitionOf("b", "日本語.csv")).isEmpty();
  }

  @Test
  void prefix_whenDepthBelowOne_isRefused() {
    assertThatThrownBy(() -> PartitionRule.prefix(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("depth must be >= 1");
  }

  @Test
  void depth_whenNotAPrefixRule_isRefused() {
    assertThatThrownBy(() -> new PartitionRule(PartitionRule.By.BUCKET, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix rule only");
  }
}
