package dev.sluice.service.config;

import java.time.Duration;

/**
 * The loop that claims released events and starts their jobs.
 *
 * @param lease how long a started job may run before it counts as lost and is released again
 * @param workers threads that start jobs
 * @param batch most events claimed from the backlog in one go
 */
public record DispatcherConfig(Duration lease, int workers, int batch) {

  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
  public static final int DEFAULT_WORKERS = 64;
  public static final int DEFAULT_BATCH = 500;

  public DispatcherConfig {
    Checks.positive("lease", lease);
    Checks.atLeast("workers", 1, workers);
    Checks.atLeast("batch", 1, batch);
  }

  public static DispatcherConfig defaults() {
    return new DispatcherConfig(DEFAULT_LEASE, DEFAULT_WORKERS, DEFAULT_BATCH);
  }
}
