package dev.sluice.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An independent check of a window limit over a release log: the most releases any interval of a
 * given length holds. Written apart from the gate (two pointers over sorted instants, no shared
 * code), so that it can judge the gate rather than repeat it.
 *
 * <p>Releases at a and b (a before b) share an interval of length T iff {@code b - a < T}; so the
 * busiest interval starts at some release t_i and holds the releases in [t_i, t_i + T).
 */
final class SlidingWindowCount {

  /**
   * The busiest interval.
   *
   * @param count releases in it
   * @param from the release it starts at (null for an empty log)
   */
  record Busiest(int count, Instant from) {}

  private SlidingWindowCount() {}

  /** The most releases any half-open interval of length {@code every} holds. */
  static Busiest busiest(List<Instant> releases, Duration every) {
    List<Instant> sorted = new ArrayList<>(releases);
    sorted.sort(null);
    int best = 0;
    Instant bestFrom = null;
    int end = 0; // first release at or after sorted[start] + every
    for (int start = 0; start < sorted.size(); start++) {
      Instant limit = sorted.get(start).plus(every);
      while (end < sorted.size() && sorted.get(end).isBefore(limit)) {
        end++;
      }
      if (end - start > best) {
        best = end - start;
        bestFrom = sorted.get(start);
      }
    }
    return new Busiest(best, bestFrom);
  }

  /**
   * How fully a drain used a window limit of {@code limit} per {@code every} once the limit bound,
   * away from the two edges of the run: the release rate from the first release of the second
   * window's worth to the first of the last window's worth (the {@code limit}-th and the {@code (n
   * - limit)}-th release, counting from 0), against {@code limit / every}. A gate that starts each
   * permit again the instant it frees gives 1.0, whatever happened at the edges: how long the first
   * window's jobs took to answer, how spread out the last window's releases were. NaN with fewer
   * than three windows' worth of releases.
   */
  static double steadyUse(List<Instant> releases, int limit, Duration every) {
    if (releases.size() < 3 * limit) {
      return Double.NaN;
    }
    List<Instant> sorted = new ArrayList<>(releases);
    sorted.sort(null);
    Instant from = sorted.get(limit);
    Instant to = sorted.get(sorted.size() - limit);
    double seconds = Duration.between(from, to).toNanos() / 1e9;
    double rate = (sorted.size() - 2 * limit) / seconds;
    return rate / (limit / (every.toNanos() / 1e9));
  }
}
