package dev.sluice.core.forecast;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The recent starts a forecast seeds its gate with, when one permit carries up to K events: the
 * release log gives one start per release, that is per event, and under batches counted as jobs the
 * members of one batch are one start.
 *
 * <p>The members of a batch share their start instant: the batch's answer, or its release instant
 * while it is open. So the starts are grouped by instant and a group of n counts {@code ceil(n /
 * K)} starts. Several batches may share an instant too (the batches of one release step share its
 * release instant while they run): counted by ceil they count as many as their events fill, which
 * is exact for full batches and at most one short per instant for partial ones, without asking the
 * store for each release's batch. A pure function.
 */
public final class PermitStarts {
  private PermitStarts() {}

  /**
   * The starts of {@code eventStarts} (one per event, any order) as permits carrying {@code
   * eventsPerPermit} events each, in time order; with 1, the same starts sorted.
   */
  public static List<Instant> of(List<Instant> eventStarts, int eventsPerPermit) {
    if (eventsPerPermit < 1) {
      throw new IllegalArgumentException("eventsPerPermit must be >= 1, got " + eventsPerPermit);
    }
    List<Instant> sorted = new ArrayList<>(eventStarts);
    Collections.sort(sorted);
    if (eventsPerPermit == 1) {
      return sorted;
    }
    List<Instant> permits = new ArrayList<>();
    int i = 0;
    while (i < sorted.size()) {
      Instant t = sorted.get(i);
      int n = 0;
      while (i < sorted.size() && sorted.get(i).equals(t)) {
        n++;
        i++;
      }
      int count = (n + eventsPerPermit - 1) / eventsPerPermit;
      for (int c = 0; c < count; c++) {
        permits.add(t);
      }
    }
    return permits;
  }
}
