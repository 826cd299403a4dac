package dev.sluice.core.time;

import java.time.Duration;

/**
 * Durations written the way an operator writes them in the config file ({@code 500ms}, {@code 2s},
 * {@code 1m}), so a record's validation message quotes the value in the form it was given.
 */
public final class DurationFormat {
  private DurationFormat() {}

  /**
   * The shortest of {@code Nd}, {@code Nh}, {@code Nm}, {@code Ns}, {@code Nms} that is exactly
   * {@code d}; ISO-8601 for a negative duration or one with sub-millisecond parts; {@code nothing}
   * for null.
   */
  public static String format(Duration d) {
    if (d == null) {
      return "nothing";
    }
    if (d.isNegative() || d.toNanos() % 1_000_000 != 0) {
      return d.toString();
    }
    long millis = d.toMillis();
    if (millis % 86_400_000 == 0 && millis != 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis % 3_600_000 == 0 && millis != 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis != 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
