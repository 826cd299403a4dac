package dev.sluice.core.gate.stored;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One {@link StoredPolicy} bound to its {@link LimitStateStore}: load, decide with the policy,
 * replace conditionally, and on a conflict load again and decide again, at most {@code maxAttempts}
 * times. The last state this object wrote or read is remembered, so a process that reserves batch
 * after batch writes without reading first; a stale memory only costs one failed replace.
 *
 * <p>Not thread-safe: one per invocation or per thread. Several of them, in any number of
 * processes, may share one store.
 *
 * @param <S> the state type
 */
public final class StoredLimit<S> {

  /** Attempts per update when none are given. */
  public static final int DEFAULT_MAX_ATTEMPTS = 10;

  private final StoredPolicy<S> policy;
  private final LimitStateStore<S> store;
  private final int maxAttempts;
  private String lastKey;
  private Versioned<S> last;

  public StoredLimit(StoredPolicy<S> policy, LimitStateStore<S> store, int maxAttempts) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.store = Objects.requireNonNull(store, "store");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
  }

  public StoredLimit(StoredPolicy<S> policy, LimitStateStore<S> store) {
    this(policy, store, DEFAULT_MAX_ATTEMPTS);
  }

  public StoredPolicy<S> policy() {
    return policy;
  }

  /** Loads the state that governs {@code now} afresh. */
  public Versioned<S> load(Instant now) {
    String key = policy.key(now);
    return remember(key, store.load(key));
  }

  /**
   * The state this object last read or wrote for {@code now}'s key, loading it if it has none.
   * After {@link #reserve} it is the state the reservation wrote, unless a later call changed it.
   */
  public Versioned<S> lastKnown(Instant now) {
    String key = policy.key(now);
    return key.equals(lastKey) ? last : load(now);
  }

  /** How many jobs may start at {@code now}, on freshly loaded state. */
  public int permits(Instant now) {
    return policy.permits(load(now).state(), now);
  }

  /**
   * Reserves slots for the first jobs of {@code jobs}, as many as the limit allows, with a
   * conditional replace.
   *
   * @return how many of the first jobs were reserved, 0 to {@code jobs.size()}
   * @throws StateConflictException if every attempt met a conflict
   */
  public int reserve(Instant now, List<String> jobs) {
    if (jobs.isEmpty()) {
      return 0;
    }
    String key = policy.key(now);
    boolean fresh = false;
    for (int attempt = 1; attempt <= maxAttempts; ) {
      Versioned<S> current;
      if (key.equals(lastKey) && !fresh) {
        current = last;
      } else {
        current = remember(key, store.load(key));
        fresh = true;
      }
      int granted = Math.min(jobs.size(), policy.permits(current.state(), now));
      if (granted == 0) {
        if (fresh) {
          return 0;
        }
        // A remembered "full" may be stale (slots freed, budget given back): read before refusing.
        fresh = true;
        continue;
      }
      S next = policy.take(current.state(), now, jobs.subList(0, granted));
      if (store.replace(key, current.version(), next)) {
        remember(key, new Versioned<>(next, current.version() + 1));
        return granted;
      }
      fresh = false;
      lastKey = null;
      attempt++;
    }
    throw new StateConflictException(key, maxAttempts);
  }

  /**
   * Gives back {@code jobs}, reserved at {@code now} and never started.
   *
   * @throws StateConflictException if every attempt met a conflict
   */
  public void giveBack(Instant now, List<String> jobs) {
    if (!jobs.isEmpty()) {
      update(now, s -> policy.giveBack(s, now, jobs));
    }
  }

  /**
   * Replaces the state that governs {@code now} with {@code change} applied to it, retrying on
   * conflict; writes nothing when the change returns a state equal to the stored one, read afresh
   * (a remembered state may be stale).
   *
   * @return the state after the change
   * @throws StateConflictException if every attempt met a conflict
   */
  public S update(Instant now, UnaryOperator<S> change) {
    String key = policy.key(now);
    Versioned<S> current = key.equals(lastKey) ? last : null;
    boolean fresh = false;
    for (int attempt = 1; attempt <= maxAttempts; ) {
      if (current == null) {
        current = remember(key, store.load(key));
        fresh = true;
      }
      S next = change.apply(current.state());
      if (next.equals(current.state())) {
        if (fresh) {
          return next;
        }
        // A remembered state may be stale: what the change would remove may have been added since
        // by another process (a slot the scheduler took after this function last wrote). Read
        // before concluding there is nothing to do, or the slot would never be freed.
        current = null;
        continue;
      }
      if (store.replace(key, current.version(), next)) {
        remember(key, new Versioned<>(next, current.version() + 1));
        return next;
      }
      current = null;
      attempt++;
    }
    throw new StateConflictException(key, maxAttempts);
  }

  private Versioned<S> remember(String key, Versioned<S> state) {
    lastKey = key;
    last = state;
    return state;
  }
}
