package dev.sluice.s3endpoint;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issues S3-style sequencers: fixed-width hex strings that sort in the order the writes happened.
 *
 * <p>The value is the write's wall-clock time in epoch nanoseconds, bumped by one when two writes
 * land in the same nanosecond. Starting from wall time rather than zero keeps sequencers increasing
 * across restarts over the same data directory, so a new write of a key never reuses the sequencer
 * (and so the event identity) of an earlier one.
 */
final class S3Sequencer {
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  /** The sequencer for a write that happened at {@code writeTime}. */
  String next(Instant writeTime) {
    long epochNanos = writeTime.getEpochSecond() * 1_000_000_000L + writeTime.getNano();
    long value = last.accumulateAndGet(epochNanos, (previous, now) -> Math.max(previous + 1, now));
    return format(value);
  }

  static String format(long value) {
    // 16 upper-case hex digits, zero-padded, so that string order is numeric order.
    return String.format("%016X", value);
  }
}
