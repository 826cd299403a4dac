package dev.sluice.serverless;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The completion function's settings.
 *
 * @param stateMachineArn only this machine's status changes are taken ({@code STATE_MACHINE_ARN})
 * @param tableName the table of the in-flight slots ({@code TABLE_NAME})
 * @param eventQueueUrl where a failed execution's next attempt goes, to pass the gate again ({@code
 *     EVENT_QUEUE_URL})
 * @param deadLetterQueueUrl where an event goes when its attempts are used up ({@code
 *     INVOCATION_DLQ_URL})
 * @param maxAttempts executions per event, the first included ({@code MAX_ATTEMPTS}, default 5)
 * @param retryDelay how long the first retry waits in the event queue; each later one waits twice
 *     as long, up to 15 minutes ({@code RETRY_DELAY}, default PT30S)
 */
public record CompletionSettings(
    String stateMachineArn,
    String tableName,
    String eventQueueUrl,
    String deadLetterQueueUrl,
    int maxAttempts,
    Duration retryDelay) {

  public CompletionSettings {
    Objects.requireNonNull(stateMachineArn, "stateMachineArn");
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(eventQueueUrl, "eventQueueUrl");
    Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("MAX_ATTEMPTS must be >= 1, got " + maxAttempts);
    }
  }

  /**
   * Reads the settings from the function's environment.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public static CompletionSettings fromEnvironment(Map<String, String> env) {
    Environment e = new Environment(env);
    return new CompletionSettings(
        e.required("STATE_MACHINE_ARN", "the state machine whose executions are watched"),
        e.required("TABLE_NAME", "the DynamoDB table of the in-flight slots"),
        e.required("EVENT_QUEUE_URL", "the URL of the event queue"),
        e.required("INVOCATION_DLQ_URL", "the URL of the invocation queue's dead-letter queue"),
        e.positiveInt("MAX_ATTEMPTS", e.optional("MAX_ATTEMPTS", "5")),
        e.duration("RETRY_DELAY", e.optional("RETRY_DELAY", "PT30S")));
  }

  /** How long the retry after failed attempt {@code attempt} waits: doubling, at most 15 min. */
  public Duration retryDelayAfter(int attempt) {
    Duration max = Duration.ofMinutes(15);
    Duration d = retryDelay;
    for (int i = 1; i < attempt && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }
}
