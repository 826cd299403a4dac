package dev.sluice.core.forecast;

import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a forecast starts from: the limits in force, what the limits have already used, the jobs
 * still running and how long the target takes. Validated at construction.
 *
 * @param now the instant the forecast is made
 * @param limits the limits in force: the base limits the schedule's rules override
 * @param recentStarts when the permits of recent releases started at the target (as {@code
 *     Backlog.startTimes} gives them, one per job; under batches counted as jobs, one per batch): a
 *     window or a bucket already spent by them is not granted afresh. Any order; those older than
 *     the limits look back are ignored.
 * @param inFlight permits released and not finished (jobs; under batches counted as jobs, batches);
 *     under a max-in-flight limit they hold their slots until {@code now + latency}
 * @param latency how long the target takes to answer a job (a mean or median of recent answers);
 *     zero when not known. It bounds throughput under a max-in-flight limit M to M per latency.
 * @param lag how late after the limits allow it a job reaches the target: the time the dispatcher
 *     takes to claim it and hand it over (measured from the release log); zero when not known.
 *     Limits count a job from its start, so under a sliding window each window opens this much
 *     later than the last one alone would: over many windows the lags add up.
 * @param schedule the capacity schedule over {@code limits}: its limits hold from their start, and
 *     nothing is released during a blackout ({@link CapacitySchedule#NONE}: the limits always)
 * @param eventsPerPermit how many events one permit of the limits carries: {@code batch.max} when
 *     batches are counted as jobs (a batch of up to K events takes one permit), else 1 (a job of
 *     one event, or batches counted as objects, where a batch of K takes K permits). Positions and
 *     waiting counts, given in events, are turned into permits with it.
 * @param rateFactor the adapted share of the window and rate limits in effect ({@code
 *     Gate#rateFactor}, 1 when they are not adapted): the forecast releases under the limits the
 *     gate applies, and takes the factor as holding on
 * @param scaledAtLeast the least a scaled window or burst allows (a whole batch's permits; 1)
 */
public record ForecastBasis(
    Instant now,
    Limits limits,
    List<Instant> recentStarts,
    long inFlight,
    Duration latency,
    Duration lag,
    CapacitySchedule schedule,
    int eventsPerPermit,
    double rateFactor,
    int scaledAtLeast) {

  /** A basis under the limits as set: no adapted rate. */
  public ForecastBasis(
      Instant now,
      Limits limits,
      List<Instant> recentStarts,
      long inFlight,
      Duration latency,
      Duration lag,
      CapacitySchedule schedule,
      int eventsPerPermit) {
    this(now, limits, recentStarts, inFlight, latency, lag, schedule, eventsPerPermit, 1, 1);
  }

  /** A basis where every permit carries one event. */
  public ForecastBasis(
      Instant now,
      Limits limits,
      List<Instant> recentStarts,
      long inFlight,
      Duration latency,
      Duration lag,
      CapacitySchedule schedule) {
    this(now, limits, recentStarts, inFlight, latency, lag, schedule, 1);
  }

  /** A basis without a capacity schedule. */
  public ForecastBasis(
      Instant now,
      Limits limits,
      List<Instant> recentStarts,
      long inFlight,
      Duration latency,
      Duration lag) {
    this(now, limits, recentStarts, inFlight, latency, lag, CapacitySchedule.NONE);
  }

  /** A basis with jobs that reach the target the instant the limits allow them. */
  public ForecastBasis(
      Instant now, Limits limits, List<Instant> recentStarts, long inFlight, Duration latency) {
    this(now, limits, recentStarts, inFlight, latency, Duration.ZERO, CapacitySchedule.NONE);
  }

  public ForecastBasis {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(limits, "limits");
    recentStarts = List.copyOf(Objects.requireNonNull(recentStarts, "recentStarts"));
    Objects.requireNonNull(latency, "latency");
    if (inFlight < 0) {
      throw new IllegalArgumentException("inFlight must be >= 0, got " + inFlight);
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0, got " + latency);
    }
    Objects.requireNonNull(lag, "lag");
    if (lag.isNegative()) {
      throw new IllegalArgumentException("lag must be >= 0, got " + lag);
    }
    Objects.requireNonNull(schedule, "schedule");
    if (eventsPerPermit < 1) {
      throw new IllegalArgumentException("eventsPerPermit must be >= 1, got " + eventsPerPermit);
    }
    if (!(rateFactor > 0 && rateFactor <= 1)) {
      throw new IllegalArgumentException("rateFactor must be > 0 and <= 1, got " + rateFactor);
    }
    if (scaledAtLeast < 1) {
      throw new IllegalArgumentException("scaledAtLeast must be >= 1, got " + scaledAtLeast);
    }
  }
}
