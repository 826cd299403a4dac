package dev.sluice.sfnlocal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the members of one request body and checks them against the API model's constraints, as the
 * service's front end does before the operation runs: every violation is collected into one {@code
 * ValidationException}; a member of the wrong JSON type is a {@code SerializationException}. Values
 * of sensitive members (execution input, error, cause) are left out of the message.
 */
final class Members {

  private final ObjectNode body;
  private final List<String> violations = new ArrayList<>();
  private boolean wrongType;

  Members(ObjectNode body) {
    this.body = body;
  }

  /** A string member, or null when absent; {@code required} members must be present. */
  String string(String field, boolean required, int minLength, int maxLength, boolean sensitive) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        violations.add(
            "Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
      }
      return null;
    }
    if (!node.isTextual()) {
      wrongType = true;
      return null;
    }
    String value = node.textValue();
    int length = value.codePointCount(0, value.length());
    if (length < minLength) {
      violate(
          field, value, sensitive, "Member must have length greater than or equal to " + minLength);
    }
    if (length > maxLength) {
      violate(
          field, value, sensitive, "Member must have length less than or equal to " + maxLength);
    }
    return value;
  }

  /** Checks that a present string member matches {@code pattern}. */
  void pattern(String field, String value, Pattern pattern) {
    if (value != null && !pattern.matcher(value).matches()) {
      violate(
          field,
          value,
          false,
          "Member must satisfy regular expression pattern: " + pattern.pattern());
    }
  }

  /** Checks that a present string member is one of {@code allowed}. */
  void oneOf(String field, String value, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      violate(field, value, false, "Member must satisfy enum value set: " + allowed);
    }
  }

  /** An integer member, or {@code absent} when missing. */
  int integer(String field, int absent, int min, int max) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      wrongType = true;
      return absent;
    }
    int value = node.intValue();
    if (value < min) {
      violate(
          field,
          String.valueOf(value),
          false,
          "Member must have value greater than or equal to " + min);
    }
    if (value > max) {
      violate(
          field,
          String.valueOf(value),
          false,
          "Member must have value less than or equal to " + max);
    }
    return value;
  }

  /** The error for what was read so far, or empty when every member keeps its constraints. */
  Optional<ApiError> error() {
    if (wrongType) {
      return Optional.of(ApiError.serialization());
    }
    return violations.isEmpty() ? Optional.empty() : Optional.of(ApiError.validation(violations));
  }

  private void violate(String field, String value, boolean sensitive, String constraint) {
    String shown = sensitive ? "Value" : "Value '" + value + "'";
    violations.add(shown + " at '" + field + "' failed to satisfy constraint: " + constraint);
  }
}
