package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Human form of the fair share between partitions: the settings, then one line per partition. */
final class PartitionsText {
  private PartitionsText() {}

  static String render(JsonNode p) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "partitions by %s; default weight %d%n",
            p.path("by").asText(),
            p.path("default-weight").asInt()));
    if ("none".equals(p.path("by").asText())) {
      return b.toString();
    }
    JsonNode list = p.path("partitions");
    if (list.isEmpty()) {
      b.append("no partition is busy\n");
      return b.toString();
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%-24s %6s %6s %8s %9s %9s %6s%n",
            "PARTITION",
            "WEIGHT",
            "CAP",
            "DUE",
            "IN FLIGHT",
            "LAST MIN",
            "SHARE"));
    for (JsonNode v : list) {
      String name = v.path("partition").asText();
      b.append(
          String.format(
              Locale.ROOT,
              "%-24s %6d %6s %8d %9d %9d %5.1f%%%n",
              name.isEmpty() ? "(none)" : name,
              v.path("weight").asInt(),
              v.hasNonNull("cap") ? v.path("cap").asText() : "-",
              v.path("due").asLong(),
              v.path("inFlight").asLong(),
              v.path("releasedLastMinute").asLong(),
              v.path("share").asDouble() * 100));
    }
    return b.toString();
  }
}
