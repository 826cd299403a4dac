package dev.sluice.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What a target answered for one job. A value, never an exception.
 *
 * <p>Most targets answer once, at the end of the work. An asynchronous target (a Step Functions
 * execution, an {@code Event} Lambda invocation) answers {@link Started} when the work began; the
 * job keeps its in-flight slot until the target reports its end through {@link Target.Completions}.
 */
public sealed interface Outcome {

  /** A short label stored in the release log. */
  String label();

  /** The target did the work. */
  record Completed() implements Outcome {
    @Override
    public String label() {
      return "completed";
    }
  }

  /**
   * The target began the work and will report its end later, through {@link Target.Completions}.
   *
   * @param reference what the target knows the work by (an execution ARN), for logs and the release
   *     log
   * @param hold how long to wait for the end before the job is released again (the target adopts
   *     work it already runs, so a second release is not a second execution)
   * @param duplicate whether the target already ran or runs this attempt (a repeat was refused as
   *     such), so nothing new began
   */
  record Started(String reference, Duration hold, boolean duplicate) implements Outcome {
    public Started {
      Objects.requireNonNull(reference, "reference");
      if (hold == null || hold.isNegative() || hold.isZero()) {
        throw new IllegalArgumentException("hold must be a positive duration, got " + hold);
      }
    }

    @Override
    public String label() {
      return "started";
    }
  }

  /**
   * The target is overloaded and asked us to come back later.
   *
   * @param retryAfter how long the target asked us to wait, or null if it did not say
   * @param detail what the target said
   */
  record Throttled(Duration retryAfter, String detail) implements Outcome {
    @Override
    public String label() {
      return "throttled";
    }
  }

  /**
   * The target failed.
   *
   * @param retryable whether another attempt may succeed
   * @param error what went wrong, kept on the dead letter
   */
  record Failed(boolean retryable, String error) implements Outcome {
    public Failed {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String label() {
      return retryable ? "failed-retryable" : "failed-permanent";
    }
  }

  static Outcome completed() {
    return new Completed();
  }

  static Outcome started(String reference, Duration hold) {
    return new Started(reference, hold, false);
  }

  static Outcome throttled(Duration retryAfter, String detail) {
    return new Throttled(retryAfter, detail);
  }

  static Outcome retryable(String error) {
    return new Failed(true, error);
  }

  static Outcome permanent(String error) {
    return new Failed(false, error);
  }
}
