package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice dead}: list dead letters, or redrive them. */
@Command(
    name = "dead",
    description = "List dead letters (default), redrive them or purge them.",
    subcommands = {
      DeadCommand.ListLetters.class,
      DeadCommand.Redrive.class,
      DeadCommand.Purge.class
    })
final class DeadCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Override
  public void run() {
    ListLetters.print(service.client(), false);
  }

  @Command(name = "list", description = "List dead letters with their last error.")
  static final class ListLetters implements Runnable {
    @Mixin ServiceUrl service;

    @Option(names = "--json", description = "Print JSON lines.")
    boolean raw;

    @Override
    public void run() {
      print(service.client(), raw);
    }

    static void print(ApiClient api, boolean raw) {
      long after = 0;
      int shown = 0;
      while (true) {
        JsonNode page = Json.read(api.call("GET", "v1/dead?after=" + after + "&limit=1000", null));
        for (JsonNode d : page.path("dead")) {
          shown++;
          if (raw) {
            System.out.println(d.toString());
          } else {
            System.out.printf(
                "%d\ts3://%s/%s\tattempts=%d\t%s%n",
                d.path("eventId").asLong(),
                d.path("bucket").asText(),
                d.path("key").asText(),
                d.path("attempts").asInt(),
                d.path("lastError").asText());
          }
        }
        if (!page.hasNonNull("next")) {
          break;
        }
        after = page.get("next").asLong();
      }
      if (!raw) {
        System.out.println(shown + " dead letter" + (shown == 1 ? "" : "s"));
      }
    }
  }

  @Command(
      name = "redrive",
      description = "Move dead letters back to the backlog (all, or the ids given).")
  static final class Redrive implements Runnable {
    @Mixin ServiceUrl service;

    @Parameters(arity = "0..*", paramLabel = "EVENT_ID", description = "Event ids; none means all.")
    java.util.List<Long> ids = new java.util.ArrayList<>();

    @Override
    public void run() {
      String body =
          Json.MAPPER.createObjectNode().set("ids", Json.MAPPER.valueToTree(ids)).toString();
      JsonNode r = Json.read(service.client().call("POST", "v1/dead/redrive", body));
      System.out.println("redriven " + r.path("redriven").asLong());
    }
  }

  @Command(
      name = "purge",
      description =
          "Delete dead letters for good (the ids given, or --all); they cannot be redriven.")
  static final class Purge implements Runnable {
    @Mixin ServiceUrl service;

    @Parameters(arity = "0..*", paramLabel = "EVENT_ID", description = "Event ids.")
    java.util.List<Long> ids = new java.util.ArrayList<>();

    @Option(names = "--all", description = "Purge every dead letter.")
    boolean all;

    @Override
    public void run() {
      if (ids.isEmpty() != all) {
        throw new CliException(
            all
                ? "give either event ids or --all, not both"
                : "name the event ids to purge, or --all to purge every dead letter");
      }
      String body =
          Json.MAPPER.createObjectNode().set("ids", Json.MAPPER.valueToTree(ids)).toString();
      JsonNode r = Json.read(service.client().call("DELETE", "v1/dead", body));
      System.out.println("purged " + r.path("purged").asLong());
    }
  }
}
