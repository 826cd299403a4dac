package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice limits}: show the limits, or change some of them at runtime ({@code PATCH
 * /v1/limits}). Parts and fields not named keep their current value.
 */
@Command(
    name = "limits",
    description = "Show the limits, or change them at runtime (parts not given are kept).")
final class LimitsCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Option(names = "--limit", description = "Window limit: releases per window.")
  Integer limit;

  @Option(names = "--every", description = "Window length, e.g. 1s, 2s, 1m.")
  String every;

  @Option(
      names = "--aligned",
      description = "Count per tick of a fixed schedule instead of sliding.")
  Boolean aligned;

  @Option(names = "--rate", description = "Token bucket: releases per second.")
  Double rate;

  @Option(names = "--burst", description = "Token bucket size (default: the rate, at least 1).")
  Integer burst;

  @Option(names = "--max-in-flight", description = "At most this many jobs running at once.")
  Integer maxInFlight;

  @Option(names = "--no-window", description = "Remove the window limit.")
  boolean noWindow;

  @Option(names = "--no-rate", description = "Remove the rate limit.")
  boolean noRate;

  @Option(names = "--no-concurrency", description = "Remove the in-flight limit.")
  boolean noConcurrency;

  @Override
  public void run() {
    ApiClient api = service.client();
    ObjectNode patch = Json.MAPPER.createObjectNode();
    JsonNode current = null;
    if (limit != null || every != null || aligned != null) {
      ObjectNode w = patch.putObject("window");
      if (limit != null) {
        w.put("limit", limit);
      }
      if (every != null) {
        w.put("every", every);
      }
      if (aligned != null) {
        w.put("aligned", aligned);
      }
      if (limit == null || every == null) {
        current = current(api, current);
        if (!current.path("window").isObject()) {
          throw new CliException("a new window limit needs both --limit and --every");
        }
      }
    }
    if (rate != null || burst != null) {
      ObjectNode r = patch.putObject("rate");
      if (rate != null) {
        r.put("per-second", rate);
      }
      if (burst != null) {
        r.put("burst", burst);
      }
      if (rate == null || burst == null) {
        current = current(api, current);
        boolean hasRate = current.path("rate").isObject();
        if (rate == null && !hasRate) {
          throw new CliException("a new rate limit needs --rate");
        }
        if (burst == null && !hasRate) {
          r.put("burst", Math.max(1, (int) Math.floor(rate)));
        }
      }
    }
    if (maxInFlight != null) {
      patch.putObject("concurrency").put("max-in-flight", maxInFlight);
    }
    if (noWindow) {
      patch.putNull("window");
    }
    if (noRate) {
      patch.putNull("rate");
    }
    if (noConcurrency) {
      patch.putNull("concurrency");
    }
    JsonNode shown;
    if (patch.isEmpty()) {
      shown = current(api, current);
    } else {
      // A partial update: the service applies it to the limits in force at that moment, so a
      // change made meanwhile by someone else is kept.
      shown = Json.read(api.call("PATCH", "v1/limits", patch.toString())).get("after");
    }
    System.out.println(LimitsText.render((ObjectNode) shown));
  }

  private static JsonNode current(ApiClient api, JsonNode known) {
    return known != null ? known : Json.read(api.call("GET", "v1/limits", null));
  }
}
