package dev.sluice.core.gate;

/**
 * One limit policy, a pure function of its state and the time it is given. Times are monotonic
 * nanoseconds passed in by the caller and must not go backwards; a policy never reads a clock.
 *
 * <p>A policy is rebuilt from recent history by creating a fresh one and {@link #replay replaying}
 * the releases of the last {@link #historyNanos()} in time order.
 */
public interface Limit {

  /** How many jobs may start at {@code nowNanos}, or when to ask again. */
  Admission admission(long nowNanos);

  /** Records that {@code count} jobs were released at {@code nowNanos}. */
  void onRelease(long nowNanos, int count);

  /** Records that {@code count} released jobs finished. Only a concurrency limit cares. */
  default void onCompletion(long nowNanos, int count) {}

  /**
   * Counts a release remembered from the past (a restart or a change of limits). Like {@link
   * #onRelease}, except that a remembered release is not in flight.
   */
  default void replay(long releasedNanos, int count) {
    onRelease(releasedNanos, count);
  }

  /** How far back releases still change this policy's answers; 0 when they never do. */
  long historyNanos();
}
