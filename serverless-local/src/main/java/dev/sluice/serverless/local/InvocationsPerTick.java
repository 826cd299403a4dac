package dev.sluice.serverless.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Executions started per tick, from the Step Functions endpoint's record: each execution is counted
 * for the tick whose scheduler invocation put its name on the invocation queue ({@link
 * ReleasedNames}), whenever the invoke function got to start it. Exact whatever the timing: an
 * execution started after the next tick fired still counts for the tick that released it. A name
 * two ticks sent counts for the first.
 *
 * @param counts per tick, in scheduled order: executions of the names it released that started
 * @param released per tick: what the scheduler's own report says it released
 * @param notStarted names some tick released that have no execution in the record
 */
public record InvocationsPerTick(List<Integer> counts, List<Integer> released, int notStarted) {

  public InvocationsPerTick {
    counts = List.copyOf(counts);
    released = List.copyOf(released);
  }

  /**
   * Counts {@code started} (execution names in the endpoint's record) by the ticks that released
   * them; ticks after the last one that released anything are left out.
   *
   * @param ticks the ticks, in scheduled order
   */
  public static InvocationsPerTick of(List<Tick> ticks, Collection<String> started) {
    Set<String> startedNames = new HashSet<>(started);
    Set<String> seen = new HashSet<>();
    List<Integer> counts = new ArrayList<>();
    List<Integer> released = new ArrayList<>();
    int notStarted = 0;
    for (Tick tick : ticks) {
      int count = 0;
      for (String name : tick.releasedNames()) {
        if (!seen.add(name)) {
          continue;
        }
        if (startedNames.contains(name)) {
          count++;
        } else {
          notStarted++;
        }
      }
      counts.add(count);
      released.add(tick.released());
    }
    int last = counts.size();
    while (last > 0 && counts.get(last - 1) == 0 && released.get(last - 1) == 0) {
      last--;
    }
    return new InvocationsPerTick(counts.subList(0, last), released.subList(0, last), notStarted);
  }

  /** Whether the record agrees with the scheduler's reports, tick by tick. */
  public boolean agrees() {
    return notStarted == 0 && counts.equals(released);
  }

  /** The line the command ends with: {@code invocations per tick: 50 50 15}. */
  public String line() {
    return "invocations per tick: " + joined(counts);
  }

  /** The scheduler's side: {@code released per tick (scheduler's reports): 50 50 15}. */
  public String releasedLine() {
    return "released per tick (the scheduler's reports): " + joined(released);
  }

  private static String joined(List<Integer> numbers) {
    return numbers.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }
}
