package dev.sluice.serverless;

import dev.sluice.targets.aws.LambdaSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The invoke function's settings. The target is exactly one of a state machine or a Lambda
 * function.
 *
 * @param stateMachineArn the state machine each message starts ({@code STATE_MACHINE_ARN}), or null
 *     when the target is a function
 * @param tableName the table of the in-flight slots ({@code TABLE_NAME})
 * @param invocationQueueUrl where a throttled start is sent back ({@code INVOCATION_QUEUE_URL})
 * @param deadLetterQueueUrl where a start that can never succeed goes ({@code INVOCATION_DLQ_URL})
 * @param maxReceives receives of one message after which a start that keeps failing is
 *     dead-lettered here, with its error, rather than by the queue's redrive without one ({@code
 *     MAX_RECEIVES}, default 5: the queue's own maxReceiveCount)
 * @param maxThrottleDelay the longest a throttled start waits before it is tried again ({@code
 *     MAX_THROTTLE_DELAY}, default PT1M; SQS allows at most 15 minutes)
 * @param targetFunction the Lambda function each message invokes and how ({@code TARGET_FUNCTION}:
 *     a name or ARN, optionally {@code :alias}; {@code INVOCATION_TYPE}, {@code
 *     PERMANENT_ERROR_TYPES}, {@code RETRY_FUNCTION_ERRORS}), or null when the target is a state
 *     machine
 */
public record InvokeSettings(
    String stateMachineArn,
    String tableName,
    String invocationQueueUrl,
    String deadLetterQueueUrl,
    int maxReceives,
    Duration maxThrottleDelay,
    LambdaSettings targetFunction) {

  /** The variables that only a function target reads. */
  private static final String[] FUNCTION_ONLY = {
    "INVOCATION_TYPE", "PERMANENT_ERROR_TYPES", "RETRY_FUNCTION_ERRORS"
  };

  /** Lambda's own pattern of a function name, partial or full ARN, with an optional qualifier. */
  private static final Pattern FUNCTION_NAME =
      Pattern.compile(
          "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d:)?(\\d{12}:)?(function:)?"
              + "([a-zA-Z0-9-_.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");

  public InvokeSettings {
    if ((stateMachineArn == null) == (targetFunction == null)) {
      throw new IllegalArgumentException(stateMachineArn == null ? neitherTarget() : bothTargets());
    }
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

  /** Settings whose target is the state machine {@code stateMachineArn}. */
  public InvokeSettings(
      String stateMachineArn,
      String tableName,
      String invocationQueueUrl,
      String deadLetterQueueUrl,
      int maxReceives,
      Duration maxThrottleDelay) {
    this(
        Objects.requireNonNull(stateMachineArn, "stateMachineArn"),
        tableName,
        invocationQueueUrl,
        deadLetterQueueUrl,
        maxReceives,
        maxThrottleDelay,
        null);
  }

  /**
   * Reads the settings from the function's environment.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public static InvokeSettings fromEnvironment(Map<String, String> env) {
    Environment e = new Environment(env);
    String stateMachineArn = e.optional("STATE_MACHINE_ARN", null);
    String function = e.optional("TARGET_FUNCTION", null);
    if (stateMachineArn == null && function == null) {
      throw new IllegalArgumentException(neitherTarget());
    }
    if (stateMachineArn != null && function != null) {
      throw new IllegalArgumentException(bothTargets());
    }
    return new InvokeSettings(
        stateMachineArn,
        e.required("TABLE_NAME", "the DynamoDB table of the in-flight slots"),
        e.required("INVOCATION_QUEUE_URL", "the URL of the invocation queue"),
        e.required("INVOCATION_DLQ_URL", "the URL of the invocation queue's dead-letter queue"),
        e.positiveInt("MAX_RECEIVES", e.optional("MAX_RECEIVES", "5")),
        e.duration("MAX_THROTTLE_DELAY", e.optional("MAX_THROTTLE_DELAY", "PT1M")),
        function == null ? noFunctionSettings(e) : targetFunction(e, function));
  }

  private static LambdaSettings noFunctionSettings(Environment e) {
    for (String name : FUNCTION_ONLY) {
      if (e.optional(name, null) != null) {
        throw new IllegalArgumentException(
            name
                + " applies only to a function target (TARGET_FUNCTION), not to STATE_MACHINE_ARN");
      }
    }
    return null;
  }

  private static LambdaSettings targetFunction(Environment e, String function) {
    if (!FUNCTION_NAME.matcher(function).matches()) {
      throw new IllegalArgumentException(
          "TARGET_FUNCTION must be a Lambda function name or ARN, optionally with :alias or"
              + " :version, got '"
              + function
              + "'");
    }
    String type = e.optional("INVOCATION_TYPE", "RequestResponse");
    LambdaSettings.InvocationType invocationType;
    try {
      invocationType = LambdaSettings.InvocationType.parse(type);
    } catch (IllegalArgumentException wrong) {
      throw new IllegalArgumentException(
          "INVOCATION_TYPE must be RequestResponse or Event, got '" + type + "'", wrong);
    }
    Set<String> permanent =
        Arrays.stream(e.optional("PERMANENT_ERROR_TYPES", "").split(","))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .collect(Collectors.toSet());
    return new LambdaSettings(
        function, invocationType, e.bool("RETRY_FUNCTION_ERRORS", true), permanent);
  }

  private static String neitherTarget() {
    return "STATE_MACHINE_ARN or TARGET_FUNCTION is required: the state machine each event"
        + " starts, or the Lambda function each event invokes";
  }

  private static String bothTargets() {
    return "STATE_MACHINE_ARN and TARGET_FUNCTION are both set: set exactly one, the state"
        + " machine each event starts or the Lambda function each event invokes";
  }
}
