package dev.sluice.core.time;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * The one source of time. Gates measure with {@link #nanoTime()} (monotonic); stored timestamps
 * come from {@link #instantAt(long)}, which maps monotonic time to wall time with one fixed offset,
 * so intervals in the release log equal intervals the gate measured.
 */
public interface TimeSource {

  /** Monotonic nanoseconds; only differences mean anything. */
  long nanoTime();

  /** The wall-clock instant of a {@link #nanoTime()} reading. */
  Instant instantAt(long nanoTime);

  /** The monotonic reading of a wall-clock instant (inverse of {@link #instantAt(long)}). */
  long nanoTimeAt(Instant instant);

  default Instant now() {
    return instantAt(nanoTime());
  }

  /**
   * Waits until {@link #nanoTime()} reaches {@code nanoTime} (at once if it has). Real time parks
   * the thread; virtual time waits for a test to move the clock.
   *
   * @throws InterruptedException if the thread is interrupted while it waits
   */
  default void sleepUntil(long nanoTime) throws InterruptedException {
    for (long wait; (wait = nanoTime - nanoTime()) > 0; ) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(wait);
    }
  }

  /** Real time, anchored once at construction. */
  static TimeSource system() {
    return new SystemTimeSource();
  }
}
