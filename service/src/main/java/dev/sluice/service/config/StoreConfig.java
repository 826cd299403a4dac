package dev.sluice.service.config;

import java.util.Objects;

/**
 * The SQLite backlog.
 *
 * @param synchronous {@code full} survives power loss (the contract: accepted means durable);
 *     {@code normal} in WAL mode survives a process crash but may lose the last commits on power
 *     loss
 */
public record StoreConfig(Synchronous synchronous) {

  /** SQLite's {@code PRAGMA synchronous} levels Sluice allows. */
  public enum Synchronous {
    FULL,
    NORMAL
  }

  public StoreConfig {
    Objects.requireNonNull(synchronous, "synchronous");
  }

  public static StoreConfig defaults() {
    return new StoreConfig(Synchronous.FULL);
  }
}
