package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice audit}: the operator actions taken on the service, newest first. */
@Command(name = "audit", description = "Show the audit trail of operator actions, newest first.")
final class AuditCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Option(names = "--limit", description = "Show at most this many entries (default 50).")
  int limit = 50;

  @Option(names = "--json", description = "Print JSON lines.")
  boolean raw;

  @Override
  public void run() {
    if (limit < 1) {
      throw new CliException("--limit must be >= 1, got " + limit);
    }
    ApiClient api = service.client();
    long before = 0;
    int shown = 0;
    while (shown < limit) {
      int page = Math.min(100, limit - shown);
      JsonNode answer =
          Json.read(api.call("GET", "v1/audit?limit=" + page + "&before=" + before, null));
      for (JsonNode e : answer.path("entries")) {
        shown++;
        if (raw) {
          System.out.println(e.toString());
        } else {
          System.out.printf(
              "%s\t%s\t%s %s\t%s -> %s%n",
              e.path("at").asText(),
              e.path("action").asText(),
              e.path("via").asText(),
              e.path("client").asText(),
              e.path("before"),
              e.path("after"));
        }
      }
      if (!answer.hasNonNull("next")) {
        break;
      }
      before = answer.get("next").asLong();
    }
    if (!raw && shown == 0) {
      System.out.println("no operator action recorded");
    }
  }
}
