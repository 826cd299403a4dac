package dev.sluice.service.config;

import dev.sluice.store.sqlite.SqliteOptions;
import java.util.Objects;

/**
 * The {@code store:} section: which of the SQLite backlog's {@link SqliteOptions} the file sets.
 * The values are the store's own types, so their meaning and defaults are defined once, there;
 * options the file does not expose keep the store's defaults.
 *
 * @param synchronous {@code full} survives power loss (the contract: accepted means durable);
 *     {@code normal} in WAL mode survives a process crash but may lose the last commits on power
 *     loss
 * @param maxSize the most bytes the backlog file may hold ({@code store.max-size}), 0 for no cap
 *     but the disk's free space; beyond it intake answers 503 as on a full disk
 */
public record StoreConfig(SqliteOptions.Synchronous synchronous, long maxSize) {

  /** No cap on the backlog file's size. */
  public static final long NO_MAX_SIZE = 0;

  public StoreConfig {
    Objects.requireNonNull(synchronous, "synchronous");
    if (maxSize < 0) {
      throw new IllegalArgumentException("max-size must be >= 0 (0 for no cap), got " + maxSize);
    }
  }

  /** A store with no size cap. */
  public StoreConfig(SqliteOptions.Synchronous synchronous) {
    this(synchronous, NO_MAX_SIZE);
  }

  /** The store's own defaults. */
  public static StoreConfig defaults() {
    return new StoreConfig(SqliteOptions.defaults().synchronous());
  }

  /** The options the backlog is opened with. */
  public SqliteOptions sqliteOptions() {
    return SqliteOptions.defaults().withSynchronous(synchronous).withMaxSizeBytes(maxSize);
  }

  public StoreConfig withMaxSize(long maxSize) {
    return new StoreConfig(synchronous, maxSize);
  }
}
