package dev.sluice.intake;

import dev.sluice.core.InvalidInputException;

/**
 * Thrown inside the parser when one record cannot be read; the parser turns it into a {@link
 * Rejected} value before returning, so it never escapes the package.
 */
final class InvalidRecordException extends InvalidInputException {
  InvalidRecordException(String message) {
    super(message);
  }
}
