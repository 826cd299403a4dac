package dev.sluice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice resume}: release again under the limits. */
@Command(name = "resume", description = "Resume releasing jobs.")
final class ResumeCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Override
  public void run() {
    service.client().call("POST", "v1/resume", null);
    System.out.println("resumed");
  }
}
