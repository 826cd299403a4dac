package dev.sluice.core.gate.stored;

import java.util.Objects;

/**
 * A limit's state as a store holds it, with the version a conditional replace must name.
 *
 * @param state the state; a key never written reads as its store's empty state
 * @param version 0 for a key never written, then 1, 2, ... one more per successful replace
 * @param <S> the state type, an immutable value
 */
public record Versioned<S>(S state, long version) {

  /** The version of a key that was never written. */
  public static final long ABSENT = 0;

  public Versioned {
    Objects.requireNonNull(state, "state");
    if (version < ABSENT) {
      throw new IllegalArgumentException("version must be >= 0, got " + version);
    }
  }

  /** The state of a key never written. */
  public static <S> Versioned<S> absent(S empty) {
    return new Versioned<>(empty, ABSENT);
  }

  /** True when the key was never written. */
  public boolean isAbsent() {
    return version == ABSENT;
  }
}
