package dev.sluice.sources.sqs;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the SQS source polls. Messages name the config key ({@code visibility-timeout}) so the
 * service can put its section in front.
 *
 * @param queueUrl the queue to poll
 * @param waitTime long-poll wait of one receive, 0 to 20 s in whole seconds (SQS's range)
 * @param visibilityTimeout how long a received message stays hidden; the source extends it while a
 *     slow commit runs. 1 s to 12 h in whole seconds
 * @param maxMessages messages per receive, 1 to 10 (SQS's batch limit)
 * @param initialBackoff first wait after a failed SQS call or commit
 * @param maxBackoff the wait between retries never grows beyond this
 */
public record SqsSourceSettings(
    URI queueUrl,
    Duration waitTime,
    Duration visibilityTimeout,
    int maxMessages,
    Duration initialBackoff,
    Duration maxBackoff) {

  public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(20);
  public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_MESSAGES = 10;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

  private static final Duration MAX_WAIT_TIME = Duration.ofSeconds(20);
  private static final Duration MAX_VISIBILITY_TIMEOUT = Duration.ofHours(12);

  public SqsSourceSettings {
    Objects.requireNonNull(queueUrl, "queue-url");
    if (queueUrl.getScheme() == null || queueUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "queue-url must be an absolute http(s) URL, got '" + queueUrl + "'");
    }
    checkPolling(waitTime, visibilityTimeout, maxMessages);
    Objects.requireNonNull(initialBackoff, "initial-backoff");
    Objects.requireNonNull(maxBackoff, "max-backoff");
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initial-backoff must be positive, got " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max-backoff must be >= initial-backoff, got " + maxBackoff + " < " + initialBackoff);
    }
  }

  /**
   * The checks of the polling fields alone, for a configuration that is validated before it has a
   * queue (a disabled source).
   *
   * @throws IllegalArgumentException naming the field
   */
  public static void checkPolling(Duration waitTime, Duration visibilityTimeout, int maxMessages) {
    wholeSeconds("wait-time", waitTime, Duration.ZERO, MAX_WAIT_TIME);
    wholeSeconds(
        "visibility-timeout", visibilityTimeout, Duration.ofSeconds(1), MAX_VISIBILITY_TIMEOUT);
    if (maxMessages < 1 || maxMessages > 10) {
      throw new IllegalArgumentException(
          "max-messages must be between 1 and 10 (SQS's batch limit), got " + maxMessages);
    }
  }

  /** The defaults for everything but the queue. */
  public static SqsSourceSettings of(URI queueUrl) {
    return new SqsSourceSettings(
        queueUrl,
        DEFAULT_WAIT_TIME,
        DEFAULT_VISIBILITY_TIMEOUT,
        DEFAULT_MAX_MESSAGES,
        DEFAULT_INITIAL_BACKOFF,
        DEFAULT_MAX_BACKOFF);
  }

  public SqsSourceSettings withWaitTime(Duration d) {
    return new SqsSourceSettings(
        queueUrl, d, visibilityTimeout, maxMessages, initialBackoff, maxBackoff);
  }

  public SqsSourceSettings withVisibilityTimeout(Duration d) {
    return new SqsSourceSettings(queueUrl, waitTime, d, maxMessages, initialBackoff, maxBackoff);
  }

  public SqsSourceSettings withMaxMessages(int n) {
    return new SqsSourceSettings(
        queueUrl, waitTime, visibilityTimeout, n, initialBackoff, maxBackoff);
  }

  public SqsSourceSettings withBackoff(Duration initial, Duration max) {
    return new SqsSourceSettings(queueUrl, waitTime, visibilityTimeout, maxMessages, initial, max);
  }

  /** SQS takes these durations as whole seconds; a fraction would be silently cut. */
  private static void wholeSeconds(String field, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, field);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0 || value.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          field
              + " must be whole seconds between "
              + min.toSeconds()
              + "s and "
              + max.toSeconds()
              + "s, got "
              + value);
    }
  }
}
