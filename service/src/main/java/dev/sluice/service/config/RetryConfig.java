package dev.sluice.service.config;

import java.time.Duration;

/**
 * How a failed or throttled job is retried: exponential backoff, then a dead letter.
 *
 * @param maxAttempts attempts in all (the first included) before the event is dead-lettered
 * @param initialBackoff wait before the second attempt
 * @param maxBackoff the wait never grows beyond this
 * @param multiplier each wait is the previous one times this
 */
public record RetryConfig(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  public static final double DEFAULT_MULTIPLIER = 2.0;

  public RetryConfig {
    Checks.atLeast("max-attempts", 1, maxAttempts);
    Checks.positive("initial-backoff", initialBackoff);
    Checks.positive("max-backoff", maxBackoff);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max-backoff must be >= initial-backoff ("
              + DurationText.format(initialBackoff)
              + "), got "
              + DurationText.format(maxBackoff));
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1.0, got " + multiplier);
    }
  }

  public static RetryConfig defaults() {
    return new RetryConfig(
        DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MULTIPLIER);
  }
}
