package dev.sluice.core;

import java.time.Duration;
import java.util.Objects;

/** What a target answered for one job. A value, never an exception. */
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
