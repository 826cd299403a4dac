package dev.sluice.serverless.local;

import java.net.URI;
import java.time.Duration;

/**
 * What {@code sluice serverless-local} runs: how many objects to upload, the scheduler's limits,
 * and, for each AWS service, either nothing (an embedded one is started: ElasticMQ, dynalite, the
 * local Step Functions endpoint) or the endpoint of one that already runs with the resources to use
 * there. Every check names the command-line option at fault.
 *
 * @param objects objects to upload ({@code --objects})
 * @param limit jobs per tick ({@code --limit})
 * @param every the schedule's period, whole seconds ({@code --every})
 * @param maxInFlight jobs running at once at most, or null ({@code --max-in-flight})
 * @param executionTime how long each execution of the embedded state machine runs ({@code
 *     --execution-time})
 * @param timeout how long to wait for every object's execution to start ({@code --timeout})
 * @param sqsEndpoint an SQS endpoint that runs already, or null ({@code --sqs-endpoint})
 * @param eventQueueUrl the event queue there ({@code --event-queue-url})
 * @param invocationQueueUrl the invocation queue there ({@code --invocation-queue-url})
 * @param invocationDeadLetterQueueUrl its dead-letter queue, or null to take it from the invocation
 *     queue's redrive policy ({@code --invocation-dlq-url})
 * @param dynamoDbEndpoint a DynamoDB endpoint that runs already, or null ({@code
 *     --dynamodb-endpoint})
 * @param table the table there ({@code --table})
 * @param sfnEndpoint a Step Functions endpoint that runs already, or null ({@code --sfn-endpoint})
 * @param stateMachineArn the state machine there ({@code --state-machine-arn})
 * @param verbose print the functions' own log lines on standard error ({@code --verbose})
 */
public record ServerlessLocalSettings(
    int objects,
    int limit,
    Duration every,
    Integer maxInFlight,
    Duration executionTime,
    Duration timeout,
    URI sqsEndpoint,
    String eventQueueUrl,
    String invocationQueueUrl,
    String invocationDeadLetterQueueUrl,
    URI dynamoDbEndpoint,
    String table,
    URI sfnEndpoint,
    String stateMachineArn,
    boolean verbose) {

  public static final int DEFAULT_OBJECTS = 115;
  public static final int DEFAULT_LIMIT = 50;
  public static final Duration DEFAULT_EVERY = Duration.ofSeconds(2);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

  /**
   * @throws IllegalArgumentException naming the option that is wrong or missing
   */
  public ServerlessLocalSettings {
    if (objects < 1) {
      throw new IllegalArgumentException("--objects must be >= 1, got " + objects);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
    }
    if (every == null
        || every.isNegative()
        || every.toMillis() < 1000
        || every.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException(
          "--every must be a whole number of seconds, at least 1s (the scheduler's ticks are"
              + " whole seconds), got "
              + every);
    }
    if (maxInFlight != null && maxInFlight < 1) {
      throw new IllegalArgumentException("--max-in-flight must be >= 1, got " + maxInFlight);
    }
    executionTime = executionTime == null ? Duration.ZERO : executionTime;
    if (executionTime.isNegative()) {
      throw new IllegalArgumentException("--execution-time must be >= 0, got " + executionTime);
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout must be > 0, got " + timeout);
    }
    requireTogether("--sqs-endpoint", sqsEndpoint, "--event-queue-url", eventQueueUrl);
    requireTogether("--sqs-endpoint", sqsEndpoint, "--invocation-queue-url", invocationQueueUrl);
    if (invocationDeadLetterQueueUrl != null && sqsEndpoint == null) {
      throw new IllegalArgumentException("--invocation-dlq-url needs --sqs-endpoint");
    }
    requireTogether("--dynamodb-endpoint", dynamoDbEndpoint, "--table", table);
    requireTogether("--sfn-endpoint", sfnEndpoint, "--state-machine-arn", stateMachineArn);
    if (sfnEndpoint != null && maxInFlight != null) {
      throw new IllegalArgumentException(
          "--max-in-flight needs the completion function, which is fed by the embedded Step"
              + " Functions endpoint's status changes: leave out --sfn-endpoint or"
              + " --max-in-flight");
    }
    if (sfnEndpoint != null && !executionTime.isZero()) {
      throw new IllegalArgumentException(
          "--execution-time sets the embedded Step Functions endpoint: leave out --sfn-endpoint or"
              + " --execution-time");
    }
    for (URI endpoint : new URI[] {sqsEndpoint, dynamoDbEndpoint, sfnEndpoint}) {
      if (endpoint != null
          && (endpoint.getScheme() == null
              || !endpoint.getScheme().matches("https?")
              || endpoint.getHost() == null)) {
        throw new IllegalArgumentException(
            "endpoints must be http:// or https:// URLs with a host, got '" + endpoint + "'");
      }
    }
    if (stateMachineArn != null) {
      try {
        new FunctionResources("e", "i", "d", "t", stateMachineArn).region();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--state-machine-arn: " + e.getMessage());
      }
    }
  }

  /** The defaults: 115 objects, 50 per 2 s, everything embedded. */
  public static ServerlessLocalSettings defaults() {
    return new ServerlessLocalSettings(
        DEFAULT_OBJECTS,
        DEFAULT_LIMIT,
        DEFAULT_EVERY,
        null,
        Duration.ZERO,
        DEFAULT_TIMEOUT,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false);
  }

  /** These settings with {@code objects}, {@code limit} and {@code every} changed. */
  public ServerlessLocalSettings withLoad(int objects, int limit, Duration every) {
    return new ServerlessLocalSettings(
        objects,
        limit,
        every,
        maxInFlight,
        executionTime,
        timeout,
        sqsEndpoint,
        eventQueueUrl,
        invocationQueueUrl,
        invocationDeadLetterQueueUrl,
        dynamoDbEndpoint,
        table,
        sfnEndpoint,
        stateMachineArn,
        verbose);
  }

  private static void requireTogether(String endpoint, Object a, String resource, Object b) {
    if (a != null && b == null) {
      throw new IllegalArgumentException(endpoint + " needs " + resource);
    }
    if (a == null && b != null) {
      throw new IllegalArgumentException(resource + " needs " + endpoint);
    }
  }
}
