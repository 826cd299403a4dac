package dev.sluice.core.partition;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a shared limit is divided between busy partitions ({@code partitions.weights}, {@code
 * partitions.caps} and {@code partitions.default-weight} in the config file; changeable at
 * runtime). See {@link FairShare}.
 *
 * <p>A cap is the most events of one partition <em>in flight at once</em> (released and not yet
 * settled), as a concurrency key in Inngest or a group's concurrency in BullMQ: it is a count the
 * releasing node holds exactly (it claims the events and learns every settlement), so it is never
 * exceeded, whatever the window or the rate. A cap per window would need a window per partition
 * beside the gate's; the shared limits already bound the flow per window.
 *
 * @param weights weight by partition name, each >= 1; a busy partition not named has {@code
 *     defaultWeight}
 * @param caps the most events in flight at once by partition name, each >= 1; a partition not named
 *     has no cap of its own
 * @param defaultWeight the weight of a partition not named in {@code weights}, >= 1
 */
public record PartitionShares(
    Map<String, Integer> weights, Map<String, Integer> caps, int defaultWeight) {

  /** The largest weight: a million to one is far past any useful ratio, and sums stay exact. */
  public static final int MAX_WEIGHT = 1_000_000;

  /** Every partition weighs 1 and none has a cap: an equal share for each busy partition. */
  public static final PartitionShares EQUAL = new PartitionShares(Map.of(), Map.of(), 1);

  public PartitionShares {
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(caps, "caps");
    checkWeight("partitions.default-weight", defaultWeight);
    weights.forEach((p, w) -> checkWeight("partitions.weights." + name(p), w));
    caps.forEach(
        (p, c) -> {
          if (c == null || c < 1) {
            throw new IllegalArgumentException(
                "partitions.caps." + name(p) + " must be >= 1, got " + c);
          }
        });
    // Sorted, so two equal settings print and compare alike.
    weights = java.util.Collections.unmodifiableMap(new TreeMap<>(weights));
    caps = java.util.Collections.unmodifiableMap(new TreeMap<>(caps));
  }

  private static String name(String partition) {
    Objects.requireNonNull(partition, "partition name");
    return "'" + partition + "'";
  }

  private static void checkWeight(String field, Integer w) {
    if (w == null || w < 1 || w > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          field + " must be between 1 and " + MAX_WEIGHT + ", got " + w);
    }
  }

  /** The weight of {@code partition}. */
  public int weightOf(String partition) {
    return weights.getOrDefault(partition, defaultWeight);
  }

  /** The most events of {@code partition} in flight at once, or {@link Integer#MAX_VALUE}. */
  public int capOf(String partition) {
    return caps.getOrDefault(partition, Integer.MAX_VALUE);
  }

  public PartitionShares withWeights(Map<String, Integer> w) {
    return new PartitionShares(w, caps, defaultWeight);
  }

  public PartitionShares withCaps(Map<String, Integer> c) {
    return new PartitionShares(weights, c, defaultWeight);
  }

  public PartitionShares withDefaultWeight(int d) {
    return new PartitionShares(weights, caps, d);
  }
}
