package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Human form of a capacity schedule and of what it gives now. */
final class ScheduleText {
  private ScheduleText() {}

  /** One line per rule under the zone, then the capacity now. */
  static String render(JsonNode schedule, JsonNode capacity) {
    StringBuilder b = new StringBuilder();
    JsonNode rules = schedule.path("rules");
    if (rules.isEmpty()) {
      b.append("no schedule: the limits hold at all times").append(System.lineSeparator());
    } else {
      b.append("zone ").append(schedule.path("zone").asText()).append(System.lineSeparator());
      for (JsonNode r : rules) {
        b.append(
                String.format(
                    "  %-12s %-28s %s",
                    r.path("name").asText(),
                    days(r.path("days")) + " " + r.path("from").asText() + "-" + until(r),
                    r.path("blackout").asBoolean()
                        ? "blackout"
                        : LimitsText.render(r.path("limits"))))
            .append(System.lineSeparator());
      }
    }
    b.append("now ").append(capacity(capacity)).append(System.lineSeparator());
    return b.toString();
  }

  /** {@code blackout until T} or {@code night: 500 per 1m (sliding) until T}. */
  static String capacity(JsonNode c) {
    List<String> rules = new ArrayList<>();
    c.path("rules").forEach(r -> rules.add(r.asText()));
    String what =
        c.path("blackout").asBoolean()
            ? "blackout (" + String.join(", ", rules) + "): nothing released"
            : (rules.isEmpty() ? "base limits" : String.join(", ", rules))
                + ": "
                + LimitsText.render(c.path("limits"));
    JsonNode next = c.path("nextChange");
    return what + (next.isTextual() ? "; next change " + next.asText() : "");
  }

  private static String until(JsonNode rule) {
    String until = rule.path("until").asText();
    return until.equals("00:00") ? "24:00" : until;
  }

  private static String days(JsonNode days) {
    if (days.size() == 7) {
      return "every day";
    }
    List<String> names = new ArrayList<>();
    days.forEach(d -> names.add(d.asText()));
    return String.join(",", names);
  }
}
