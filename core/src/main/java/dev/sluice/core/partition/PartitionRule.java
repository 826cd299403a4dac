package dev.sluice.core.partition;

import java.util.Objects;

/**
 * How an event's partition is worked out from its bucket and decoded key. A store computes it when
 * it appends an event and keeps it with the event, so a changed rule applies to the events appended
 * from then on; events already held keep the partition they were given.
 *
 * <ul>
 *   <li>{@link By#NONE} (the default): every event is in the one partition {@code ""}.
 *   <li>{@link By#BUCKET}: the partition is the bucket name.
 *   <li>{@link By#PREFIX} with a depth N: the key's first N '/'-separated segments, each followed
 *       by '/' (depth 1: {@code tenant-a/2026/x.parquet} is in {@code tenant-a/}). A key with fewer
 *       segments than N + 1 is in its directory part ({@code x.parquet} in {@code ""}, {@code a/x}
 *       with depth 2 in {@code a/}). The bucket is not part of a prefix partition.
 * </ul>
 *
 * @param by what the partition is taken from
 * @param depth how many key segments a {@link By#PREFIX} partition holds (at least 1); 0 for the
 *     other rules
 */
public record PartitionRule(By by, int depth) {

  /** What a partition is taken from. */
  public enum By {
    /** One partition for every event. */
    NONE,
    /** The bucket name. */
    BUCKET,
    /** The first segments of the key. */
    PREFIX
  }

  /** Every event in partition {@code ""}: no partitions. */
  public static final PartitionRule NONE = new PartitionRule(By.NONE, 0);

  /** A prefix rule's depth when none is given. */
  public static final int DEFAULT_DEPTH = 1;

  public PartitionRule {
    Objects.requireNonNull(by, "by");
    if (by == By.PREFIX && depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1 for a prefix rule, got " + depth);
    }
    if (by != By.PREFIX && depth != 0) {
      throw new IllegalArgumentException(
          "depth applies to a prefix rule only; got depth " + depth + " for " + by);
    }
  }

  /** No partitions: every event is in {@code ""}. */
  public static PartitionRule none() {
    return NONE;
  }

  /** One partition per bucket. */
  public static PartitionRule bucket() {
    return new PartitionRule(By.BUCKET, 0);
  }

  /** One partition per key prefix of {@code depth} segments. */
  public static PartitionRule prefix(int depth) {
    return new PartitionRule(By.PREFIX, depth);
  }

  /** The partition of an event of this bucket and decoded key. */
  public String partitionOf(String bucket, String key) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    return switch (by) {
      case NONE -> "";
      case BUCKET -> bucket;
      case PREFIX -> prefixOf(key);
    };
  }

  private String prefixOf(String key) {
    int end = -1;
    for (int segment = 0; segment < depth; segment++) {
      int slash = key.indexOf('/', end + 1);
      if (slash < 0) {
        break; // fewer segments than the depth: the directory part found so far
      }
      end = slash;
    }
    return key.substring(0, end + 1);
  }

  /** The rule as an operator reads it: {@code none}, {@code bucket} or {@code prefix depth 2}. */
  public String describe() {
    return switch (by) {
      case NONE -> "none";
      case BUCKET -> "bucket";
      case PREFIX -> "prefix depth " + depth;
    };
  }
}
