package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** JSON reading for CLI output. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode read(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new CliException("the service answered something that is not JSON: " + text);
    }
  }

  /** The {@code error} field of an error body, or the body itself. */
  static String errorMessage(String body) {
    try {
      JsonNode n = MAPPER.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        return n.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON: show it as it is
    }
    return body;
  }
}
