package dev.sluice.serverless.cdk;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Lambda function as the target, instead of a state machine: the invoke function invokes it once
 * per released event, and nothing else is deployed for it (no state machine, no completion
 * function: an invocation's answer is its end).
 *
 * @param arn the function's ARN, with {@code :alias} or {@code :version} if that is what to invoke
 *     ({@code targetFunctionArn})
 * @param invocationType how it is invoked ({@code invocationType})
 * @param timeoutSeconds the function's own timeout: how long a {@code RequestResponse} invocation
 *     may last ({@code targetFunctionTimeoutSeconds})
 */
public record TargetFunction(String arn, InvocationType invocationType, int timeoutSeconds) {

  /** Lambda's longest timeout, the default of {@code targetFunctionTimeoutSeconds}. */
  public static final int MAX_TIMEOUT_SECONDS = 900;

  /** What the invoke function needs besides waiting for the target: reading, sending, freeing. */
  private static final int INVOKE_MARGIN_SECONDS = 30;

  private static final Pattern FUNCTION_ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}"
              + "(:(\\$LATEST|[A-Za-z0-9_-]{1,128}))?");

  /** The two invocation types that make sense for a job. */
  public enum InvocationType {
    /** The invocation's answer is the job's outcome; the invoke function waits for it. */
    REQUEST_RESPONSE("RequestResponse"),
    /** Lambda queues the event and answers 202: the job is done then. */
    EVENT("Event");

    private final String contextValue;

    InvocationType(String contextValue) {
      this.contextValue = contextValue;
    }

    /** The value of the {@code invocationType} key and of the invoke function's INVOCATION_TYPE. */
    public String contextValue() {
      return contextValue;
    }

    static InvocationType fromContext(String key, String value) {
      for (InvocationType type : values()) {
        if (type.contextValue.equals(value)) {
          return type;
        }
      }
      throw new InvalidSettingException(key, "must be RequestResponse or Event", value);
    }
  }

  public TargetFunction {
    Objects.requireNonNull(invocationType, "invocationType");
    if (arn == null || !FUNCTION_ARN.matcher(arn).matches()) {
      throw new InvalidSettingException(
          "targetFunctionArn",
          "must be arn:<partition>:lambda:<region>:<account>:function:<name>[:<alias or version>]",
          arn);
    }
    if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw new InvalidSettingException(
          "targetFunctionTimeoutSeconds",
          "must be between 1 and " + MAX_TIMEOUT_SECONDS,
          timeoutSeconds);
    }
  }

  /**
   * The target function from the context, or null when {@code targetFunctionArn} is not given.
   *
   * @throws InvalidSettingException naming the key whose value is wrong, or a key given without
   *     {@code targetFunctionArn}
   */
  static TargetFunction fromContext(ContextReader read) {
    String arn = read.string("targetFunctionArn", null);
    String type = read.string("invocationType", null);
    Integer timeout = read.optionalInteger("targetFunctionTimeoutSeconds");
    if (arn == null) {
      for (String key : new String[] {"invocationType", "targetFunctionTimeoutSeconds"}) {
        if (read.string(key, null) != null) {
          throw new InvalidSettingException(key, "applies only with targetFunctionArn");
        }
      }
      return null;
    }
    InvocationType invocationType =
        InvocationType.fromContext(
            "invocationType", type == null ? InvocationType.REQUEST_RESPONSE.contextValue() : type);
    if (invocationType == InvocationType.EVENT && timeout != null) {
      throw new InvalidSettingException(
          "targetFunctionTimeoutSeconds",
          "applies only with invocationType RequestResponse (an Event invocation is not waited"
              + " for)");
    }
    return new TargetFunction(arn, invocationType, timeout == null ? MAX_TIMEOUT_SECONDS : timeout);
  }

  /**
   * The invoke function's timeout: a {@code RequestResponse} invocation waits for the function's
   * run (the invocations of one batch run side by side), so the function's timeout and a margin,
   * within Lambda's 15 minutes; an {@code Event} invocation only waits for Lambda to queue the
   * event. Never shorter than {@code startTimeout}, the timeout of a quick start.
   */
  Duration invokeTimeout(Duration startTimeout) {
    if (invocationType == InvocationType.EVENT) {
      return startTimeout;
    }
    long waiting = Math.min(MAX_TIMEOUT_SECONDS, timeoutSeconds + INVOKE_MARGIN_SECONDS);
    return Duration.ofSeconds(Math.max(startTimeout.toSeconds(), waiting));
  }
}
