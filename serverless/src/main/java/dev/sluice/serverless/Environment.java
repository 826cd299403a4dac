package dev.sluice.serverless;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a handler's settings from its environment variables, with messages that name the variable
 * and say what is wrong. Only the handlers' settings records use it.
 */
final class Environment {
  private final Map<String, String> env;

  Environment(Map<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  String required(String name, String what) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required: " + what);
    }
    return value.trim();
  }

  String optional(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  int positiveInt(String name, String text) {
    try {
      int n = Integer.parseInt(text);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a whole number > 0, got '" + text + "'");
  }

  Integer optionalPositiveInt(String name) {
    String value = optional(name, null);
    return value == null ? null : positiveInt(name, value);
  }

  Duration duration(String name, String text) {
    try {
      Duration d = Duration.parse(text);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a positive ISO-8601 duration such as PT1M, got '" + text + "'");
  }

  boolean bool(String name, boolean fallback) {
    String value = optional(name, null);
    if (value == null) {
      return fallback;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
  }
}
