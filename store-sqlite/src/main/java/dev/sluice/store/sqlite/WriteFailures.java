package dev.sluice.store.sqlite;

import dev.sluice.core.backlog.WriteStatus;
import java.time.Instant;

/**
 * The backlog's {@link WriteStatus}, kept up to date by the writer: a failure sets it, and the next
 * write that commits a change clears it. Written under the backlog's write lock, read by any
 * thread.
 */
final class WriteFailures {
  private volatile WriteStatus status = WriteStatus.WRITABLE;

  WriteStatus status() {
    return status;
  }

  /**
   * @param at the failed call's instant, or null for a call that carries none
   */
  void failed(String error, boolean full, Instant at) {
    WriteStatus s = status;
    Instant since = s.writable() ? at : s.failingSince();
    status = new WriteStatus(false, full, error, at, since, s.failedWrites() + 1);
  }

  void committed() {
    WriteStatus s = status;
    if (!s.writable()) {
      status =
          new WriteStatus(true, false, s.lastError(), s.lastFailureAt(), null, s.failedWrites());
    }
  }
}
