package dev.sluice.core.backlog;

import java.time.Instant;

/**
 * A backlog's {@link WriteStatus}, kept up to date by its writes: a failure sets it, and the next
 * commit that added rows (new events, new releases) clears it. A commit that only changes rows in
 * place (a settlement) proves nothing: at a size cap it fits in the space the store has, while
 * every append still fails, and the status would flap. Thread-safe; read by any thread.
 */
public final class WriteFailures {
  private volatile WriteStatus status = WriteStatus.WRITABLE;

  public WriteStatus status() {
    return status;
  }

  /**
   * @param at the failed call's instant, or null for a call that carries none
   */
  public synchronized void failed(String error, boolean full, Instant at) {
    WriteStatus s = status;
    Instant since = s.writable() ? at : s.failingSince();
    status = new WriteStatus(false, full, error, at, since, s.failedWrites() + 1);
  }

  /** A commit that added rows: the store takes new data again. */
  public synchronized void grew() {
    WriteStatus s = status;
    if (!s.writable()) {
      status =
          new WriteStatus(true, false, s.lastError(), s.lastFailureAt(), null, s.failedWrites());
    }
  }
}
