package dev.sluice.core.gate;

import java.time.Duration;

/**
 * The limits an operator sets. Each part is optional (null = not set); when several are set the
 * tightest wins. Validated at construction with a message naming the field.
 *
 * @param window at most {@code limit} releases in any interval of length {@code every}
 * @param rate a token bucket
 * @param maxInFlight at most this many jobs started and not finished
 */
public record Limits(Window window, Rate rate, Integer maxInFlight) {

  /**
   * A window limit.
   *
   * @param limit releases allowed per window, > 0
   * @param every window length, > 0
   * @param aligned false: sliding and exact (no interval of length {@code every} holds more than
   *     {@code limit}); true: up to {@code limit} per tick of a fixed schedule, as a scheduler that
   *     runs every {@code every} would release
   */
  public record Window(int limit, Duration every, boolean aligned) {
    public Window {
      if (limit <= 0) {
        throw new IllegalArgumentException("window.limit must be > 0, got " + limit);
      }
      if (every == null || every.isZero() || every.isNegative()) {
        throw new IllegalArgumentException(
            "window.every must be a positive duration, got " + every);
      }
    }
  }

  /**
   * A token bucket.
   *
   * @param perSecond tokens added per second, > 0
   * @param burst bucket size, >= 1
   */
  public record Rate(double perSecond, int burst) {
    public Rate {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new IllegalArgumentException("rate.per-second must be > 0, got " + perSecond);
      }
      if (burst < 1) {
        throw new IllegalArgumentException("rate.burst must be >= 1, got " + burst);
      }
    }
  }

  public Limits {
    if (maxInFlight != null && maxInFlight < 1) {
      throw new IllegalArgumentException(
          "concurrency.max-in-flight must be >= 1, got " + maxInFlight);
    }
  }

  public static Limits none() {
    return new Limits(null, null, null);
  }

  public static Limits window(int limit, Duration every) {
    return new Limits(new Window(limit, every, false), null, null);
  }

  public Limits withWindow(Window w) {
    return new Limits(w, rate, maxInFlight);
  }

  public Limits withRate(Rate r) {
    return new Limits(window, r, maxInFlight);
  }

  public Limits withMaxInFlight(Integer m) {
    return new Limits(window, rate, m);
  }

  /**
   * The window and rate scaled by {@code factor} (an adapted share of them, see {@link
   * AdaptiveRate}): a window of N allows {@code floor(N * factor)}, a rate of r per second {@code r
   * * factor} (to a thousandth, at least one) with its burst scaled alike; max-in-flight as is. A
   * scaled window or burst stays at least {@code atLeast} (the permits a whole batch takes at once)
   * and at least 1, and never above its own value: the configured limits stay the ceiling.
   *
   * @throws IllegalArgumentException if {@code factor} is not in (0, 1]
   */
  public Limits scaledBy(double factor, int atLeast) {
    if (!(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException("factor must be > 0 and <= 1, got " + factor);
    }
    if (factor == 1) {
      return this;
    }
    Window w =
        window == null
            ? null
            : new Window(
                scaledCount(window.limit(), factor, atLeast), window.every(), window.aligned());
    Rate r = null;
    if (rate != null) {
      double perSecond = Math.max(0.001, Math.round(rate.perSecond() * factor * 1000) / 1000.0);
      r =
          new Rate(
              Math.min(rate.perSecond(), perSecond), scaledCount(rate.burst(), factor, atLeast));
    }
    return new Limits(w, r, maxInFlight);
  }

  private static int scaledCount(int n, double factor, int atLeast) {
    // The epsilon keeps 100 * 0.19 (18.999...) at 19.
    int scaled = (int) Math.floor(n * factor + 1e-9);
    return Math.min(n, Math.max(Math.max(1, atLeast), scaled));
  }
}
