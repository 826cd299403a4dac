package dev.sluice.core.gate.stored;

import dev.sluice.core.SluiceException;

/**
 * A limit's state kept changing under every attempt to replace it: more writers than the retries
 * allow. Nothing was reserved by the failed attempts; the caller may try again later.
 */
public final class StateConflictException extends SluiceException {
  private final String key;

  public StateConflictException(String key, int attempts) {
    super(
        "the limit state '"
            + key
            + "' changed under each of "
            + attempts
            + " attempts to update it; too many writers at once");
    this.key = key;
  }

  /** The store key that kept changing. */
  public String key() {
    return key;
  }
}
