package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice partitions}: show the fair share between partitions (how they are formed, weights,
 * caps, and the busy partitions with their due events, in flight, releases in the last minute and
 * share), or change weights and caps at runtime ({@code PATCH /v1/partitions}). Weights and caps
 * not named keep their value.
 */
@Command(
    name = "partitions",
    description =
        "Show the fair share between partitions, or change their weights and caps at runtime.")
final class PartitionsCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Option(
      names = "--weight",
      paramLabel = "PARTITION=W",
      description = "Set a partition's weight (repeatable), e.g. --weight tenant-a/=3.")
  List<String> weights = new ArrayList<>();

  @Option(
      names = "--cap",
      paramLabel = "PARTITION=N",
      description = "Most events of a partition in flight at once (repeatable).")
  List<String> caps = new ArrayList<>();

  @Option(
      names = "--default-weight",
      paramLabel = "W",
      description = "Weight of a partition not named.")
  Integer defaultWeight;

  @Option(
      names = "--reset-weight",
      paramLabel = "PARTITION",
      description = "The partition takes the default weight again (repeatable).")
  List<String> resetWeights = new ArrayList<>();

  @Option(
      names = "--no-cap",
      paramLabel = "PARTITION",
      description = "Remove a partition's cap (repeatable).")
  List<String> noCaps = new ArrayList<>();

  @Override
  public void run() {
    ApiClient api = service.client();
    ObjectNode patch = Json.MAPPER.createObjectNode();
    if (!weights.isEmpty() || !resetWeights.isEmpty()) {
      ObjectNode w = patch.putObject("weights");
      weights.forEach(a -> w.put(name(a, "--weight"), number(a, "--weight")));
      resetWeights.forEach(w::putNull);
    }
    if (!caps.isEmpty() || !noCaps.isEmpty()) {
      ObjectNode c = patch.putObject("caps");
      caps.forEach(a -> c.put(name(a, "--cap"), number(a, "--cap")));
      noCaps.forEach(c::putNull);
    }
    if (defaultWeight != null) {
      patch.put("default-weight", defaultWeight);
    }
    JsonNode shown =
        patch.isEmpty()
            ? Json.read(api.call("GET", "v1/partitions", null))
            : Json.read(api.call("PATCH", "v1/partitions", patch.toString())).get("state");
    System.out.print(PartitionsText.render(shown));
  }

  /** The partition of {@code PARTITION=N}: everything before the last '=' (a key may hold '='). */
  private static String name(String assignment, String option) {
    int eq = assignment.lastIndexOf('=');
    if (eq < 0) {
      throw new CliException(option + ": expected PARTITION=N, got '" + assignment + "'");
    }
    return assignment.substring(0, eq);
  }

  private static int number(String assignment, String option) {
    String n = assignment.substring(assignment.lastIndexOf('=') + 1);
    try {
      return Integer.parseInt(n.strip());
    } catch (NumberFormatException e) {
      throw new CliException(option + ": expected a whole number after '=', got '" + n + "'");
    }
  }
}
