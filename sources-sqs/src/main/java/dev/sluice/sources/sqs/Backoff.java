package dev.sluice.sources.sqs;

import java.time.Duration;

/**
 * Exponential backoff between failed attempts: doubles from {@code initial} up to {@code max}, and
 * starts over after a success. Pure: the poller owns the waiting.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The wait before the next attempt after a failure; the one after it is twice as long. */
  Duration afterFailure() {
    Duration wait = next;
    Duration doubled = next.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return wait;
  }

  void reset() {
    next = initial;
  }
}
