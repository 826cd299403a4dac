package dev.sluice.core.backlog;

import dev.sluice.core.SluiceException;

/**
 * The backlog could not commit, for a reason outside the request: its disk is full, the disk
 * answered an I/O error, or the store is locked or unreachable. Nothing of the failed call was
 * committed, and the same call may succeed later (when space returns): an intake answers 503 and
 * the sender keeps the events; the dispatcher keeps its outcomes and tries again.
 */
public final class BacklogUnavailableException extends SluiceException {
  private final boolean full;

  /**
   * @param full whether the store is out of space (rather than failing in another way)
   */
  public BacklogUnavailableException(String message, boolean full, Throwable cause) {
    super(message, cause);
    this.full = full;
  }

  /** True when the store ran out of space: the disk, or the size cap the operator set. */
  public boolean full() {
    return full;
  }
}
