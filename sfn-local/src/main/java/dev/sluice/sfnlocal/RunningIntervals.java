package dev.sluice.sfnlocal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * The most executions that were running at one instant, from their start and stop instants.
 *
 * <p>An execution runs over {@code [start, stop)}: one that stops at the instant another starts
 * does not overlap it. One that starts and stops at the same instant still ran at that instant, so
 * it counts there. One that has not stopped runs on.
 */
public final class RunningIntervals {

  private RunningIntervals() {}

  /** One execution's run: {@code stop} is null while it runs. */
  public record Interval(Instant start, Instant stop) {
    public Interval {
      if (start == null) {
        throw new IllegalArgumentException("start must be set");
      }
      if (stop != null && stop.isBefore(start)) {
        throw new IllegalArgumentException("stop " + stop + " is before start " + start);
      }
    }
  }

  /** The most of {@code executions} running at one instant. */
  public static int maxRunningAtOnce(Collection<RecordedExecution> executions) {
    List<Interval> intervals = new ArrayList<>(executions.size());
    for (RecordedExecution e : executions) {
      intervals.add(new Interval(e.startedAt(), e.stoppedAt()));
    }
    return maxAtOnce(intervals);
  }

  /** The most of {@code intervals} that hold one instant. */
  public static int maxAtOnce(Collection<Interval> intervals) {
    // Per instant: [stops of runs that began earlier, starts, stops of runs that began there too]
    TreeMap<Instant, int[]> changes = new TreeMap<>();
    for (Interval i : intervals) {
      changes.computeIfAbsent(i.start(), t -> new int[3])[1]++;
      if (i.stop() != null) {
        boolean instantaneous = i.stop().equals(i.start());
        changes.computeIfAbsent(i.stop(), t -> new int[3])[instantaneous ? 2 : 0]++;
      }
    }
    int running = 0;
    int max = 0;
    for (int[] c : changes.values()) {
      running -= c[0];
      running += c[1];
      max = Math.max(max, running);
      running -= c[2];
    }
    return max;
  }
}
