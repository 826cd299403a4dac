package dev.sluice.core;

import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

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

  /**
   * As {@link #deliver(Job)}, and tells {@code arrival} the moment the target has the job: its own
   * record of it is made, the process is started, the backend has queued it. Limits are kept from
   * that moment on. A target that cannot tell (an HTTP server's receipt is not seen from here)
   * keeps this default, and the job counts from the answer, the first moment known to be after the
   * target saw it.
   */
  default Outcome deliver(Job job, Arrival arrival) {
    return deliver(job);
  }

  /**
   * Runs one batch as one job of the target (one request, one process, one execution), blocking the
   * calling thread, and answers an outcome per member: the same for all, or a failure for the
   * members the target named (only those are retried). {@code arrival} is told once, when the
   * target has the batch. Must not throw for target failures; an exception is taken as a retryable
   * failure of every member.
   *
   * <p>This default is for a target with no batch request of its own: it delivers the members one
   * by one, in order, on this thread, each with its own outcome; once one is throttled the rest are
   * not sent and answer the same throttling (no attempt is spent on them).
   */
  default BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
    Map<Long, Outcome> outcomes = new LinkedHashMap<>();
    Outcome throttled = null;
    for (Job member : batch.members()) {
      Outcome o = throttled;
      if (o == null) {
        try {
          o = deliver(member, arrival);
        } catch (RuntimeException e) {
          o = Outcome.retryable("target threw " + e);
        }
        if (o == null) {
          o = Outcome.retryable("target returned no outcome");
        } else if (o instanceof Outcome.Throttled) {
          throttled = o;
        }
      }
      outcomes.put(member.eventId(), o);
    }
    Outcome first = outcomes.values().iterator().next();
    return BatchOutcome.except(first, outcomes);
  }

  /**
   * Told when the job has reached the target; calling it again, or from a late thread, is harmless.
   */
  @FunctionalInterface
  interface Arrival {
    /** A job's arrival that nobody waits for. */
    Arrival IGNORED = () -> {};

    /** The target has the job now. */
    void arrived();
  }

  /**
   * Called once by the dispatcher before the first delivery: where a target whose jobs answer
   * {@link Outcome.Started} reports how each of them ended. A target that never answers {@code
   * Started} ignores it.
   */
  default void watchCompletions(Completions completions) {}

  /** Where an asynchronous target reports the end of work it answered {@link Outcome.Started}. */
  @FunctionalInterface
  interface Completions {
    /** Reports nothing; for a target used without a dispatcher. */
    Completions IGNORED = (job, outcome) -> {};

    /**
     * The work of {@code job} ended with {@code outcome}: {@link Outcome.Completed} or a {@link
     * Outcome.Failed} (retried or dead-lettered by the retry policy). Report each job once;
     * reporting a job that is no longer waiting for its end is harmless.
     */
    void completed(Job job, Outcome outcome);
  }

  /** A short description for status and logs, e.g. {@code http POST http://127.0.0.1:9999/jobs}. */
  String describe();

  @Override
  default void close() {}
}
