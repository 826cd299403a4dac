package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice batch}: show the batches (size, wait, what the limits count, how they are grouped,
 * how many went), or change the size and the wait at runtime ({@code PATCH /v1/batch}). Whether
 * jobs are batches at all, and what the limits count, are set in the config file.
 */
@Command(
    name = "batch",
    description =
        "Show the batches, or change their size (--max) and wait (--wait) at runtime; the next"
            + " batches formed use them.")
final class BatchCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Option(
      names = "--max",
      paramLabel = "K",
      description = "Most events in one job (above 1; batching itself is set in the config file).")
  Integer max;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      description =
          "How long a partition's oldest due event waits for its batch to fill, e.g. 30s.")
  String wait;

  @Override
  public void run() {
    ApiClient api = service.client();
    ObjectNode patch = Json.MAPPER.createObjectNode();
    if (max != null) {
      patch.put("max", max);
    }
    if (wait != null) {
      patch.put("wait", wait);
    }
    JsonNode shown =
        patch.isEmpty()
            ? Json.read(api.call("GET", "v1/batch", null))
            : Json.read(api.call("PATCH", "v1/batch", patch.toString())).get("state");
    System.out.println(render(shown));
  }

  /** The batches line of status, or that every job carries one event. */
  static String render(JsonNode b) {
    if (b.path("groupedBy").isNull() || b.path("max").asInt() <= 1) {
      return "off: every job carries one event (batch.max in the config file switches batching"
          + " on)";
    }
    return StatusText.batches(b);
  }
}
