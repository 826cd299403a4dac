package dev.sluice.core.partition;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The most events one claim may take from each partition. {@link #ANY} sets no limit per partition
 * (the claim takes the oldest due events wherever they are); any other quotas take nothing from a
 * partition they do not name.
 */
public final class PartitionQuotas {

  /** No limit per partition. */
  public static final PartitionQuotas ANY = new PartitionQuotas(null);

  /** Null for {@link #ANY}; else sorted by partition, every quota >= 1. */
  private final Map<String, Integer> quotas;

  private PartitionQuotas(Map<String, Integer> quotas) {
    this.quotas = quotas;
  }

  /**
   * Quotas per partition; a partition with quota 0, or not in the map, gives nothing.
   *
   * @throws IllegalArgumentException if a quota is negative
   */
  public static PartitionQuotas limits(Map<String, Integer> quotas) {
    Objects.requireNonNull(quotas, "quotas");
    Map<String, Integer> kept = new TreeMap<>();
    quotas.forEach(
        (partition, quota) -> {
          Objects.requireNonNull(partition, "partition");
          Objects.requireNonNull(quota, "quota");
          if (quota < 0) {
            throw new IllegalArgumentException(
                "quota of partition '" + partition + "' must be >= 0, got " + quota);
          }
          if (quota > 0) {
            kept.put(partition, quota);
          }
        });
    return new PartitionQuotas(Collections.unmodifiableMap(kept));
  }

  /** Whether this is {@link #ANY}. */
  public boolean isAny() {
    return quotas == null;
  }

  /**
   * The most events a claim may take from {@code partition}: {@link Integer#MAX_VALUE} for {@link
   * #ANY}, 0 for a partition these quotas do not name.
   */
  public int of(String partition) {
    Objects.requireNonNull(partition, "partition");
    return quotas == null ? Integer.MAX_VALUE : quotas.getOrDefault(partition, 0);
  }

  /**
   * The partitions with a quota of at least 1, sorted by name, with their quotas; empty for {@link
   * #ANY} (which names none but limits none).
   */
  public Map<String, Integer> asMap() {
    return quotas == null ? Map.of() : quotas;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionQuotas other && Objects.equals(quotas, other.quotas);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(quotas);
  }

  @Override
  public String toString() {
    return quotas == null ? "PartitionQuotas.ANY" : "PartitionQuotas" + quotas;
  }
}
