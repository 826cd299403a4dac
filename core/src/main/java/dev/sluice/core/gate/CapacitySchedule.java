package dev.sluice.core.gate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Limits by time of day and day of week, and blackout windows, on the clock of a named time zone:
 * given an instant and the base limits, the limits in effect then and the instant they next change
 * ({@link #at}). A pure function: no clock, no state.
 *
 * <p>Rules are read in order. A blackout rule that holds stops every release. Otherwise each part
 * of the limits (window, rate, max in flight) is taken from the first holding rule that sets it,
 * and from the base limits when none does; so a night rule that sets only the window keeps the base
 * rate and max in flight.
 *
 * <p>A rule holds at an instant when the local date-time of the instant falls in it (see {@link
 * ScheduleRule}): the schedule follows the wall clock of its zone across daylight-saving changes.
 *
 * @param zone the zone whose wall clock the rules' days and times are read on
 * @param rules the rules, in order; empty: the base limits always
 */
public record CapacitySchedule(ZoneId zone, List<ScheduleRule> rules) {

  /** How far ahead a next change is looked for: a week, and a day on either side. */
  private static final int DAYS_AHEAD = 9;

  /** No rules: the base limits always. */
  public static final CapacitySchedule NONE = new CapacitySchedule(ZoneId.of("UTC"), List.of());

  public CapacitySchedule {
    Objects.requireNonNull(zone, "zone");
    rules = List.copyOf(rules);
    java.util.Set<String> names = new java.util.HashSet<>();
    for (ScheduleRule r : rules) {
      if (!names.add(r.name())) {
        throw new IllegalArgumentException("rule name '" + r.name() + "' is used twice");
      }
    }
  }

  /**
   * How far back the gate must count releases so that every limit this schedule can bring over
   * {@code base} counts all of its own: the longest of their windows and refill times.
   */
  public Duration historyNeeded(Limits base) {
    Duration longest = Gate.historyNeededBy(base);
    for (ScheduleRule r : rules) {
      if (r.blackout()) {
        continue;
      }
      Limits l =
          new Limits(
              r.window() != null ? r.window() : base.window(),
              r.rate() != null ? r.rate() : base.rate(),
              r.maxInFlight() != null ? r.maxInFlight() : base.maxInFlight());
      Duration d = Gate.historyNeededBy(l);
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    return longest;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * The capacity at {@code instant} over {@code base}: the limits in effect, the blackout, the
   * rules that hold, and the next instant at which any of that changes.
   */
  public Capacity at(Instant instant, Limits base) {
    Capacity now = evaluate(instant, base);
    if (rules.isEmpty()) {
      return now;
    }
    for (Instant c : candidates(instant)) {
      if (!evaluate(c, base).sameAs(now)) {
        return new Capacity(now.limits(), now.blackout(), now.rules(), c);
      }
    }
    return now;
  }

  /** The capacity at {@code instant}, without its next change. */
  private Capacity evaluate(Instant instant, Limits base) {
    LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
    boolean blackout = false;
    Limits.Window window = null;
    Limits.Rate rate = null;
    Integer maxInFlight = null;
    List<String> holding = new ArrayList<>();
    for (ScheduleRule r : rules) {
      if (!r.holdsAt(local)) {
        continue;
      }
      holding.add(r.name());
      if (r.blackout()) {
        blackout = true;
        continue;
      }
      window = window != null ? window : r.window();
      rate = rate != null ? rate : r.rate();
      maxInFlight = maxInFlight != null ? maxInFlight : r.maxInFlight();
    }
    Limits limits =
        new Limits(
            window != null ? window : base.window(),
            rate != null ? rate : base.rate(),
            maxInFlight != null ? maxInFlight : base.maxInFlight());
    return new Capacity(limits, blackout, holding, null);
  }

  /**
   * Every instant after {@code instant}, within {@link #DAYS_AHEAD} days, at which a rule may start
   * or stop holding, in order: the instants the wall clock reaches a rule's start or end (both
   * instants when the clock shows that time twice) or midnight, and the zone's offset changes
   * (where the wall clock jumps over a start or end).
   */
  private List<Instant> candidates(Instant instant) {
    TreeSet<LocalTime> times = new TreeSet<>();
    times.add(LocalTime.MIDNIGHT);
    for (ScheduleRule r : rules) {
      times.add(r.from());
      times.add(r.until());
    }
    TreeSet<Instant> out = new TreeSet<>();
    LocalDate first = LocalDate.ofInstant(instant, zone).minusDays(1);
    Instant last = instant.plus(Duration.ofDays(DAYS_AHEAD));
    for (int d = 0; d <= DAYS_AHEAD + 1; d++) {
      LocalDate date = first.plusDays(d);
      for (LocalTime t : times) {
        ZonedDateTime z = ZonedDateTime.ofLocal(date.atTime(t), zone, null);
        out.add(z.withEarlierOffsetAtOverlap().toInstant());
        out.add(z.withLaterOffsetAtOverlap().toInstant());
      }
    }
    ZoneRules zoneRules = zone.getRules();
    for (ZoneOffsetTransition tr = zoneRules.nextTransition(instant);
        tr != null && tr.getInstant().isBefore(last);
        tr = zoneRules.nextTransition(tr.getInstant())) {
      out.add(tr.getInstant());
    }
    return new ArrayList<>(out.subSet(instant, false, last, true));
  }
}
