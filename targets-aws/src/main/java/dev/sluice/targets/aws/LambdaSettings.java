package dev.sluice.targets.aws;

import java.util.Objects;
import java.util.Set;

/**
 * How the {@code lambda} target invokes its function.
 *
 * @param functionName name, ARN or partial ARN of the function (with {@code :alias} if any)
 * @param invocationType {@link InvocationType#REQUEST_RESPONSE}: the answer is the job's outcome;
 *     {@link InvocationType#EVENT}: Lambda queues the event and the job is done once it took it
 * @param functionErrorsRetryable whether a function error (the function ran and threw) is tried
 *     again; {@code permanentErrorTypes} are never tried again either way
 * @param permanentErrorTypes {@code errorType} values of a function error that are never retried,
 *     e.g. {@code ValidationError}
 */
public record LambdaSettings(
    String functionName,
    InvocationType invocationType,
    boolean functionErrorsRetryable,
    Set<String> permanentErrorTypes) {

  /** The two invocation types that make sense for a job. */
  public enum InvocationType {
    REQUEST_RESPONSE("RequestResponse"),
    EVENT("Event");

    final String wire;

    InvocationType(String wire) {
      this.wire = wire;
    }

    /** From the configuration text: {@code RequestResponse} or {@code Event}. */
    public static InvocationType parse(String text) {
      for (InvocationType t : values()) {
        if (t.wire.equalsIgnoreCase(text)) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "invocation-type must be RequestResponse or Event, got " + text);
    }
  }

  public LambdaSettings {
    if (functionName == null || functionName.isBlank()) {
      throw new IllegalArgumentException("function must be set for type lambda");
    }
    Objects.requireNonNull(invocationType, "invocation-type");
    permanentErrorTypes = Set.copyOf(permanentErrorTypes);
  }

  /** RequestResponse, function errors retried. */
  public static LambdaSettings of(String functionName) {
    return new LambdaSettings(functionName, InvocationType.REQUEST_RESPONSE, true, Set.of());
  }
}
