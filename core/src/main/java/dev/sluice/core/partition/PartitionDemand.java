package dev.sluice.core.partition;

import java.util.Objects;

/**
 * What one busy partition asks of a release step: how many of its events are due (or, for a
 * batching planner, how many it asks to release) and how many of its events are in flight now (what
 * its cap counts).
 *
 * @param partition the partition's name
 * @param demand events it could release now, >= 0
 * @param inFlight its events released and not yet settled, >= 0
 */
public record PartitionDemand(String partition, int demand, int inFlight) {
  public PartitionDemand {
    Objects.requireNonNull(partition, "partition");
    if (demand < 0 || inFlight < 0) {
      throw new IllegalArgumentException(
          "partition '"
              + partition
              + "': demand and in flight must be >= 0, got "
              + demand
              + " and "
              + inFlight);
    }
  }
}
