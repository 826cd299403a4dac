package dev.sluice.core.gate;

/**
 * A gate's answer at one instant: how many jobs may start now, and if none, when to ask again.
 *
 * @param permits jobs that may start now (0 or more)
 * @param retryAtNanos when none may start: the monotonic time at which asking again can give a
 *     permit; {@link Long#MAX_VALUE} when only a completion can free one
 */
public record Admission(int permits, long retryAtNanos) {

  public static final long ON_COMPLETION = Long.MAX_VALUE;

  public Admission {
    if (permits < 0) {
      throw new IllegalArgumentException("permits must be >= 0, got " + permits);
    }
  }

  public static Admission admit(int permits) {
    return new Admission(permits, 0L);
  }

  public static Admission waitUntil(long nanos) {
    return new Admission(0, nanos);
  }

  public static Admission waitForCompletion() {
    return new Admission(0, ON_COMPLETION);
  }

  public boolean admits() {
    return permits > 0;
  }
}
