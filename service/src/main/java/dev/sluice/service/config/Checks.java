package dev.sluice.service.config;

import java.time.Duration;

/**
 * Field checks shared by the config records. Messages start with the field's YAML name so {@link
 * FieldMessage} can put the section in front.
 */
final class Checks {
  private Checks() {}

  static String notBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    return value;
  }

  static Duration positive(String field, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          field
              + " must be a positive duration, got "
              + (value == null ? "nothing" : DurationText.format(value)));
    }
    return value;
  }

  static int atLeast(String field, int min, int value) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
    }
    return value;
  }

  static int port(String field, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(
          field + " must be between 0 and 65535 (0 picks a free port), got " + value);
    }
    return value;
  }
}
