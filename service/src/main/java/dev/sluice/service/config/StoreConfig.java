package dev.sluice.service.config;

import dev.sluice.store.sqlite.SqliteOptions;
import java.util.Objects;

/**
 * The {@code store:} section: which backlog ({@code backlog: sqlite}, the default, one node; or
 * {@code postgres}, shared by several nodes), and its settings. The values are the stores' own
 * types, so their meaning and defaults are defined once, there; options the file does not expose
 * keep the store's defaults.
 *
 * @param synchronous {@code full} survives power loss (the contract: accepted means durable);
 *     {@code normal} in WAL mode survives a process crash but may lose the last commits on power
 *     loss (SQLite only)
 * @param maxSize the most bytes the backlog file may hold ({@code store.max-size}), 0 for no cap
 *     but the disk's free space; beyond it intake answers 503 as on a full disk (SQLite only)
 * @param postgres the shared Postgres backlog, or null for the SQLite backlog
 */
public record StoreConfig(
    SqliteOptions.Synchronous synchronous, long maxSize, PostgresStoreConfig postgres) {

  /** No cap on the backlog file's size. */
  public static final long NO_MAX_SIZE = 0;

  public StoreConfig {
    Objects.requireNonNull(synchronous, "synchronous");
    if (maxSize < 0) {
      throw new IllegalArgumentException("max-size must be >= 0 (0 for no cap), got " + maxSize);
    }
  }

  /** The SQLite backlog. */
  public StoreConfig(SqliteOptions.Synchronous synchronous, long maxSize) {
    this(synchronous, maxSize, null);
  }

  /** The SQLite backlog with no size cap. */
  public StoreConfig(SqliteOptions.Synchronous synchronous) {
    this(synchronous, NO_MAX_SIZE);
  }

  /** The shared Postgres backlog. */
  public static StoreConfig postgres(PostgresStoreConfig postgres) {
    return new StoreConfig(
        defaults().synchronous(), NO_MAX_SIZE, Objects.requireNonNull(postgres, "postgres"));
  }

  /** Whether the backlog is shared by several nodes (Postgres). */
  public boolean shared() {
    return postgres != null;
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
    return new StoreConfig(synchronous, maxSize, postgres);
  }
}
