package dev.sluice.core.backlog;

import dev.sluice.core.Job;
import java.time.Instant;
import java.util.Objects;

/**
 * What to do with a finished job's event.
 *
 * @param job the job that finished
 * @param kind done, back to waiting at {@code retryAt} (with or without spending an attempt),
 *     started (still leased until {@code retryAt}), or dead
 * @param outcome the outcome label recorded on the release
 * @param error the error text, or null
 * @param retryAt when the event is due again: for {@link Kind#RETRY} and {@link Kind#THROTTLED} its
 *     new due time, for {@link Kind#STARTED} the end of its lease (if no end of the work is
 *     reported by then, the event is released again)
 * @param reachedAt when the job reached the target (the call to it began), or null if unknown
 * @param answeredAt when the target answered, or null if unknown
 * @param batch the reference of the batch the job travelled in (its members' lowest release id),
 *     recorded on the release; null for a job of one event
 */
public record Settlement(
    Job job,
    Kind kind,
    String outcome,
    String error,
    Instant retryAt,
    Instant reachedAt,
    Instant answeredAt,
    Long batch) {

  public enum Kind {
    /** The work is done. */
    DONE,
    /** Back to waiting until {@code retryAt}; the release counts as an attempt. */
    RETRY,
    /**
     * Back to waiting until {@code retryAt}, and the release does not count as an attempt: the
     * target refused to take the job, so nothing was tried.
     */
    THROTTLED,
    /**
     * The target began the work: the event stays leased, until {@code retryAt}, and its release
     * stays open until a later settlement of the same job says how the work ended.
     */
    STARTED,
    /** Dead letter. */
    DEAD
  }

  public Settlement {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    if ((kind == Kind.RETRY || kind == Kind.THROTTLED || kind == Kind.STARTED) && retryAt == null) {
      throw new IllegalArgumentException("retryAt is required for " + kind);
    }
  }

  /** A settlement of a job of one event. */
  public Settlement(
      Job job,
      Kind kind,
      String outcome,
      String error,
      Instant retryAt,
      Instant reachedAt,
      Instant answeredAt) {
    this(job, kind, outcome, error, retryAt, reachedAt, answeredAt, null);
  }

  /** A settlement whose times at the target are not known. */
  public Settlement(Job job, Kind kind, String outcome, String error, Instant retryAt) {
    this(job, kind, outcome, error, retryAt, null, null, null);
  }

  /** The same settlement with the times the target was reached and answered. */
  public Settlement at(Instant reached, Instant answered) {
    return new Settlement(job, kind, outcome, error, retryAt, reached, answered, batch);
  }

  /** The same settlement of a member of the batch with reference {@code reference}. */
  public Settlement inBatch(long reference) {
    return new Settlement(job, kind, outcome, error, retryAt, reachedAt, answeredAt, reference);
  }

  public static Settlement done(Job job) {
    return new Settlement(job, Kind.DONE, "completed", null, null);
  }

  public static Settlement retry(Job job, String outcome, String error, Instant at) {
    return new Settlement(job, Kind.RETRY, outcome, error, at);
  }

  public static Settlement throttled(Job job, String error, Instant at) {
    return new Settlement(job, Kind.THROTTLED, "throttled", error, at);
  }

  public static Settlement started(Job job, Instant leaseUntil) {
    return new Settlement(job, Kind.STARTED, "started", null, leaseUntil);
  }

  /** Whether this settlement closes the release (every kind but {@link Kind#STARTED}). */
  public boolean closesRelease() {
    return kind != Kind.STARTED;
  }

  public static Settlement dead(Job job, String outcome, String error) {
    return new Settlement(job, Kind.DEAD, outcome, error, null);
  }
}
