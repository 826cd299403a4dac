package dev.sluice.store.sqlite;

import java.time.Instant;

/** Instants as the file stores them: epoch microseconds, truncated (floored). */
final class Micros {
  private static final long PER_SECOND = 1_000_000L;

  private Micros() {}

  static long of(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), PER_SECOND), instant.getNano() / 1_000);
  }

  static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, PER_SECOND), Math.floorMod(micros, PER_SECOND) * 1_000L);
  }

  /** The instant a stored value reads back as. */
  static Instant truncate(Instant instant) {
    return toInstant(of(instant));
  }
}
