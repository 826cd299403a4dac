package dev.sluice.service.config;

import dev.sluice.core.partition.PartitionRule;
import java.util.Objects;

/**
 * How events are grouped into partitions ({@code partitions:}). The store keeps each event's
 * partition from when it is appended, so a changed rule applies to events appended after the
 * change; events already held keep theirs.
 *
 * @param rule how an event's partition is worked out from its bucket and key ({@code by}, {@code
 *     depth}); {@link PartitionRule#NONE} by default: one partition, today's release order
 */
public record PartitionsConfig(PartitionRule rule) {

  public PartitionsConfig {
    Objects.requireNonNull(rule, "rule");
  }

  /** No partitions. */
  public static PartitionsConfig defaults() {
    return new PartitionsConfig(PartitionRule.NONE);
  }
}
