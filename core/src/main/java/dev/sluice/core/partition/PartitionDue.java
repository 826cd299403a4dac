package dev.sluice.core.partition;

import java.time.Instant;
import java.util.Objects;

/**
 * A partition that has due events, as {@link dev.sluice.core.backlog.Backlog#duePartitions} lists
 * it.
 *
 * @param partition the partition (see {@link PartitionRule})
 * @param due how many of its events are due, counted up to the limit the caller gave (so at most
 *     that limit); at least 1
 * @param oldestDue the earliest due time among them (for an expired lease, its lease end)
 */
public record PartitionDue(String partition, int due, Instant oldestDue) {

  public PartitionDue {
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(oldestDue, "oldestDue");
    if (due < 1) {
      throw new IllegalArgumentException("due must be >= 1, got " + due);
    }
  }
}
