package dev.sluice.serverless.cdk;

import java.util.List;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;

/**
 * The grants of each handler, exactly as the handler contract lists them, written out as policy
 * statements. CDK's grant helpers are not used because they give more: {@code grantConsumeMessages}
 * adds {@code sqs:GetQueueUrl} and {@code sqs:ChangeMessageVisibility}, {@code grantReadWriteData}
 * adds batch, query, scan and delete actions, {@code grantStartExecution} is fine but the execution
 * grant must name the executions of one machine.
 */
final class HandlerPermissions {
  private HandlerPermissions() {}

  /** intake: sends events to the event queue. */
  static void intake(Role role, IQueue eventQueue) {
    role.addToPolicy(allow("SendEvents", List.of("sqs:SendMessage"), eventQueue.getQueueArn()));
  }

  /**
   * scheduler: moves events from the event queue to the invocation queue and reserves each tick's
   * budget (and the in-flight count) in the table.
   */
  static void scheduler(Role role, IQueue eventQueue, IQueue invocationQueue, ITable table) {
    role.addToPolicy(
        allow(
            "TakeEvents",
            List.of(
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueAttributes"),
            eventQueue.getQueueArn()));
    role.addToPolicy(
        allow("ReleaseJobs", List.of("sqs:SendMessage"), invocationQueue.getQueueArn()));
    role.addToPolicy(
        allow(
            "ReserveBudget",
            List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
            table.getTableArn()));
  }

  /**
   * invoke with a state machine as the target: consumed by its event source mapping (the three
   * actions Lambda's SQS poller needs), sends a throttled start back to the invocation queue with a
   * delay and a hopeless one to the invocation DLQ, starts and describes executions, and records
   * in-flight executions.
   */
  static void invoke(
      Role role,
      IQueue invocationQueue,
      IQueue invocationDeadLetterQueue,
      IStateMachine stateMachine,
      String executionsArn,
      ITable table) {
    consumeJobs(role, invocationQueue, invocationDeadLetterQueue);
    role.addToPolicy(
        allow(
            "StartExecutions",
            List.of("states:StartExecution"),
            stateMachine.getStateMachineArn()));
    role.addToPolicy(
        allow("DescribeExecutions", List.of("states:DescribeExecution"), executionsArn));
    trackInFlight(role, table);
  }

  /**
   * invoke with a Lambda function as the target: as {@link #invoke}, but it invokes the function
   * instead of starting executions. The grant names exactly the ARN the function is invoked by:
   * Lambda authorizes an invocation against the ARN it names, so an alias ARN needs a grant on the
   * alias (a grant on the function would not cover it) and is all the role gets — not the
   * function's other versions and aliases, nor $LATEST.
   */
  static void invokeFunction(
      Role role,
      IQueue invocationQueue,
      IQueue invocationDeadLetterQueue,
      String functionArn,
      ITable table) {
    consumeJobs(role, invocationQueue, invocationDeadLetterQueue);
    role.addToPolicy(allow("InvokeTarget", List.of("lambda:InvokeFunction"), functionArn));
    trackInFlight(role, table);
  }

  private static void consumeJobs(
      Role role, IQueue invocationQueue, IQueue invocationDeadLetterQueue) {
    role.addToPolicy(
        allow(
            "ConsumeJobs",
            List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            invocationQueue.getQueueArn()));
    role.addToPolicy(
        allow(
            "RequeueOrDeadLetter",
            List.of("sqs:SendMessage"),
            invocationQueue.getQueueArn(),
            invocationDeadLetterQueue.getQueueArn()));
  }

  private static void trackInFlight(Role role, ITable table) {
    role.addToPolicy(
        allow(
            "TrackInFlight",
            List.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
            table.getTableArn()));
  }

  /**
   * completion: frees the in-flight slot of a finished execution, sends a failed one back through
   * the gate (the event queue) or to the invocation DLQ.
   */
  static void completion(
      Role role, IQueue eventQueue, IQueue invocationDeadLetterQueue, ITable table) {
    role.addToPolicy(
        allow(
            "FreeSlots", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"), table.getTableArn()));
    role.addToPolicy(
        allow(
            "RetryOrDeadLetter",
            List.of("sqs:SendMessage"),
            eventQueue.getQueueArn(),
            invocationDeadLetterQueue.getQueueArn()));
  }

  private static PolicyStatement allow(String sid, List<String> actions, String... resources) {
    return PolicyStatement.Builder.create()
        .sid(sid)
        .actions(actions)
        .resources(List.of(resources))
        .build();
  }
}
