package dev.sluice.core.dispatch;

import dev.sluice.core.time.TimeSource;
import java.time.Duration;

/**
 * Logs a step that fails again and again (a backlog whose disk is full fails every claim and
 * settlement until space returns) without flooding the log: the first failure of a run with its
 * stack trace, then at most one line per {@code quiet} with the count, and one line when the step
 * succeeds again. Used by one thread at a time.
 */
public final class RepeatedFailureLog {
  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  private final String step;
  private final TimeSource time;
  private final long quietNanos;
  private long failures;
  private long lastLoggedNanos;

  public RepeatedFailureLog(String step, TimeSource time, Duration quiet) {
    this.step = step;
    this.time = time;
    this.quietNanos = quiet.toNanos();
  }

  public void failed(RuntimeException e) {
    long now = time.nanoTime();
    failures++;
    if (failures == 1) {
      LOG.log(System.Logger.Level.ERROR, step + " failed; retrying", e);
      lastLoggedNanos = now;
    } else if (now - lastLoggedNanos >= quietNanos) {
      LOG.log(
          System.Logger.Level.ERROR,
          step + " still failing (" + failures + " times in a row); retrying: " + e,
          e);
      lastLoggedNanos = now;
    }
  }

  public void succeeded() {
    if (failures > 0) {
      LOG.log(
          System.Logger.Level.INFO,
          step + " succeeded again after " + failures + " failures in a row");
      failures = 0;
    }
  }
}
