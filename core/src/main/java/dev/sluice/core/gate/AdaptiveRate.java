package dev.sluice.core.gate;

import java.time.Duration;
import java.util.Objects;

/**
 * The share of the configured window and rate limits a target takes, learned from its answers: a
 * factor in (0, 1] that the gate applies to the limits in effect ({@link Gate#setRateFactor}). A
 * throttle (or a call slower than {@link AdaptiveSettings#latencyAbove()}) multiplies it by {@link
 * AdaptiveSettings#backoff()}; calls answered in time while the scaled limit is in use raise it by
 * a step, at most once per period of the limits (the window's length; for a rate alone, the time
 * its bucket takes to refill, at least a second). It never goes above 1, so the configured limits
 * stay the ceiling, nor below one release per period.
 *
 * <p>A decrease happens at most once per period: the target counts the starts of the last period,
 * so for a period after a decrease it still sees the starts made under the old factor and throttles
 * them, and that decrease already answered for them. An increase waits a period after the last
 * change, two after a decrease, for the same reason.
 *
 * <p>The step is {@value #STEP_SHARE} of the factor (at least one release a period): a target of
 * capacity C is probed one release at a time near 20 releases a period, 5 % of C above that, so the
 * share of throttled calls and the climb after a rise of the target's capacity do not depend on how
 * far the configured limit is above it. A fixed share of the configured limit would throttle most
 * calls of a target that takes 1 % of it.
 *
 * <p>Pure: times are monotonic nanoseconds given by the caller; no clock, no threads, not
 * thread-safe (the caller serializes).
 */
public final class AdaptiveRate {

  /** What the factor grows by, as a share of itself, when the target keeps up. */
  public static final double STEP_SHARE = 0.05;

  /** Why the factor last changed. */
  public enum Reason {
    /** Set at 1 when adapting began. */
    START,
    /** The target throttled a job. */
    THROTTLED,
    /** A call took longer than the latency bound. */
    LATENCY,
    /** Calls answered in time with the scaled limit in use: one step up. */
    RECOVERING,
    /** The settings changed. */
    SETTINGS
  }

  /**
   * A change of the factor.
   *
   * @param atNanos when
   * @param from the factor before
   * @param to the factor after
   * @param reason why
   */
  public record Change(long atNanos, double from, double to, Reason reason) {}

  /**
   * What the limits in effect count over, which times the steps and sizes the smallest one.
   *
   * @param periodNanos the window's length, or the rate's refill time (at least a second), the
   *     longer when both are set
   * @param releases releases per period the tightest limit allows at factor 1, >= 1
   */
  public record Scale(long periodNanos, long releases) {

    private static final long SECOND = 1_000_000_000L;
    private static final long MAX_PERIOD = Long.MAX_VALUE / 4;

    public Scale {
      if (periodNanos < 1 || releases < 1) {
        throw new IllegalArgumentException(
            "scale needs a period and releases >= 1, got " + periodNanos + ", " + releases);
      }
    }

    /** The scale of {@code limits}; null when neither a window nor a rate is set. */
    public static Scale of(Limits limits) {
      Limits.Window w = limits.window();
      Limits.Rate r = limits.rate();
      if (w == null && r == null) {
        return null;
      }
      long period = 0;
      if (w != null) {
        period = w.every().toNanos();
      }
      if (r != null) {
        long refill = (long) Math.ceil(r.burst() / r.perSecond() * SECOND);
        period = Math.max(period, Math.max(SECOND, refill));
      }
      long releases = Long.MAX_VALUE;
      if (w != null) {
        // A window of N per length L allows N per period only when the period is L; longer, more.
        releases = (long) Math.floor((double) w.limit() * period / w.every().toNanos());
      }
      if (r != null) {
        releases = Math.min(releases, (long) Math.floor(r.perSecond() * period / SECOND));
      }
      // A period of centuries (a huge burst at a tiny rate) would overflow the doubled wait.
      period = Math.min(period, MAX_PERIOD);
      return new Scale(period, Math.max(1, releases));
    }

    /** The smallest factor: one release a period. */
    double floor() {
      return 1.0 / releases;
    }

    public Duration period() {
      return Duration.ofNanos(periodNanos);
    }
  }

  private AdaptiveSettings settings;
  private double factor = 1;
  private long lastDecreaseNanos;
  private boolean decreased;
  private Change lastChange;
  private long decreases;
  private long increases;

  /** A factor that starts at 1: the limits as configured. */
  public AdaptiveRate(AdaptiveSettings settings, long nowNanos) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lastChange = new Change(nowNanos, 1, 1, Reason.START);
  }

  /** The share of the limits in effect allowed now, in (0, 1]; 1 while the rate does not adapt. */
  public double factor() {
    return adapting() ? factor : 1;
  }

  /**
   * The target throttled a job that reached it at {@code startNanos}, under limits of {@code
   * scale}.
   *
   * @return whether the factor changed
   */
  public boolean onThrottled(long startNanos, long nowNanos, Scale scale) {
    return overloaded(startNanos, nowNanos, scale, Reason.THROTTLED);
  }

  /**
   * The target did a job that reached it at {@code startNanos} and answered at {@code nowNanos};
   * {@code inUse} says whether the releases of the last period took at least half what the scaled
   * limits allow (an unused limit says nothing about the target). A call slower than the latency
   * bound counts as a throttle.
   *
   * @return whether the factor changed
   */
  public boolean onAnswered(long startNanos, long nowNanos, boolean inUse, Scale scale) {
    if (!adapting() || scale == null) {
      return false;
    }
    long took = Math.max(0, nowNanos - startNanos);
    if (settings.latencyAbove() != null && took > settings.latencyAbove().toNanos()) {
      return overloaded(startNanos, nowNanos, scale, Reason.LATENCY);
    }
    if (!inUse || factor >= 1) {
      return false;
    }
    long period = scale.periodNanos();
    if (nowNanos - lastChange.atNanos() < period
        || (decreased && nowNanos - lastDecreaseNanos < 2 * period)) {
      return false; // once per period; two after a decrease
    }
    double before = factor;
    factor = Math.min(1, factor + Math.max(STEP_SHARE * factor, scale.floor()));
    increases++;
    lastChange = new Change(nowNanos, before, factor, Reason.RECOVERING);
    return true;
  }

  /**
   * New settings. The factor is kept while the rate goes on adapting; switching adapting on (or the
   * rate's part of it) starts again at 1, since what was learned then may no longer hold.
   *
   * @return whether the factor in force changed
   */
  public boolean setSettings(AdaptiveSettings newSettings, long nowNanos) {
    Objects.requireNonNull(newSettings, "settings");
    double before = factor();
    boolean wasAdapting = adapting();
    settings = newSettings;
    if (adapting() && !wasAdapting) {
      factor = 1;
      decreased = false;
    }
    if (adapting() != wasAdapting || factor() != before) {
      lastChange = new Change(nowNanos, before, factor(), Reason.SETTINGS);
    }
    return factor() != before;
  }

  public AdaptiveSettings settings() {
    return settings;
  }

  /** Whether the window and rate limits adapt: adapting on, with its rate part. */
  public boolean adapting() {
    return settings.enabled() && settings.rate();
  }

  /** The last change of the factor (at first, its start at 1). */
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

  private boolean overloaded(long startNanos, long nowNanos, Scale scale, Reason reason) {
    if (!adapting() || scale == null) {
      return false;
    }
    if (decreased
        && (startNanos < lastDecreaseNanos || nowNanos - lastDecreaseNanos < scale.periodNanos())) {
      // Sent under the old factor, or still counted by the target with starts made under it: the
      // last decrease already answered for it.
      return false;
    }
    double before = factor;
    decreased = true;
    lastDecreaseNanos = nowNanos;
    factor = Math.max(Math.min(1, scale.floor()), factor * settings.backoff());
    decreases++;
    // A throttle at the floor changes nothing but is still the latest news about the target.
    lastChange = new Change(nowNanos, before, factor, reason);
    return factor != before;
  }
}
