package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** One-line human form of the adaptive concurrency's state. */
final class AdaptiveText {
  private AdaptiveText() {}

  /**
   * {@code on: 9 in flight of max 12 (last: throttled 10 -> 9 at T); min 1, backoff 0.9}, followed
   * by the adapted window and rate when the rate adapts, or {@code off} with the settings it would
   * use.
   */
  static String render(JsonNode a) {
    String settings =
        String.format(
            Locale.ROOT,
            "min %d, backoff %s%s%s",
            a.path("min").asInt(),
            a.path("backoff").asText(),
            a.hasNonNull("latency-above") ? ", slow above " + a.path("latency-above").asText() : "",
            a.path("rate").asBoolean() ? ", rate adapts" : "");
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
            settings)
        + (a.path("rate").asBoolean() ? "; " + rate(a) : "");
  }

  /**
   * {@code rate x0.21: window 21, 4.2/s (last: throttled at T; 3 down, 5 up)}: the share of the
   * window and rate limits allowed now and what they allow.
   */
  private static String rate(JsonNode a) {
    StringBuilder now = new StringBuilder();
    if (a.hasNonNull("windowLimitNow")) {
      now.append("window ").append(a.path("windowLimitNow").asInt());
    }
    if (a.hasNonNull("ratePerSecondNow")) {
      now.append(now.length() > 0 ? ", " : "")
          .append(a.path("ratePerSecondNow").asText())
          .append("/s");
    }
    JsonNode last = a.path("rateLastChange");
    return String.format(
        Locale.ROOT,
        "rate x%.2f: %s (last: %s at %s; %d down, %d up)",
        a.path("rateFactor").asDouble(),
        now.length() > 0 ? now : "no window or rate set",
        last.path("reason").asText(),
        last.path("at").asText(),
        a.path("rateDecreases").asLong(),
        a.path("rateIncreases").asLong());
  }
}
