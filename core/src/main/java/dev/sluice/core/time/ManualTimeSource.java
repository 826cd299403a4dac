package dev.sluice.core.time;

import java.time.Duration;
import java.time.Instant;

/** Virtual time for tests: it moves only when {@link #advance} is called. */
public final class ManualTimeSource implements TimeSource {
  private final Instant epoch;
  private volatile long nanos;

  public ManualTimeSource(Instant start) {
    this.epoch = start;
  }

  public ManualTimeSource() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public synchronized void advance(Duration d) {
    nanos += d.toNanos();
    notifyAll();
  }

  public synchronized void setNanoTime(long nanoTime) {
    if (nanoTime < nanos) {
      throw new IllegalArgumentException("time cannot go backwards: " + nanoTime + " < " + nanos);
    }
    nanos = nanoTime;
    notifyAll();
  }

  /** Waits until a test moves the clock to {@code nanoTime} or past it. */
  @Override
  public synchronized void sleepUntil(long nanoTime) throws InterruptedException {
    while (nanos < nanoTime) {
      wait();
    }
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant instantAt(long nanoTime) {
    return epoch.plusNanos(nanoTime);
  }

  @Override
  public long nanoTimeAt(Instant instant) {
    return Duration.between(epoch, instant).toNanos();
  }
}
