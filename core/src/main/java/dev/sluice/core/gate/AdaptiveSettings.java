package dev.sluice.core.gate;

import java.time.Duration;

/**
 * How the concurrency adapts to the target ({@code dispatcher.adaptive} in the config file). When
 * enabled, the jobs allowed in flight come down when the target throttles (or answers slower than
 * {@code latencyAbove}) and go up again as it recovers, between {@code min} and the configured
 * ceiling (the max-in-flight limit if set, else the dispatcher's workers), which stays a hard
 * limit. See {@link AdaptiveConcurrency}.
 *
 * @param enabled whether the concurrency adapts; off, only the configured limits hold
 * @param min the fewest jobs in flight the adapted limit allows, >= 1 (a lower ceiling wins)
 * @param backoff what the limit is multiplied by when the target throttles, > 0 and < 1
 * @param latencyAbove a call that took longer than this counts as a throttle; null to ignore
 *     latency
 * @param rate whether the window and rate limits adapt too (see {@link AdaptiveRate}); off by
 *     default, since a throttle cannot say whether the target ran out of room for jobs at once or
 *     for starts per second, and cutting a window the target does not mind costs throughput
 */
public record AdaptiveSettings(
    boolean enabled, int min, double backoff, Duration latencyAbove, boolean rate) {

  /** Concurrency only, as before the rate adapted. */
  public AdaptiveSettings(boolean enabled, int min, double backoff, Duration latencyAbove) {
    this(enabled, min, backoff, latencyAbove, false);
  }

  public static final int DEFAULT_MIN = 1;

  /** As concurrency-limits' AIMD: one throttle takes a tenth off. */
  public static final double DEFAULT_BACKOFF = 0.9;

  public AdaptiveSettings {
    if (min < 1) {
      throw new IllegalArgumentException("adaptive.min must be >= 1, got " + min);
    }
    if (!(backoff > 0 && backoff < 1)) {
      throw new IllegalArgumentException("adaptive.backoff must be > 0 and < 1, got " + backoff);
    }
    if (latencyAbove != null && (latencyAbove.isZero() || latencyAbove.isNegative())) {
      throw new IllegalArgumentException(
          "adaptive.latency-above must be a positive duration, got " + latencyAbove);
    }
  }

  /** Not adapting: the defaults, switched off. */
  public static AdaptiveSettings off() {
    return new AdaptiveSettings(false, DEFAULT_MIN, DEFAULT_BACKOFF, null);
  }

  /** Adapting with the defaults: floor 1, backoff 0.9, latency not watched. */
  public static AdaptiveSettings on() {
    return new AdaptiveSettings(true, DEFAULT_MIN, DEFAULT_BACKOFF, null);
  }

  public AdaptiveSettings withEnabled(boolean e) {
    return new AdaptiveSettings(e, min, backoff, latencyAbove, rate);
  }

  public AdaptiveSettings withMin(int m) {
    return new AdaptiveSettings(enabled, m, backoff, latencyAbove, rate);
  }

  public AdaptiveSettings withBackoff(double b) {
    return new AdaptiveSettings(enabled, min, b, latencyAbove, rate);
  }

  public AdaptiveSettings withLatencyAbove(Duration l) {
    return new AdaptiveSettings(enabled, min, backoff, l, rate);
  }

  /** With the window and rate limits adapting too, or not. */
  public AdaptiveSettings withRate(boolean r) {
    return new AdaptiveSettings(enabled, min, backoff, latencyAbove, r);
  }
}
