package dev.sluice.sfnlocal;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One execution as the endpoint knows it at one moment: an immutable snapshot.
 *
 * @param executionArn the execution's ARN
 * @param stateMachineArn the state machine it runs
 * @param name the execution name
 * @param input the JSON input
 * @param traceHeader the X-Ray trace header it was started with, or null
 * @param startedAt when it started (millisecond precision, as the service reports)
 * @param stoppedAt when it ended, or null while it runs
 * @param status its status
 * @param output its output when it succeeded, else null
 * @param error its error when it failed, timed out or was stopped with one, else null
 * @param cause its cause, with the same rule as {@code error}
 */
public record RecordedExecution(
    String executionArn,
    String stateMachineArn,
    String name,
    String input,
    String traceHeader,
    Instant startedAt,
    Instant stoppedAt,
    ExecutionStatus status,
    String output,
    String error,
    String cause) {

  public RecordedExecution {
    Objects.requireNonNull(executionArn, "executionArn");
    Objects.requireNonNull(stateMachineArn, "stateMachineArn");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(status, "status");
    if (status.isClosed() != (stoppedAt != null)) {
      throw new IllegalArgumentException(
          "stoppedAt must be set exactly when the execution is closed, status " + status);
    }
  }

  /** When it ended, empty while it runs. */
  public Optional<Instant> stopped() {
    return Optional.ofNullable(stoppedAt);
  }
}
