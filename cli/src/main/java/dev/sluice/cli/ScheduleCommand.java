package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice schedule}: show the capacity schedule and what it gives now, replace it with the
 * one in a file ({@code PUT /v1/schedule}), or remove it ({@code DELETE /v1/schedule}).
 */
@Command(
    name = "schedule",
    description =
        "Show the capacity schedule (limits by time of day, blackouts) and what holds now, or"
            + " change it at runtime.")
final class ScheduleCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Option(
      names = "--set",
      paramLabel = "FILE",
      description =
          "Replace the schedule with the one in FILE (YAML or JSON: zone and rules, as the"
              + " config file's schedule: section, which may be the top key).")
  Path file;

  @Option(names = "--clear", description = "Remove every rule: the limits hold at all times.")
  boolean clear;

  @Override
  public void run() {
    if (file != null && clear) {
      throw new CliException("give --set FILE or --clear, not both");
    }
    ApiClient api = service.client();
    String answer;
    if (file != null) {
      answer = api.call("PUT", "v1/schedule", read(file).toString());
    } else if (clear) {
      answer = api.call("DELETE", "v1/schedule", null);
    } else {
      answer = api.call("GET", "v1/schedule", null);
    }
    JsonNode shown = Json.read(answer);
    System.out.print(ScheduleText.render(shown.path("schedule"), shown.path("capacity")));
  }

  private static JsonNode read(Path file) {
    JsonNode doc;
    try {
      doc = new YAMLMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new CliException(file + ": expected a mapping with zone and rules");
    }
    // A copy of the config file's section, or the whole config file.
    return doc.has("schedule") ? doc.get("schedule") : doc;
  }
}
