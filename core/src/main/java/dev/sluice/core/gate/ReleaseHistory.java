package dev.sluice.core.gate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * Releases in time order, kept as (nanos, count) batches because jobs are released in batches: a
 * window of 1000 filled by two calls is two entries, not 1000.
 *
 * <p>Times never go backwards here: a release reported with an earlier time than the latest one is
 * counted at the latest time, which keeps it in a window longer, never shorter.
 */
final class ReleaseHistory {

  /** Releases of {@code count} jobs at one instant. */
  record Batch(long nanos, long count) {}

  private final ArrayDeque<Batch> batches = new ArrayDeque<>();
  private long total;

  /** A history of these batches, which may be in any order. */
  static ReleaseHistory of(Collection<Batch> unordered) {
    List<Batch> sorted = new ArrayList<>(unordered);
    sorted.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
    ReleaseHistory history = new ReleaseHistory();
    for (Batch b : sorted) {
      history.add(b.nanos(), b.count());
    }
    return history;
  }

  void add(long nanos, long count) {
    if (count <= 0) {
      return;
    }
    Batch last = batches.peekLast();
    if (last != null && nanos <= last.nanos()) {
      batches.pollLast();
      batches.addLast(new Batch(last.nanos(), last.count() + count));
    } else {
      batches.addLast(new Batch(nanos, count));
    }
    total += count;
  }

  /** Drops every release at least {@code horizonNanos} before {@code nowNanos}. */
  void forgetOlderThan(long nowNanos, long horizonNanos) {
    while (!batches.isEmpty() && nowNanos - batches.peekFirst().nanos() >= horizonNanos) {
      total -= batches.pollFirst().count();
    }
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
    Iterator<Batch> it = batches.iterator();
    while (true) {
      Batch b = it.next();
      seen += b.count();
      if (seen >= n) {
        return b.nanos();
      }
    }
  }

  /** The batches, oldest first (a copy). */
  List<Batch> batches() {
    return new ArrayList<>(batches);
  }

  /** Counts every release held in {@code limit}, oldest first. */
  void replayInto(Limit limit) {
    for (Batch b : batches) {
      long left = b.count();
      while (left > 0) {
        int part = (int) Math.min(left, Integer.MAX_VALUE);
        limit.replay(b.nanos(), part);
        left -= part;
      }
    }
  }
}
