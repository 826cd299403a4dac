package dev.sluice.service.forecast;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.BacklogArguments;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.forecast.Drain;
import dev.sluice.core.forecast.DrainForecast;
import dev.sluice.core.forecast.ForecastBasis;
import dev.sluice.core.forecast.PermitStarts;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionDue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the release log says about the flow right now, and the forecast made from it: the recent
 * starts the limits still count, the releases of the last minute, and the target's median latency.
 *
 * @param now when it was read
 * @param stats the backlog's counts at {@code now}
 * @param releasedLastMinute releases recorded in the minute before {@code now}
 * @param latency median time the target took to answer the recent releases (zero when none
 *     answered)
 * @param latencySamples how many answers the latency was taken from
 * @param lag how late after the limits allowed it a recent job reached the target (see {@link
 *     #lagUnderWindow}; zero when not known)
 * @param forecast the forecast from these figures and the limits in force
 * @param waitingPermits the permits the waiting events take ({@code stats.waiting()} but under
 *     batches counted as jobs, where each partition's due events make their own batches)
 */
public record FlowReading(
    Instant now,
    BacklogStats stats,
    long releasedLastMinute,
    Duration latency,
    int latencySamples,
    Duration lag,
    DrainForecast forecast,
    long waitingPermits) {

  private static final Duration RATE_SPAN = Duration.ofMinutes(1);
  private static final int LATENCY_SAMPLES = 1_000;
  private static final List<Duration> LATENCY_SPANS =
      List.of(Duration.ofSeconds(10), Duration.ofMinutes(5));

  /** Reads the backlog and its release log at {@code now} under {@code limits}. */
  public static FlowReading of(Backlog backlog, Limits limits, Instant now) {
    return of(backlog, limits, CapacitySchedule.NONE, now);
  }

  /**
   * Reads the backlog and its release log at {@code now} under {@code limits} and the capacity
   * {@code schedule} over them: the forecast follows the schedule's limits and blackouts.
   */
  public static FlowReading of(
      Backlog backlog, Limits limits, CapacitySchedule schedule, Instant now) {
    return of(backlog, limits, schedule, null, now);
  }

  /**
   * Reads the backlog and its release log at {@code now} under {@code limits}, the capacity {@code
   * schedule} over them and the dispatcher's {@code batches} (null: one event per job). Under
   * batches counted as jobs the forecast counts in batches: the recent starts one per batch ({@link
   * PermitStarts}), the jobs in flight and the waiting events K to a permit.
   */
  public static FlowReading of(
      Backlog backlog,
      Limits limits,
      CapacitySchedule schedule,
      BatchPlanner batches,
      Instant now) {
    return of(backlog, limits, schedule, batches, 1, 1, now);
  }

  /**
   * As {@link #of(Backlog, Limits, CapacitySchedule, BatchPlanner, Instant)}, with the window and
   * rate limits in effect scaled as the gate applies them: by the adapted {@code rateFactor}, a
   * scaled window or burst at least {@code scaledAtLeast} ({@code Limits#scaledBy}).
   */
  public static FlowReading of(
      Backlog backlog,
      Limits limits,
      CapacitySchedule schedule,
      BatchPlanner batches,
      double rateFactor,
      int scaledAtLeast,
      Instant now) {
    int eventsPerPermit = ReleaseOrder.eventsPerPermit(batches);
    BacklogStats stats = backlog.stats(now);
    Limits inEffect = schedule.at(now, limits).limits().scaledBy(rateFactor, scaledAtLeast);
    Duration history = schedule.historyNeeded(limits);
    // A release counts from its start at the target; one released up to a window before may
    // have started inside it.
    List<Instant> recentStarts =
        history.isZero()
            ? List.of()
            : PermitStarts.of(backlog.startTimes(now.minus(history), history), eventsPerPermit);
    List<Instant> lastMinute = backlog.startTimes(now.minus(RATE_SPAN), Duration.ZERO);
    Samples samples = recentSamples(backlog, now);
    Duration latency = median(samples.answers());
    Duration lag = lagUnderWindow(inEffect, PermitStarts.of(lastMinute, eventsPerPermit));
    if (lag == null) {
      lag = mean(samples.handovers());
    }
    // Leased events are members of batches in flight: one slot each under jobs counting.
    long inFlight = (stats.leased() + eventsPerPermit - 1) / eventsPerPermit;
    DrainForecast forecast =
        new DrainForecast(
            new ForecastBasis(
                now,
                limits,
                recentStarts,
                inFlight,
                latency,
                lag,
                schedule,
                eventsPerPermit,
                rateFactor,
                scaledAtLeast));
    return new FlowReading(
        now,
        stats,
        lastMinute.size(),
        latency,
        samples.answers().size(),
        lag,
        forecast,
        waitingPermits(backlog, stats, eventsPerPermit, now));
  }

  /** When the waiting events are expected to have started and been answered. */
  public Drain drain() {
    return forecast.drain(stats.waiting(), waitingPermits);
  }

  /**
   * The permits the waiting events take. Under batches counted as jobs a batch holds events of one
   * partition, so a partition with fewer than K due takes one permit for them, a partial batch. The
   * due events are counted by partition up to K only (through the partition index, asked only when
   * batching), so a status read stays cheap on a large backlog: the events of the partitions with K
   * or more are taken as full batches, which may miss one partial batch each.
   */
  private static long waitingPermits(
      Backlog backlog, BacklogStats stats, int eventsPerPermit, Instant now) {
    long waiting = stats.waiting();
    if (eventsPerPermit == 1 || waiting == 0) {
      return waiting;
    }
    long permits = 0;
    long inSmall = 0;
    for (PartitionDue d : backlog.duePartitions(now, eventsPerPermit)) {
      if (d.due() < eventsPerPermit) {
        permits++;
        inSmall += d.due();
      }
    }
    // Due events include expired leases, which waiting does not count: never fewer permits
    // than the waiting events fill.
    long rest = Math.max(0, waiting - inSmall);
    permits += (rest + eventsPerPermit - 1) / eventsPerPermit;
    return Math.max(permits, (waiting + eventsPerPermit - 1) / eventsPerPermit);
  }

  /** How far back releases still hold a window or a bucket: as the gate restores them. */
  static Duration historyNeeded(Limits limits) {
    Duration d = Duration.ZERO;
    if (limits.window() != null) {
      d = limits.window().every();
    }
    if (limits.rate() != null) {
      Duration refill =
          Duration.ofNanos(
              (long) Math.ceil(limits.rate().burst() / limits.rate().perSecond() * 1e9));
      d = refill.compareTo(d) > 0 ? refill : d;
    }
    return d;
  }

  /**
   * Under a sliding window of N per T, the start that took the place of a start N places before it
   * could have come T after it; how much later it came is the lag (the dispatcher's tick, the
   * claim, the handover). The mean over the pairs of recent starts (in time order) that were held
   * by the window: a pair more than a window late was not (the backlog ran dry). Their mean, not
   * their median, because the lags add up from one window to the next. Null when there is no
   * sliding window or no such pair.
   */
  static Duration lagUnderWindow(Limits limits, List<Instant> sortedStarts) {
    Limits.Window w = limits.window();
    if (w == null || w.aligned() || sortedStarts.size() <= w.limit()) {
      return null;
    }
    long every = w.every().toNanos();
    long total = 0;
    long pairs = 0;
    for (int i = 0; i + w.limit() < sortedStarts.size(); i++) {
      long gap = Duration.between(sortedStarts.get(i), sortedStarts.get(i + w.limit())).toNanos();
      long late = gap - every;
      if (late > -every && late < every) {
        total += late;
        pairs++;
      }
    }
    return pairs == 0 ? null : Duration.ofNanos(Math.max(0, total / pairs));
  }

  /** Answer times and handovers of recent releases. */
  private record Samples(List<Duration> answers, List<Duration> handovers) {}

  /**
   * How long the target took on recent releases (from the call's beginning to its answer where the
   * log has both, else from the release to its outcome) and how long they took to reach it (from
   * the release to the call's beginning). The last 10 seconds' first releases, or the last 5
   * minutes' when none was answered in 10 seconds.
   */
  private static Samples recentSamples(Backlog backlog, Instant now) {
    for (Duration span : LATENCY_SPANS) {
      List<Duration> answers = new ArrayList<>();
      List<Duration> handovers = new ArrayList<>();
      for (ReleaseRecord r : backlog.releases(now.minus(span), 0, LATENCY_SAMPLES)) {
        if (r.reachedAt() != null) {
          handovers.add(Duration.between(r.releasedAt(), r.reachedAt()));
        }
        if (r.reachedAt() != null && r.answeredAt() != null) {
          answers.add(Duration.between(r.reachedAt(), r.answeredAt()));
        } else if (r.finishedAt() != null
            && !BacklogArguments.EXPIRED.equals(r.outcome())
            && !BacklogArguments.ABANDONED.equals(r.outcome())) {
          answers.add(Duration.between(r.releasedAt(), r.finishedAt()));
        }
      }
      if (!answers.isEmpty()) {
        return new Samples(answers, handovers);
      }
    }
    return new Samples(List.of(), List.of());
  }

  private static Duration mean(List<Duration> samples) {
    if (samples.isEmpty()) {
      return Duration.ZERO;
    }
    long total = 0;
    for (Duration d : samples) {
      total += Math.max(0, d.toNanos());
    }
    return Duration.ofNanos(total / samples.size());
  }

  private static Duration median(List<Duration> samples) {
    if (samples.isEmpty()) {
      return Duration.ZERO;
    }
    List<Duration> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    Duration m = sorted.get(sorted.size() / 2);
    return m.isNegative() ? Duration.ZERO : m;
  }
}
