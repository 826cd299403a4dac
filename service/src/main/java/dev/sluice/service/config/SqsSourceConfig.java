package dev.sluice.service.config;

import dev.sluice.sources.sqs.SqsSourceSettings;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQS source ({@code sources.sqs}): a queue that receives S3 (or SNS, EventBridge)
 * notifications, polled by {@code sluice serve}. Each message is deleted only after its events are
 * committed; one that can never be read is left for the queue's redrive policy.
 *
 * @param enabled whether to poll
 * @param queueUrl the queue; required when enabled
 * @param endpoint the SQS API to call instead of AWS's (ElasticMQ, LocalStack), or null for AWS
 * @param region the signing region, or null to take it from an AWS queue URL ({@code
 *     sqs.eu-west-1.amazonaws.com}), else us-east-1
 * @param accessKey static credentials, or null for the AWS SDK's default chain (environment,
 *     profile, instance role)
 * @param secretKey paired with {@code accessKey}
 * @param waitTime long-poll wait of one receive, 0 to 20 s
 * @param visibilityTimeout how long a received message stays hidden; extended while its commit runs
 * @param maxMessages messages per receive, 1 to 10
 */
public record SqsSourceConfig(
    boolean enabled,
    URI queueUrl,
    URI endpoint,
    String region,
    String accessKey,
    String secretKey,
    Duration waitTime,
    Duration visibilityTimeout,
    int maxMessages) {

  public static final String DEFAULT_REGION = "us-east-1";
  private static final Pattern AWS_QUEUE_HOST =
      Pattern.compile("sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");

  public SqsSourceConfig {
    if (enabled && queueUrl == null) {
      throw new IllegalArgumentException("queue-url must be set when enabled");
    }
    if (queueUrl != null && (queueUrl.getScheme() == null || queueUrl.getHost() == null)) {
      throw new IllegalArgumentException(
          "queue-url must be an absolute http(s) URL, got '" + queueUrl + "'");
    }
    if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
      throw new IllegalArgumentException(
          "endpoint must be an absolute http(s) URL, got '" + endpoint + "'");
    }
    if (region != null) {
      Checks.notBlank("region", region);
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException(
          (accessKey == null ? "access-key" : "secret-key")
              + " must be set when "
              + (accessKey == null ? "secret-key" : "access-key")
              + " is set");
    }
    SqsSourceSettings.checkPolling(waitTime, visibilityTimeout, maxMessages);
  }

  /** No SQS source. */
  public static SqsSourceConfig disabled() {
    return new SqsSourceConfig(
        false,
        null,
        null,
        null,
        null,
        null,
        SqsSourceSettings.DEFAULT_WAIT_TIME,
        SqsSourceSettings.DEFAULT_VISIBILITY_TIMEOUT,
        SqsSourceSettings.DEFAULT_MAX_MESSAGES);
  }

  /** The region to sign for: as set, else the one in an AWS queue URL, else us-east-1. */
  public String signingRegion() {
    if (region != null) {
      return region;
    }
    Matcher m = AWS_QUEUE_HOST.matcher(queueUrl == null ? "" : queueUrl.getHost());
    return m.matches() ? m.group(1) : DEFAULT_REGION;
  }

  /** What the poller needs; only for an enabled source. */
  public SqsSourceSettings settings() {
    return SqsSourceSettings.of(queueUrl)
        .withWaitTime(waitTime)
        .withVisibilityTimeout(visibilityTimeout)
        .withMaxMessages(maxMessages);
  }

  /** Keeps the secret key out of logs. */
  @Override
  public String toString() {
    return "SqsSourceConfig[enabled="
        + enabled
        + ", queueUrl="
        + queueUrl
        + ", endpoint="
        + endpoint
        + ", region="
        + region
        + ", accessKey="
        + accessKey
        + ", secretKey="
        + (secretKey == null ? null : "****")
        + ", waitTime="
        + waitTime
        + ", visibilityTimeout="
        + visibilityTimeout
        + ", maxMessages="
        + maxMessages
        + "]";
  }
}
