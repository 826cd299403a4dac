package dev.sluice.core.backlog;

import dev.sluice.core.ObjectEvent;
import java.time.Instant;

/**
 * Where one event stands in the backlog, as {@link Backlog#locate} finds it.
 *
 * @param eventId backlog id
 * @param event the event
 * @param state where it is in its life
 * @param attempts releases that counted as attempts so far
 * @param acceptedAt when it was accepted
 * @param dueAt when it may be released, while waiting; else null
 * @param ahead while waiting, how many due-or-earlier events a claim takes before it (waiting
 *     events and expired leases before it in claim order: due time, then id); else null
 * @param lastError the last error the target gave, or null
 * @param partition the partition the backlog keeps the event in ({@code ""} when the backlog has no
 *     partition rule: a claim then takes every event as one partition)
 * @param aheadInPartition while waiting, how many events of its own partition a claim takes before
 *     it (counted as {@code ahead}, within the partition; equal to {@code ahead} when the backlog
 *     has no rule); else null. What a fair-share forecast places the event by.
 */
public record EventLocation(
    long eventId,
    ObjectEvent event,
    EventStatus state,
    int attempts,
    Instant acceptedAt,
    Instant dueAt,
    Long ahead,
    String lastError,
    String partition,
    Long aheadInPartition) {

  public EventLocation {
    java.util.Objects.requireNonNull(partition, "partition");
    if ((ahead == null) != (aheadInPartition == null)) {
      throw new IllegalArgumentException(
          "ahead and aheadInPartition are both given or both null, got "
              + ahead
              + " and "
              + aheadInPartition);
    }
  }

  /** The states an event goes through. */
  public enum EventStatus {
    /** Accepted and not released, or waiting for a retry. */
    WAITING,
    /** Released to the target, no answer yet. */
    LEASED,
    /** An asynchronous target started it; its end has not come back yet. */
    RUNNING,
    /** Completed. */
    DONE,
    /** A dead letter: its retries are exhausted. */
    DEAD,
    /** A dead letter an operator purged; its identity is kept, so a redelivery is a duplicate. */
    PURGED
  }
}
