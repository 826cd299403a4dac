package dev.sluice.core.gate.stored;

import java.time.Instant;

/**
 * The time axis of stored limits: nanoseconds since the epoch, so every process sharing a store
 * measures on the same axis (a monotonic reading means nothing in another process).
 */
final class EpochNanos {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private EpochNanos() {}

  static long of(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
  }

  static Instant toInstant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }
}
