package dev.sluice.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of samples. */
final class Percentiles {

  private final long[] sorted;

  Percentiles(long[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("samples must not be empty");
    }
    this.sorted = samples.clone();
    Arrays.sort(sorted);
  }

  /** The smallest sample with at least {@code p} percent of the samples at or below it. */
  long at(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  long max() {
    return sorted[sorted.length - 1];
  }

  int count() {
    return sorted.length;
  }
}
