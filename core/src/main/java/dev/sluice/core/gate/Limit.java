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
  default Admission admission(long nowNanos) {
    return admission(nowNanos, 0);
  }

  /**
   * How many jobs may start at {@code nowNanos} when {@code notYetStarted} jobs were released and
   * have not reached the target yet. Such a job counts as if it reached the target now, and it
   * keeps counting as now until {@link #onRelease} reports its start; so a job handed to the target
   * late never shares an interval with more jobs than the limit allows. When none may start, the
   * time to ask again is a lower bound: a job not yet started leaves no earlier than if it started
   * now.
   */
  Admission admission(long nowNanos, long notYetStarted);

  /**
   * Records that {@code count} jobs reached the target at {@code nowNanos}: they count against the
   * limit from then on.
   */
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
