package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice drain}: stop taking events, release the backlog, then the service exits. */
@Command(
    name = "drain",
    description = {
      "Stop taking new events, release what waits, then `sluice serve` exits 0.",
      "A paused service drains once resumed."
    })
final class DrainCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Override
  public void run() {
    JsonNode status = Json.read(service.client().call("POST", "v1/drain", null));
    System.out.println(
        "draining: "
            + status.path("backlog").asLong()
            + " waiting, "
            + status.path("inFlight").asLong()
            + " in flight"
            + (status.path("paused").asBoolean() ? " (paused: `sluice resume` to finish)" : ""));
  }
}
