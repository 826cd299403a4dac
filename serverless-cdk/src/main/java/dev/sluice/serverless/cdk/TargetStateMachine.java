package dev.sluice.serverless.cdk;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.Pass;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.amazon.awscdk.services.stepfunctions.Wait;
import software.amazon.awscdk.services.stepfunctions.WaitTime;
import software.constructs.Construct;

/**
 * The Step Functions state machine each released event starts: an existing one named by {@code
 * stateMachineArn}, or a sample Standard machine (wait ten seconds, then succeed) to try the
 * pipeline with.
 */
final class TargetStateMachine extends Construct {

  private final IStateMachine stateMachine;
  private final String executionsArn;
  private final boolean sample;
  private final String executionsAsNagSees;

  TargetStateMachine(Construct scope, String id, SluiceSettings settings) {
    super(scope, id);
    if (settings.stateMachineArn() != null) {
      String arn = settings.stateMachineArn();
      this.stateMachine = StateMachine.fromStateMachineArn(this, "Existing", arn);
      this.executionsArn = arn.replace(":stateMachine:", ":execution:") + ":*";
      this.sample = false;
      this.executionsAsNagSees = executionsArn;
    } else {
      StateMachine sample = sample();
      this.stateMachine = sample;
      this.executionsArn =
          Stack.of(this)
              .formatArn(
                  ArnComponents.builder()
                      .service("states")
                      .resource("execution")
                      .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                      .resourceName(sample.getStateMachineName() + ":*")
                      .build());
      this.sample = true;
      // cdk-nag names an intrinsic by the logical id it refers to.
      String logicalId =
          Stack.of(this).getLogicalId((CfnElement) sample.getNode().getDefaultChild());
      this.executionsAsNagSees =
          "arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<"
              + logicalId
              + ".Name>:*";
    }
  }

  private StateMachine sample() {
    Wait work =
        Wait.Builder.create(this, "Work")
            .comment("Stands for the processing of one object")
            .time(WaitTime.duration(Duration.seconds(10)))
            .build();
    Pass done = Pass.Builder.create(this, "Done").build();
    LogGroup logs =
        LogGroup.Builder.create(this, "Logs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    StateMachine sample =
        StateMachine.Builder.create(this, "Sample")
            .comment("Sluice sample target: waits ten seconds per object, then succeeds")
            .stateMachineType(StateMachineType.STANDARD)
            .definitionBody(DefinitionBody.fromChainable(work.next(done)))
            .timeout(Duration.minutes(5))
            .logs(
                LogOptions.builder()
                    .destination(logs)
                    .level(LogLevel.ALL)
                    // Object keys are the operator's data; the events' history is enough here.
                    .includeExecutionData(false)
                    .build())
            .build();
    Nag.acknowledge(
        sample,
        "AwsSolutions-SF2",
        "The sample machine runs a Wait and a Pass state, which X-Ray has nothing to"
            + " trace in; a real target enables tracing in its own stack.");
    Nag.acknowledge(
        sample.getRole(),
        "AwsSolutions-IAM5[Resource::*]",
        "Step Functions needs the CloudWatch Logs log-delivery actions"
            + " (logs:CreateLogDelivery and the like) to log to its log group; those actions"
            + " support no resource-level permission, so AWS requires Resource *.");
    return sample;
  }

  /** The state machine to start. */
  IStateMachine stateMachine() {
    return stateMachine;
  }

  /** The ARN pattern of its executions, for {@code states:DescribeExecution}. */
  String executionsArn() {
    return executionsArn;
  }

  /**
   * The cdk-nag finding of a grant on {@link #executionsArn()}: execution names are made per event,
   * so the grant names the machine's executions with a wildcard, and this acknowledges it.
   */
  String executionsWildcardFinding() {
    return "AwsSolutions-IAM5[Resource::" + executionsAsNagSees + "]";
  }

  /** Whether the sample machine was created here (an existing one is never touched). */
  boolean isSample() {
    return sample;
  }
}
