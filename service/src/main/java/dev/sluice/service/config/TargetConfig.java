package dev.sluice.service.config;

import dev.sluice.targets.aws.LambdaSettings;
import dev.sluice.targets.aws.StepFunctionsSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a released job starts. Fields that do not apply to the type are kept but unused, so one file
 * can switch type without deleting lines.
 *
 * @param type which target
 * @param command program and arguments for {@link Type#COMMAND}; must not be empty for it
 * @param timeout how long one command run or HTTP call may take
 * @param url where {@link Type#HTTP} posts jobs; an http or https URL for it, else may be null
 * @param headers extra request headers for {@link Type#HTTP}
 * @param stepFunctions what {@link Type#STEP_FUNCTIONS} starts and how; null for other types
 * @param lambda what {@link Type#LAMBDA} invokes and how; null for other types
 * @param region the AWS region of the AWS targets, or null for the SDK's usual chain
 * @param endpoint an endpoint override for the AWS targets (a local endpoint, a VPC endpoint), or
 *     null
 */
public record TargetConfig(
    Type type,
    List<String> command,
    Duration timeout,
    URI url,
    Map<String, String> headers,
    StepFunctionsSettings stepFunctions,
    LambdaSettings lambda,
    String region,
    URI endpoint) {

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

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** RFC 9110 token characters. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  public TargetConfig {
    Objects.requireNonNull(type, "type");
    command = List.copyOf(command == null ? List.of() : command);
    Checks.positive("timeout", timeout);
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    if (type == Type.COMMAND && (command.isEmpty() || command.get(0).isBlank())) {
      throw new IllegalArgumentException(
          "command must name a program when type is command, got " + command);
    }
    if (type == Type.HTTP) {
      String scheme = url == null ? null : url.getScheme();
      if (url == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            "url must be an http or https URL with a host when type is http, got "
                + (url == null ? "nothing" : "'" + url + "'"));
      }
    }
    if (type == Type.STEP_FUNCTIONS && stepFunctions == null) {
      throw new IllegalArgumentException(
          "state-machine-arn must be set when type is step-functions");
    }
    if (type == Type.LAMBDA && lambda == null) {
      throw new IllegalArgumentException("function must be set when type is lambda");
    }
    if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
      throw new IllegalArgumentException(
          "endpoint must be an http or https URL with a host, got '" + endpoint + "'");
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (!HEADER_NAME.matcher(header.getKey()).matches()) {
        throw new IllegalArgumentException(
            "headers must have valid HTTP header names, got '" + header.getKey() + "'");
      }
      if (header.getValue() == null || header.getValue().matches("(?s).*[\\r\\n\\x00].*")) {
        throw new IllegalArgumentException(
            "headers." + header.getKey() + " must be a single line of text");
      }
    }
  }

  /** Shows header names only: values often carry credentials ({@code Authorization}). */
  @Override
  public String toString() {
    return "TargetConfig[type="
        + type
        + ", command="
        + command
        + ", timeout="
        + timeout
        + ", url="
        + url
        + ", headers="
        + headers.keySet()
        + ", stepFunctions="
        + stepFunctions
        + ", lambda="
        + lambda
        + ", region="
        + region
        + ", endpoint="
        + endpoint
        + "]";
  }

  /** The default target: log every job. */
  public static TargetConfig log() {
    return new TargetConfig(
        Type.LOG, List.of(), DEFAULT_TIMEOUT, null, Map.of(), null, null, null, null);
  }

  /** Run {@code command} per job. */
  public static TargetConfig command(List<String> command, Duration timeout) {
    return new TargetConfig(Type.COMMAND, command, timeout, null, Map.of(), null, null, null, null);
  }

  /** POST each job to {@code url}. */
  public static TargetConfig http(URI url, Duration timeout, Map<String, String> headers) {
    return new TargetConfig(Type.HTTP, List.of(), timeout, url, headers, null, null, null, null);
  }

  /** Start an execution of a state machine per job. */
  public static TargetConfig stepFunctions(
      StepFunctionsSettings settings, Duration timeout, String region, URI endpoint) {
    return new TargetConfig(
        Type.STEP_FUNCTIONS, List.of(), timeout, null, Map.of(), settings, null, region, endpoint);
  }
}
