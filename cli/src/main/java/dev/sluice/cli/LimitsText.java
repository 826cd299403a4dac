package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One-line human form of a limits document. */
final class LimitsText {
  private LimitsText() {}

  static String render(JsonNode l) {
    List<String> parts = new ArrayList<>();
    JsonNode w = l.path("window");
    if (w.isObject()) {
      parts.add(
          w.path("limit").asInt()
              + " per "
              + w.path("every").asText()
              + (w.path("aligned").asBoolean() ? " (aligned)" : " (sliding)"));
    }
    JsonNode r = l.path("rate");
    if (r.isObject()) {
      parts.add(r.path("per-second").asDouble() + "/s burst " + r.path("burst").asInt());
    }
    JsonNode c = l.path("concurrency");
    if (c.isObject()) {
      parts.add("max " + c.path("max-in-flight").asInt() + " in flight");
    }
    return parts.isEmpty() ? "none" : String.join(", ", parts);
  }
}
