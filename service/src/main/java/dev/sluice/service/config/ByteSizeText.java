package dev.sluice.service.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as operators write them: {@code 1048576}, {@code 512KiB}, {@code 1MiB}, {@code 1GiB}. */
public final class ByteSizeText {

  /** What a valid size looks like, for error messages. */
  public static final String EXPECTED = "a size like 1048576, 512KiB or 1MiB";

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");

  private ByteSizeText() {}

  /**
   * The number of bytes {@code text} names.
   *
   * @throws IllegalArgumentException when it is not one of the forms above
   */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (m.matches()) {
      try {
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        switch (unit) {
          case "KiB":
            return Math.multiplyExact(amount, 1024L);
          case "MiB":
            return Math.multiplyExact(amount, 1024L * 1024);
          case "GiB":
            return Math.multiplyExact(amount, 1024L * 1024 * 1024);
          default:
            return amount;
        }
      } catch (ArithmeticException | NumberFormatException e) {
        // Falls through to the one message that says what is accepted.
      }
    }
    throw new IllegalArgumentException("expected " + EXPECTED + ", got '" + text + "'");
  }
}
