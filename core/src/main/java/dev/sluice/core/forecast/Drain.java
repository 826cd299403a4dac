package dev.sluice.core.forecast;

import java.time.Instant;

/**
 * When a backlog is expected to be released and finished.
 *
 * @param waiting events the forecast was made for
 * @param lastStart when the last of them is expected to reach the target ({@code now} when none
 *     waits)
 * @param drainedAt when the target is expected to have answered the last of them, and every job in
 *     flight
 */
public record Drain(long waiting, Instant lastStart, Instant drainedAt) {}
