package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** One-line human form of the adaptive concurrency's state. */
final class AdaptiveText {
  private AdaptiveText() {}

  /**
   * {@code on: 9 in flight of max 12 (last: throttled 10 -> 9 at T); min 1, backoff 0.9}, or {@code
   * off} with the settings it would use.
   */
  static String render(JsonNode a) {
    String settings =
        String.format(
            Locale.ROOT,
            "min %d, backoff %s%s",
            a.path("min").asInt(),
            a.path("backoff").asText(),
            a.hasNonNull("latency-above")
                ? ", slow above " + a.path("latency-above").asText()
                : "");
    if (!a.path("enabled").asBoolean()) {
      return "off (" + settings + ")";
    }
    JsonNode last = a.path("lastChange");
    return String.format(
        Locale.ROOT,
        "on: %d in flight of max %d (last: %s %d -> %d at %s; %d down, %d up); %s",
        a.path("limit").asInt(),
        a.path("ceiling").asInt(),
        last.path("reason").asText(),
        last.path("from").asInt(),
        last.path("to").asInt(),
        last.path("at").asText(),
        a.path("decreases").asLong(),
        a.path("increases").asLong(),
        settings);
  }
}
