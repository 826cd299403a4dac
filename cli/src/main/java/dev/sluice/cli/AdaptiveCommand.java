package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice adaptive}: show the adaptive concurrency (the limit now, its ceiling, its last
 * change and why), or switch it on or off and change its settings at runtime ({@code PATCH
 * /v1/adaptive}). Settings not named keep their current value.
 */
@Command(
    name = "adaptive",
    description =
        "Show the adaptive concurrency, or switch it on/off and change its settings at runtime.")
final class AdaptiveCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Parameters(
      arity = "0..1",
      paramLabel = "on|off",
      description = "Switch adapting on or off (omit to keep it as it is).")
  String switchTo;

  @Option(names = "--min", description = "Fewest jobs in flight the adapted limit allows.")
  Integer min;

  @Option(
      names = "--backoff",
      description = "Factor the limit is multiplied by on a throttle, > 0 and < 1.")
  Double backoff;

  @Option(
      names = "--latency-above",
      description = "A call slower than this counts as a throttle, e.g. 2s.")
  String latencyAbove;

  @Option(names = "--no-latency", description = "Stop treating slow calls as throttles.")
  boolean noLatency;

  @Option(
      names = "--rate",
      description = "Adapt the window and rate limits too (a target throttling starts per second).")
  boolean rate;

  @Option(names = "--no-rate", description = "Keep the window and rate limits as configured.")
  boolean noRate;

  @Override
  public void run() {
    ApiClient api = service.client();
    ObjectNode patch = Json.MAPPER.createObjectNode();
    if (switchTo != null) {
      switch (switchTo) {
        case "on" -> patch.put("enabled", true);
        case "off" -> patch.put("enabled", false);
        default -> throw new CliException("expected on or off, got '" + switchTo + "'");
      }
    }
    if (min != null) {
      patch.put("min", min);
    }
    if (backoff != null) {
      patch.put("backoff", backoff);
    }
    if (rate && noRate) {
      throw new CliException("--rate and --no-rate contradict each other");
    }
    if (rate || noRate) {
      patch.put("rate", rate);
    }
    if (latencyAbove != null) {
      patch.put("latency-above", latencyAbove);
    }
    if (noLatency) {
      patch.putNull("latency-above");
    }
    JsonNode shown =
        patch.isEmpty()
            ? Json.read(api.call("GET", "v1/adaptive", null))
            : Json.read(api.call("PATCH", "v1/adaptive", patch.toString())).get("state");
    System.out.println(AdaptiveText.render(shown));
  }
}
