package dev.sluice.core.dispatch;

/**
 * Counters of one dispatcher since it started.
 *
 * @param released jobs released
 * @param completed jobs whose target completed them
 * @param retried jobs whose event was scheduled for another attempt
 * @param deadLettered jobs whose event became a dead letter
 * @param inFlight jobs released and not yet settled, including started work whose end has not been
 *     reported
 * @param running jobs an asynchronous target answered started and whose end is not yet settled
 * @param paused whether releases are paused
 */
public record DispatcherStats(
    long released,
    long completed,
    long retried,
    long deadLettered,
    int inFlight,
    int running,
    boolean paused) {}
