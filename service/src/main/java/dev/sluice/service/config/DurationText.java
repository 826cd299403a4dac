package dev.sluice.service.config;

import dev.sluice.core.time.DurationFormat;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, {@code 1d},
 * or ISO-8601 ({@code PT2S}).
 */
public final class DurationText {

  /** What a valid duration looks like, for error messages. */
  public static final String EXPECTED = "a duration like 500ms, 2s, 1m, 1h or PT2S";

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private DurationText() {}

  /**
   * The duration {@code text} names.
   *
   * @throws IllegalArgumentException when it is not one of the forms above
   */
  public static Duration parse(String text) {
    String trimmed = text.strip();
    Matcher m = SHORT.matcher(trimmed);
    try {
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            return Duration.ofMillis(amount);
          case "s":
            return Duration.ofSeconds(amount);
          case "m":
            return Duration.ofMinutes(amount);
          case "h":
            return Duration.ofHours(amount);
          default:
            return Duration.ofDays(amount);
        }
      }
      if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
        return Duration.parse(trimmed);
      }
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      // Falls through to the one message that says what is accepted.
    }
    throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'");
  }

  /** The shortest text {@link #parse} reads back as {@code d}: {@code 1m}, {@code 500ms}. */
  public static String format(Duration d) {
    return DurationFormat.format(d);
  }
}
