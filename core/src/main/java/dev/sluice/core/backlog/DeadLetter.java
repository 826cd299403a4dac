package dev.sluice.core.backlog;

import dev.sluice.core.ObjectEvent;
import java.time.Instant;

/**
 * An event that exhausted its retries or failed permanently.
 *
 * @param eventId backlog id
 * @param event the event
 * @param attempts how many times it was released
 * @param lastError the last error the target gave
 * @param deadAt when it was dead-lettered
 */
public record DeadLetter(
    long eventId, ObjectEvent event, int attempts, String lastError, Instant deadAt) {}
