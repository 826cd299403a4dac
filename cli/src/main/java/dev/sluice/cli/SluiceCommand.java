package dev.sluice.cli;

import picocli.CommandLine.Command;

/** The top-level {@code sluice} command. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    version = "sluice 0.1.0",
    description = "Releases object-storage events to a target under hard limits.",
    subcommands = {
      ServeCommand.class,
      dev.sluice.cli.demo.DemoCommand.class,
      ServerlessLocalCommand.class,
      StatusCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      LimitsCommand.class,
      ScheduleCommand.class,
      AdaptiveCommand.class,
      BatchCommand.class,
      PartitionsCommand.class,
      DeadCommand.class,
      ReleasesCommand.class,
      DrainCommand.class,
      AuditCommand.class,
      WhereCommand.class,
      BackfillCommand.class,
      ReconcileCommand.class
    })
final class SluiceCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
