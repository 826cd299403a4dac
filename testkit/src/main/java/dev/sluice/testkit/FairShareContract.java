package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.PartitionSharing;
import dev.sluice.core.forecast.DrainForecast;
import dev.sluice.core.forecast.ForecastBasis;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.FairShareOrder;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fair share between partitions, end to end: a real {@link Dispatcher} over the backlog under test,
 * in virtual time, under {@code window 100 per 1s}, partitions by the key's first segment; every
 * assertion is made on the backlog's release log. A store's test extends this class and provides
 * {@link #newBacklog(PartitionRule)}.
 */
public abstract class FairShareContract {
  /** The instant the scenarios start at: whole seconds, as every store keeps them exactly. */
  protected static final Instant T0 = Instant.parse("2026-12-02T09:00:00Z");

  private static final Duration WINDOW = Duration.ofSeconds(1);
  private static final int LIMIT = 100;
  private static final Duration STEP = Duration.ofMillis(100);

  private final List<Backlog> opened = new ArrayList<>();

  /** A fresh, empty backlog that keeps each event's partition by {@code rule}. */
  protected abstract Backlog newBacklog(PartitionRule rule);

  @AfterEach
  void closeBacklogs() {
    opened.forEach(Backlog::close);
  }

  /** A dispatcher and what it runs on, stepped by hand. */
  private final class Run {
    final ManualTimeSource time = new ManualTimeSource(T0);
    final Backlog backlog = newBacklog(PartitionRule.prefix(1));
    final Dispatcher dispatcher;

    Run(PartitionShares shares, Target target) {
      opened.add(backlog);
      dispatcher =
          new Dispatcher(
              backlog,
              target,
              new Gate(Limits.window(LIMIT, WINDOW)),
              time,
              DispatcherConfig.defaults().withLead(Duration.ZERO),
              Runnable::run,
              new Random(1));
      dispatcher.sharePartitions(new PartitionSharing(PartitionRule.prefix(1), shares));
    }

    void append(String prefix, int count) {
      List<ObjectEvent> events = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        events.add(ObjectEvent.created("data", String.format("%s/obj-%05d", prefix, i), "test"));
      }
      backlog.append(events, time.now());
    }

    /** Releases all the gate allows at each step of 100 ms until {@code until}. */
    void runUntil(Instant until) {
      while (time.now().isBefore(until)) {
        while (dispatcher.tick() > 0) {
          // all the gate and the shares allow at this instant
        }
        time.advance(STEP);
      }
    }

    List<ReleaseRecord> releaseLog() {
      List<ReleaseRecord> all = new ArrayList<>();
      long after = 0;
      for (List<ReleaseRecord> page;
          !(page = backlog.releases(T0.minusSeconds(1), after, 5_000)).isEmpty(); ) {
        all.addAll(page);
        after = page.get(page.size() - 1).releaseId();
      }
      return all;
    }
  }

  private static String partitionOf(ReleaseRecord r) {
    return r.key().substring(0, r.key().indexOf('/') + 1);
  }

  /** Releases per whole second after T0, of the given partition or of all (null). */
  private static int[] perSecond(List<ReleaseRecord> log, String partition, int seconds) {
    int[] n = new int[seconds];
    for (ReleaseRecord r : log) {
      if (partition == null || partitionOf(r).equals(partition)) {
        long s = Duration.between(T0, r.releasedAt()).getSeconds();
        if (s >= 0 && s < seconds) {
          n[(int) s]++;
        }
      }
    }
    return n;
  }

  /** No interval of one second holds more than the limit, at any instant of the log. */
  private static void assertWindowKept(List<ReleaseRecord> log) {
    List<Instant> times = new ArrayList<>();
    log.forEach(r -> times.add(r.releasedAt()));
    Collections.sort(times);
    int first = 0;
    for (int i = 0; i < times.size(); i++) {
      while (!times.get(first).plus(WINDOW).isAfter(times.get(i))) {
        first++;
      }
      assertThat(i - first + 1)
          .as("releases in the second up to %s", times.get(i))
          .isLessThanOrEqualTo(LIMIT);
    }
  }

  /**
   * Prefix a/ has 10,000 objects waiting; b/ gets 100 a minute later. b/'s objects all start within
   * two windows of arriving, a/ uses everything b/ leaves (every second holds 100 releases while
   * work waits), and no second ever holds more than 100.
   */
  @Test
  void latecomer_isServedWithinTwoWindows_whileTheHotPartitionTakesTheRest() {
    Run run = new Run(PartitionShares.EQUAL, new CompletingTarget());
    run.append("a", 10_000);
    Instant bArrives = T0.plusSeconds(60);
    run.runUntil(bArrives);
    run.append("b", 100);
    run.runUntil(T0.plusSeconds(105));

    List<ReleaseRecord> log = run.releaseLog();
    assertThat(log).hasSize(10_100);
    Set<String> keys = new HashSet<>();
    log.forEach(r -> keys.add(r.key()));
    assertThat(keys).as("every object released once").hasSize(10_100);

    List<ReleaseRecord> b = log.stream().filter(r -> partitionOf(r).equals("b/")).toList();
    assertThat(b).hasSize(100);
    for (ReleaseRecord r : b) {
      assertThat(r.releasedAt()).isBefore(bArrives.plus(WINDOW.multipliedBy(2)));
    }

    // 10,100 objects at 100 a second: the seconds 0 to 100 are each full, none holds more.
    int[] all = perSecond(log, null, 101);
    for (int s = 0; s < all.length; s++) {
      assertThat(all[s]).as("releases in second %d", s).isEqualTo(LIMIT);
    }
    // While both wait, each gets half of the window; a/ takes the rest before and after.
    int[] a = perSecond(log, "a/", 101);
    assertThat(a[59]).isEqualTo(100);
    assertThat(a[60]).isEqualTo(50);
    assertThat(a[61]).isEqualTo(50);
    assertThat(a[62]).isEqualTo(100);
    assertWindowKept(log);
  }

  /**
   * b/ arrives halfway through a window a/ has used up: the next two windows split 50/50, so b/'s
   * last object starts 1.5 s after it arrived.
   */
  @Test
  void latecomer_arrivingMidWindow_isServedByTheNextTwoWindows() {
    Run run = new Run(PartitionShares.EQUAL, new CompletingTarget());
    run.append("a", 3_000);
    Instant bArrives = T0.plusMillis(10_500);
    run.runUntil(bArrives);
    run.append("b", 100);
    run.runUntil(T0.plusSeconds(15));

    List<ReleaseRecord> log = run.releaseLog();
    List<Instant> bStarts =
        log.stream().filter(r -> partitionOf(r).equals("b/")).map(r -> r.releasedAt()).toList();
    assertThat(bStarts).hasSize(100);
    assertThat(bStarts).allMatch(t -> !t.isBefore(T0.plusSeconds(11)));
    assertThat(bStarts).allMatch(t -> !t.isAfter(T0.plusSeconds(12)));
    int[] a = perSecond(log, "a/", 15);
    int[] all = perSecond(log, null, 15);
    assertThat(a[10]).isEqualTo(100);
    assertThat(a[11]).isEqualTo(50);
    assertThat(a[12]).isEqualTo(50);
    assertThat(all).containsOnly(100);
    assertWindowKept(log);
  }

  /** Weights 3:1, both busy: a/ gets 75 of every 100 and b/ 25. */
  @Test
  void weights_threeToOne_splitEveryWindow() {
    Run run = new Run(PartitionShares.EQUAL.withWeights(Map.of("a/", 3)), new CompletingTarget());
    run.append("a", 3_000);
    run.append("b", 3_000);
    run.runUntil(T0.plusSeconds(20));

    List<ReleaseRecord> log = run.releaseLog();
    int[] a = perSecond(log, "a/", 20);
    int[] b = perSecond(log, "b/", 20);
    for (int s = 0; s < 20; s++) {
      assertThat(a[s]).as("a/ in second %d", s).isEqualTo(75);
      assertThat(b[s]).as("b/ in second %d", s).isEqualTo(25);
    }
    assertWindowKept(log);
  }

  /**
   * a/ is capped at 10 in flight, and its jobs run until the test ends them: it never holds more
   * than 10, b/ takes the rest of every window, and ending a/'s jobs lets 10 more go.
   */
  @Test
  void cap_holdsEventsInFlight_andTheOthersTakeTheRest() {
    HoldingTarget target = new HoldingTarget("a/");
    Run run = new Run(PartitionShares.EQUAL.withCaps(Map.of("a/", 10)), target);
    run.append("a", 1_000);
    run.append("b", 1_000);
    run.runUntil(T0.plusSeconds(5));

    List<ReleaseRecord> log = run.releaseLog();
    assertThat(perSecond(log, "a/", 5)).containsExactly(10, 0, 0, 0, 0);
    assertThat(perSecond(log, "b/", 5)).containsExactly(90, 100, 100, 100, 100);
    assertThat(run.dispatcher.partitions().inFlight("a/")).isEqualTo(10);

    target.endAll();
    run.runUntil(T0.plusSeconds(7));
    log = run.releaseLog();
    int[] a = perSecond(log, "a/", 7);
    assertThat(a[5] + a[6]).isEqualTo(10);
    assertThat(perSecond(log, null, 7)).containsExactly(100, 100, 100, 100, 100, 100, 100);
    assertWindowKept(log);
  }

  /**
   * The forecast of each waiting object's start, by its fair-share position ({@link FairShareOrder}
   * over {@link Backlog#locate} and {@link Backlog#duePartitions}) and the drain forecast, against
   * the release the dispatcher then makes: a/ has 700 left and has used the last window when b/'s
   * 100 arrive mid-window.
   */
  @Test
  void forecast_byFairSharePosition_isWhenTheDispatcherReleasesEachObject() {
    // b/ gets 50 of each window from 3 s: its last goes at 4 s, within two windows of arriving
    forecastMatchesReleases(PartitionShares.EQUAL, T0.plusSeconds(4));
  }

  /** As {@link #forecast_byFairSharePosition_isWhenTheDispatcherReleasesEachObject}, at 3:1. */
  @Test
  void forecast_byFairSharePosition_underWeights_isWhenTheDispatcherReleasesEachObject() {
    // b/ gets 25 of each window from 3 s: its last goes at 6 s
    forecastMatchesReleases(PartitionShares.EQUAL.withWeights(Map.of("a/", 3)), T0.plusSeconds(6));
  }

  private void forecastMatchesReleases(PartitionShares shares, Instant bLast) {
    Run run = new Run(shares, new CompletingTarget());
    run.append("a", 1_000);
    Instant bArrives = T0.plusMillis(2_500);
    run.runUntil(bArrives);
    run.append("b", 100);
    Instant now = run.time.now();
    Map<String, Instant> forecast = new HashMap<>();
    DrainForecast drain =
        new DrainForecast(
            new ForecastBasis(
                now,
                Limits.window(LIMIT, WINDOW),
                run.backlog.startTimes(now.minus(WINDOW), WINDOW),
                0,
                Duration.ZERO));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      keys.add(String.format("b/obj-%05d", i));
    }
    for (int i = 300; i < 1_000; i += 7) {
      keys.add(String.format("a/obj-%05d", i));
    }
    keys.add("a/obj-00999");
    for (String key : keys) {
      EventLocation l = run.backlog.locate("data", key, now).get(0);
      int upTo = FairShareOrder.countUpTo(l.partition(), l.aheadInPartition(), shares);
      long position =
          FairShareOrder.position(
              l.partition(), l.aheadInPartition(), run.backlog.duePartitions(now, upTo), shares);
      forecast.put(key, drain.startOf(position, l.dueAt()));
    }

    run.runUntil(T0.plusSeconds(12));

    Map<String, Instant> released = new HashMap<>();
    List<ReleaseRecord> log = run.releaseLog();
    assertThat(log).hasSize(1_100);
    log.forEach(r -> released.put(r.key(), r.releasedAt()));
    for (String key : keys) {
      assertThat(Duration.between(released.get(key), forecast.get(key)).abs())
          .as("%s forecast at %s, released at %s", key, forecast.get(key), released.get(key))
          .isLessThanOrEqualTo(WINDOW);
    }
    // b/'s last as worked out by hand; a/'s last at the drain time (a/ 1,000 and b/ 100 at 100 a
    // second from 0 s: the 11th window).
    assertThat(forecast.get("b/obj-00099")).isEqualTo(bLast);
    assertThat(forecast.get("a/obj-00999")).isEqualTo(T0.plusSeconds(10));
    Instant drained = log.get(log.size() - 1).releasedAt();
    assertThat(forecast.get("a/obj-00999")).isEqualTo(drained);
    long exact = keys.stream().filter(k -> forecast.get(k).equals(released.get(k))).count();
    assertThat(exact).as("objects forecast to the window").isEqualTo(keys.size());
  }

  /** Completes every job at once. */
  private static final class CompletingTarget implements Target {
    @Override
    public Outcome deliver(Job job) {
      return Outcome.completed();
    }

    @Override
    public String describe() {
      return "completing";
    }
  }

  /** Starts the jobs of one partition and holds them until {@link #endAll}; completes the rest. */
  private static final class HoldingTarget implements Target {
    private final String heldPrefix;
    private final List<Job> held = new CopyOnWriteArrayList<>();
    private Completions completions = Completions.IGNORED;

    HoldingTarget(String heldPrefix) {
      this.heldPrefix = heldPrefix;
    }

    @Override
    public void watchCompletions(Completions c) {
      this.completions = c;
    }

    @Override
    public Outcome deliver(Job job) {
      if (job.event().key().startsWith(heldPrefix)) {
        held.add(job);
        return Outcome.started("held-" + job.releaseId(), Duration.ofHours(1));
      }
      return Outcome.completed();
    }

    void endAll() {
      for (Job j : held) {
        completions.completed(j, Outcome.completed());
      }
      held.clear();
    }

    @Override
    public String describe() {
      return "holding " + heldPrefix;
    }
  }
}
