package dev.sluice.core.gate;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link CapacitySchedule} gives at one instant: the limits in effect, whether a blackout
 * holds (nothing is released), which rules hold, and when that next changes.
 *
 * @param limits the limits in effect: the base limits with the parts the holding rules set; during
 *     a blackout, the limits that hold once it ends if nothing else changes then
 * @param blackout true while a blackout rule holds: nothing is released
 * @param rules the names of the rules that hold, in the schedule's order; empty when only the base
 *     limits hold
 * @param nextChange the first instant after this one at which the limits, the blackout or the rules
 *     holding change; null if the schedule never changes (no rules, or rules that hold always)
 */
public record Capacity(Limits limits, boolean blackout, List<String> rules, Instant nextChange) {
  public Capacity {
    Objects.requireNonNull(limits, "limits");
    rules = List.copyOf(rules);
  }

  /** Whether the two give the same limits, blackout and rules (their next changes aside). */
  public boolean sameAs(Capacity other) {
    return blackout == other.blackout && limits.equals(other.limits) && rules.equals(other.rules);
  }
}
