package dev.sluice.core;

/**
 * What a job starts: a command, an HTTP endpoint, a state machine. Implementations must be safe to
 * call from several threads at once.
 */
public interface Target extends AutoCloseable {

  /**
   * Runs one job to its outcome, blocking the calling thread. Must not throw for target failures: a
   * failure is an {@link Outcome.Failed}. An exception is treated as a retryable failure.
   */
  Outcome deliver(Job job);

  /** A short description for status and logs, e.g. {@code http POST http://127.0.0.1:9999/jobs}. */
  String describe();

  @Override
  default void close() {}
}
