package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** The human form of a status document. */
final class StatusText {
  private StatusText() {}

  static String render(JsonNode s) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format("state        %s%n", s.path("paused").asBoolean() ? "PAUSED" : "running"));
    b.append(
        String.format(
            "backlog      %d waiting (%d due)%n",
            s.path("backlog").asLong(), s.path("due").asLong()));
    b.append(String.format("in flight    %d%n", s.path("inFlight").asLong()));
    b.append(String.format("released     %d%n", s.path("released").asLong()));
    b.append(String.format("completed    %d%n", s.path("completed").asLong()));
    b.append(String.format("dead         %d%n", s.path("dead").asLong()));
    JsonNode dropped = s.path("dropped");
    if (dropped.isObject()) {
      StringBuilder parts = new StringBuilder();
      dropped
          .fields()
          .forEachRemaining(
              f ->
                  parts
                      .append(parts.length() == 0 ? "" : ", ")
                      .append(f.getKey())
                      .append(' ')
                      .append(f.getValue().asLong()));
      b.append(String.format("dropped      %s%n", parts.length() == 0 ? "none" : parts));
    }
    if (!s.path("oldestWaiting").isNull() && s.has("oldestWaiting")) {
      b.append(
          String.format(
              "oldest       %s (%.1fs ago)%n",
              s.path("oldestWaiting").asText(), s.path("oldestWaitingSeconds").asDouble()));
    }
    if (s.hasNonNull("timeToDrainSeconds")) {
      b.append(String.format("drain in     >= %.1fs%n", s.path("timeToDrainSeconds").asDouble()));
    }
    b.append(String.format("limits       %s%n", LimitsText.render(s.path("limits"))));
    b.append(String.format("target       %s%n", s.path("target").asText()));
    return b.toString();
  }
}
