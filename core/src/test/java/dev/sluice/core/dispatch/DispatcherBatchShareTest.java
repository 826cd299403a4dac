package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Batches under fair share between partitions, driven by tick() in virtual time on the in-memory
 * backlog: the batches of a step are divided by weight, a small partition is not starved behind a
 * large one, caps hold, and the limits hold as the release log shows.
 */
class DispatcherBatchShareTest {
  private static final PartitionRule RULE = PartitionRule.prefix(1);
  private static final Duration WAIT = Duration.ofSeconds(2);

  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog(RULE);

  private Dispatcher dispatcher(
      Limits limits, Target target, int k, LimitCount count, PartitionShares shares) {
    Dispatcher d =
        new Dispatcher(
            backlog,
            target,
            new Gate(limits),
            time,
            DispatcherConfig.defaults().withLead(Duration.ZERO),
            Runnable::run,
            new Random(3));
    d.sharePartitions(new PartitionSharing(RULE, shares));
    d.batchBy(new BatchPlanner(new BatchSettings(k, WAIT), count), RULE);
    return d;
  }

  private void append(String prefix, int n) {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(ObjectEvent.created("data", prefix + "/obj-" + i, "test"));
    }
    backlog.append(events, time.now());
  }

  private static void tickUntilIdle(Dispatcher d) {
    while (d.tick() > 0) {
      // each tick releases what the gate grants now
    }
    d.applyOutcomes();
  }

  /** Runs for {@code millis} of virtual time, a tick every 100 ms. */
  private void run(Dispatcher d, long millis) {
    for (long t = 0; t < millis; t += 100) {
      tickUntilIdle(d);
      time.advance(Duration.ofMillis(100));
    }
  }

  private List<ReleaseRecord> releaseLog() {
    return backlog.releases(Instant.EPOCH, 0, 1_000_000);
  }

  /** Release-log rows by whole second since the start, for the partition {@code prefix}. */
  private Map<Long, Integer> perSecond(Instant start, String prefix) {
    Map<Long, Integer> counts = new TreeMap<>();
    for (ReleaseRecord r : releaseLog()) {
      if (prefix == null || r.key().startsWith(prefix + "/")) {
        counts.merge(Duration.between(start, r.releasedAt()).toSeconds(), 1, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  void countingObjects_aSmallPartitionArrivingLate_startsWithinTwoWindows_andWindowsStayFull() {
    BatchRecordingTarget target = BatchRecordingTarget.completing();
    Dispatcher d =
        dispatcher(
            Limits.window(100, Duration.ofSeconds(1)),
            target,
            20,
            LimitCount.OBJECTS,
            PartitionShares.EQUAL);
    Instant start = time.now();
    append("a", 2_000);
    run(d, 5_000);
    Instant bArrived = time.now();
    append("b", 100);
    run(d, 10_000);

    Instant lastOfB = Instant.MIN;
    int bReleased = 0;
    for (ReleaseRecord r : releaseLog()) {
      if (r.key().startsWith("b/")) {
        bReleased++;
        lastOfB = r.releasedAt().isAfter(lastOfB) ? r.releasedAt() : lastOfB;
      }
    }
    assertThat(bReleased).isEqualTo(100);
    // Oldest first, b/ would wait behind the 1,500 of a/ still due: 15 windows.
    assertThat(lastOfB).isBefore(bArrived.plusSeconds(2));
    Map<Long, Integer> all = perSecond(start, null);
    // Every second holds exactly the limit while work waits (1,500 a/ + 100 b/ after 5 s: 21 s).
    for (long s = 0; s < 15; s++) {
      assertThat(all.get(s)).as("objects released in second %d", s).isEqualTo(100);
    }
    assertThat(all.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(100));
    for (Batch b : target.batches) {
      assertThat(b.members())
          .allSatisfy(
              j ->
                  assertThat(RULE.partitionOf(j.event().bucket(), j.event().key()))
                      .isEqualTo(b.partition()));
    }
  }

  @Test
  void countingJobs_weights3To1_splitEverySecondsBatches() {
    BatchRecordingTarget target = BatchRecordingTarget.completing();
    Dispatcher d =
        dispatcher(
            Limits.window(8, Duration.ofSeconds(1)),
            target,
            10,
            LimitCount.JOBS,
            new PartitionShares(Map.of("a/", 3, "b/", 1), Map.of(), 1));
    append("a", 1_000);
    append("b", 1_000);

    run(d, 5_000);

    // 5 windows of 8 batches: 6 of a/ and 2 of b/ in each.
    long ofA = target.batches.stream().filter(b -> b.partition().equals("a/")).count();
    long ofB = target.batches.stream().filter(b -> b.partition().equals("b/")).count();
    assertThat(ofA + ofB).isEqualTo(40);
    assertThat(ofA).isEqualTo(30);
    assertThat(ofB).isEqualTo(10);
    assertThat(target.batches).allSatisfy(b -> assertThat(b.size()).isEqualTo(10));
  }

  /**
   * Starts each batch as asynchronous work, which holds its events in flight until the test ends
   * it.
   */
  private static final class StartingTarget implements Target {
    final List<Batch> batches = new ArrayList<>();
    Completions completions;

    @Override
    public void watchCompletions(Completions c) {
      completions = c;
    }

    @Override
    public BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
      arrival.arrived();
      batches.add(batch);
      return BatchOutcome.all(Outcome.started("execution-" + batches.size(), Duration.ofHours(1)));
    }

    @Override
    public Outcome deliver(Job job) {
      throw new AssertionError("batches only");
    }

    @Override
    public String describe() {
      return "starting";
    }
  }

  @Test
  void countingObjects_aCapOnEventsInFlight_holds_andTheOthersTakeTheRest() {
    StartingTarget target = new StartingTarget();
    Dispatcher d =
        dispatcher(
            Limits.window(100, Duration.ofSeconds(1)),
            target,
            20,
            LimitCount.OBJECTS,
            new PartitionShares(Map.of(), Map.of("a/", 40), 1));
    append("a", 500);
    append("b", 500);

    run(d, 3_000);

    long aInFlight =
        target.batches.stream().filter(b -> b.partition().equals("a/")).mapToInt(Batch::size).sum();
    long bInFlight =
        target.batches.stream().filter(b -> b.partition().equals("b/")).mapToInt(Batch::size).sum();
    // Nothing has ended: a/ stops at its cap of 40 events, b/ takes every other permit.
    assertThat(aInFlight).isEqualTo(40);
    assertThat(bInFlight).isEqualTo(300 - 40);

    // Two of a/'s members end: room for 2, less than a batch of 20; a/ still waits.
    Batch firstOfA =
        target.batches.stream().filter(b -> b.partition().equals("a/")).findFirst().orElseThrow();
    for (Job m : firstOfA.members().subList(0, 2)) {
      target.completions.completed(m, Outcome.completed());
    }
    run(d, 1_000);
    long aAfter =
        target.batches.stream().filter(b -> b.partition().equals("a/")).mapToInt(Batch::size).sum();
    assertThat(aAfter - 2).isLessThanOrEqualTo(40);
  }
}
