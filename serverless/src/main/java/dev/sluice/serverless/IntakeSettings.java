package dev.sluice.serverless;

import dev.sluice.intake.SourceOptions;
import java.util.Map;
import java.util.Objects;

/**
 * The intake function's settings.
 *
 * @param eventQueueUrl where events go ({@code EVENT_QUEUE_URL})
 * @param keyPrefix decoded keys must start with this ({@code KEY_PREFIX}, default none)
 * @param keySuffix decoded keys must end with this ({@code KEY_SUFFIX}, default none)
 */
public record IntakeSettings(String eventQueueUrl, String keyPrefix, String keySuffix) {

  /** The {@code source} recorded on events the intake function reads. */
  public static final String SOURCE = "s3";

  public IntakeSettings {
    Objects.requireNonNull(eventQueueUrl, "eventQueueUrl");
    keyPrefix = keyPrefix == null ? "" : keyPrefix;
    keySuffix = keySuffix == null ? "" : keySuffix;
  }

  /**
   * Reads the settings from the function's environment.
   *
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  public static IntakeSettings fromEnvironment(Map<String, String> env) {
    Environment e = new Environment(env);
    return new IntakeSettings(
        e.required("EVENT_QUEUE_URL", "the URL of the event queue"),
        e.optional("KEY_PREFIX", ""),
        e.optional("KEY_SUFFIX", ""));
  }

  /** How notifications are read: S3's form-encoded keys, ObjectCreated only, the filters. */
  public SourceOptions sourceOptions() {
    return SourceOptions.defaults(SOURCE).withPrefix(keyPrefix).withSuffix(keySuffix);
  }
}
