package dev.sluice.core.gate.stored;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LimitStateStore} in one process's memory: for tests, and for a single process that has
 * no other to share its limits with. Thread-safe.
 *
 * @param <S> the state type
 */
public final class InMemoryLimitStateStore<S> implements LimitStateStore<S> {

  private final S empty;
  private final Map<String, Versioned<S>> states = new ConcurrentHashMap<>();

  /**
   * @param empty the state of a key never written
   */
  public InMemoryLimitStateStore(S empty) {
    this.empty = Objects.requireNonNull(empty, "empty");
  }

  @Override
  public Versioned<S> load(String key) {
    Objects.requireNonNull(key, "key");
    return states.getOrDefault(key, Versioned.absent(empty));
  }

  @Override
  public boolean replace(String key, long expectedVersion, S newState) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(newState, "newState");
    boolean[] replaced = {false};
    states.compute(
        key,
        (k, current) -> {
          long version = current == null ? Versioned.ABSENT : current.version();
          if (version != expectedVersion) {
            return current;
          }
          replaced[0] = true;
          return new Versioned<>(newState, expectedVersion + 1);
        });
    return replaced[0];
  }
}
