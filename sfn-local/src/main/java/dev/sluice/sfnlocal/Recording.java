package dev.sluice.sfnlocal;

import java.util.List;
import java.util.Optional;

/**
 * What the endpoint did, for tests to assert against: every execution it started, every status
 * change it emitted and what it answered to StartExecution. Thread-safe; every read first closes
 * the executions that are due, so it agrees with what DescribeExecution would answer now.
 */
public final class Recording {

  private final ExecutionStore store;

  Recording(ExecutionStore store) {
    this.store = store;
  }

  /** Every execution started, in start order. */
  public List<RecordedExecution> executions() {
    return store.executions();
  }

  /** The execution with this name (of any state machine), if one was started. */
  public Optional<RecordedExecution> execution(String name) {
    return executions().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The names of the executions started, in start order, each once. */
  public List<String> startedNames() {
    return executions().stream().map(RecordedExecution::name).toList();
  }

  /** What StartExecution calls were answered. */
  public StartExecutionCounts startCounts() {
    return store.startCounts();
  }

  /** The most executions running at one instant, from their start and stop instants. */
  public int maxRunningAtOnce() {
    return RunningIntervals.maxRunningAtOnce(executions());
  }

  /** Every status change emitted so far, in order (listeners may not have received all yet). */
  public List<StatusChangeEvent> statusChanges() {
    return store.statusChanges();
  }
}
