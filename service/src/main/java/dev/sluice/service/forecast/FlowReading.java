package dev.sluice.service.forecast;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.BacklogArguments;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.forecast.DrainForecast;
import dev.sluice.core.forecast.ForecastBasis;
import dev.sluice.core.gate.Limits;
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
 * @param forecast the forecast from these figures and the limits in force
 */
public record FlowReading(
    Instant now,
    BacklogStats stats,
    long releasedLastMinute,
    Duration latency,
    int latencySamples,
    DrainForecast forecast) {

  private static final Duration RATE_SPAN = Duration.ofMinutes(1);
  private static final int LATENCY_SAMPLES = 1_000;
  private static final List<Duration> LATENCY_SPANS =
      List.of(Duration.ofSeconds(10), Duration.ofMinutes(5));

  /** Reads the backlog and its release log at {@code now} under {@code limits}. */
  public static FlowReading of(Backlog backlog, Limits limits, Instant now) {
    BacklogStats stats = backlog.stats(now);
    Duration history = historyNeeded(limits);
    // A release counts from its start at the target; one released up to a window before may
    // have started inside it.
    List<Instant> recentStarts =
        history.isZero() ? List.of() : backlog.startTimes(now.minus(history), history);
    long lastMinute = backlog.startTimes(now.minus(RATE_SPAN), Duration.ZERO).size();
    List<Duration> answers = recentAnswers(backlog, now);
    Duration latency = median(answers);
    DrainForecast forecast =
        new DrainForecast(new ForecastBasis(now, limits, recentStarts, stats.leased(), latency));
    return new FlowReading(now, stats, lastMinute, latency, answers.size(), forecast);
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
   * How long the target took on recent releases: from the call's beginning to its answer where the
   * log has both, else from the release to its outcome. The last 10 seconds' first answers, or the
   * last 5 minutes' when none came in 10 seconds.
   */
  private static List<Duration> recentAnswers(Backlog backlog, Instant now) {
    for (Duration span : LATENCY_SPANS) {
      List<Duration> answers = new ArrayList<>();
      for (ReleaseRecord r : backlog.releases(now.minus(span), 0, LATENCY_SAMPLES)) {
        if (r.reachedAt() != null && r.answeredAt() != null) {
          answers.add(Duration.between(r.reachedAt(), r.answeredAt()));
        } else if (r.finishedAt() != null
            && !BacklogArguments.EXPIRED.equals(r.outcome())
            && !BacklogArguments.ABANDONED.equals(r.outcome())) {
          answers.add(Duration.between(r.releasedAt(), r.finishedAt()));
        }
      }
      if (!answers.isEmpty()) {
        return answers;
      }
    }
    return List.of();
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
