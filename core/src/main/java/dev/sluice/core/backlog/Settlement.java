package dev.sluice.core.backlog;

import dev.sluice.core.Job;
import java.time.Instant;
import java.util.Objects;

/**
 * What to do with a finished job's event.
 *
 * @param job the job that finished
 * @param kind done, back to waiting at {@code retryAt}, or dead
 * @param outcome the outcome label recorded on the release
 * @param error the error text, or null
 * @param retryAt when the event is due again, for {@link Kind#RETRY} only
 * @param reachedAt when the job reached the target (the call to it began), or null if unknown
 * @param answeredAt when the target answered, or null if unknown
 */
public record Settlement(
    Job job,
    Kind kind,
    String outcome,
    String error,
    Instant retryAt,
    Instant reachedAt,
    Instant answeredAt) {

  public enum Kind {
    DONE,
    RETRY,
    DEAD
  }

  public Settlement {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    if (kind == Kind.RETRY && retryAt == null) {
      throw new IllegalArgumentException("retryAt is required for a retry");
    }
  }

  /** A settlement whose times at the target are not known. */
  public Settlement(Job job, Kind kind, String outcome, String error, Instant retryAt) {
    this(job, kind, outcome, error, retryAt, null, null);
  }

  /** The same settlement with the times the target was reached and answered. */
  public Settlement at(Instant reached, Instant answered) {
    return new Settlement(job, kind, outcome, error, retryAt, reached, answered);
  }

  public static Settlement done(Job job) {
    return new Settlement(job, Kind.DONE, "completed", null, null);
  }

  public static Settlement retry(Job job, String outcome, String error, Instant at) {
    return new Settlement(job, Kind.RETRY, outcome, error, at);
  }

  public static Settlement dead(Job job, String outcome, String error) {
    return new Settlement(job, Kind.DEAD, outcome, error, null);
  }
}
