package dev.sluice.core.gate.stored;

/**
 * Port: where a limit's state lives between short-lived processes (a DynamoDB item for a Lambda
 * function, a map for one process). Updates are compare-and-swap on a version, so several processes
 * deciding at once never both spend the same permits: each decides on the state it loaded and only
 * one replace of that version succeeds.
 *
 * <p>Implementations must read their own writes: a load after a successful replace returns it.
 *
 * @param <S> the state type, an immutable value
 */
public interface LimitStateStore<S> {

  /**
   * The state under {@code key} and its version; a key never written is the store's empty state at
   * {@link Versioned#ABSENT}.
   */
  Versioned<S> load(String key);

  /**
   * Writes {@code newState} under {@code key} if its version is still {@code expectedVersion}; the
   * new version is then {@code expectedVersion + 1}.
   *
   * @return true if written; false if another writer changed the key since (a conflict: load again
   *     and decide again)
   */
  boolean replace(String key, long expectedVersion, S newState);
}
