package dev.sluice.core.gate.stored;

import java.time.Instant;
import java.util.List;

/**
 * One limit as pure functions of a stored state and an instant: which key holds the state that
 * governs {@code now}, how many jobs may start, and the state after jobs are taken or given back.
 * Implementations decide with the same {@link dev.sluice.core.gate.Limit} code as the in-memory
 * gate; they never read a clock or a store.
 *
 * @param <S> the state type, an immutable value
 */
public interface StoredPolicy<S> {

  /** The store key of the state that governs {@code now} (for example the current tick's). */
  String key(Instant now);

  /** How many jobs may start at {@code now} in {@code state}, >= 0. */
  int permits(S state, Instant now);

  /**
   * The state after {@code jobs} started at {@code now}. Callers take no more jobs than {@link
   * #permits} allowed in the same state.
   */
  S take(S state, Instant now, List<String> jobs);

  /** The state after {@code jobs}, taken before and never started, are given back. */
  S giveBack(S state, Instant now, List<String> jobs);
}
