package dev.sluice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice status}: what waits, what runs, what the limits are. */
@Command(
    name = "status",
    description = "Show backlog, in flight, released, dead letters and limits.")
final class StatusCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Option(names = "--json", description = "Print the raw JSON.")
  boolean raw;

  @Override
  public void run() {
    String body = service.client().call("GET", "v1/status", null);
    if (raw) {
      System.out.println(body);
      return;
    }
    System.out.print(StatusText.render(Json.read(body)));
  }
}
