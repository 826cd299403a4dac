package dev.sluice.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * Reads a gauge (the dispatcher's jobs released and not yet settled) every {@code periodNanos} on
 * its own thread until stopped: shows whether max-in-flight, not the rate, held releases back.
 */
final class InFlightSampler {
  /** What the samples showed. */
  record Summary(double mean, int max, double atLimitShare) {}

  private final IntSupplier gauge;
  private final int limit;
  private final long periodNanos;
  private final Thread thread;
  private volatile boolean running = true;
  private long samples;
  private long sum;
  private long atLimit;
  private int max;

  InFlightSampler(IntSupplier gauge, int limit, long periodNanos) {
    this.gauge = gauge;
    this.limit = limit;
    this.periodNanos = periodNanos;
    this.thread = new Thread(this::sample, "in-flight-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    while (running) {
      int v = gauge.getAsInt();
      samples++;
      sum += v;
      max = Math.max(max, v);
      if (v >= limit) {
        atLimit++;
      }
      LockSupport.parkNanos(periodNanos);
    }
  }

  /** Stops sampling and summarizes. */
  Summary stop() throws InterruptedException {
    running = false;
    thread.join();
    return samples == 0
        ? new Summary(0, 0, 0)
        : new Summary((double) sum / samples, max, (double) atLimit / samples);
  }
}
