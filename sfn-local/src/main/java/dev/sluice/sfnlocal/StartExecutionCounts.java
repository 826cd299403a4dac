package dev.sluice.sfnlocal;

/**
 * What the endpoint answered to StartExecution calls.
 *
 * @param answered calls answered with success (a new execution, or an idempotent repeat of a
 *     running one)
 * @param throttled calls answered with {@code ThrottlingException}
 * @param refused calls answered with any other error (bad name, unknown machine, missing signature,
 *     name already used, ...)
 */
public record StartExecutionCounts(long answered, long throttled, long refused) {

  /** Every StartExecution call the endpoint received. */
  public long total() {
    return answered + throttled + refused;
  }
}
