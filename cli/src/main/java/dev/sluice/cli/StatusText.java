package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The human form of a status document: one screen. */
final class StatusText {
  private StatusText() {}

  static String render(JsonNode s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("state        %s%n", state(s)));
    store(s.path("store")).ifPresent(line -> b.append(String.format("store        %s%n", line)));
    b.append(
        String.format(
            "backlog      %d waiting (%d due)%n",
            s.path("backlog").asLong(), s.path("due").asLong()));
    if (s.has("releasedLastMinute")) {
      b.append(
          String.format(
              Locale.ROOT,
              "rate         %.1f/s (%d released in the last minute)%n",
              s.path("releaseRatePerSecond").asDouble(),
              s.path("releasedLastMinute").asLong()));
    }
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
              Locale.ROOT,
              "oldest       %s (%.1fs ago)%n",
              s.path("oldestWaiting").asText(),
              s.path("oldestWaitingSeconds").asDouble()));
    }
    cluster(s.path("cluster"), b);
    b.append(String.format("limits       %s%n", LimitsText.render(s.path("limits"))));
    JsonNode capacity = s.path("capacity");
    if (capacity.path("rules").size() > 0 || capacity.path("nextChange").isTextual()) {
      b.append(String.format("schedule     %s%n", ScheduleText.capacity(capacity)));
    }
    if (s.path("batch").isObject()) {
      b.append(String.format("batches      %s%n", batches(s.path("batch"))));
    }
    if (s.path("adaptive").isObject()) {
      b.append(String.format("adaptive     %s%n", AdaptiveText.render(s.path("adaptive"))));
    }
    JsonNode f = s.path("forecast");
    if (f.isObject()) {
      b.append(String.format("forecast     %s%n", forecast(f)));
    } else if (s.hasNonNull("timeToDrainSeconds")) {
      b.append(
          String.format(
              Locale.ROOT, "drain in     >= %.1fs%n", s.path("timeToDrainSeconds").asDouble()));
    }
    b.append(String.format("target       %s%n", s.path("target").asText()));
    return b.toString();
  }

  private static String forecast(JsonNode f) {
    StringBuilder b = new StringBuilder();
    b.append("drained in ")
        .append(seconds(f.path("timeToDrainSeconds").asDouble()))
        .append(" (")
        .append(f.path("drainedAt").asText())
        .append(")");
    if (f.path("assumesResumeNow").asBoolean()) {
      b.append(" once resumed");
    }
    if (f.hasNonNull("steadyPerSecond")) {
      b.append(
          String.format(Locale.ROOT, ", %.1f/s at most", f.path("steadyPerSecond").asDouble()));
    }
    b.append(
        String.format(
            Locale.ROOT, ", target answers in %s", seconds(f.path("latencySeconds").asDouble())));
    return b.toString();
  }

  /** A span for people: 0.3s, 42.0s, 2m05s, 1h02m. */
  static String seconds(double s) {
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1fs", s);
    }
    long whole = Math.round(s);
    if (whole < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", whole / 3600, (whole % 3600) / 60);
  }

  /**
   * A line only when the backlog cannot write (a full disk): what failed and since when. Nothing
   * while it writes, so the usual screen stays as it was.
   */
  /**
   * Several nodes on one store: who holds the gate (the only node releasing), then a line per node
   * with its heartbeat's age and how many events are leased to it.
   */
  static void cluster(JsonNode c, StringBuilder b) {
    if (!c.isObject()) {
      return;
    }
    JsonNode holder = c.path("holder");
    String held =
        holder.isObject()
            ? "gate held by "
                + holder.path("node").asText()
                + " (epoch "
                + holder.path("epoch").asLong()
                + ")"
            : "gate held by no node";
    JsonNode nodes = c.path("nodes");
    b.append(
        String.format(
            "nodes        %d, this one %s; %s%n", nodes.size(), c.path("node").asText(), held));
    for (JsonNode n : nodes) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-20s %-24s heartbeat %5.1fs ago  leased %6d%s%n",
              n.path("node").asText(),
              n.path("host").asText() + " pid " + n.path("pid").asLong(),
              n.path("heartbeatAgeSeconds").asDouble(),
              n.path("leased").asLong(),
              n.path("holdsGate").asBoolean() ? "  holds the gate" : ""));
    }
  }

  static java.util.Optional<String> store(JsonNode store) {
    if (!store.isObject() || store.path("writable").asBoolean(true)) {
      return java.util.Optional.empty();
    }
    String what = store.path("full").asBoolean() ? "FULL, taking no events" : "NOT WRITABLE";
    return java.util.Optional.of(
        what
            + " since "
            + store.path("failingSince").asText("?")
            + " ("
            + store.path("failedWrites").asLong()
            + " failed writes): "
            + store.path("lastError").asText(""));
  }

  /** DRAINING (taking no new events), PAUSED (releasing nothing), both, or running. */
  static String state(JsonNode s) {
    boolean paused = s.path("paused").asBoolean();
    if (s.path("draining").asBoolean()) {
      return paused ? "DRAINING, PAUSED (the drain finishes once resumed)" : "DRAINING";
    }
    return paused ? "PAUSED" : "running";
  }

  /** {@code max 20, wait 30s, limits count jobs, by bucket; 50 released (mean 19.6), ...}. */
  static String batches(JsonNode b) {
    JsonNode n = b.path("sinceStart");
    return String.format(
        "max %d, wait %s, limits count %s, by %s; %d released (mean size %.1f), %d partial,"
            + " %d partly failed",
        b.path("max").asInt(),
        b.path("wait").asText(),
        b.path("count").asText(),
        b.path("groupedBy").asText(),
        n.path("released").asLong(),
        n.path("meanSize").asDouble(),
        n.path("partial").asLong(),
        n.path("partiallyFailed").asLong());
  }
}
