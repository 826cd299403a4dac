package dev.sluice.core.partition;

import java.util.Collection;
import java.util.Objects;

/**
 * Where a waiting event stands when the releases are divided by {@link FairShare}: how many permits
 * are granted before it is reached, the position a drain forecast turns into a time.
 *
 * <p>The model is the fluid limit of weighted max-min fairness (water-filling). An event of
 * partition P with {@code k} of P's events ahead of it is reached when P has been served {@code k +
 * 1}. By then every other busy partition j has been served in proportion to its weight, {@code (k +
 * 1) * w_j / w_P}, or all it has due if that is less (a small partition that empties lends the rest
 * of its share to the others, P among them). So the permits granted before the event are
 *
 * <pre>
 *   position = k + sum over busy j other than P of min(d_j, (k + 1) * w_j / w_P)
 * </pre>
 *
 * rounded down. With one busy partition it is {@code k}, the oldest-first answer within it. The
 * rounding of real steps (whole releases, credit carried between steps) keeps a partition within
 * two releases of this, so a position may be a few off.
 *
 * <p>What it does not foresee: events arriving later (in P they queue behind the event; in another
 * partition they take part of every step from their arrival), per-partition caps (a capped
 * partition takes less, the others more), and changes of the weights.
 *
 * <p>A pure function.
 */
public final class FairShareOrder {
  private FairShareOrder() {}

  /**
   * The permits granted before an event of {@code partition} with {@code aheadInPartition} of its
   * partition's events ahead of it is reached.
   *
   * @param partition the event's partition
   * @param aheadInPartition events of its partition a claim takes before it, >= 0
   * @param due the busy partitions with their due events, each counted up to at least {@link
   *     #countUpTo} (a count that stops there is enough); an entry for {@code partition} is ignored
   * @param shares the weights
   */
  public static long position(
      String partition,
      long aheadInPartition,
      Collection<PartitionDue> due,
      PartitionShares shares) {
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(due, "due");
    Objects.requireNonNull(shares, "shares");
    if (aheadInPartition < 0) {
      throw new IllegalArgumentException("aheadInPartition must be >= 0, got " + aheadInPartition);
    }
    long served = aheadInPartition + 1;
    long own = shares.weightOf(partition);
    // Each other partition's part in units of 1/own, summed as whole events and a remainder so
    // thousands of partitions cannot overflow.
    long whole = 0;
    long remainder = 0;
    for (PartitionDue d : due) {
      if (d.partition().equals(partition)) {
        continue;
      }
      long w = shares.weightOf(d.partition());
      long all = d.due() * own; // at most 2^31 * 10^6
      // served * w, or all when that is more (tested by division, so it never overflows)
      long part = served > all / w ? all : Math.min(all, served * w);
      whole += part / own;
      remainder += part % own;
      if (remainder >= own) {
        whole += remainder / own;
        remainder %= own;
      }
    }
    return saturatedAdd(aheadInPartition, whole);
  }

  /**
   * How far each partition's due events must be counted for {@link #position}: {@code ceil((k + 1)
   * * w_max / w_P)}, with {@code w_max} the largest weight any partition may have under {@code
   * shares}; a partition with more due is served only that many before the event. At most {@link
   * Integer#MAX_VALUE}.
   */
  public static int countUpTo(String partition, long aheadInPartition, PartitionShares shares) {
    long most = shares.defaultWeight();
    for (int w : shares.weights().values()) {
      most = Math.max(most, w);
    }
    return countUpTo(partition, aheadInPartition, shares, most);
  }

  /**
   * As {@link #countUpTo(String, long, PartitionShares)}, with {@code w_max} the largest weight
   * among the partitions of {@code busy} only (each listed with any count): a heavy partition with
   * nothing due then does not make every other partition counted further.
   */
  public static int countUpTo(
      String partition,
      long aheadInPartition,
      PartitionShares shares,
      Collection<PartitionDue> busy) {
    long most = 1;
    for (PartitionDue d : busy) {
      most = Math.max(most, shares.weightOf(d.partition()));
    }
    return countUpTo(partition, aheadInPartition, shares, most);
  }

  private static int countUpTo(
      String partition, long aheadInPartition, PartitionShares shares, long most) {
    Objects.requireNonNull(partition, "partition");
    if (aheadInPartition < 0) {
      throw new IllegalArgumentException("aheadInPartition must be >= 0, got " + aheadInPartition);
    }
    long own = shares.weightOf(partition);
    long served = aheadInPartition + 1;
    if (served > Integer.MAX_VALUE) {
      return Integer.MAX_VALUE;
    }
    long n = (served * most + own - 1) / own; // at most 2^31 * 10^6
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
