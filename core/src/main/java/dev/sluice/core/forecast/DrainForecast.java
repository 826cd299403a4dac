package dev.sluice.core.forecast;

import dev.sluice.core.gate.Admission;
import dev.sluice.core.gate.AlignedWindowLimit;
import dev.sluice.core.gate.Capacity;
import dev.sluice.core.gate.Limit;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.gate.RateLimit;
import dev.sluice.core.gate.WindowLimit;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * When each waiting event is expected to start, and when the backlog will be drained, if releases
 * go on from now at the pace the limits allow.
 *
 * <p>The model: the backlog is taken in claim order (due time, then id), and the event at position
 * p (p events ahead of it) is released at the instant the limits grant their (p+1)-th permit from
 * now, or at its due time if that is later, and starts at the target the measured lag after that.
 * The permits are found by running the gate's own window and rate policies in virtual time, seeded
 * with the recent starts (so a window used by a burst a moment ago is not granted afresh), and
 * counting each job from its start, as the gate does (so under a sliding window the lags add up,
 * one per window); under a max-in-flight limit every job is taken to hold its slot from its release
 * until the target answers, and the jobs in flight now to end at {@code now + latency}. The target
 * is taken to accept every job; throttling, retries, failures, a pause and the one-change- per-key
 * order are not foreseen.
 *
 * <p>Under batches counted as jobs a permit carries up to K events ({@link
 * ForecastBasis#eventsPerPermit}): the event at position p goes with permit floor(p / K), and n
 * waiting events take ceil(n / K) permits. That takes every batch as full; a partition with fewer
 * than K due sends a partial batch, which takes a whole permit: a caller that counts by partition
 * gives the permits ({@link #drain(long, long)}, {@link #startOfPermit}). Counted as objects a
 * permit is an event and the model is the one above; a batch goes whole, once all its members'
 * permits are granted, so an event may start up to K - 1 permits later than its own.
 *
 * <p>Under a capacity schedule ({@link ForecastBasis#schedule}) the simulation applies the
 * schedule's limits from the instant each holds, counting the starts already made as the gate does
 * at a change, and grants nothing during a blackout: a blackout delays the forecast by its length,
 * a night limit changes the pace from its start. A blackout that never ends (every day, all day) is
 * taken as lifted now, as a pause is.
 *
 * <p>The grants are simulated up to {@link #SIMULATED_GRANTS} batches; a position beyond them is
 * extrapolated at the steady pace of the tightest limit in effect where the simulation ended (a
 * schedule's later changes are not foreseen there).
 *
 * <p>A pure function of its {@link ForecastBasis}: no clock, no I/O. Not thread-safe (it extends
 * its simulation as positions are asked for); make one per forecast.
 */
public final class DrainForecast {

  /** Batches of grants simulated before positions are extrapolated. */
  static final int SIMULATED_GRANTS = 100_000;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final ForecastBasis basis;
  private final long nowNanos;
  private final long latencyNanos;
  private final long lagNanos;
  private final long eventsPerPermit;
  private final List<Limit> limits = new ArrayList<>(2);
  private Integer maxInFlight;
  // The schedule's capacity where the simulation is, and when it changes next (epoch nanos).
  private Capacity capacity;
  private long changeAt;
  // Starts before now, in order, for a change of limits to count.
  private final List<Long> pastStarts = new ArrayList<>();
  // Slots held under max-in-flight: (end, count), in end order (every job holds one latency).
  private final Deque<long[]> running = new ArrayDeque<>();
  private long runningCount;
  // Grant batches so far: instant and the count of permits granted up to and including it.
  private final List<long[]> grants = new ArrayList<>();
  private long granted;
  private long at;
  private boolean stuck;

  public DrainForecast(ForecastBasis basis) {
    this.basis = basis;
    this.nowNanos = epochNanos(basis.now());
    this.latencyNanos = basis.latency().toNanos();
    this.lagNanos = basis.lag().toNanos();
    this.eventsPerPermit = basis.eventsPerPermit();
    List<Long> starts = new ArrayList<>(basis.recentStarts().size());
    for (Instant t : basis.recentStarts()) {
      long n = epochNanos(t);
      if (n <= nowNanos) {
        starts.add(n);
      }
    }
    Collections.sort(starts);
    pastStarts.addAll(starts);
    applyCapacity(nowNanos);
    if (basis.inFlight() > 0) {
      hold(nowNanos, basis.inFlight());
    }
    this.at = nowNanos;
  }

  /**
   * Takes the schedule's capacity at {@code nanos}: its limits, seeded with every start they look
   * back over (those before now and those simulated), as the gate is at a change of limits.
   */
  private void applyCapacity(long nanos) {
    capacity = basis.schedule().at(instant(nanos), basis.limits());
    changeAt = capacity.nextChange() == null ? Long.MAX_VALUE : epochNanos(capacity.nextChange());
    Limits l = inForce(capacity.limits());
    limits.clear();
    if (l.window() != null) {
      limits.add(
          l.window().aligned()
              // Aligned windows tick at multiples of their length from the epoch, as the
              // service's gate does.
              ? new AlignedWindowLimit(l.window().limit(), l.window().every(), 0L)
              : new WindowLimit(l.window().limit(), l.window().every()));
    }
    if (l.rate() != null) {
      limits.add(new RateLimit(l.rate()));
    }
    maxInFlight = l.maxInFlight();
    long back = 0;
    for (Limit limit : limits) {
      back = Math.max(back, limit.historyNanos());
    }
    long since = nanos - back;
    for (long t : pastStarts) {
      if (t > since) {
        for (Limit limit : limits) {
          limit.replay(t, 1);
        }
      }
    }
    long before = 0;
    for (long[] g : grants) {
      if (g[0] > since && g[1] != Long.MAX_VALUE) {
        for (Limit limit : limits) {
          limit.replay(g[0], (int) (g[1] - before));
        }
      }
      before = g[1];
    }
  }

  /** The basis this forecast was made from. */
  public ForecastBasis basis() {
    return basis;
  }

  /**
   * When the event with {@code position} events ahead of it in claim order is expected to reach the
   * target: it goes with permit {@code position / eventsPerPermit}.
   */
  public Instant startOf(long position) {
    return startOf(position, null);
  }

  /**
   * When the event with {@code position} events ahead of it, due at {@code dueAt} (null: due now),
   * is expected to reach the target: its turn at the gate, and not before it is due.
   */
  public Instant startOf(long position, Instant dueAt) {
    if (position < 0) {
      throw new IllegalArgumentException("position must be >= 0, got " + position);
    }
    return startOfPermit(position / eventsPerPermit, dueAt);
  }

  /**
   * When the job that goes with the permit {@code permit} (permits granted before it), due at
   * {@code dueAt} (null: due now), is expected to reach the target: for a place already counted in
   * permits, as a fair-share order of batches counts it.
   */
  public Instant startOfPermit(long permit, Instant dueAt) {
    if (permit < 0) {
      throw new IllegalArgumentException("permit must be >= 0, got " + permit);
    }
    long turn = turnOf(permit);
    if (dueAt != null) {
      turn = Math.max(turn, saturatedAdd(epochNanos(dueAt), lagNanos));
    }
    return instant(Math.max(turn, nowNanos + lagNanos));
  }

  /**
   * When {@code waiting} events, all due, are expected to have started and been answered: they take
   * {@code ceil(waiting / eventsPerPermit)} permits.
   */
  public Drain drain(long waiting) {
    return drain(waiting, permitsFor(Math.max(0, waiting)));
  }

  /**
   * When {@code waiting} events, all due, that take {@code permits} permits are expected to have
   * started and been answered: for a count of permits made by partition, where each partition's
   * last batch may be partial and still takes a permit.
   */
  public Drain drain(long waiting, long permits) {
    if (waiting < 0) {
      throw new IllegalArgumentException("waiting must be >= 0, got " + waiting);
    }
    if (permits < 0 || (waiting > 0 && permits == 0)) {
      throw new IllegalArgumentException(
          "permits must be >= 0, and >= 1 when events wait, got " + permits);
    }
    long inFlightEnd = basis.inFlight() > 0 ? nowNanos + latencyNanos : nowNanos;
    if (waiting == 0) {
      return new Drain(0, basis.now(), instant(inFlightEnd));
    }
    long last = turnOf(permits - 1);
    return new Drain(waiting, instant(last), instant(Math.max(inFlightEnd, last + latencyNanos)));
  }

  /** The permits {@code events} events take: whole permits, the last one maybe not full. */
  public long permitsFor(long events) {
    return events / eventsPerPermit + (events % eventsPerPermit == 0 ? 0 : 1);
  }

  /**
   * The pace the tightest limit allows in the long run, in events per second (permits times the
   * events each carries); infinite with none. A sliding window opens once per its length plus the
   * lag; a slot under max-in-flight is held for the lag plus the latency.
   */
  public double steadyPerSecond() {
    return paceOf(inForce(basis.schedule().at(basis.now(), basis.limits()).limits()))
        * eventsPerPermit;
  }

  /** The limits the gate applies under {@code inEffect}: scaled by the adapted rate factor. */
  private Limits inForce(Limits inEffect) {
    return inEffect.scaledBy(basis.rateFactor(), basis.scaledAtLeast());
  }

  private double paceOf(Limits l) {
    double pace = Double.POSITIVE_INFINITY;
    if (l.window() != null) {
      long period = l.window().every().toNanos() + (l.window().aligned() ? 0 : lagNanos);
      pace = Math.min(pace, l.window().limit() / (period / (double) NANOS_PER_SECOND));
    }
    if (l.rate() != null) {
      pace = Math.min(pace, l.rate().perSecond());
    }
    long hold = latencyNanos + lagNanos;
    if (l.maxInFlight() != null && hold > 0) {
      pace = Math.min(pace, l.maxInFlight() / (hold / (double) NANOS_PER_SECOND));
    }
    return pace;
  }

  private long turnOf(long position) {
    while (granted <= position && grants.size() < SIMULATED_GRANTS && !stuck) {
      grantNext();
    }
    if (granted > position) {
      int i = firstBatchCovering(position);
      return grants.get(i)[0];
    }
    // Beyond the simulation: on at the steady pace from the last batch granted.
    long lastAt = grants.isEmpty() ? nowNanos + lagNanos : grants.get(grants.size() - 1)[0];
    double pace = paceOf(inForce(capacity.limits()));
    if (stuck || Double.isInfinite(pace)) {
      return lastAt;
    }
    double beyond = (position - granted + 1) / pace;
    return saturatedAdd(lastAt, (long) Math.ceil(beyond * NANOS_PER_SECOND));
  }

  private int firstBatchCovering(long position) {
    int lo = 0;
    int hi = grants.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (grants.get(mid)[1] > position) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Grants the next batch of permits, at the first instant from {@link #at} that has any. */
  private void grantNext() {
    for (int guard = 0; guard < 1_000_000; guard++) {
      if (at >= changeAt) {
        applyCapacity(at);
      }
      // A blackout that never ends is a pause by another name: forecast, as for a pause, what
      // would happen were it lifted now.
      if (capacity.blackout() && changeAt != Long.MAX_VALUE) {
        at = changeAt;
        continue;
      }
      free(at);
      long permits = Long.MAX_VALUE;
      long retryAt = Long.MIN_VALUE;
      for (Limit limit : limits) {
        Admission a = limit.admission(at);
        permits = Math.min(permits, a.permits());
        if (!a.admits()) {
          retryAt = Math.max(retryAt, a.retryAtNanos());
        }
      }
      if (maxInFlight != null) {
        long free = maxInFlight - runningCount;
        permits = Math.min(permits, Math.max(0, free));
        if (free <= 0) {
          retryAt = Math.max(retryAt, running.isEmpty() ? Long.MAX_VALUE : running.peekFirst()[0]);
        }
      }
      if (permits > 0) {
        long start = saturatedAdd(at, lagNanos);
        if (permits == Long.MAX_VALUE) {
          // No limit bounds this instant: everything left starts now.
          grants.add(new long[] {start, Long.MAX_VALUE});
          granted = Long.MAX_VALUE;
          return;
        }
        for (Limit limit : limits) {
          limit.onRelease(start, (int) permits);
        }
        if (maxInFlight != null) {
          hold(start, permits);
        }
        granted = saturatedAdd(granted, permits);
        grants.add(new long[] {start, granted});
        if (maxInFlight != null && latencyNanos == 0) {
          // Slots freed at the same instant would grant forever at one instant.
          at = saturatedAdd(at, 1);
        }
        return;
      }
      // A change of the schedule before the limits free a permit may free one sooner.
      retryAt = Math.min(retryAt, changeAt);
      if (retryAt == Long.MAX_VALUE || retryAt <= at) {
        stuck = true;
        return;
      }
      at = retryAt;
    }
    stuck = true;
  }

  private void hold(long startNanos, long count) {
    running.addLast(new long[] {saturatedAdd(startNanos, latencyNanos), count});
    runningCount += count;
  }

  private void free(long nanos) {
    while (!running.isEmpty() && running.peekFirst()[0] <= nanos) {
      runningCount -= running.pollFirst()[1];
    }
  }

  private static long epochNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS_PER_SECOND), t.getNano());
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
