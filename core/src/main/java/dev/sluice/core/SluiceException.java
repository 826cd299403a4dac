package dev.sluice.core;

/** The root of Sluice's unchecked exceptions: broken infrastructure or a bug, never "not now". */
public class SluiceException extends RuntimeException {
  public SluiceException(String message) {
    super(message);
  }

  public SluiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
