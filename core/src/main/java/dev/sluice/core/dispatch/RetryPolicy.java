package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.time.DurationFormat;
import java.time.Duration;
import java.time.Instant;

/**
 * How often and how late a failed job is tried again: exponential backoff with jitter, up to a
 * maximum number of attempts (the first release counts as attempt 1).
 *
 * @param maxAttempts releases before an event is dead-lettered, >= 1
 * @param initialBackoff delay before the second attempt, > 0
 * @param maxBackoff cap on any delay, >= initialBackoff
 * @param multiplier growth per attempt, >= 1
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);
  public static final double DEFAULT_MULTIPLIER = 2.0;

  /**
   * Messages start with the field's name in the {@code retry:} section of the config file, so the
   * config reader can put the section in front ({@code retry.max-attempts: must be >= 1, got 0}).
   */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max-attempts must be >= 1, got " + maxAttempts);
    }
    requirePositive("initial-backoff", initialBackoff);
    requirePositive("max-backoff", maxBackoff);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max-backoff must be >= initial-backoff ("
              + DurationFormat.format(initialBackoff)
              + "), got "
              + DurationFormat.format(maxBackoff));
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1.0, got " + multiplier);
    }
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          field + " must be a positive duration, got " + DurationFormat.format(value));
    }
  }

  /** Five attempts, backoff from 1s doubling up to 5m. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MULTIPLIER);
  }

  /** Whether an event released {@code attempt} times may be released again. */
  public boolean mayRetry(int attempt) {
    return attempt < maxAttempts;
  }

  /**
   * The delay after the given failed attempt. Equal jitter: half the exponential delay is fixed,
   * the other half scaled by {@code jitter} in [0, 1), so retries of a burst spread out but never
   * come back sooner than half the nominal delay.
   *
   * @param attempt the attempt that failed (1 for the first release)
   * @param jitter a random number in [0, 1)
   * @param retryAfter what the target asked for, or null; honoured in full when longer than the
   *     backoff (the target knows its own load better than our schedule)
   */
  public Duration delayAfter(int attempt, double jitter, Duration retryAfter) {
    double nominal = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
    double capped = Math.min(nominal, maxBackoff.toNanos());
    Duration backoff = Duration.ofNanos((long) (capped / 2 + capped / 2 * jitter));
    if (retryAfter != null && retryAfter.compareTo(backoff) > 0) {
      return retryAfter;
    }
    return backoff;
  }

  /**
   * What to do with a job's event given the target's outcome: completed is done; started stays
   * leased for the outcome's hold, waiting for the end of the work; throttled comes back after the
   * target's {@code Retry-After} (or the first backoff) and never spends an attempt, so throttling
   * alone never dead-letters an event; a retryable failure comes back after {@link #delayAfter}
   * until the attempts run out, then dead; a permanent failure is dead at once. The last error is
   * kept on the dead letter.
   */
  public Settlement settle(Job job, Outcome outcome, Instant now, double jitter) {
    if (outcome instanceof Outcome.Completed) {
      return Settlement.done(job);
    }
    if (outcome instanceof Outcome.Started s) {
      return Settlement.started(job, now.plus(s.hold()));
    }
    if (outcome instanceof Outcome.Throttled t) {
      String error =
          "throttled" + (t.detail() == null || t.detail().isEmpty() ? "" : ": " + t.detail());
      return Settlement.throttled(job, error, now.plus(delayAfter(1, jitter, t.retryAfter())));
    }
    Outcome.Failed f = (Outcome.Failed) outcome;
    if (!f.retryable()) {
      return Settlement.dead(job, outcome.label(), f.error());
    }
    if (!mayRetry(job.attempt())) {
      return Settlement.dead(
          job, outcome.label(), f.error() + " (gave up after " + job.attempt() + " attempts)");
    }
    return Settlement.retry(
        job, outcome.label(), f.error(), now.plus(delayAfter(job.attempt(), jitter, null)));
  }
}
