package dev.sluice.service.config;

import java.time.Duration;

/**
 * The loop that claims released events and starts their jobs.
 *
 * @param lease how long a started job may run before it counts as lost and is released again
 * @param workers threads that start jobs
 * @param batch most events claimed from the backlog in one go
 * @param lead how long before a window opens its jobs are claimed, each then waiting in its worker
 *     for the instant the window opens (0 to 1s; 0 claims only what is free now)
 */
public record DispatcherConfig(Duration lease, int workers, int batch, Duration lead) {

  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
  public static final int DEFAULT_WORKERS = 64;
  public static final int DEFAULT_BATCH = 500;

  /**
   * Longer than a claim of a whole window (about 20 ms for 1000 events here) and its hand-over to
   * the workers, so a window's jobs reach the target at the instant it opens; short enough that the
   * first job after a quiet spell waits no more than that.
   */
  public static final Duration DEFAULT_LEAD = Duration.ofMillis(50);

  static final Duration MAX_LEAD = Duration.ofSeconds(1);

  public DispatcherConfig {
    Checks.positive("lease", lease);
    Checks.atLeast("workers", 1, workers);
    Checks.atLeast("batch", 1, batch);
    if (lead == null || lead.isNegative() || lead.compareTo(MAX_LEAD) > 0) {
      throw new IllegalArgumentException(
          "lead must be between 0ms and "
              + DurationText.format(MAX_LEAD)
              + ", got "
              + (lead == null ? "nothing" : DurationText.format(lead)));
    }
  }

  /** With the default lead. */
  public DispatcherConfig(Duration lease, int workers, int batch) {
    this(lease, workers, batch, DEFAULT_LEAD);
  }

  public static DispatcherConfig defaults() {
    return new DispatcherConfig(DEFAULT_LEASE, DEFAULT_WORKERS, DEFAULT_BATCH, DEFAULT_LEAD);
  }
}
