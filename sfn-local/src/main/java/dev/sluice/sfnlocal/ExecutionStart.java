package dev.sluice.sfnlocal;

import java.util.Objects;

/**
 * What an execution was started with: what the outcome and duration functions of {@link
 * LocalStepFunctions.Builder} decide from.
 *
 * @param executionArn the execution's ARN
 * @param stateMachineArn the ARN of the state machine it runs
 * @param name the execution name (given, or the generated UUID)
 * @param input the JSON input ({@code {}} when the call gave none)
 */
public record ExecutionStart(
    String executionArn, String stateMachineArn, String name, String input) {

  public ExecutionStart {
    Objects.requireNonNull(executionArn, "executionArn");
    Objects.requireNonNull(stateMachineArn, "stateMachineArn");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(input, "input");
  }
}
