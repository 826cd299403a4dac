package dev.sluice.core.backlog;

import java.time.Instant;

/**
 * One line of the release log.
 *
 * @param releaseId id, increasing in release order
 * @param eventId backlog id of the event
 * @param identity the event identity's text form, or null when the event was pruned (see {@link
 *     Backlog#prune}) while this release stays in the log
 * @param bucket bucket, or null when the event was pruned
 * @param key decoded key, or null when the event was pruned
 * @param attempt attempt number of this release
 * @param releasedAt when the gate let it go
 * @param reachedAt when the job reached the target (the call to it began), or null while not known
 * @param answeredAt when the target answered, or null while not known
 * @param outcome outcome label, or null while in flight
 * @param finishedAt when the outcome was recorded, or null
 * @param error error text, or null
 * @param leaseUntil while the release is open and its event is leased under it, when that lease
 *     ends: the claim's lease, or for a job the target answered as started the end of its hold;
 *     null otherwise. A node that takes the gate over counts another node's open release as in
 *     flight until then.
 * @param batch the reference of the batch the job travelled in (the lowest release id among its
 *     members, so the rows of one batch share it), or null for a job of one event; recorded with
 *     the release's first outcome
 */
public record ReleaseRecord(
    long releaseId,
    long eventId,
    String identity,
    String bucket,
    String key,
    int attempt,
    Instant releasedAt,
    Instant reachedAt,
    Instant answeredAt,
    String outcome,
    Instant finishedAt,
    String error,
    Instant leaseUntil,
    Long batch) {

  /** A release of a job of one event. */
  public ReleaseRecord(
      long releaseId,
      long eventId,
      String identity,
      String bucket,
      String key,
      int attempt,
      Instant releasedAt,
      Instant reachedAt,
      Instant answeredAt,
      String outcome,
      Instant finishedAt,
      String error,
      Instant leaseUntil) {
    this(
        releaseId,
        eventId,
        identity,
        bucket,
        key,
        attempt,
        releasedAt,
        reachedAt,
        answeredAt,
        outcome,
        finishedAt,
        error,
        leaseUntil,
        null);
  }
}
