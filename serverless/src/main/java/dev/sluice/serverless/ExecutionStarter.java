package dev.sluice.serverless;

import dev.sluice.core.Outcome;
import dev.sluice.targets.ExecutionInput;
import dev.sluice.targets.aws.AwsOutcomes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Starts the execution a message names: {@code StartExecution} with the message's execution name
 * and the event as input. An answer that the name exists is a duplicate (a redelivered message, a
 * notification sent twice), never a failure: the existing execution is described to tell whether it
 * still runs.
 */
final class ExecutionStarter {

  /** What became of one start. */
  sealed interface Start {}

  /** A new execution began. */
  record Began(String executionArn) implements Start {}

  /** The execution of this name already exists: running, or closed ({@code running} false). */
  record Duplicate(String executionArn, boolean running) implements Start {}

  /** No execution began: throttled, or failed (retryable or not). */
  record Refused(Outcome outcome) implements Start {}

  private final SfnClient sfn;
  private final String stateMachineArn;

  ExecutionStarter(SfnClient sfn, String stateMachineArn) {
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  Start start(SluiceMessage message) {
    String name = message.named().executionName();
    String input = ExecutionInput.of(message.event(), message.attempt());
    try {
      return new Began(
          sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(input))
              .executionArn());
    } catch (ExecutionAlreadyExistsException e) {
      String arn = executionArn(name);
      try {
        DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
        return new Duplicate(
            arn,
            d.status() == ExecutionStatus.RUNNING || d.status() == ExecutionStatus.PENDING_REDRIVE);
      } catch (SdkException describe) {
        return new Refused(AwsOutcomes.of("DescribeExecution", describe));
      }
    } catch (SdkException e) {
      return new Refused(AwsOutcomes.of("StartExecution", e));
    }
  }

  /** The ARN of this state machine's execution named {@code name}. */
  String executionArn(String name) {
    int at = stateMachineArn.indexOf(":stateMachine:");
    return stateMachineArn.substring(0, at)
        + ":execution:"
        + stateMachineArn.substring(at + ":stateMachine:".length())
        + ":"
        + name;
  }
}
