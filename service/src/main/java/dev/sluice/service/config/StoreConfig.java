package dev.sluice.service.config;

import java.util.Objects;

/**
 * The SQLite backlog.
 *
 * @param synchronous {@code full} survives power loss (the contract: accepted means durable);
 *     {@code normal} in WAL mode survives a process crash but may lose the last commits on power
 *     loss
 * @param maxSize the most bytes the backlog file may hold ({@code store.max-size}), 0 for no cap
 *     but the disk's free space; beyond it intake answers 503 as on a full disk
 */
public record StoreConfig(Synchronous synchronous, long maxSize) {

  /** SQLite's {@code PRAGMA synchronous} levels Sluice allows. */
  public enum Synchronous {
    FULL,
    NORMAL
  }

  /** No cap on the backlog file's size. */
  public static final long NO_MAX_SIZE = 0;

  public StoreConfig {
    Objects.requireNonNull(synchronous, "synchronous");
    if (maxSize < 0) {
      throw new IllegalArgumentException("max-size must be >= 0 (0 for no cap), got " + maxSize);
    }
  }

  /** A store with no size cap. */
  public StoreConfig(Synchronous synchronous) {
    this(synchronous, NO_MAX_SIZE);
  }

  public static StoreConfig defaults() {
    return new StoreConfig(Synchronous.FULL);
  }

  public StoreConfig withMaxSize(long maxSize) {
    return new StoreConfig(synchronous, maxSize);
  }
}
