package dev.sluice.serverless.cdk;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How S3 notifications reach the event queue. */
public enum Wiring {
  /** S3 invokes the intake function, which writes normalized events to the event queue. */
  INTAKE_FUNCTION("intake-function"),
  /**
   * S3 sends its notifications to the event queue itself; there is no intake function and the
   * scheduler parses the S3 notification bodies.
   */
  DIRECT("direct");

  private final String contextValue;

  Wiring(String contextValue) {
    this.contextValue = contextValue;
  }

  /** The value of the {@code wiring} context key that selects this wiring. */
  public String contextValue() {
    return contextValue;
  }

  static Wiring fromContext(String key, String value) {
    for (Wiring wiring : values()) {
      if (wiring.contextValue.equals(value)) {
        return wiring;
      }
    }
    throw new InvalidSettingException(
        key,
        "must be one of "
            + Arrays.stream(values()).map(Wiring::contextValue).collect(Collectors.joining(", ")),
        value);
  }
}
