package dev.sluice.core.gate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Releases in time order, kept as (nanos, count) batches because jobs are released in batches: a
 * window of 1000 filled by two calls is two entries, not 1000.
 *
 * <p>A release may be reported after a later one (workers report arrivals from many threads); it
 * takes its place in time order.
 */
final class ReleaseHistory {

  /** Releases of {@code count} jobs at one instant. */
  record Batch(long nanos, long count) {}

  private final TreeMap<Long, Long> batches = new TreeMap<>();
  private long total;

  /** A history of these batches, which may be in any order. */
  static ReleaseHistory of(Collection<Batch> unordered) {
    ReleaseHistory history = new ReleaseHistory();
    for (Batch b : unordered) {
      history.add(b.nanos(), b.count());
    }
    return history;
  }

  void add(long nanos, long count) {
    if (count <= 0) {
      return;
    }
    batches.merge(nanos, count, Long::sum);
    total += count;
  }

  /** Drops every release at least {@code horizonNanos} before {@code nowNanos}. */
  void forgetOlderThan(long nowNanos, long horizonNanos) {
    for (Map.Entry<Long, Long> first;
        (first = batches.firstEntry()) != null && nowNanos - first.getKey() >= horizonNanos; ) {
      batches.pollFirstEntry();
      total -= first.getValue();
    }
  }

  /** Releases held at or after {@code nanos}. */
  long countSince(long nanos) {
    long n = 0;
    for (long c : batches.tailMap(nanos, true).values()) {
      n += c;
    }
    return n;
  }

  /** Number of releases held. */
  long total() {
    return total;
  }

  /** Time of the {@code n}-th oldest release held, counting from 1. */
  long nanosOfNth(long n) {
    if (n < 1 || n > total) {
      throw new IllegalArgumentException("n must be in 1.." + total + ", got " + n);
    }
    long seen = 0;
    for (Map.Entry<Long, Long> b : batches.entrySet()) {
      seen += b.getValue();
      if (seen >= n) {
        return b.getKey();
      }
    }
    throw new IllegalStateException("total out of step with the batches");
  }

  /** The batches, oldest first (a copy). */
  List<Batch> batches() {
    List<Batch> copy = new ArrayList<>(batches.size());
    batches.forEach((nanos, count) -> copy.add(new Batch(nanos, count)));
    return copy;
  }

  /** Counts every release held in {@code limit}, oldest first. */
  void replayInto(Limit limit) {
    for (Map.Entry<Long, Long> b : batches.entrySet()) {
      long left = b.getValue();
      while (left > 0) {
        int part = (int) Math.min(left, Integer.MAX_VALUE);
        limit.replay(b.getKey(), part);
        left -= part;
      }
    }
  }
}
