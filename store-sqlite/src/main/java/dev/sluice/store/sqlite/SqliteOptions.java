package dev.sluice.store.sqlite;

import dev.sluice.core.partition.PartitionRule;
import java.time.Duration;
import java.util.Objects;

/**
 * How the SQLite backlog uses its file.
 *
 * @param synchronous when a commit reaches the disk; {@link Synchronous#FULL} by default, because
 *     an accepted event must survive a power cut
 * @param busyTimeout how long a statement waits for a lock another process holds
 * @param cacheSizeKib page cache per connection, in KiB
 * @param maxSizeBytes the most the database may hold, in bytes ({@link #NO_MAX_SIZE}: as much as
 *     the disk takes); a write that would grow it beyond fails as on a full disk. Rounded down to
 *     whole pages, and never below what the file already holds.
 * @param partitionRule how each appended event's partition is worked out ({@link
 *     PartitionRule#NONE} by default); events keep the partition they were appended with
 */
public record SqliteOptions(
    Synchronous synchronous,
    Duration busyTimeout,
    int cacheSizeKib,
    long maxSizeBytes,
    PartitionRule partitionRule) {

  /** SQLite's {@code PRAGMA synchronous} levels that keep a WAL database consistent. */
  public enum Synchronous {
    /**
     * Every commit is synced to disk before it returns: accepted means durable, even across a power
     * cut.
     */
    FULL,
    /**
     * Commits are synced at checkpoints only: the file stays consistent, but the last commits may
     * be lost in a power cut (not in a process crash). Faster; for data that can be redelivered.
     */
    NORMAL
  }

  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_CACHE_SIZE_KIB = 32 * 1024;

  /** No cap on the database's size but the disk's free space. */
  public static final long NO_MAX_SIZE = 0;

  public SqliteOptions {
    Objects.requireNonNull(synchronous, "synchronous");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(partitionRule, "partitionRule");
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, got " + busyTimeout);
    }
    if (cacheSizeKib <= 0) {
      throw new IllegalArgumentException("cacheSizeKib must be > 0, got " + cacheSizeKib);
    }
    if (maxSizeBytes < 0) {
      throw new IllegalArgumentException(
          "maxSizeBytes must be >= 0 (0 for no cap), got " + maxSizeBytes);
    }
  }

  /** Options with no partitions. */
  public SqliteOptions(
      Synchronous synchronous, Duration busyTimeout, int cacheSizeKib, long maxSizeBytes) {
    this(synchronous, busyTimeout, cacheSizeKib, maxSizeBytes, PartitionRule.NONE);
  }

  /** Options with no size cap and no partitions. */
  public SqliteOptions(Synchronous synchronous, Duration busyTimeout, int cacheSizeKib) {
    this(synchronous, busyTimeout, cacheSizeKib, NO_MAX_SIZE);
  }

  /** FULL sync, a 5 s busy timeout, a 32 MiB cache, no size cap, no partitions. */
  public static SqliteOptions defaults() {
    return new SqliteOptions(Synchronous.FULL, DEFAULT_BUSY_TIMEOUT, DEFAULT_CACHE_SIZE_KIB);
  }

  public SqliteOptions withSynchronous(Synchronous synchronous) {
    return new SqliteOptions(synchronous, busyTimeout, cacheSizeKib, maxSizeBytes, partitionRule);
  }

  public SqliteOptions withBusyTimeout(Duration busyTimeout) {
    return new SqliteOptions(synchronous, busyTimeout, cacheSizeKib, maxSizeBytes, partitionRule);
  }

  public SqliteOptions withCacheSizeKib(int cacheSizeKib) {
    return new SqliteOptions(synchronous, busyTimeout, cacheSizeKib, maxSizeBytes, partitionRule);
  }

  public SqliteOptions withMaxSizeBytes(long maxSizeBytes) {
    return new SqliteOptions(synchronous, busyTimeout, cacheSizeKib, maxSizeBytes, partitionRule);
  }

  public SqliteOptions withPartitionRule(PartitionRule partitionRule) {
    return new SqliteOptions(synchronous, busyTimeout, cacheSizeKib, maxSizeBytes, partitionRule);
  }
}
