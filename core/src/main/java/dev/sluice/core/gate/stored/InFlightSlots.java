package dev.sluice.core.gate.stored;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The stored state of a max-in-flight limit: the jobs holding a slot, by name, each with when it
 * took its slot. Named, so a completion frees its own slot exactly once (freeing a name that holds
 * none changes nothing), and timed, so a slot whose holder vanished (its completion was lost) can
 * expire. Times are kept to the millisecond, as stores keep them.
 *
 * @param holders job name to the instant its slot was taken
 */
public record InFlightSlots(Map<String, Instant> holders) {

  /** No job holds a slot. */
  public static final InFlightSlots NONE = new InFlightSlots(Map.of());

  public InFlightSlots {
    TreeMap<String, Instant> copy = new TreeMap<>();
    holders.forEach(
        (name, at) ->
            copy.put(
                Objects.requireNonNull(name, "job name"),
                Objects.requireNonNull(at, "slot time of " + name).truncatedTo(ChronoUnit.MILLIS)));
    holders = Collections.unmodifiableMap(copy);
  }

  /** Slots held. */
  public int size() {
    return holders.size();
  }

  public boolean holds(String job) {
    return holders.containsKey(job);
  }

  /**
   * With {@code jobs} holding slots taken at {@code at}; a job already holding one keeps a single
   * slot, taken again at {@code at}.
   */
  public InFlightSlots taken(Collection<String> jobs, Instant at) {
    TreeMap<String, Instant> next = new TreeMap<>(holders);
    for (String job : jobs) {
      next.put(job, at);
    }
    return new InFlightSlots(next);
  }

  /** Without the slots of {@code jobs}; names holding none are ignored. */
  public InFlightSlots freed(Collection<String> jobs) {
    TreeMap<String, Instant> next = new TreeMap<>(holders);
    next.keySet().removeAll(jobs);
    return next.size() == holders.size() ? this : new InFlightSlots(next);
  }

  /**
   * Without the slots taken {@code expiry} or longer before {@code now}: their holders are taken to
   * have vanished.
   */
  public InFlightSlots live(Instant now, Duration expiry) {
    Instant cutoff = now.minus(expiry);
    TreeMap<String, Instant> next = new TreeMap<>(holders);
    next.values().removeIf(at -> !at.isAfter(cutoff));
    return next.size() == holders.size() ? this : new InFlightSlots(next);
  }
}
