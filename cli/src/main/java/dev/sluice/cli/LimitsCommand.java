package dev.sluice.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice limits}: show the limits, or change some of them at runtime. Parts not named keep
 * their current value.
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
    ObjectNode limits = (ObjectNode) Json.read(api.call("GET", "v1/limits", null));
    boolean change = false;
    if (limit != null || every != null || aligned != null) {
      ObjectNode w =
          limits.path("window").isObject()
              ? (ObjectNode) limits.get("window")
              : limits.putObject("window");
      if (limit != null) {
        w.put("limit", limit);
      }
      if (every != null) {
        w.put("every", every);
      }
      if (aligned != null) {
        w.put("aligned", aligned);
      }
      if (!w.has("limit") || !w.has("every")) {
        throw new CliException("a new window limit needs both --limit and --every");
      }
      change = true;
    }
    if (rate != null || burst != null) {
      ObjectNode r =
          limits.path("rate").isObject()
              ? (ObjectNode) limits.get("rate")
              : limits.putObject("rate");
      if (rate != null) {
        r.put("per-second", rate);
      }
      if (burst != null) {
        r.put("burst", burst);
      } else if (!r.has("burst") && rate != null) {
        r.put("burst", Math.max(1, (int) Math.floor(rate)));
      }
      if (!r.has("per-second")) {
        throw new CliException("a new rate limit needs --rate");
      }
      change = true;
    }
    if (maxInFlight != null) {
      limits.putObject("concurrency").put("max-in-flight", maxInFlight);
      change = true;
    }
    if (noWindow) {
      limits.putNull("window");
      change = true;
    }
    if (noRate) {
      limits.putNull("rate");
      change = true;
    }
    if (noConcurrency) {
      limits.putNull("concurrency");
      change = true;
    }
    if (change) {
      limits = (ObjectNode) Json.read(api.call("PUT", "v1/limits", limits.toString()));
    }
    System.out.println(LimitsText.render(limits));
  }
}
