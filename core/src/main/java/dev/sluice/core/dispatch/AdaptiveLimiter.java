package dev.sluice.core.dispatch;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.AdaptiveConcurrency;
import dev.sluice.core.gate.AdaptiveRate;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Feeds the target's answers to an {@link AdaptiveConcurrency} and keeps the gate's adapted ceiling
 * on jobs in flight at its limit. A throttle (or a call slower than the latency bound) lowers it, a
 * call done in time raises it again; a failure says nothing about the target's capacity and is left
 * out. For an asynchronous target, the sample is the end of the work, timed from its start.
 *
 * <p>The ceiling it adapts under is the configured max-in-flight, or the dispatcher's workers when
 * none is set; a change of limits is taken up at the next answer or reading.
 *
 * <p>With {@link AdaptiveSettings#rate()} on, the same answers also drive an {@link AdaptiveRate}:
 * the gate's window and rate limits in effect are scaled by its factor ({@link
 * Gate#setRateFactor}), never below the permits of a whole batch. Thread-safe.
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
   * @param rate the adapted share of the window and rate limits
   */
  public record State(
      AdaptiveSettings settings,
      int ceiling,
      int limit,
      Instant changedAt,
      int changedFrom,
      AdaptiveConcurrency.Reason reason,
      long decreases,
      long increases,
      RateState rate) {

    /** Whether the concurrency adapts. */
    public boolean enabled() {
      return settings.enabled();
    }
  }

  /**
   * What an operator sees of the adapted window and rate.
   *
   * @param factor the share of the limits in effect allowed now; 1 while the rate does not adapt
   * @param windowLimitNow the window's releases allowed per window now, or null with no window
   * @param ratePerSecondNow the rate allowed now, or null with no rate
   * @param changedAt when the factor last changed (or a throttle at the floor was seen)
   * @param changedFrom the factor before that change
   * @param reason why it changed
   * @param decreases decreases since the start
   * @param increases increases since the start
   */
  public record RateState(
      double factor,
      Integer windowLimitNow,
      Double ratePerSecondNow,
      Instant changedAt,
      double changedFrom,
      AdaptiveRate.Reason reason,
      long decreases,
      long increases) {}

  private final Gate gate;
  private final TimeSource time;
  private final int workers;
  private final AdaptiveConcurrency policy;
  private final AdaptiveRate ratePolicy;
  private IntSupplier wholeRelease = () -> 1;

  /**
   * @param workers the dispatcher's workers: the ceiling when no max-in-flight is set
   */
  public AdaptiveLimiter(Gate gate, TimeSource time, int workers, AdaptiveSettings settings) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.time = Objects.requireNonNull(time, "time");
    this.workers = workers;
    this.policy = new AdaptiveConcurrency(settings, ceiling(), time.nanoTime());
    this.ratePolicy = new AdaptiveRate(settings, time.nanoTime());
    apply();
  }

  /**
   * Keeps a scaled window or burst at least {@code permits} (a whole batch's, when the limits count
   * objects), so that a lowered limit never holds a whole batch back for good.
   */
  public synchronized void keepWholeReleasesOf(IntSupplier permits) {
    this.wholeRelease = Objects.requireNonNull(permits, "permits");
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
    AdaptiveRate.Scale scale = AdaptiveRate.Scale.of(gate.limits());
    if (outcome instanceof Outcome.Throttled) {
      policy.onThrottled(start, now);
      ratePolicy.onThrottled(start, now, scale);
    } else if (outcome instanceof Outcome.Completed) {
      policy.onAnswered(start, now, gate.atTarget());
      if (ratePolicy.adapting() && scale != null) {
        ratePolicy.onAnswered(start, now, rateInUse(scale, now), scale);
      }
    } else {
      return;
    }
    apply();
  }

  /**
   * Whether the starts of the last period took at least half what the scaled limits allow in it
   * (counted over what the gate keeps of its history, when that is shorter).
   */
  private boolean rateInUse(AdaptiveRate.Scale scale, long now) {
    long span = Math.min(scale.periodNanos(), gate.historyNeeded().toNanos());
    if (span <= 0) {
      return false;
    }
    Limits inForce = gate.limitsInForce();
    double allowed = Double.MAX_VALUE;
    if (inForce.window() != null) {
      allowed = (double) inForce.window().limit() * span / inForce.window().every().toNanos();
    }
    if (inForce.rate() != null) {
      allowed = Math.min(allowed, inForce.rate().perSecond() * span / 1e9);
    }
    return 2.0 * gate.startsWithin(span, now) >= allowed;
  }

  /** Changes the settings at once; switching on starts at the ceiling. */
  public synchronized void setSettings(AdaptiveSettings settings) {
    long now = time.nanoTime();
    policy.setCeiling(ceiling(), now);
    policy.setSettings(settings, now);
    ratePolicy.setSettings(settings, now);
    apply();
  }

  /**
   * The share of the window and rate limits in effect the gate applies now; 1 when not adapting.
   */
  public synchronized double rateFactor() {
    return ratePolicy.factor();
  }

  /** The least a scaled window or burst allows: the permits a whole batch takes, else 1. */
  public int wholeReleasePermits() {
    IntSupplier permits;
    synchronized (this) {
      permits = wholeRelease;
    }
    return Math.max(1, permits.getAsInt());
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
        policy.increases(),
        rateState());
  }

  private RateState rateState() {
    Limits inForce = gate.limitsInForce();
    AdaptiveRate.Change c = ratePolicy.lastChange();
    return new RateState(
        ratePolicy.factor(),
        inForce.window() == null ? null : inForce.window().limit(),
        inForce.rate() == null ? null : inForce.rate().perSecond(),
        time.instantAt(c.atNanos()),
        c.from(),
        c.reason(),
        ratePolicy.decreases(),
        ratePolicy.increases());
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
    if (ratePolicy.factor() != 1 || gate.rateFactor() != 1) {
      // Also when the factor stays: a batch size changed at runtime moves the least allowed.
      int atLeast = Math.max(1, wholeRelease.getAsInt());
      gate.setRateFactor(ratePolicy.factor(), atLeast, time.nanoTime());
    }
  }
}
