package dev.sluice.intake;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of one JSON field with messages that name its full path, e.g. {@code
 * Records[2].s3.object.key is missing}. A JSON {@code null} counts as absent.
 */
final class JsonFields {

  private JsonFields() {}

  static JsonNode requiredObject(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (isAbsent(node)) {
      throw new InvalidRecordException(path + " is missing");
    }
    if (!node.isObject()) {
      throw new InvalidRecordException(path + " must be an object, got " + describe(node));
    }
    return node;
  }

  /** A string that must be present and not empty. */
  static String requiredString(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (isAbsent(node)) {
      throw new InvalidRecordException(path + " is missing");
    }
    String text = string(node, path);
    if (text.isEmpty()) {
      throw new InvalidRecordException(path + " is empty");
    }
    return text;
  }

  /** A string, or null when absent or empty (sources send {@code ""} for "not known"). */
  static String optionalString(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (isAbsent(node)) {
      return null;
    }
    String text = string(node, path);
    return text.isEmpty() ? null : text;
  }

  /** A non-negative whole number, or null when absent. */
  static Long optionalCount(JsonNode parent, String field, String path) {
    JsonNode node = parent.get(field);
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
      throw new InvalidRecordException(
          path + " must be a non-negative whole number, got " + describe(node));
    }
    return node.asLong();
  }

  /** What a node is, short enough for a one-line message: {@code a number (123)}. */
  static String describe(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        return "an object";
      case ARRAY:
        return "an array";
      case STRING:
        return "a string";
      case NUMBER:
        return "a number (" + node.asText() + ")";
      case BOOLEAN:
        return "a boolean (" + node.asText() + ")";
      case NULL:
        return "null";
      default:
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private static String string(JsonNode node, String path) {
    if (!node.isTextual()) {
      throw new InvalidRecordException(path + " must be a string, got " + describe(node));
    }
    String text = node.textValue();
    if (text.indexOf('\u0000') >= 0) {
      // JSON can carry \u0000, no object store name or tag can; a Postgres backlog could not
      // even store it, so every store refuses it here alike.
      throw new InvalidRecordException(path + " contains a NUL character (U+0000)");
    }
    return text;
  }
}
