package dev.sluice.core.gate;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One rule of a {@link CapacitySchedule}: on some days of the week, from one local time until
 * another, either a blackout (nothing is released) or limits that replace the base limits' parts
 * they set. A part the rule does not set (null) is left as the base has it.
 *
 * <p>Local times are read on the schedule's clock: the rule holds at an instant when the local
 * date-time of that instant in the schedule's zone falls in it. So across a daylight-saving change
 * a rule from 02:00 until 04:00 holds one hour on the day the clocks skip 02:00-03:00 and three
 * hours on the day they repeat it.
 *
 * @param name how the rule is shown (dashboard, metrics, audit), not blank
 * @param days the days the rule starts on, at least one
 * @param from the local time the rule starts at (inclusive)
 * @param until the local time the rule ends at (exclusive); at or before {@code from}, the rule
 *     runs past midnight into the next day, and equal to {@code from} it holds for 24 hours (00:00
 *     until 00:00: the whole day)
 * @param blackout true: nothing is released while the rule holds; it sets no limits
 * @param window the window limit while the rule holds, or null to keep the base one
 * @param rate the rate limit while the rule holds, or null to keep the base one
 * @param maxInFlight the max-in-flight limit while the rule holds, or null to keep the base one
 */
public record ScheduleRule(
    String name,
    Set<DayOfWeek> days,
    LocalTime from,
    LocalTime until,
    boolean blackout,
    Limits.Window window,
    Limits.Rate rate,
    Integer maxInFlight) {

  public ScheduleRule {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("rule name must not be blank");
    }
    if (days == null || days.isEmpty()) {
      throw new IllegalArgumentException("rule '" + name + "': days must name at least one day");
    }
    days = Set.copyOf(EnumSet.copyOf(days));
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    if (maxInFlight != null && maxInFlight < 1) {
      throw new IllegalArgumentException(
          "rule '" + name + "': concurrency.max-in-flight must be >= 1, got " + maxInFlight);
    }
    boolean setsLimits = window != null || rate != null || maxInFlight != null;
    if (blackout && setsLimits) {
      throw new IllegalArgumentException(
          "rule '" + name + "': a blackout releases nothing, so it sets no limits");
    }
    if (!blackout && !setsLimits) {
      throw new IllegalArgumentException(
          "rule '" + name + "': set a limit (window, rate, concurrency) or blackout: true");
    }
  }

  /** A blackout on {@code days} from {@code from} until {@code until}. */
  public static ScheduleRule blackout(
      String name, Set<DayOfWeek> days, LocalTime from, LocalTime until) {
    return new ScheduleRule(name, days, from, until, true, null, null, null);
  }

  /** Limits on {@code days} from {@code from} until {@code until}; null parts keep the base. */
  public static ScheduleRule limits(
      String name, Set<DayOfWeek> days, LocalTime from, LocalTime until, Limits limits) {
    return new ScheduleRule(
        name, days, from, until, false, limits.window(), limits.rate(), limits.maxInFlight());
  }

  /** Whether the rule holds at the local date-time {@code at}. */
  public boolean holdsAt(LocalDateTime at) {
    LocalTime t = at.toLocalTime();
    DayOfWeek day = at.getDayOfWeek();
    if (from.isBefore(until)) {
      return days.contains(day) && !t.isBefore(from) && t.isBefore(until);
    }
    // Past midnight: the evening part belongs to its own day, the morning part to the day before.
    return (days.contains(day) && !t.isBefore(from))
        || (days.contains(day.minus(1)) && t.isBefore(until));
  }
}
