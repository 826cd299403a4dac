package dev.sluice.serverless.cdk;

/**
 * A CDK context value that the stack cannot be built from. The message names the context key, the
 * rule it breaks and the value given, so a user can fix the {@code -c key=value} they passed.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  InvalidSettingException(String key, String problem, Object given) {
    super("context " + key + " " + problem + ", got " + describe(given));
    this.key = key;
  }

  InvalidSettingException(String key, String problem) {
    super("context " + key + " " + problem);
    this.key = key;
  }

  /** The context key whose value is wrong. */
  public String key() {
    return key;
  }

  private static String describe(Object given) {
    return given instanceof String ? "\"" + given + "\"" : String.valueOf(given);
  }
}
