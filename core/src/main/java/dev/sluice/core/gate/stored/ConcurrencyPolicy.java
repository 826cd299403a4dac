package dev.sluice.core.gate.stored;

import dev.sluice.core.gate.ConcurrencyLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * At most {@code maxInFlight} jobs holding a slot, decided by {@link ConcurrencyLimit} on the live
 * slots of an {@link InFlightSlots} state under one key, {@value #KEY}. A slot held for {@code
 * slotExpiry} is dropped: its completion was lost, and without expiry the limit would shrink for
 * good. Set the expiry above the longest a job can run.
 */
public final class ConcurrencyPolicy implements StoredPolicy<InFlightSlots> {

  /** The one key of the in-flight state. */
  public static final String KEY = "inflight";

  private final int maxInFlight;
  private final Duration slotExpiry;

  /**
   * @param maxInFlight slots, >= 1
   * @param slotExpiry how long a slot is held at most, > 0
   */
  public ConcurrencyPolicy(int maxInFlight, Duration slotExpiry) {
    new ConcurrencyLimit(maxInFlight); // validates with the in-memory limit's message
    Objects.requireNonNull(slotExpiry, "slotExpiry");
    if (slotExpiry.isZero() || slotExpiry.isNegative()) {
      throw new IllegalArgumentException(
          "concurrency.slot-expiry must be a positive duration, got " + slotExpiry);
    }
    this.maxInFlight = maxInFlight;
    this.slotExpiry = slotExpiry;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  public Duration slotExpiry() {
    return slotExpiry;
  }

  @Override
  public String key(Instant now) {
    return KEY;
  }

  @Override
  public int permits(InFlightSlots state, Instant now) {
    InFlightSlots live = state.live(now, slotExpiry);
    return new ConcurrencyLimit(maxInFlight, live.size()).admission(EpochNanos.of(now)).permits();
  }

  /** The live slots with {@code jobs} added; expired slots are dropped on the way. */
  @Override
  public InFlightSlots take(InFlightSlots state, Instant now, List<String> jobs) {
    InFlightSlots live = state.live(now, slotExpiry);
    InFlightSlots next = live.taken(jobs, now);
    ConcurrencyLimit check = new ConcurrencyLimit(maxInFlight, live.size());
    check.onRelease(EpochNanos.of(now), next.size() - live.size());
    if (check.inFlight() > maxInFlight) {
      throw new IllegalStateException(
          "took " + jobs.size() + " slots with " + live.size() + " of " + maxInFlight + " held");
    }
    return next;
  }

  @Override
  public InFlightSlots giveBack(InFlightSlots state, Instant now, List<String> jobs) {
    return state.freed(jobs);
  }

  /** Jobs holding a live slot at {@code now}. */
  public int inFlight(InFlightSlots state, Instant now) {
    return state.live(now, slotExpiry).size();
  }
}
