package dev.sluice.ingest;

import dev.sluice.core.InvalidInputException;

/** A notification body that cannot be read at all; its message names the problem. */
public final class MalformedBodyException extends InvalidInputException {
  public MalformedBodyException(String message) {
    super(message);
  }
}
