package dev.sluice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice pause}: stop releasing; accepted events keep arriving and wait. */
@Command(
    name = "pause",
    description = "Stop releasing jobs (intake continues; running jobs finish).")
final class PauseCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Override
  public void run() {
    service.client().call("POST", "v1/pause", null);
    System.out.println("paused");
  }
}
