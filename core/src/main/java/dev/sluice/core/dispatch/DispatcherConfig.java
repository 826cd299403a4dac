package dev.sluice.core.dispatch;

import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.time.DurationFormat;
import java.time.Duration;

/**
 * How the dispatcher runs. The one definition of the {@code dispatcher:} settings of the config
 * file (and, through {@link #retry}, of {@code retry:}): the config reader parses YAML into this
 * record, so defaults and validation live here. Messages start with the field's name in that
 * section ({@code lead must be between 0ms and 1s, got 2s}).
 *
 * @param lease how long a released job may run before its event is due again (at-least-once: a job
 *     whose outcome never arrives is released again after this)
 * @param workers jobs that may run at once in this process; also caps each claim, so a job is never
 *     released while no worker can start it
 * @param batch most events claimed in one backlog transaction
 * @param idlePoll how long the loop sleeps when nothing is due, at most (retries that come due and
 *     events appended without a {@link Dispatcher#wake()} are seen within this)
 * @param retry what happens after a failure
 * @param lead how long before a window opens (or a token refills) its jobs may be claimed, 0 to
 *     {@link #MAX_LEAD}; each waits in its worker until the instant it was granted, so the claim's
 *     transaction and the hand-over do not delay its arrival at the target. Zero claims only what
 *     is free now.
 * @param adaptive whether and how the concurrency adapts to the target ({@code adaptive:}); see
 *     {@link AdaptiveLimiter}
 */
public record DispatcherConfig(
    Duration lease,
    int workers,
    int batch,
    Duration idlePoll,
    RetryPolicy retry,
    Duration lead,
    AdaptiveSettings adaptive) {

  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
  public static final int DEFAULT_WORKERS = 64;
  public static final int DEFAULT_BATCH = 500;
  public static final Duration DEFAULT_IDLE_POLL = Duration.ofMillis(100);

  /**
   * Longer than a claim of a whole window (about 20 ms for 1000 events) and its hand-over to the
   * workers, so a window's jobs reach the target at the instant it opens; short enough that the
   * first job after a quiet spell waits no more than that.
   */
  public static final Duration DEFAULT_LEAD = Duration.ofMillis(50);

  /** A job claimed further ahead than this holds a worker idle for too long. */
  public static final Duration MAX_LEAD = Duration.ofSeconds(1);

  public DispatcherConfig {
    requirePositive("lease", lease);
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    requirePositive("idle-poll", idlePoll);
    if (retry == null) {
      throw new IllegalArgumentException("retry must be set");
    }
    if (lead == null || lead.isNegative() || lead.compareTo(MAX_LEAD) > 0) {
      throw new IllegalArgumentException(
          "lead must be between 0ms and "
              + DurationFormat.format(MAX_LEAD)
              + ", got "
              + DurationFormat.format(lead));
    }
    if (adaptive == null) {
      throw new IllegalArgumentException("adaptive must be set");
    }
  }

  /** A config that does not adapt the concurrency. */
  public DispatcherConfig(
      Duration lease, int workers, int batch, Duration idlePoll, RetryPolicy retry, Duration lead) {
    this(lease, workers, batch, idlePoll, retry, lead, AdaptiveSettings.off());
  }

  /** A config that claims only what is free now (no lead). */
  public DispatcherConfig(
      Duration lease, int workers, int batch, Duration idlePoll, RetryPolicy retry) {
    this(lease, workers, batch, idlePoll, retry, Duration.ZERO);
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          field + " must be a positive duration, got " + DurationFormat.format(value));
    }
  }

  /** The documented defaults: 5m lease, 64 workers, batches of 500, 50ms lead, default retry. */
  public static DispatcherConfig defaults() {
    return new DispatcherConfig(
        DEFAULT_LEASE,
        DEFAULT_WORKERS,
        DEFAULT_BATCH,
        DEFAULT_IDLE_POLL,
        RetryPolicy.defaults(),
        DEFAULT_LEAD);
  }

  public DispatcherConfig withRetry(RetryPolicy r) {
    return new DispatcherConfig(lease, workers, batch, idlePoll, r, lead, adaptive);
  }

  public DispatcherConfig withWorkers(int w) {
    return new DispatcherConfig(lease, w, batch, idlePoll, retry, lead, adaptive);
  }

  public DispatcherConfig withLease(Duration l) {
    return new DispatcherConfig(l, workers, batch, idlePoll, retry, lead, adaptive);
  }

  public DispatcherConfig withBatch(int b) {
    return new DispatcherConfig(lease, workers, b, idlePoll, retry, lead, adaptive);
  }

  public DispatcherConfig withIdlePoll(Duration p) {
    return new DispatcherConfig(lease, workers, batch, p, retry, lead, adaptive);
  }

  public DispatcherConfig withLead(Duration l) {
    return new DispatcherConfig(lease, workers, batch, idlePoll, retry, l, adaptive);
  }

  public DispatcherConfig withAdaptive(AdaptiveSettings a) {
    return new DispatcherConfig(lease, workers, batch, idlePoll, retry, lead, a);
  }
}
