package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.partition.FairShare;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One release step's share between partitions: the permits the gate granted, divided by {@link
 * PartitionSharing} between the partitions the backlog has due events in, turned into the {@link
 * PartitionQuotas} each claim of the step takes at most, less what earlier claims of the step took.
 *
 * <p>A backlog counts as due the events that wait for an earlier change of their key, which a claim
 * skips; so a partition may give fewer than it was granted. The permits it leaves are lent once
 * ({@link #lendLeftover}) to the partitions that took all they were granted, so they do not go back
 * to the gate while other work waits.
 */
final class PartitionStep {
  private final PartitionSharing sharing;
  private final Map<String, Integer> due = new TreeMap<>();
  private final Map<String, Integer> granted = new HashMap<>();
  private final Map<String, Integer> claimed = new HashMap<>();
  private final Instant now;
  private boolean lent;

  private PartitionStep(PartitionSharing sharing, Instant now) {
    this.sharing = sharing;
    this.now = now;
  }

  /**
   * Asks the backlog which partitions have due events (each counted up to {@code permits}) and
   * divides {@code permits} between them.
   */
  static PartitionStep begin(PartitionSharing sharing, Backlog backlog, int permits, Instant now) {
    PartitionStep step = new PartitionStep(sharing, now);
    for (PartitionDue d : backlog.duePartitions(now, permits)) {
      step.due.put(d.partition(), d.due());
    }
    FairShare.Allocation a = sharing.allocate(permits, step.due, now);
    step.granted.putAll(a.granted());
    return step;
  }

  /** What the next claim may take from each partition: its grant less what the step took. */
  PartitionQuotas quotas() {
    Map<String, Integer> left = new HashMap<>();
    granted.forEach(
        (p, g) -> {
          int n = g - claimed.getOrDefault(p, 0);
          if (n > 0) {
            left.put(p, n);
          }
        });
    return PartitionQuotas.limits(left);
  }

  /** A claim of the step took {@code jobs}. */
  void took(List<Job> jobs) {
    for (Job j : jobs) {
      claimed.merge(sharing.partitionOf(j), 1, Integer::sum);
    }
  }

  /**
   * Lends {@code leftover} permits, once per step, to the partitions that took all they were
   * granted and may have more due. Returns whether it granted any (then claim again).
   */
  boolean lendLeftover(int leftover) {
    if (lent || leftover <= 0) {
      return false;
    }
    lent = true;
    Map<String, Integer> stillDue = new TreeMap<>();
    due.forEach(
        (p, n) -> {
          int took = claimed.getOrDefault(p, 0);
          if (took >= granted.getOrDefault(p, 0) && n > took) {
            stillDue.put(p, n - took);
          }
        });
    if (stillDue.isEmpty()) {
      return false;
    }
    FairShare.Allocation more = sharing.lend(leftover, stillDue, claimed, now);
    more.granted().forEach((p, g) -> granted.merge(p, g, Integer::sum));
    return more.total() > 0;
  }
}
