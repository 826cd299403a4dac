package dev.sluice.core.time;

import java.time.Instant;

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

  /** Real time, anchored once at construction. */
  static TimeSource system() {
    return new SystemTimeSource();
  }
}
