package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** The human form of a {@code /v1/events} answer: one block per event of the object. */
final class WhereText {
  private WhereText() {}

  static String render(JsonNode o) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format("object       %s %s%n", o.path("bucket").asText(), o.path("key").asText()));
    for (JsonNode e : o.path("events")) {
      b.append(String.format("%n"));
      b.append(String.format("event        %d%s%n", e.path("eventId").asLong(), version(e)));
      b.append(String.format("state        %s%n", e.path("state").asText()));
      if (e.hasNonNull("position")) {
        b.append(position(o, e));
        b.append(
            String.format(
                "starts       in %s, at %s%s%n",
                StatusText.seconds(e.path("forecastStartInSeconds").asDouble()),
                e.path("forecastStart").asText(),
                o.path("paused").asBoolean() ? " once resumed" : ""));
      }
      b.append(String.format("attempts     %d%n", e.path("attempts").asInt()));
      b.append(String.format("accepted     %s%n", e.path("acceptedAt").asText()));
      if (e.hasNonNull("lastError")) {
        b.append(String.format("last error   %s%n", e.path("lastError").asText()));
      }
    }
    return b.toString();
  }

  /**
   * Its place in the release order: under fair share, by the events ahead of it in its own
   * partition, with the oldest-first count beside it for comparison.
   */
  private static String position(JsonNode o, JsonNode e) {
    if ("fair-share".equals(o.path("order").asText())) {
      return String.format(
          "position     %d by fair share (%d ahead in partition '%s', %d in the backlog)%n",
          e.path("position").asLong(),
          e.path("aheadInPartition").asLong(),
          e.path("partition").asText(),
          e.path("ahead").asLong());
    }
    return String.format(
        "position     %d (%d ahead)%n", e.path("position").asLong(), e.path("ahead").asLong());
  }

  private static String version(JsonNode e) {
    if (e.hasNonNull("versionId")) {
      return " (version " + e.path("versionId").asText() + ")";
    }
    if (e.hasNonNull("sequencer")) {
      return " (sequencer " + e.path("sequencer").asText() + ")";
    }
    return "";
  }
}
