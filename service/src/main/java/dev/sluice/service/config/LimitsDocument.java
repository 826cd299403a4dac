package dev.sluice.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.gate.Limits;

/**
 * Limits as a JSON document, with the same keys and checks as the {@code limits:} section of the
 * config file: {@code {"window": {"limit": 50, "every": "1m", "aligned": false}, "rate":
 * {"per-second": 10, "burst": 10}, "concurrency": {"max-in-flight": 5}}}. A part that is absent or
 * null is not limited.
 */
public final class LimitsDocument {
  private LimitsDocument() {}

  /**
   * Reads a limits document.
   *
   * @throws ConfigException naming the key and the problem
   */
  public static Limits read(JsonNode node) {
    return ConfigReader.limits(node);
  }

  public static ObjectNode write(Limits limits, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    if (limits.window() == null) {
      o.putNull("window");
    } else {
      o.putObject("window")
          .put("limit", limits.window().limit())
          .put("every", DurationText.format(limits.window().every()))
          .put("aligned", limits.window().aligned());
    }
    if (limits.rate() == null) {
      o.putNull("rate");
    } else {
      o.putObject("rate")
          .put("per-second", limits.rate().perSecond())
          .put("burst", limits.rate().burst());
    }
    if (limits.maxInFlight() == null) {
      o.putNull("concurrency");
    } else {
      o.putObject("concurrency").put("max-in-flight", limits.maxInFlight());
    }
    return o;
  }
}
