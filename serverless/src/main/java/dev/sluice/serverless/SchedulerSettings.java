package dev.sluice.serverless;

import dev.sluice.core.gate.stored.AlignedWindowPolicy;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.intake.SourceOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The scheduler function's settings.
 *
 * @param eventQueueUrl where events wait ({@code EVENT_QUEUE_URL})
 * @param invocationQueueUrl where released jobs go ({@code INVOCATION_QUEUE_URL})
 * @param tableName the limits table ({@code TABLE_NAME})
 * @param limit jobs released per tick at most ({@code LIMIT})
 * @param every the schedule's period, a whole number of seconds ({@code EVERY}, e.g. {@code PT1M})
 * @param maxInFlight jobs holding a slot at most, or null for no such limit ({@code MAX_IN_FLIGHT})
 * @param slotExpiry how long a slot is held at most when no completion frees it ({@code
 *     SLOT_EXPIRY}, default {@link #DEFAULT_SLOT_EXPIRY}); above the longest a job can run
 * @param smooth spread each tick's releases evenly over the tick with per-message delays ({@code
 *     SMOOTH}, default false)
 * @param keyPrefix decoded keys must start with this ({@code KEY_PREFIX})
 * @param keySuffix decoded keys must end with this ({@code KEY_SUFFIX})
 * @param pipeline the metrics dimension ({@code PIPELINE}, default {@link #DEFAULT_PIPELINE})
 * @param receiveWaitSeconds long-poll wait of each receive, 0 to 20 ({@code RECEIVE_WAIT_SECONDS},
 *     default 1)
 * @param backlogMetric ask SQS each tick for the event queue's visible messages and report them as
 *     the {@code Backlog} metric ({@code BACKLOG_METRIC}, default false: one more SQS call per
 *     tick, and CloudWatch shows the queue's {@code ApproximateNumberOfMessagesVisible} for free)
 */
public record SchedulerSettings(
    String eventQueueUrl,
    String invocationQueueUrl,
    String tableName,
    int limit,
    Duration every,
    Integer maxInFlight,
    Duration slotExpiry,
    boolean smooth,
    String keyPrefix,
    String keySuffix,
    String pipeline,
    int receiveWaitSeconds,
    boolean backlogMetric) {

  public static final Duration DEFAULT_SLOT_EXPIRY = Duration.ofHours(24);

  /** Settings without the backlog metric. */
  public SchedulerSettings(
      String eventQueueUrl,
      String invocationQueueUrl,
      String tableName,
      int limit,
      Duration every,
      Integer maxInFlight,
      Duration slotExpiry,
      boolean smooth,
      String keyPrefix,
      String keySuffix,
      String pipeline,
      int receiveWaitSeconds) {
    this(
        eventQueueUrl,
        invocationQueueUrl,
        tableName,
        limit,
        every,
        maxInFlight,
        slotExpiry,
        smooth,
        keyPrefix,
        keySuffix,
        pipeline,
        receiveWaitSeconds,
        false);
  }

  public static final String DEFAULT_PIPELINE = "sluice";

  /** The {@code source} recorded on events read from notifications on the event queue. */
  public static final String SOURCE = "sqs";

  public SchedulerSettings {
    Objects.requireNonNull(eventQueueUrl, "eventQueueUrl");
    Objects.requireNonNull(invocationQueueUrl, "invocationQueueUrl");
    Objects.requireNonNull(tableName, "tableName");
    Objects.requireNonNull(every, "every");
    slotExpiry = slotExpiry == null ? DEFAULT_SLOT_EXPIRY : slotExpiry;
    keyPrefix = keyPrefix == null ? "" : keyPrefix;
    keySuffix = keySuffix == null ? "" : keySuffix;
    pipeline = pipeline == null || pipeline.isBlank() ? DEFAULT_PIPELINE : pipeline;
    // Validate the limits as the policies will, with their messages.
    new AlignedWindowPolicy(limit, every);
    if (maxInFlight != null) {
      new ConcurrencyPolicy(maxInFlight, slotExpiry);
    }
    if (receiveWaitSeconds < 0 || receiveWaitSeconds > 20) {
      throw new IllegalArgumentException(
          "RECEIVE_WAIT_SECONDS must be 0 to 20, got " + receiveWaitSeconds);
    }
  }

  /**
   * Reads the settings from the function's environment.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public static SchedulerSettings fromEnvironment(Map<String, String> env) {
    Environment e = new Environment(env);
    String every = e.required("EVERY", "the schedule's period as an ISO-8601 duration, e.g. PT1M");
    Duration everyDuration = e.duration("EVERY", every);
    if (everyDuration.getNano() != 0) {
      throw new IllegalArgumentException(
          "EVERY must be a whole number of seconds, got '" + every + "'");
    }
    String slotExpiry = e.optional("SLOT_EXPIRY", null);
    String wait = e.optional("RECEIVE_WAIT_SECONDS", "1");
    int waitSeconds;
    try {
      waitSeconds = Integer.parseInt(wait);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(
          "RECEIVE_WAIT_SECONDS must be a whole number 0 to 20, got '" + wait + "'");
    }
    return new SchedulerSettings(
        e.required("EVENT_QUEUE_URL", "the URL of the event queue"),
        e.required("INVOCATION_QUEUE_URL", "the URL of the invocation queue"),
        e.required("TABLE_NAME", "the DynamoDB table of limit states"),
        e.positiveInt("LIMIT", e.required("LIMIT", "jobs released per tick, e.g. 50")),
        everyDuration,
        e.optionalPositiveInt("MAX_IN_FLIGHT"),
        slotExpiry == null ? null : e.duration("SLOT_EXPIRY", slotExpiry),
        e.bool("SMOOTH", false),
        e.optional("KEY_PREFIX", ""),
        e.optional("KEY_SUFFIX", ""),
        e.optional("PIPELINE", DEFAULT_PIPELINE),
        waitSeconds,
        e.bool("BACKLOG_METRIC", false));
  }

  /** How event queue bodies are read: S3's key encodings, ObjectCreated only, the filters. */
  public SourceOptions sourceOptions() {
    return SourceOptions.defaults(SOURCE).withPrefix(keyPrefix).withSuffix(keySuffix);
  }
}
