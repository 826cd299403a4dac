package dev.sluice.serverless;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The invoke function's settings.
 *
 * @param stateMachineArn the state machine each message starts ({@code STATE_MACHINE_ARN})
 * @param tableName the table of the in-flight slots ({@code TABLE_NAME})
 * @param invocationQueueUrl where a throttled start is sent back ({@code INVOCATION_QUEUE_URL})
 * @param deadLetterQueueUrl where a start that can never succeed goes ({@code INVOCATION_DLQ_URL})
 * @param maxReceives receives of one message after which a start that keeps failing is
 *     dead-lettered here, with its error, rather than by the queue's redrive without one ({@code
 *     MAX_RECEIVES}, default 5: the queue's own maxReceiveCount)
 * @param maxThrottleDelay the longest a throttled start waits before it is tried again ({@code
 *     MAX_THROTTLE_DELAY}, default PT1M; SQS allows at most 15 minutes)
 */
public record InvokeSettings(
    String stateMachineArn,
    String tableName,
    String invocationQueueUrl,
    String deadLetterQueueUrl,
    int maxReceives,
    Duration maxThrottleDelay) {

  public InvokeSettings {
    Objects.requireNonNull(stateMachineArn, "stateMachineArn");
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(invocationQueueUrl, "invocationQueueUrl");
    Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl");
    if (maxReceives < 1) {
      throw new IllegalArgumentException("MAX_RECEIVES must be >= 1, got " + maxReceives);
    }
    if (maxThrottleDelay.compareTo(Duration.ofMinutes(15)) > 0) {
      throw new IllegalArgumentException(
          "MAX_THROTTLE_DELAY must be at most PT15M (SQS's longest delay), got "
              + maxThrottleDelay);
    }
  }

  /**
   * Reads the settings from the function's environment.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public static InvokeSettings fromEnvironment(Map<String, String> env) {
    Environment e = new Environment(env);
    return new InvokeSettings(
        e.required("STATE_MACHINE_ARN", "the state machine each event starts"),
        e.required("TABLE_NAME", "the DynamoDB table of the in-flight slots"),
        e.required("INVOCATION_QUEUE_URL", "the URL of the invocation queue"),
        e.required("INVOCATION_DLQ_URL", "the URL of the invocation queue's dead-letter queue"),
        e.positiveInt("MAX_RECEIVES", e.optional("MAX_RECEIVES", "5")),
        e.duration("MAX_THROTTLE_DELAY", e.optional("MAX_THROTTLE_DELAY", "PT1M")));
  }
}
