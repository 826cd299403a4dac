package dev.sluice.targets.aws;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the {@code step-functions} target starts executions and learns that they ended.
 *
 * @param stateMachineArn the state machine, {@code arn:<partition>:states:<region>:<account>:
 *     stateMachine:<name>}
 * @param completion how the end of an execution is learned ({@link Completion#POLL}), or not at all
 *     ({@link Completion#NONE}: a job is done once its execution started)
 * @param pollInterval how often each running execution is described, > 0
 * @param maxExecutionTime how long an execution may run before its job is released again (the next
 *     release adopts the execution if it still runs); > 0
 */
public record StepFunctionsSettings(
    String stateMachineArn,
    Completion completion,
    Duration pollInterval,
    Duration maxExecutionTime) {

  private static final Pattern STATE_MACHINE_ARN =
      Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[^:]{1,80}");

  /** How the end of an execution is learned. */
  public enum Completion {
    /** {@code DescribeExecution} of every running execution each poll interval. */
    POLL,
    /** Not at all: the job is done when the execution started, and max-in-flight counts calls. */
    NONE
  }

  public StepFunctionsSettings {
    if (stateMachineArn == null || !STATE_MACHINE_ARN.matcher(stateMachineArn).matches()) {
      throw new IllegalArgumentException(
          "state-machine-arn must be arn:aws:states:<region>:<account>:stateMachine:<name>,"
              + " got "
              + stateMachineArn);
    }
    Objects.requireNonNull(completion, "completion");
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException(
          "poll-interval must be a positive duration, got " + pollInterval);
    }
    if (maxExecutionTime == null || maxExecutionTime.isNegative() || maxExecutionTime.isZero()) {
      throw new IllegalArgumentException(
          "max-execution-time must be a positive duration, got " + maxExecutionTime);
    }
  }

  /** Polls every 5 s; an execution may run a day before its job is released again. */
  public static StepFunctionsSettings of(String stateMachineArn) {
    return new StepFunctionsSettings(
        stateMachineArn, Completion.POLL, Duration.ofSeconds(5), Duration.ofDays(1));
  }

  public StepFunctionsSettings withPollInterval(Duration d) {
    return new StepFunctionsSettings(stateMachineArn, completion, d, maxExecutionTime);
  }

  public StepFunctionsSettings withCompletion(Completion c) {
    return new StepFunctionsSettings(stateMachineArn, c, pollInterval, maxExecutionTime);
  }

  public StepFunctionsSettings withMaxExecutionTime(Duration d) {
    return new StepFunctionsSettings(stateMachineArn, completion, pollInterval, d);
  }

  /** The ARN of this state machine's execution named {@code name}. */
  public String executionArn(String name) {
    int at = stateMachineArn.indexOf(":stateMachine:");
    return stateMachineArn.substring(0, at)
        + ":execution:"
        + stateMachineArn.substring(at + ":stateMachine:".length())
        + ":"
        + name;
  }
}
