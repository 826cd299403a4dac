package dev.sluice.core.gate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The admission policy the dispatcher asks: how many jobs may start now, under all the limits set
 * at once. The tightest limit wins; when any limit is at zero, the answer is zero and the time to
 * ask again is the latest of the blocked limits' times (only then can all of them admit).
 *
 * <p>Window and rate limits are kept where the target sees the jobs: a job counts from the instant
 * it reached the target ({@link #onStart}), and from its release until then it counts at every
 * instant the gate is asked. A release decided at once for a whole window but handed over over some
 * milliseconds therefore never lets the next window's jobs crowd into the same interval at the
 * target.
 *
 * <p>Thread-safe. Times are monotonic nanoseconds given by the caller; a time earlier than one seen
 * before is taken as the latest seen, so callers racing on a clock reading cannot slip a release
 * into a window that a later reading already closed. The one exception is the start of a reserved
 * job ({@link #onStart}): its reservation already held its place, and a sliding window counts it
 * from the instant it was measured.
 *
 * <p>The gate keeps the releases of the last {@link #historyNeeded()}, so that a change of limits
 * counts them: lowering or raising a window keeps the releases already in it. After a restart,
 * {@link #restore} seeds the same history from the release log. History older than the limits in
 * force needed is not kept; a limit that needs more (a longer window set at runtime) counts only
 * what is kept, unless {@link #restore} is given the older releases.
 */
public final class Gate {

  private final long alignedAnchorNanos;
  private Limits limits;

  /** The adapted share of the window and rate limits ({@link #setRateFactor}); 1 = as set. */
  private double rateFactor = 1;

  /** The least a scaled window or burst allows: a whole batch's permits. */
  private int scaledAtLeast = 1;

  private Limit window;
  private RateLimit rate;
  private ConcurrencyLimit concurrency;
  private int inFlight;
  private long notYetStarted;
  private ReleaseHistory history = new ReleaseHistory();
  private long latestNanos;
  private boolean seenTime;
  private long historyFloorNanos;

  /** The adapted ceiling on jobs at the target ({@link #setAdaptiveLimit}); MAX_VALUE if none. */
  private int adaptiveMaxInFlight = NO_ADAPTIVE_LIMIT;

  private static final int NO_ADAPTIVE_LIMIT = Integer.MAX_VALUE;

  /** Jobs in flight the target has answered whose outcomes are not yet settled. */
  private int answeredNotSettled;

  /** A gate whose aligned windows tick at multiples of their length from monotonic time 0. */
  public Gate(Limits limits) {
    this(limits, 0L);
  }

  /**
   * A gate whose aligned windows tick at {@code alignedAnchorNanos + k * every} (for example the
   * monotonic reading of a wall-clock minute, to tick on the minute).
   */
  public Gate(Limits limits, long alignedAnchorNanos) {
    this.alignedAnchorNanos = alignedAnchorNanos;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.window = newWindow(limits.window());
    this.rate = newRate(limits.rate());
    this.concurrency = newConcurrency(limits.maxInFlight());
  }

  /**
   * How many jobs may start at {@code nowNanos}: the fewest any limit allows ({@link
   * Integer#MAX_VALUE} with no limits), or zero and when to ask again ({@link
   * Admission#ON_COMPLETION} if only a completion can free a slot).
   */
  public synchronized Admission admission(long nowNanos) {
    long now = observe(nowNanos);
    int permits = Integer.MAX_VALUE;
    long retryAt = Long.MIN_VALUE;
    for (Limit limit : active()) {
      Admission a = limit.admission(now, notYetStarted);
      permits = Math.min(permits, a.permits());
      if (!a.admits()) {
        retryAt = Math.max(retryAt, a.retryAtNanos());
      }
    }
    if (adaptiveMaxInFlight != NO_ADAPTIVE_LIMIT) {
      int free = adaptiveMaxInFlight - atTarget();
      permits = Math.min(permits, Math.max(0, free));
      if (free <= 0) {
        retryAt = Admission.ON_COMPLETION;
      }
    }
    return permits > 0 ? Admission.admit(permits) : Admission.waitUntil(retryAt);
  }

  /**
   * Reserves up to {@code max} permits until {@code horizonNanos}: the permits free now, then those
   * that free before the horizon (a start leaving a window, a token refilling) at the instants they
   * free. Each grant is reserved as by {@link #reserve}; its jobs must not reach the target before
   * its instant, and the gate's time moves to it, so a later call never grants an earlier instant
   * and the release log stays in time order. Lets a dispatcher claim the jobs of a window that
   * opens in a few milliseconds before it opens, so they start the instant it does. Returns the
   * grants in time order; none if nothing frees by the horizon. Give back what goes unused with
   * {@link #cancel}. With the horizon at now, or with a max-in-flight limit set, grants only what
   * is free now, at now.
   */
  public synchronized List<Grant> reserveAhead(long nowNanos, long horizonNanos, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("max must be >= 0, got " + max);
    }
    List<Grant> grants = new ArrayList<>();
    long now = observe(nowNanos);
    if (concurrency != null) {
      // A job granted ahead holds its in-flight slot while it waits for its instant: under a
      // max-in-flight limit, claim only what is free now.
      horizonNanos = now;
    }
    long at = now;
    int left = max;
    while (left > 0) {
      Admission a = admission(at);
      if (a.admits()) {
        int n = Math.min(left, a.permits());
        reserve(at, n);
        grants.add(new Grant(at, n));
        left -= n;
      } else if (a.retryAtNanos() != Admission.ON_COMPLETION
          && a.retryAtNanos() > at
          && a.retryAtNanos() <= horizonNanos) {
        at = a.retryAtNanos();
      } else {
        break;
      }
    }
    return grants;
  }

  /**
   * Gives back {@code count} reserved jobs that were never released (the backlog had fewer due
   * events than the gate granted): no longer in flight, no longer counted.
   *
   * @throws IllegalStateException if fewer than {@code count} are reserved and not started
   */
  public synchronized void cancel(int count) {
    takeNotYetStarted("cancel", count);
    inFlight -= count;
    if (concurrency != null) {
      concurrency.onCompletion(latestNanos, count);
    }
  }

  /**
   * Takes up to {@code wanted} permits at once: the admission and the release in one step, so that
   * two callers cannot both spend the same permits. The permits returned are recorded as released
   * and in flight.
   */
  public synchronized Admission acquire(long nowNanos, int wanted) {
    if (wanted < 1) {
      throw new IllegalArgumentException("wanted must be >= 1, got " + wanted);
    }
    Admission a = admission(nowNanos);
    if (!a.admits()) {
      return a;
    }
    int granted = Math.min(wanted, a.permits());
    onRelease(nowNanos, granted);
    return Admission.admit(granted);
  }

  /**
   * Records that {@code count} jobs were released at {@code nowNanos} and reached the target at
   * once; they are now in flight. {@link #reserve} and {@link #onStart} are the same in two steps.
   */
  public synchronized void onRelease(long nowNanos, int count) {
    reserve(nowNanos, count);
    // Decided and started at one instant: a caller whose clock reading is older than one the gate
    // has seen counts at the latest time seen, so it cannot slip into a window already closed.
    onStart(observe(nowNanos), count);
  }

  /**
   * Records that {@code count} jobs were released at {@code nowNanos} and are on their way to the
   * target: they are in flight, and until {@link #onStart} reports them they count against window
   * and rate limits as if they reached the target at every instant the gate is asked. So the limits
   * hold where the target sees the jobs, however late a job is handed over.
   */
  public synchronized void reserve(long nowNanos, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    long now = observe(nowNanos);
    if (concurrency != null) {
      concurrency.onRelease(now, count);
    }
    inFlight = Math.addExact(inFlight, count);
    notYetStarted += count;
  }

  /**
   * Records that {@code count} reserved jobs reached the target at {@code startNanos}: window and
   * rate limits count them from then on.
   *
   * @throws IllegalStateException if fewer than {@code count} jobs are reserved and not started
   */
  public synchronized void onStart(long startNanos, int count) {
    takeNotYetStarted("start", count);
    long now = observe(startNanos);
    // A sliding window and the history take a start reported late at its own time: workers report
    // from many threads, and counting each at the latest time seen would hold it in the window
    // longer than it is. An aligned window and a bucket count it at the latest time seen.
    if (window instanceof WindowLimit sliding) {
      sliding.onRelease(startNanos, count);
    } else if (window != null) {
      window.onRelease(now, count);
    }
    if (rate != null) {
      rate.onRelease(now, count);
    }
    history.add(startNanos, count);
    forgetHistory(now);
  }

  /**
   * Records that {@code count} jobs in flight finished, whatever their outcome.
   *
   * @throws IllegalStateException if fewer than {@code count} are in flight (a job completed twice)
   */
  public synchronized void onCompletion(long nowNanos, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    if (count > inFlight) {
      throw new IllegalStateException(
          "completion of " + count + " jobs but only " + inFlight + " in flight");
    }
    long now = observe(nowNanos);
    for (Limit limit : active()) {
      limit.onCompletion(now, count);
    }
    inFlight -= count;
  }

  /**
   * Changes the limits at once (an operator's change, or a capacity schedule's at its boundary).
   * Jobs in flight stay in flight and releases already made still count: a new window holds the
   * releases made in its length before now, so a change never grants a fresh window or a full
   * bucket. A limit whose settings did not change keeps its state as is.
   */
  public synchronized void setLimits(Limits newLimits, long nowNanos) {
    Objects.requireNonNull(newLimits, "limits");
    long now = observe(nowNanos);
    Limits before = limitsInForce();
    limits = newLimits;
    applyInForce(before, now, false);
    concurrency = newConcurrency(newLimits.maxInFlight());
  }

  /**
   * Scales the window and rate limits in effect by {@code factor}, the share of them the target
   * takes (see {@link AdaptiveRate}); a later {@link #setLimits} (a schedule's boundary) keeps it.
   * A scaled window or burst allows at least {@code atLeast} (the permits of a whole batch). As
   * with {@link #setLimits}, the releases already made still count.
   *
   * @throws IllegalArgumentException if {@code factor} is not in (0, 1] or {@code atLeast} below 1
   */
  public synchronized void setRateFactor(double factor, int atLeast, long nowNanos) {
    if (!(factor > 0 && factor <= 1)) {
      throw new IllegalArgumentException("rate factor must be > 0 and <= 1, got " + factor);
    }
    if (atLeast < 1) {
      throw new IllegalArgumentException("atLeast must be >= 1, got " + atLeast);
    }
    long now = observe(nowNanos);
    Limits before = limitsInForce();
    rateFactor = factor;
    scaledAtLeast = atLeast;
    applyInForce(before, now, true);
  }

  /** The adapted share of the window and rate limits; 1 when they are applied as set. */
  public synchronized double rateFactor() {
    return rateFactor;
  }

  /**
   * The limits admission applies: those in effect ({@link #limits()}) with the window and rate
   * scaled by {@link #rateFactor()}.
   */
  public synchronized Limits limitsInForce() {
    return limits.scaledBy(rateFactor, scaledAtLeast);
  }

  /** Jobs counted as started in the {@code periodNanos} before {@code nowNanos} (as kept). */
  public synchronized long startsWithin(long periodNanos, long nowNanos) {
    return history.countSince(nowNanos - periodNanos);
  }

  /**
   * Rebuilds the window and rate whose settings in force changed from {@code before}. With {@code
   * keepTokens} (the adapted factor moved, often, under steady releases) a bucket keeps the tokens
   * it holds instead of being rebuilt from its history, which would refill it.
   */
  private void applyInForce(Limits before, long now, boolean keepTokens) {
    Limits after = limitsInForce();
    forgetHistory(now);
    if (!Objects.equals(before.window(), after.window())) {
      window = rebuilt(newWindow(after.window()));
    }
    if (!Objects.equals(before.rate(), after.rate())) {
      rate =
          keepTokens && rate != null && after.rate() != null
              ? rate.resizedTo(after.rate(), now)
              : rebuilt(newRate(after.rate()));
    }
    forgetHistory(now);
  }

  /**
   * Seeds the gate after a restart with the release times from the release log (monotonic nanos, in
   * any order; the ones older than {@link #historyNeeded()} may be left out). Window and rate
   * limits count them; they are not in flight. Call once, before the first release: a release given
   * here and also recorded by {@link #onRelease} counts twice.
   */
  public synchronized void restore(List<Long> pastReleaseNanos) {
    List<ReleaseHistory.Batch> all = new ArrayList<>(history.batches());
    for (Long nanos : pastReleaseNanos) {
      all.add(new ReleaseHistory.Batch(Objects.requireNonNull(nanos, "release time"), 1));
    }
    history = ReleaseHistory.of(all);
    window = rebuilt(newWindow(limitsInForce().window()));
    rate = rebuilt(newRate(limitsInForce().rate()));
    if (seenTime) {
      forgetHistory(latestNanos);
    }
  }

  /**
   * Starts the gate's counts over from the release log, for a node that takes the gate over from
   * another (several nodes on one store): the history becomes {@code pastStartNanos} (the starts
   * the log knows, monotonic nanos in any order), and {@code heldInFlight} jobs released by the
   * previous holder are in flight, {@code heldNotStarted} of them not yet known to have reached the
   * target (they count at every instant the gate is asked, as a reserved job does). Jobs this gate
   * already counts in flight stay in flight. The caller reports the held jobs' starts ({@link
   * #onStart}) and ends ({@link #onCompletion}) as it learns of them.
   *
   * @throws IllegalArgumentException if a count is negative or more are not started than in flight
   */
  public synchronized void takeOver(
      List<Long> pastStartNanos, int heldInFlight, int heldNotStarted) {
    if (heldInFlight < 0 || heldNotStarted < 0 || heldNotStarted > heldInFlight) {
      throw new IllegalArgumentException(
          "held jobs: "
              + heldInFlight
              + " in flight, "
              + heldNotStarted
              + " not started; need 0 <= not started <= in flight");
    }
    List<ReleaseHistory.Batch> all = new ArrayList<>();
    for (Long nanos : pastStartNanos) {
      all.add(new ReleaseHistory.Batch(Objects.requireNonNull(nanos, "start time"), 1));
    }
    history = ReleaseHistory.of(all);
    window = rebuilt(newWindow(limitsInForce().window()));
    rate = rebuilt(newRate(limitsInForce().rate()));
    if (seenTime) {
      forgetHistory(latestNanos);
    }
    if (heldInFlight > 0) {
      if (concurrency != null) {
        concurrency.onRelease(latestNanos, heldInFlight);
      }
      inFlight = Math.addExact(inFlight, heldInFlight);
      notYetStarted += heldNotStarted;
    }
  }

  /**
   * How far back {@link #restore} needs releases: the window length, or the time a rate takes to
   * refill from empty to full, or what {@link #keepHistoryFor} asked, whichever is longest; zero
   * with none.
   */
  public synchronized Duration historyNeeded() {
    return Duration.ofNanos(historyNanos());
  }

  /**
   * Keeps at least {@code history} of releases whatever the limits in force need, so that limits
   * set later (a capacity schedule's night window, longer than the day's) count every release in
   * their length. Not below what the limits in force need.
   */
  public synchronized void keepHistoryFor(Duration history) {
    if (history.isNegative()) {
      throw new IllegalArgumentException("history must be >= 0, got " + history);
    }
    historyFloorNanos = history.toNanos();
  }

  /** How far back {@code limits} look: what {@link #historyNeeded()} is with them in force. */
  public static Duration historyNeededBy(Limits limits) {
    return new Gate(limits).historyNeeded();
  }

  public synchronized Limits limits() {
    return limits;
  }

  /**
   * Sets a ceiling on jobs at the target ({@link #atTarget}) that admission respects besides the
   * configured limits: the concurrency learned from the target (see {@link AdaptiveConcurrency}).
   * It counts what the target sees, so a job whose answer waits to be committed does not hold the
   * target's capacity. Jobs already in flight stay in flight; lowering it below them only holds new
   * releases back until enough are answered.
   *
   * @throws IllegalArgumentException if {@code maxInFlight} is below 1
   */
  public synchronized void setAdaptiveLimit(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("adaptive limit must be >= 1, got " + maxInFlight);
    }
    adaptiveMaxInFlight = maxInFlight;
  }

  /**
   * Records that the target answered {@code count} jobs in flight: until their outcomes are settled
   * ({@link #onAnswersSettled}, before {@link #onCompletion}) they keep their slots under
   * max-in-flight, but are no longer at the target, which is what the adapted limit counts.
   */
  public synchronized void onAnswered(int count) {
    if (count < 1 || count > atTarget()) {
      throw new IllegalArgumentException(
          "answered " + count + " jobs but " + atTarget() + " are at the target");
    }
    answeredNotSettled += count;
  }

  /**
   * Records that the outcomes of {@code count} answered jobs are settled; call before their {@link
   * #onCompletion}.
   *
   * @throws IllegalStateException if fewer than {@code count} answered jobs wait to be settled
   */
  public synchronized void onAnswersSettled(int count) {
    if (count < 1 || count > answeredNotSettled) {
      throw new IllegalStateException(
          "settled " + count + " answers but " + answeredNotSettled + " wait to be settled");
    }
    answeredNotSettled -= count;
  }

  /**
   * Jobs in flight the target has not answered yet: on their way, in a call, or started work not
   * ended. What the adapted limit ({@link #setAdaptiveLimit}) holds down.
   */
  public synchronized int atTarget() {
    return inFlight - answeredNotSettled;
  }

  /** Removes the adapted ceiling: only the configured limits hold. */
  public synchronized void clearAdaptiveLimit() {
    adaptiveMaxInFlight = NO_ADAPTIVE_LIMIT;
  }

  /** The adapted ceiling on jobs in flight, if one is set. */
  public synchronized java.util.OptionalInt adaptiveLimit() {
    return adaptiveMaxInFlight == NO_ADAPTIVE_LIMIT
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(adaptiveMaxInFlight);
  }

  /** Jobs released and not yet reported started by {@link #onStart}. */
  public synchronized long notYetStarted() {
    return notYetStarted;
  }

  /** Jobs released and not yet completed. */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Releases held in the history; lets tests see that it stays bounded. */
  synchronized long releasesRemembered() {
    return history.total();
  }

  /** Takes {@code count} jobs off those released and not yet started, or refuses if too few. */
  private void takeNotYetStarted(String action, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    if (count > notYetStarted) {
      throw new IllegalStateException(
          action
              + " of "
              + count
              + " jobs but only "
              + notYetStarted
              + " released and not started");
    }
    notYetStarted -= count;
  }

  private long observe(long nowNanos) {
    if (!seenTime || nowNanos > latestNanos) {
      latestNanos = nowNanos;
      seenTime = true;
    }
    return latestNanos;
  }

  private long historyNanos() {
    long nanos = historyFloorNanos;
    for (Limit limit : active()) {
      nanos = Math.max(nanos, limit.historyNanos());
    }
    return nanos;
  }

  private void forgetHistory(long now) {
    history.forgetOlderThan(now, historyNanos());
  }

  private <L extends Limit> L rebuilt(L limit) {
    if (limit != null) {
      history.replayInto(limit);
    }
    return limit;
  }

  private List<Limit> active() {
    List<Limit> active = new ArrayList<>(3);
    if (window != null) {
      active.add(window);
    }
    if (rate != null) {
      active.add(rate);
    }
    if (concurrency != null) {
      active.add(concurrency);
    }
    return active;
  }

  private Limit newWindow(Limits.Window w) {
    if (w == null) {
      return null;
    }
    return w.aligned()
        ? new AlignedWindowLimit(w.limit(), w.every(), alignedAnchorNanos)
        : new WindowLimit(w.limit(), w.every());
  }

  private static RateLimit newRate(Limits.Rate r) {
    return r == null ? null : new RateLimit(r);
  }

  private ConcurrencyLimit newConcurrency(Integer max) {
    return max == null ? null : new ConcurrencyLimit(max, inFlight);
  }
}
