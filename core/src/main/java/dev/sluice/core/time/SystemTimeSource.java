package dev.sluice.core.time;

import java.time.Instant;

/** Real time: System.nanoTime() with a wall-clock anchor taken once. */
final class SystemTimeSource implements TimeSource {
  private final long anchorNanos;
  private final long anchorEpochNanos;

  SystemTimeSource() {
    Instant wall = Instant.now();
    this.anchorNanos = System.nanoTime();
    this.anchorEpochNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant instantAt(long nanoTime) {
    long epochNanos = anchorEpochNanos + (nanoTime - anchorNanos);
    return Instant.ofEpochSecond(0, epochNanos);
  }

  @Override
  public long nanoTimeAt(Instant instant) {
    long epochNanos = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    return anchorNanos + (epochNanos - anchorEpochNanos);
  }
}
