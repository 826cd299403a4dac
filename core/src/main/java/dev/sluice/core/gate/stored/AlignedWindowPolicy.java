package dev.sluice.core.gate.stored;

import dev.sluice.core.gate.AlignedWindowLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Up to {@code limit} releases per tick of a fixed schedule, ticks at whole multiples of {@code
 * every} since the epoch, decided by {@link AlignedWindowLimit}. Each tick's count is its own key,
 * {@code tick#<epoch second of the tick's start>}, so a new tick starts from an absent key and two
 * processes deciding for the same tick contend on one item.
 */
public final class AlignedWindowPolicy implements StoredPolicy<TickUsage> {

  /** Keys of tick states start with this, then the epoch second of the tick's start. */
  public static final String KEY_PREFIX = "tick#";

  private final int limit;
  private final Duration every;
  private final AlignedWindowLimit clockless;

  /**
   * @param limit releases per tick, > 0
   * @param every the tick period, a positive whole number of seconds
   */
  public AlignedWindowPolicy(int limit, Duration every) {
    // Validates limit and every with the in-memory limit's messages.
    this.clockless = new AlignedWindowLimit(limit, every, 0);
    if (every.getNano() != 0) {
      throw new IllegalArgumentException(
          "window.every must be a whole number of seconds (ticks are keyed by second), got "
              + every);
    }
    this.limit = limit;
    this.every = every;
  }

  public int limit() {
    return limit;
  }

  public Duration every() {
    return every;
  }

  /** The start of the tick that holds {@code now}. */
  public Instant tickStart(Instant now) {
    long nanos = EpochNanos.of(now);
    return EpochNanos.toInstant(clockless.periodStartNanos(clockless.periodOf(nanos)));
  }

  @Override
  public String key(Instant now) {
    return KEY_PREFIX + tickStart(now).getEpochSecond();
  }

  @Override
  public int permits(TickUsage state, Instant now) {
    return limitAt(state, now).admission(EpochNanos.of(now)).permits();
  }

  @Override
  public TickUsage take(TickUsage state, Instant now, List<String> jobs) {
    if (jobs.isEmpty()) {
      return state;
    }
    AlignedWindowLimit l = limitAt(state, now);
    l.onRelease(EpochNanos.of(now), jobs.size());
    return new TickUsage(l.state().used());
  }

  @Override
  public TickUsage giveBack(TickUsage state, Instant now, List<String> jobs) {
    return new TickUsage(Math.max(0, state.used() - jobs.size()));
  }

  private AlignedWindowLimit limitAt(TickUsage state, Instant now) {
    long period = clockless.periodOf(EpochNanos.of(now));
    return AlignedWindowLimit.restored(
        limit, every, 0, new AlignedWindowLimit.State(period, state.used()));
  }
}
