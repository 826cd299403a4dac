package dev.sluice.service;

import dev.sluice.core.Target;
import dev.sluice.core.time.TimeSource;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.targets.CommandTarget;
import dev.sluice.targets.HttpTarget;
import dev.sluice.targets.LogTarget;
import dev.sluice.targets.aws.AwsClients;
import dev.sluice.targets.aws.LambdaTarget;
import dev.sluice.targets.aws.StepFunctionsTarget;
import java.io.PrintStream;

/** Builds the configured target. */
final class TargetFactory {
  private TargetFactory() {}

  static Target create(TargetConfig config, TimeSource time, PrintStream stdout) {
    return switch (config.type()) {
      case LOG -> new LogTarget(stdout);
      case COMMAND -> new CommandTarget(config.command());
      case HTTP -> new HttpTarget(config.http(), time);
      case STEP_FUNCTIONS ->
          new StepFunctionsTarget(
              AwsClients.stepFunctions(config.aws()), config.stepFunctions(), true);
      case LAMBDA -> new LambdaTarget(AwsClients.lambda(config.aws()), config.lambda(), true);
    };
  }
}
