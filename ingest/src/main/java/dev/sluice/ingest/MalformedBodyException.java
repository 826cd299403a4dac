package dev.sluice.ingest;

import dev.sluice.core.SluiceException;

/** A notification body that cannot be read at all; its message names the problem. */
public final class MalformedBodyException extends SluiceException {
  public MalformedBodyException(String message) {
    super(message);
  }
}
