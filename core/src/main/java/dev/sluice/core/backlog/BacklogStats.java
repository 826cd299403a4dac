package dev.sluice.core.backlog;

import java.time.Instant;

/**
 * A snapshot of the backlog.
 *
 * @param waiting events not yet released or waiting for a retry
 * @param due waiting events whose due time has come
 * @param leased events released and not yet settled
 * @param done events completed and still held: {@link Backlog#prune} deletes them after the dedup
 *     horizon, and this count drops by what it deletes
 * @param dead dead letters
 * @param releases releases held in the log; drops by what {@link Backlog#prune} deletes
 * @param oldestWaiting acceptance time of the oldest waiting event, or null
 */
public record BacklogStats(
    long waiting,
    long due,
    long leased,
    long done,
    long dead,
    long releases,
    Instant oldestWaiting) {}
