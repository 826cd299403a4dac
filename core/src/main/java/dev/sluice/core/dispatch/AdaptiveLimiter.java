package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.AdaptiveConcurrency;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Feeds the target's answers to an {@link AdaptiveConcurrency} and keeps the gate's adapted ceiling
 * on jobs in flight at its limit. A throttle (or a call slower than the latency bound) lowers it, a
 * call done in time raises it again; a failure says nothing about the target's capacity and is left
 * out. For an asynchronous target, the sample is the end of the work, timed from its start.
 *
 * <p>The ceiling it adapts under is the configured max-in-flight, or the dispatcher's workers when
 * none is set; a change of limits is taken up at the next answer or reading. Thread-safe.
 */
public final class AdaptiveLimiter implements DispatchObserver {

  /**
   * What an operator sees of the adapted limit.
   *
   * @param settings the settings in force
   * @param ceiling the configured ceiling the limit adapts under
   * @param limit the jobs in flight allowed now; the ceiling when adapting is off
   * @param changedAt when the limit last changed (or a throttle at the floor was seen)
   * @param changedFrom the limit before that change
   * @param reason why it changed
   * @param decreases decreases since the start
   * @param increases increases since the start
   */
  public record State(
      AdaptiveSettings settings,
      int ceiling,
      int limit,
      Instant changedAt,
      int changedFrom,
      AdaptiveConcurrency.Reason reason,
      long decreases,
      long increases) {

    /** Whether the concurrency adapts. */
    public boolean enabled() {
      return settings.enabled();
    }
  }

  private final Gate gate;
  private final TimeSource time;
  private final int workers;
  private final AdaptiveConcurrency policy;

  /**
   * @param workers the dispatcher's workers: the ceiling when no max-in-flight is set
   */
  public AdaptiveLimiter(Gate gate, TimeSource time, int workers, AdaptiveSettings settings) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.time = Objects.requireNonNull(time, "time");
    this.workers = workers;
    this.policy = new AdaptiveConcurrency(settings, ceiling(), time.nanoTime());
    apply();
  }

  @Override
  public void answered(Job job, Outcome outcome, Duration atTarget) {
    if (!(outcome instanceof Outcome.Started)) {
      sample(outcome, atTarget);
    }
  }

  @Override
  public void ended(Job job, Outcome outcome, Duration sinceReached) {
    sample(outcome, sinceReached);
  }

  private synchronized void sample(Outcome outcome, Duration atTarget) {
    if (!policy.settings().enabled()) {
      return;
    }
    long now = time.nanoTime();
    long start = now - atTarget.toNanos();
    policy.setCeiling(ceiling(), now);
    if (outcome instanceof Outcome.Throttled) {
      policy.onThrottled(start, now);
    } else if (outcome instanceof Outcome.Completed) {
      policy.onAnswered(start, now, gate.atTarget());
    } else {
      return;
    }
    apply();
  }

  /** Changes the settings at once; switching on starts at the ceiling. */
  public synchronized void setSettings(AdaptiveSettings settings) {
    long now = time.nanoTime();
    policy.setCeiling(ceiling(), now);
    policy.setSettings(settings, now);
    apply();
  }

  public synchronized AdaptiveSettings settings() {
    return policy.settings();
  }

  /** The adapted limit now, and its last change. */
  public synchronized State state() {
    long now = time.nanoTime();
    if (policy.setCeiling(ceiling(), now)) {
      apply();
    }
    AdaptiveConcurrency.Change c = policy.lastChange();
    int limit = policy.settings().enabled() ? policy.limit() : policy.ceiling();
    return new State(
        policy.settings(),
        policy.ceiling(),
        limit,
        time.instantAt(c.atNanos()),
        c.from(),
        c.reason(),
        policy.decreases(),
        policy.increases());
  }

  private int ceiling() {
    Integer max = gate.limits().maxInFlight();
    return max != null ? max : workers;
  }

  private void apply() {
    if (policy.settings().enabled()) {
      gate.setAdaptiveLimit(policy.limit());
    } else {
      gate.clearAdaptiveLimit();
    }
  }
}
