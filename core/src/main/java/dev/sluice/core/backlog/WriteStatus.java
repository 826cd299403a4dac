package dev.sluice.core.backlog;

import java.time.Instant;

/**
 * Whether the backlog's last write committed, as the operator sees it in the status and metrics. It
 * is the state after the last write that tried to change something: a store whose disk filled shows
 * not writable until a write commits again.
 *
 * @param writable the last write committed (or nothing has failed yet)
 * @param full the last failure was a lack of space (disk full, or the size cap)
 * @param lastError the last failed write's error, or null if none has failed since start
 * @param lastFailureAt when the last write failed, or null
 * @param failingSince when the current run of failures began, or null while writable
 * @param failedWrites failed writes since start
 */
public record WriteStatus(
    boolean writable,
    boolean full,
    String lastError,
    Instant lastFailureAt,
    Instant failingSince,
    long failedWrites) {

  /** A store that has failed no write. */
  public static final WriteStatus WRITABLE = new WriteStatus(true, false, null, null, null, 0);
}
