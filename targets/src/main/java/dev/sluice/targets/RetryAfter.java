package dev.sluice.targets;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 §10.2.3): either delta-seconds ({@code 120})
 * or an HTTP-date ({@code Wed, 21 Oct 2026 07:28:00 GMT}).
 */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * How long the server asked us to wait.
   *
   * @param value the header value, or null when the header was absent
   * @param now the current instant, to turn an HTTP-date into a wait
   * @return the wait ({@link Duration#ZERO} for a date already past), or null when absent or
   *     invalid
   */
  public static Duration parse(String value, Instant now) {
    if (value == null) {
      return null;
    }
    String text = value.strip();
    if (text.isEmpty()) {
      return null;
    }
    if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return deltaSeconds(text);
    }
    try {
      Instant date = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, date);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Duration deltaSeconds(String digits) {
    try {
      return Duration.ofSeconds(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      // More digits than a long holds: not a wait anyone means.
      return null;
    }
  }
}
