package dev.sluice.sfnlocal;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket on StartExecution calls, standing in for the account's StartExecution quota:
 * {@code bucketSize} calls at once, refilled at {@code refillPerSecond}. Not thread-safe: the
 * endpoint calls it under its own lock. Time comes in as an argument.
 */
final class StartRateLimit {

  private final int bucketSize;
  private final double refillPerSecond;
  private double tokens;
  private Instant last;

  StartRateLimit(int bucketSize, double refillPerSecond, Instant now) {
    if (bucketSize < 1) {
      throw new IllegalArgumentException("bucketSize must be >= 1, got " + bucketSize);
    }
    if (!(refillPerSecond >= 0) || Double.isInfinite(refillPerSecond)) {
      throw new IllegalArgumentException(
          "refillPerSecond must be finite and >= 0, got " + refillPerSecond);
    }
    this.bucketSize = bucketSize;
    this.refillPerSecond = refillPerSecond;
    this.tokens = bucketSize;
    this.last = now;
  }

  /** Takes one token if there is one at {@code now}; false means the call is throttled. */
  boolean tryTake(Instant now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  private void refill(Instant now) {
    // A wall clock may step back; time that went backwards adds nothing.
    if (now.isAfter(last)) {
      double seconds = Duration.between(last, now).toNanos() / 1e9;
      tokens = Math.min(bucketSize, tokens + seconds * refillPerSecond);
      last = now;
    }
  }
}
