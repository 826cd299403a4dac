package dev.sluice.sfnlocal;

/** The status of a Step Functions execution, spelled as the API spells it. */
public enum ExecutionStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  ABORTED;

  /** Whether the execution has ended. */
  public boolean isClosed() {
    return this != RUNNING;
  }
}
