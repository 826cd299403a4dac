package dev.sluice.core;

/**
 * Input the caller can correct: a body that cannot be read, a limits document that breaks a rule, a
 * parameter out of range. Nothing was changed; its message names the problem. An HTTP front end
 * answers it with 400, never with 5xx: sending the same input again cannot succeed.
 */
public class InvalidInputException extends SluiceException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
