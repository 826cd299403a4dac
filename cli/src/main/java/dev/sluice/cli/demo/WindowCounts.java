package dev.sluice.cli.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Releases per window of length T, the windows laid end to end from the first release: window k
 * holds the releases in [first + kT, first + (k+1)T).
 */
final class WindowCounts {
  private WindowCounts() {}

  static List<Integer> of(List<Instant> releases, Duration every) {
    List<Integer> counts = new ArrayList<>();
    if (releases.isEmpty()) {
      return counts;
    }
    Instant first = releases.stream().min(Instant::compareTo).orElseThrow();
    long t = every.toNanos();
    for (Instant r : releases) {
      int k = (int) (Duration.between(first, r).toNanos() / t);
      while (counts.size() <= k) {
        counts.add(0);
      }
      counts.set(k, counts.get(k) + 1);
    }
    return counts;
  }
}
