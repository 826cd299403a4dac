package dev.sluice.core.gate.stored;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link StoredLimit}s at once, the tightest winning: reserves named jobs in each limit in
 * turn and gives back to the earlier limits what a later one refused. Each limit is updated with
 * its own conditional write, so at every instant each limit's stored state holds at most what it
 * allows; two gates reserving at once can only get fewer jobs than they would alone, never more.
 *
 * <p>Not thread-safe: one per invocation or per thread.
 */
public final class StoredGate {

  private final List<StoredLimit<?>> limits;

  public StoredGate(List<StoredLimit<?>> limits) {
    this.limits = List.copyOf(limits);
  }

  public List<StoredLimit<?>> limits() {
    return limits;
  }

  /**
   * How many jobs may start at {@code now}, on freshly loaded state: the fewest any limit allows
   * ({@link Integer#MAX_VALUE} with none).
   */
  public int permits(Instant now) {
    int permits = Integer.MAX_VALUE;
    for (StoredLimit<?> limit : limits) {
      permits = Math.min(permits, limit.permits(now));
    }
    return permits;
  }

  /**
   * Reserves the first jobs of {@code jobs} in every limit, as many as all of them allow.
   *
   * @param jobs job names, distinct (a max-in-flight limit holds one slot per name)
   * @return the jobs reserved, the first of {@code jobs}
   * @throws StateConflictException if a limit met a conflict on every attempt; what was reserved
   *     before it is given back first
   */
  public List<String> reserve(Instant now, List<String> jobs) {
    List<String> granted = List.copyOf(jobs);
    List<StoredLimit<?>> reservedIn = new ArrayList<>();
    for (StoredLimit<?> limit : limits) {
      if (granted.isEmpty()) {
        break;
      }
      int n;
      try {
        n = limit.reserve(now, granted);
      } catch (StateConflictException e) {
        for (StoredLimit<?> earlier : reservedIn) {
          earlier.giveBack(now, granted);
        }
        throw e;
      }
      if (n < granted.size()) {
        List<String> refused = granted.subList(n, granted.size());
        for (StoredLimit<?> earlier : reservedIn) {
          earlier.giveBack(now, refused);
        }
        granted = granted.subList(0, n);
      }
      reservedIn.add(limit);
    }
    return granted;
  }

  /** Gives back {@code jobs}, reserved at {@code now} and never started, to every limit. */
  public void giveBack(Instant now, List<String> jobs) {
    for (StoredLimit<?> limit : limits) {
      limit.giveBack(now, jobs);
    }
  }
}
