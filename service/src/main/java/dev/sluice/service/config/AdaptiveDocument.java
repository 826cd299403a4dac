package dev.sluice.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.dispatch.AdaptiveLimiter;
import dev.sluice.core.gate.AdaptiveSettings;
import java.time.Duration;

/**
 * The adaptive concurrency settings as a document, with the keys and checks of the {@code
 * dispatcher.adaptive} section of the config file: {@code {"enabled": true, "min": 1, "backoff":
 * 0.9, "latency-above": "2s", "rate": false}}. Also the view of the adapted limit shown in status.
 */
public final class AdaptiveDocument {
  static final String SECTION = "dispatcher.adaptive";

  private AdaptiveDocument() {}

  /**
   * The settings of a {@code dispatcher.adaptive} section: a key left out takes its default, and
   * {@code enabled} is true unless the section says otherwise.
   */
  static AdaptiveSettings read(YamlSection s) {
    return apply(AdaptiveSettings.on(), s);
  }

  /**
   * {@code current} changed by the keys {@code patch} names, the others kept; {@code
   * "latency-above": null} stops watching latency.
   *
   * @throws ConfigException naming the key and the problem
   */
  public static AdaptiveSettings patch(AdaptiveSettings current, JsonNode patch) {
    if (patch == null || !patch.isObject() || patch.isEmpty()) {
      throw new ConfigException(
          "adaptive: expected an object with at least one of enabled, min, backoff,"
              + " latency-above and rate");
    }
    AdaptiveSettings base =
        patch.has("latency-above") && patch.get("latency-above").isNull()
            ? current.withLatencyAbove(null)
            : current;
    return apply(base, YamlSection.at(SECTION, patch));
  }

  private static AdaptiveSettings apply(AdaptiveSettings base, YamlSection s) {
    s.allowOnly("enabled", "min", "backoff", "latency-above", "rate");
    boolean enabled = s.bool("enabled", base.enabled());
    int min = s.integer("min", base.min());
    double backoff = s.number("backoff", base.backoff());
    Duration latencyAbove = s.duration("latency-above", base.latencyAbove());
    boolean rate = s.bool("rate", base.rate());
    // AdaptiveSettings' messages start with "adaptive.", so they are qualified from "dispatcher".
    return YamlSection.buildAt(
        "dispatcher", () -> new AdaptiveSettings(enabled, min, backoff, latencyAbove, rate));
  }

  /** Settings as {@link #write} wrote them (every key present). */
  public static AdaptiveSettings read(JsonNode node) {
    return patch(AdaptiveSettings.off(), node);
  }

  public static ObjectNode write(AdaptiveSettings a, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.put("enabled", a.enabled());
    o.put("min", a.min());
    o.put("backoff", a.backoff());
    if (a.latencyAbove() == null) {
      o.putNull("latency-above");
    } else {
      o.put("latency-above", DurationText.format(a.latencyAbove()));
    }
    o.put("rate", a.rate());
    return o;
  }

  /**
   * The adapted limit as status shows it: the settings, the ceiling, the limit now, and its last
   * change with the reason.
   */
  public static ObjectNode state(AdaptiveLimiter.State s, ObjectMapper json) {
    ObjectNode o = write(s.settings(), json);
    o.put("ceiling", s.ceiling());
    o.put("limit", s.limit());
    ObjectNode last = o.putObject("lastChange");
    last.put("at", s.changedAt().toString());
    last.put("from", s.changedFrom());
    last.put("to", s.limit());
    last.put("reason", s.reason().name().toLowerCase(java.util.Locale.ROOT));
    o.put("decreases", s.decreases());
    o.put("increases", s.increases());
    AdaptiveLimiter.RateState r = s.rate();
    o.put("rateFactor", r.factor());
    if (r.windowLimitNow() == null) {
      o.putNull("windowLimitNow");
    } else {
      o.put("windowLimitNow", r.windowLimitNow());
    }
    if (r.ratePerSecondNow() == null) {
      o.putNull("ratePerSecondNow");
    } else {
      o.put("ratePerSecondNow", r.ratePerSecondNow());
    }
    ObjectNode rateLast = o.putObject("rateLastChange");
    rateLast.put("at", r.changedAt().toString());
    rateLast.put("from", r.changedFrom());
    rateLast.put("to", r.factor());
    rateLast.put("reason", r.reason().name().toLowerCase(java.util.Locale.ROOT));
    o.put("rateDecreases", r.decreases());
    o.put("rateIncreases", r.increases());
    return o;
  }
}
