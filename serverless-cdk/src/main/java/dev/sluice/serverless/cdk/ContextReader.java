package dev.sluice.serverless.cdk;

/** Typed reads of context values, each failure naming its key. */
final class ContextReader {
  private final ContextLookup context;

  ContextReader(ContextLookup context) {
    this.context = context;
  }

  String string(String key, String fallback) {
    Object value = context.value(key);
    if (value == null) {
      return fallback;
    }
    String text = String.valueOf(value).trim();
    return text.isEmpty() ? fallback : text;
  }

  int integer(String key, int fallback) {
    Integer value = optionalInteger(key);
    return value == null ? fallback : value;
  }

  Integer optionalInteger(String key) {
    String text = string(key, null);
    if (text == null) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "must be a whole number", text);
    }
  }

  /** A number, or the word {@code none} for "not set"; absent means {@code fallback}. */
  Integer integerOrNone(String key, int fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    if (text.equals("none")) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(key, "must be a whole number or none", text);
    }
  }

  boolean bool(String key, boolean fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidSettingException(key, "must be true or false", text);
    };
  }
}
