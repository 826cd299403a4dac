package dev.sluice.serverless;

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
 * still runs. Starts run one after the other, in the batch's order: each takes a moment, and a
 * burst would only meet Step Functions' {@code StartExecution} quota sooner.
 */
final class ExecutionStarter implements JobStarter {

  private final SfnClient sfn;
  private final String stateMachineArn;

  ExecutionStarter(SfnClient sfn, String stateMachineArn) {
    this.sfn = sfn;
    this.stateMachineArn = stateMachineArn;
  }

  @Override
  public Start start(SluiceMessage message) {
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
