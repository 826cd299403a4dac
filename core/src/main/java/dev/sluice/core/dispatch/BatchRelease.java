package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.partition.PartitionRule;
import java.time.Instant;

/**
 * How a dispatcher that releases batches groups them: the planner that decides each step's
 * per-partition quotas, the partition rule that groups the claimed jobs, and the permits the
 * batches in flight hold.
 */
final class BatchRelease {
  /**
   * Read once at the start of each step; replaced whole by {@link Dispatcher#setBatchSettings}, so
   * a step plans with one K and wait throughout.
   */
  volatile BatchPlanner planner;

  final PartitionRule rule;
  final BatchSlots slots;

  /** When a partition that waits for its batch to fill becomes ready, or null; releasing thread. */
  volatile Instant nextReadyAt;

  BatchRelease(BatchPlanner planner, PartitionRule rule) {
    this.planner = planner;
    this.rule = rule;
    this.slots = new BatchSlots(planner.count());
  }

  String partitionOf(Job job) {
    return rule.partitionOf(job.event().bucket(), job.event().key());
  }
}
