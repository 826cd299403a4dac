package dev.sluice.core;

import java.time.Instant;

/**
 * One release of one event to the target. A redelivery of the same event is a new job with a higher
 * attempt and the same idempotency key.
 *
 * @param eventId backlog id of the event
 * @param releaseId id of this release in the release log
 * @param attempt 1 for the first release, 2 for the first retry, ...
 * @param releasedAt when the gate let this job go
 * @param event the event it carries
 */
public record Job(
    long eventId, long releaseId, int attempt, Instant releasedAt, ObjectEvent event) {

  public String idempotencyKey() {
    return event.identity().idempotencyKey();
  }
}
