package dev.sluice.core.dispatch;

import java.time.Duration;

/**
 * How the dispatcher runs.
 *
 * @param lease how long a released job may run before its event is due again (at-least-once: a job
 *     whose outcome never arrives is released again after this)
 * @param workers jobs that may run at once in this process; also caps each claim, so a job is never
 *     released while no worker can start it
 * @param batch most events claimed in one backlog transaction
 * @param idlePoll how long the loop sleeps when nothing is due, at most (retries that come due and
 *     events appended without a {@link Dispatcher#wake()} are seen within this)
 * @param retry what happens after a failure
 */
public record DispatcherConfig(
    Duration lease, int workers, int batch, Duration idlePoll, RetryPolicy retry) {

  public DispatcherConfig {
    if (lease == null || lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException(
          "dispatcher.lease must be a positive duration, got " + lease);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("dispatcher.workers must be >= 1, got " + workers);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("dispatcher.batch must be >= 1, got " + batch);
    }
    if (idlePoll == null || idlePoll.isNegative() || idlePoll.isZero()) {
      throw new IllegalArgumentException(
          "dispatcher.idle-poll must be a positive duration, got " + idlePoll);
    }
    if (retry == null) {
      throw new IllegalArgumentException("retry must be set");
    }
  }

  public static DispatcherConfig defaults() {
    return new DispatcherConfig(
        Duration.ofMinutes(5), 64, 500, Duration.ofMillis(100), RetryPolicy.defaults());
  }

  public DispatcherConfig withRetry(RetryPolicy r) {
    return new DispatcherConfig(lease, workers, batch, idlePoll, r);
  }

  public DispatcherConfig withWorkers(int w) {
    return new DispatcherConfig(lease, w, batch, idlePoll, retry);
  }

  public DispatcherConfig withLease(Duration l) {
    return new DispatcherConfig(l, workers, batch, idlePoll, retry);
  }

  public DispatcherConfig withBatch(int b) {
    return new DispatcherConfig(lease, workers, b, idlePoll, retry);
  }
}
