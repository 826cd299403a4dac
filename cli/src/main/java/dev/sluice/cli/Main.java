package dev.sluice.cli;

import picocli.CommandLine;

/** Entry point of the {@code sluice} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code; errors are one line on stderr. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SluiceCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          String msg =
              e instanceof CliException || e instanceof dev.sluice.core.SluiceException
                  ? e.getMessage()
                  : e.toString();
          commandLine.getErr().println("sluice: " + msg);
          return 1;
        });
    cli.setParameterExceptionHandler(
        (e, a) -> {
          e.getCommandLine().getErr().println("sluice: " + e.getMessage());
          // The qualified name, so a subcommand's hint reads `sluice dead redrive --help`.
          e.getCommandLine()
              .getErr()
              .println(
                  "(see `" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help`)");
          return 2;
        });
    return cli.execute(args);
  }
}
