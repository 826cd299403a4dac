package dev.sluice.service.config;

import dev.sluice.targets.CommandTarget;
import dev.sluice.targets.HttpTarget;
import dev.sluice.targets.aws.AwsClientSettings;
import dev.sluice.targets.aws.LambdaSettings;
import dev.sluice.targets.aws.StepFunctionsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a released job starts: the type, and the target's own settings record for that type, which
 * holds their validation and defaults ({@link CommandTarget.Config}, {@link HttpTarget.Config},
 * {@link StepFunctionsSettings} or {@link LambdaSettings} with {@link AwsClientSettings}). The
 * records of other types are null: keys of the file that do not apply to its type are read and
 * checked but not kept, so one file can switch type without deleting lines.
 *
 * @param type which target
 * @param command what {@link Type#COMMAND} runs; null for other types
 * @param http where and how {@link Type#HTTP} posts; null for other types
 * @param stepFunctions what {@link Type#STEP_FUNCTIONS} starts and how; null for other types
 * @param lambda what {@link Type#LAMBDA} invokes and how; null for other types
 * @param aws how the AWS targets reach AWS; null for other types
 */
public record TargetConfig(
    Type type,
    CommandTarget.Config command,
    HttpTarget.Config http,
    StepFunctionsSettings stepFunctions,
    LambdaSettings lambda,
    AwsClientSettings aws) {

  /** The kinds of target {@code sluice serve} can start. */
  public enum Type {
    /** Logs each job and completes it: for trying Sluice out. */
    LOG,
    /** Runs a local program per job. */
    COMMAND,
    /** POSTs each job to a URL. */
    HTTP,
    /** Starts a Step Functions execution per job. */
    STEP_FUNCTIONS,
    /** Invokes a Lambda function per job. */
    LAMBDA
  }

  /** The {@code target.timeout} of a file that sets none, whatever the type. */
  public static final Duration DEFAULT_TIMEOUT = HttpTarget.Config.DEFAULT_TIMEOUT;

  public TargetConfig {
    Objects.requireNonNull(type, "type");
    boolean awsType = type == Type.STEP_FUNCTIONS || type == Type.LAMBDA;
    requireExactly(type == Type.COMMAND, command, "command", type);
    requireExactly(type == Type.HTTP, http, "url", type);
    requireExactly(type == Type.STEP_FUNCTIONS, stepFunctions, "state-machine-arn", type);
    requireExactly(type == Type.LAMBDA, lambda, "function", type);
    if (awsType && aws == null) {
      aws = AwsClientSettings.defaults();
    }
    requireExactly(awsType, aws, "region", type);
  }

  private static void requireExactly(boolean applies, Object settings, String key, Type type) {
    String typeName = YamlSection.configName(type);
    if (applies && settings == null) {
      throw new IllegalArgumentException(key + " must be set when type is " + typeName);
    }
    if (!applies && settings != null) {
      throw new IllegalArgumentException(key + " does not apply to type " + typeName);
    }
  }

  /** How long one job may take at the target; the log target takes none, so the default. */
  public Duration timeout() {
    return switch (type) {
      case COMMAND -> command.timeout();
      case HTTP -> http.timeout();
      case STEP_FUNCTIONS, LAMBDA -> aws.timeout();
      case LOG -> DEFAULT_TIMEOUT;
    };
  }

  /** The AWS targets' region, or null (the SDK's chain, or not an AWS target). */
  public String region() {
    return aws == null ? null : aws.region();
  }

  /** The AWS targets' endpoint override, or null. */
  public URI endpoint() {
    return aws == null ? null : aws.endpoint();
  }

  /** The default target: log every job. */
  public static TargetConfig log() {
    return new TargetConfig(Type.LOG, null, null, null, null, null);
  }

  /** Run {@code command} per job. */
  public static TargetConfig command(List<String> command, Duration timeout) {
    return new TargetConfig(
        Type.COMMAND,
        new CommandTarget.Config(command, timeout, null, Map.of()),
        null,
        null,
        null,
        null);
  }

  /** POST each job to {@code url}. */
  public static TargetConfig http(URI url, Duration timeout, Map<String, String> headers) {
    return new TargetConfig(
        Type.HTTP, null, new HttpTarget.Config(url, timeout, headers), null, null, null);
  }

  /** Start an execution of a state machine per job. */
  public static TargetConfig stepFunctions(
      StepFunctionsSettings settings, Duration timeout, String region, URI endpoint) {
    return new TargetConfig(
        Type.STEP_FUNCTIONS,
        null,
        null,
        settings,
        null,
        new AwsClientSettings(region, endpoint, timeout));
  }

  /** Invoke a Lambda function per job. */
  public static TargetConfig lambda(
      LambdaSettings settings, Duration timeout, String region, URI endpoint) {
    return new TargetConfig(
        Type.LAMBDA, null, null, null, settings, new AwsClientSettings(region, endpoint, timeout));
  }
}
