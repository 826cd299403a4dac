package dev.sluice.core.batch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the {@link BatchPlanner} decided for one release step.
 *
 * @param quotas partition to the number of due events to claim from it (absent: none)
 * @param batchSizes the size of every batch planned, in the order partitions took turns
 * @param permitsUsed permits the batches take; the rest goes back to the gate
 * @param partialBatches batches smaller than K among them (their partition's wait had passed)
 * @param nextReadyAt when a partition that is not ready now becomes ready by its wait, or null: a
 *     releasing loop wakes then
 */
public record BatchPlan(
    Map<String, Integer> quotas,
    List<Integer> batchSizes,
    int permitsUsed,
    int partialBatches,
    Instant nextReadyAt) {

  public BatchPlan {
    quotas = Map.copyOf(quotas);
    batchSizes = List.copyOf(batchSizes);
  }

  /** Events to claim in all. */
  public int events() {
    int n = 0;
    for (int s : batchSizes) {
      n += s;
    }
    return n;
  }

  public int batches() {
    return batchSizes.size();
  }

  public boolean isEmpty() {
    return batchSizes.isEmpty();
  }

  /**
   * This plan followed by {@code more}, planned for the permits this one left: their quotas added
   * up, their batches one after the other.
   */
  public BatchPlan plus(BatchPlan more) {
    Map<String, Integer> q = new java.util.TreeMap<>(quotas);
    more.quotas.forEach((p, n) -> q.merge(p, n, Integer::sum));
    List<Integer> sizes = new java.util.ArrayList<>(batchSizes);
    sizes.addAll(more.batchSizes);
    Instant next =
        nextReadyAt == null
            ? more.nextReadyAt
            : more.nextReadyAt == null || nextReadyAt.isBefore(more.nextReadyAt)
                ? nextReadyAt
                : more.nextReadyAt;
    return new BatchPlan(
        q, sizes, permitsUsed + more.permitsUsed, partialBatches + more.partialBatches, next);
  }
}
