package dev.sluice.serverless.local;

import java.util.Objects;

/**
 * The resources the four functions share, as the deployment passes them in their environments.
 *
 * @param eventQueueUrl where events wait for the gate ({@code EVENT_QUEUE_URL})
 * @param invocationQueueUrl where released jobs wait for the invoke function ({@code
 *     INVOCATION_QUEUE_URL})
 * @param invocationDeadLetterQueueUrl the invocation queue's dead-letter queue ({@code
 *     INVOCATION_DLQ_URL})
 * @param tableName the table of the limits' states ({@code TABLE_NAME})
 * @param stateMachineArn the state machine each job starts ({@code STATE_MACHINE_ARN})
 */
public record FunctionResources(
    String eventQueueUrl,
    String invocationQueueUrl,
    String invocationDeadLetterQueueUrl,
    String tableName,
    String stateMachineArn) {

  public FunctionResources {
    Objects.requireNonNull(eventQueueUrl, "eventQueueUrl");
    Objects.requireNonNull(invocationQueueUrl, "invocationQueueUrl");
    Objects.requireNonNull(invocationDeadLetterQueueUrl, "invocationDeadLetterQueueUrl");
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(stateMachineArn, "stateMachineArn");
  }

  /** The region of the state machine's ARN ({@code arn:aws:states:<region>:...}). */
  public String region() {
    String[] parts = stateMachineArn.split(":");
    if (parts.length < 7 || !parts[0].equals("arn") || !parts[2].equals("states")) {
      throw new IllegalArgumentException(
          "not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>): "
              + stateMachineArn);
    }
    return parts[3];
  }
}
