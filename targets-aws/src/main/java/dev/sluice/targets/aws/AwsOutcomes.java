package dev.sluice.targets.aws;

import dev.sluice.core.Outcome;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What an AWS SDK exception means for a job: throttling is {@link Outcome.Throttled} (retried after
 * a wait, never an attempt spent), a server error or a failure to reach the service is retryable,
 * any other answer of the service is permanent.
 */
public final class AwsOutcomes {

  /**
   * Error codes that mean "not now" rather than "no": the service's own rate limits and quotas on
   * work in progress (Step Functions' open-execution limit, Lambda's concurrency).
   */
  private static final Set<String> THROTTLING_CODES =
      Set.of(
          "ThrottlingException",
          "Throttling",
          "TooManyRequestsException",
          "ExecutionLimitExceeded",
          "RequestLimitExceeded",
          "EC2ThrottledException",
          "ProvisionedThroughputExceededException",
          "SlowDown");

  /**
   * 4xx codes that mean "not yet" rather than "never": a Lambda function being updated or not yet
   * active answers 409 {@code ResourceConflictException} / {@code ResourceNotReadyException} during
   * a deploy of the target; dead-lettering every job of that minute would be wrong.
   */
  private static final Set<String> TRANSIENT_CODES =
      Set.of("ResourceConflictException", "ResourceNotReadyException");

  private static final int MAX_DETAIL = 1000;

  private AwsOutcomes() {}

  /**
   * The outcome of a call named {@code call} (e.g. {@code StartExecution}) that threw {@code e}.
   */
  public static Outcome of(String call, SdkException e) {
    if (e instanceof AwsServiceException s) {
      String code = errorCode(s);
      String detail = clip(call + ": " + (code.isEmpty() ? "" : code + ": ") + message(s));
      if (isThrottling(s)) {
        return Outcome.throttled(retryAfter(s), detail);
      }
      if (s.statusCode() >= 500 || TRANSIENT_CODES.contains(code)) {
        return Outcome.retryable(detail);
      }
      return Outcome.permanent(detail);
    }
    // Not an answer of the service: a timeout, a refused connection, an interrupted read.
    return Outcome.retryable(clip(call + ": " + e.getMessage()));
  }

  /** Whether the service said "not now" (a rate limit or a quota on work in progress). */
  public static boolean isThrottling(AwsServiceException s) {
    return s.isThrottlingException()
        || s.statusCode() == 429
        || THROTTLING_CODES.contains(errorCode(s));
  }

  /** The service's error code, or empty. */
  public static String errorCode(AwsServiceException s) {
    AwsErrorDetails d = s.awsErrorDetails();
    return d == null || d.errorCode() == null ? "" : d.errorCode();
  }

  private static String message(AwsServiceException s) {
    AwsErrorDetails d = s.awsErrorDetails();
    return d != null && d.errorMessage() != null ? d.errorMessage() : s.getMessage();
  }

  /** The service's {@code Retry-After} header in seconds, if it sent one. */
  private static Duration retryAfter(AwsServiceException s) {
    AwsErrorDetails d = s.awsErrorDetails();
    if (d == null || d.sdkHttpResponse() == null) {
      return null;
    }
    return d.sdkHttpResponse()
        .firstMatchingHeader("Retry-After")
        .map(AwsOutcomes::seconds)
        .orElse(null);
  }

  private static Duration seconds(String text) {
    try {
      long s = Long.parseLong(text.trim());
      return s > 0 ? Duration.ofSeconds(s) : null;
    } catch (NumberFormatException e) {
      return null; // an HTTP date or garbage: the backoff decides
    }
  }

  /** At most 1000 characters of {@code text}: enough to read, small enough for a message. */
  public static String clip(String text) {
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }
}
