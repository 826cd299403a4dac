package dev.sluice.serverless.local;

import dev.sluice.core.SluiceException;

/**
 * A local function's invocation failed: its handler threw (Lambda's "function error"). Whoever
 * invoked it acts as the AWS service would: S3 and EventBridge deliver the event again, the SQS
 * event source leaves the whole batch on the queue.
 */
public final class FunctionErrorException extends SluiceException {
  private final String function;

  public FunctionErrorException(String function, String message, Throwable cause) {
    super(function + ": " + message, cause);
    this.function = function;
  }

  /** The function that failed. */
  public String function() {
    return function;
  }
}
