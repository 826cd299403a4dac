package dev.sluice.core.gate;

import java.util.Objects;

/**
 * The concurrency a target takes, learned from its answers: AIMD, as in Netflix's
 * concurrency-limits. A throttle (or a call slower than {@link AdaptiveSettings#latencyAbove()})
 * multiplies the limit by {@link AdaptiveSettings#backoff()}; a call answered in time while at
 * least half the limit is in use adds one, at most once per round trip. The limit stays between
 * {@link AdaptiveSettings#min()} and the ceiling (the configured max-in-flight, or the workers),
 * starting at the ceiling.
 *
 * <p>A decrease happens at most once per round trip: a throttled job that reached the target before
 * the last decrease was sent under the old limit, and that decrease already answered for it. An
 * increase waits a round trip (the smoothed time successful calls take) after the last change, so
 * the target has had the time to show what the last step did to it; after a decrease, two: during
 * the first the target still works off the jobs sent under the old limit, so only the second shows
 * what the lowered limit does. Each probe above the target's capacity costs one throttled call, so
 * this keeps the throttled share near {@code 1 / (3 * capacity)} at a steady capacity.
 *
 * <p>Pure: times are monotonic nanoseconds given by the caller; no clock, no threads, not
 * thread-safe (the caller serializes).
 */
public final class AdaptiveConcurrency {

  /** Why the limit last changed. */
  public enum Reason {
    /** Set at the ceiling when adapting began. */
    START,
    /** The target throttled a job. */
    THROTTLED,
    /** A call took longer than the latency bound. */
    LATENCY,
    /** Calls answered in time with the limit in use: one more. */
    RECOVERING,
    /** The ceiling (max-in-flight or workers) changed. */
    CEILING,
    /** The settings changed. */
    SETTINGS
  }

  /**
   * A change of the limit.
   *
   * @param atNanos when
   * @param from the limit before
   * @param to the limit after
   * @param reason why
   */
  public record Change(long atNanos, int from, int to, Reason reason) {}

  /** Weight of the newest round trip in the smoothed one (1 in 5). */
  private static final int RTT_SMOOTHING = 5;

  private AdaptiveSettings settings;
  private int ceiling;
  private double estimate;
  private long lastDecreaseNanos;
  private boolean decreased;
  private long smoothedRttNanos;
  private boolean haveRtt;
  private Change lastChange;
  private long decreases;
  private long increases;

  /**
   * A limit that starts at {@code ceiling}.
   *
   * @throws IllegalArgumentException if the ceiling is below 1
   */
  public AdaptiveConcurrency(AdaptiveSettings settings, int ceiling, long nowNanos) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ceiling = requireCeiling(ceiling);
    this.estimate = ceiling;
    this.lastChange = new Change(nowNanos, ceiling, ceiling, Reason.START);
  }

  /** Jobs allowed in flight now: between the floor and the ceiling (the ceiling wins). */
  public int limit() {
    int floored = (int) Math.floor(estimate);
    return Math.min(ceiling, Math.max(settings.min(), floored));
  }

  /**
   * The target throttled a job that reached it at {@code startNanos}.
   *
   * @return whether the limit changed
   */
  public boolean onThrottled(long startNanos, long nowNanos) {
    return overloaded(startNanos, nowNanos, Reason.THROTTLED);
  }

  /**
   * The target did a job that reached it at {@code startNanos} and answered at {@code nowNanos},
   * with {@code inFlight} jobs in flight, this one included. A call slower than the latency bound
   * counts as a throttle.
   *
   * @return whether the limit changed
   */
  public boolean onAnswered(long startNanos, long nowNanos, int inFlight) {
    long rtt = Math.max(0, nowNanos - startNanos);
    if (settings.latencyAbove() != null && rtt > settings.latencyAbove().toNanos()) {
      return overloaded(startNanos, nowNanos, Reason.LATENCY);
    }
    smoothedRttNanos =
        haveRtt ? (smoothedRttNanos * (RTT_SMOOTHING - 1) + rtt) / RTT_SMOOTHING : rtt;
    haveRtt = true;
    int before = limit();
    // A limit that is not used says nothing about what the target takes: growing it would only
    // let a later burst through at once.
    if ((long) inFlight * 2 < before || estimate >= ceiling) {
      return false;
    }
    if (nowNanos - lastChange.atNanos() < smoothedRttNanos
        || (decreased && nowNanos - lastDecreaseNanos < 2 * smoothedRttNanos)) {
      return false; // once per round trip; two after a decrease
    }
    estimate = Math.min(ceiling, Math.floor(estimate) + 1);
    increases++;
    return changed(before, nowNanos, Reason.RECOVERING);
  }

  /** The configured ceiling changed (max-in-flight set, lowered or removed; workers). */
  public boolean setCeiling(int newCeiling, long nowNanos) {
    requireCeiling(newCeiling);
    if (newCeiling == ceiling) {
      return false;
    }
    int before = limit();
    ceiling = newCeiling;
    estimate = Math.min(estimate, newCeiling);
    return changed(before, nowNanos, Reason.CEILING);
  }

  /**
   * New settings. The limit is kept (within a new floor); switching from off to on starts again at
   * the ceiling, since what was learned then may no longer hold.
   */
  public boolean setSettings(AdaptiveSettings newSettings, long nowNanos) {
    Objects.requireNonNull(newSettings, "settings");
    int before = limit();
    boolean switchedOn = newSettings.enabled() && !settings.enabled();
    if (switchedOn) {
      estimate = ceiling;
      decreased = false;
    }
    settings = newSettings;
    estimate = Math.max(estimate, Math.min(ceiling, settings.min()));
    if (switchedOn) {
      // Adapting begins again here, even at the same value: that is what the last change says.
      lastChange = new Change(nowNanos, before, limit(), Reason.SETTINGS);
      return limit() != before;
    }
    return changed(before, nowNanos, Reason.SETTINGS);
  }

  public AdaptiveSettings settings() {
    return settings;
  }

  public int ceiling() {
    return ceiling;
  }

  /** The last change of the limit (at first, its start at the ceiling). */
  public Change lastChange() {
    return lastChange;
  }

  /** Decreases since the start. */
  public long decreases() {
    return decreases;
  }

  /** Increases since the start. */
  public long increases() {
    return increases;
  }

  /** The smoothed time a successful call takes, in nanoseconds; 0 before the first. */
  public long roundTripNanos() {
    return smoothedRttNanos;
  }

  private boolean overloaded(long startNanos, long nowNanos, Reason reason) {
    if (decreased && startNanos < lastDecreaseNanos) {
      return false; // sent under the limit before the last decrease, which answered for it
    }
    int before = limit();
    decreased = true;
    lastDecreaseNanos = nowNanos;
    estimate = Math.max(settings.min(), estimate * settings.backoff());
    decreases++;
    return changed(before, nowNanos, reason);
  }

  private boolean changed(int before, long nowNanos, Reason reason) {
    int after = limit();
    if (after == before && reason != Reason.THROTTLED && reason != Reason.LATENCY) {
      return false;
    }
    // A throttle at the floor changes nothing but is still the latest news about the target.
    lastChange = new Change(nowNanos, before, after, reason);
    return after != before;
  }

  private static int requireCeiling(int ceiling) {
    if (ceiling < 1) {
      throw new IllegalArgumentException("adaptive ceiling must be >= 1, got " + ceiling);
    }
    return ceiling;
  }
}
