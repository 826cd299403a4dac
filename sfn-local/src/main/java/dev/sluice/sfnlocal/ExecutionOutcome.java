package dev.sluice.sfnlocal;

import java.util.Objects;

/**
 * How an execution ends once its duration has passed: it succeeds with an output, fails with an
 * error and a cause, or times out. No state machine definition is interpreted; tests script the
 * outcome instead.
 */
public sealed interface ExecutionOutcome {

  /** The status the execution closes with. */
  ExecutionStatus status();

  /** Succeeds with {@code output} (JSON text, as a Task's result would be). */
  static ExecutionOutcome succeed(String output) {
    return new Succeed(output);
  }

  /** Fails with {@code error} and {@code cause} (either may be null, as in the real service). */
  static ExecutionOutcome fail(String error, String cause) {
    return new Fail(error, cause);
  }

  /** Times out with the error Step Functions reports for a timeout, {@code States.Timeout}. */
  static ExecutionOutcome timeOut() {
    return new TimeOut("States.Timeout", null);
  }

  /** The execution succeeded with this output. */
  record Succeed(String output) implements ExecutionOutcome {
    public Succeed {
      Objects.requireNonNull(output, "output");
    }

    @Override
    public ExecutionStatus status() {
      return ExecutionStatus.SUCCEEDED;
    }
  }

  /** The execution failed. */
  record Fail(String error, String cause) implements ExecutionOutcome {
    @Override
    public ExecutionStatus status() {
      return ExecutionStatus.FAILED;
    }
  }

  /** The execution ran past its timeout. */
  record TimeOut(String error, String cause) implements ExecutionOutcome {
    @Override
    public ExecutionStatus status() {
      return ExecutionStatus.TIMED_OUT;
    }
  }
}
