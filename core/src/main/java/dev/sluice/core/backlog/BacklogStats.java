package dev.sluice.core.backlog;

import java.time.Instant;

/**
 * A snapshot of the backlog.
 *
 * @param waiting events not yet released or waiting for a retry
 * @param due waiting events whose due time has come
 * @param leased events released and not yet settled
 * @param done events completed
 * @param dead dead letters
 * @param releases releases recorded in the log
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
