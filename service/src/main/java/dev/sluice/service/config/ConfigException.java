package dev.sluice.service.config;

import dev.sluice.core.InvalidInputException;

/**
 * A configuration that cannot be used. The message is one line naming the key and the problem, e.g.
 * {@code http.port: expected an integer, got 'abc'}, fit to print as-is.
 */
public class ConfigException extends InvalidInputException {
  public ConfigException(String message) {
    super(oneLine(message));
  }

  public ConfigException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  private static String oneLine(String message) {
    if (message == null) {
      return null;
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " ").replaceAll("\\p{Cntrl}", "?");
  }
}
