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
 */
public record StoreConfig(SqliteOptions.Synchronous synchronous) {

  public StoreConfig {
    Objects.requireNonNull(synchronous, "synchronous");
  }

  /** The store's own defaults. */
  public static StoreConfig defaults() {
    return new StoreConfig(SqliteOptions.defaults().synchronous());
  }

  /** The options the backlog is opened with. */
  public SqliteOptions sqliteOptions() {
    return SqliteOptions.defaults().withSynchronous(synchronous);
  }
}
