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
 * @param lead how long before a window opens (or a token refills) its jobs may be claimed; each
 *     waits in its worker until the instant it was granted, so the claim's transaction and the
 *     hand-over do not delay its arrival at the target. Zero claims only what is free now.
 */
public record DispatcherConfig(
    Duration lease, int workers, int batch, Duration idlePoll, RetryPolicy retry, Duration lead) {

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
    if (lead == null || lead.isNegative()) {
      throw new IllegalArgumentException("dispatcher.lead must be >= 0, got " + lead);
    }
  }

  /** A config that claims only what is free now (no lead). */
  public DispatcherConfig(
      Duration lease, int workers, int batch, Duration idlePoll, RetryPolicy retry) {
    this(lease, workers, batch, idlePoll, retry, Duration.ZERO);
  }

  public static DispatcherConfig defaults() {
    return new DispatcherConfig(
        Duration.ofMinutes(5), 64, 500, Duration.ofMillis(100), RetryPolicy.defaults());
  }

  public DispatcherConfig withRetry(RetryPolicy r) {
    return new DispatcherConfig(lease, workers, batch, idlePoll, r, lead);
  }

  public DispatcherConfig withWorkers(int w) {
    return new DispatcherConfig(lease, w, batch, idlePoll, retry, lead);
  }

  public DispatcherConfig withLease(Duration l) {
    return new DispatcherConfig(l, workers, batch, idlePoll, retry, lead);
  }

  public DispatcherConfig withBatch(int b) {
    return new DispatcherConfig(lease, workers, b, idlePoll, retry, lead);
  }

  public DispatcherConfig withLead(Duration l) {
    return new DispatcherConfig(lease, workers, batch, idlePoll, retry, l);
  }
}
