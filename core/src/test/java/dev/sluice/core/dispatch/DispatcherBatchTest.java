package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Batches through the dispatcher, driven by tick() in virtual time on the in-memory backlog. */
class DispatcherBatchTest {
  private static final DispatcherConfig NO_LEAD =
      DispatcherConfig.defaults().withLead(Duration.ZERO);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog(PartitionRule.bucket());

  private Dispatcher dispatcher(
      Limits limits, BatchRecordingTarget target, int k, LimitCount count, DispatcherConfig c) {
    Dispatcher d =
        new Dispatcher(backlog, target, new Gate(limits), time, c, Runnable::run, new Random(7));
    d.batchBy(new BatchPlanner(new BatchSettings(k, WAIT), count), PartitionRule.bucket());
    return d;
  }

  private Dispatcher dispatcher(
      Limits limits, BatchRecordingTarget target, int k, LimitCount count) {
    return dispatcher(limits, target, k, count, NO_LEAD);
  }

  private void append(String bucket, int n) {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(ObjectEvent.created(bucket, String.format("in/part-%05d.parquet", i), "test"));
    }
    backlog.append(events, time.now());
  }

  private int tickUntilIdle(Dispatcher d) {
    int total = 0;
    for (int n; (n = d.tick()) > 0; ) {
      total += n;
    }
    d.applyOutcomes();
    return total;
  }

  /** Runs the dispatcher for {@code seconds} of virtual time, a tick every 100 ms. */
  private void run(Dispatcher d, int seconds) {
    for (int i = 0; i < seconds * 10; i++) {
      tickUntilIdle(d);
      time.advance(Duration.ofMillis(100));
    }
    tickUntilIdle(d);
  }

  private List<ReleaseRecord> releaseLog() {
    return backlog.releases(Instant.EPOCH, 0, 100_000);
  }

  @Test
  void thousandObjectsWithMax20_are50JobsWithEveryObjectInExactlyOne() {
    BatchRecordingTarget target = BatchRecordingTarget.completing();
    Dispatcher d =
        dispatcher(Limits.window(10, Duration.ofSeconds(1)), target, 20, LimitCount.JOBS);
    append("data", 1000);

    run(d, 10);

    assertThat(target.batches).hasSize(50);
    assertThat(target.singles).isEmpty();
    Map<Long, Integer> seen = new HashMap<>();
    for (Batch b : target.batches) {
      assertThat(b.size()).isEqualTo(20);
      assertThat(b.partition()).isEqualTo("data");
      for (Job j : b.members()) {
        seen.merge(j.eventId(), 1, Integer::sum);
      }
    }
    assertThat(seen).hasSize(1000);
    assertThat(seen.values()).containsOnly(1);
    assertThat(backlog.stats(time.now()).done()).isEqualTo(1000);
    // The release log: every release in a batch, 20 rows per batch reference.
    Map<Long, Integer> rowsPerBatch = new HashMap<>();
    for (ReleaseRecord r : releaseLog()) {
      assertThat(r.batch()).isNotNull();
      rowsPerBatch.merge(r.batch(), 1, Integer::sum);
    }
    assertThat(rowsPerBatch).hasSize(50);
    assertThat(rowsPerBatch.values()).containsOnly(20);
  }

  @Test
  void batchesAreGroupedByPartition_neverMixingBuckets() {
    BatchRecordingTarget target = BatchRecordingTarget.completing();
    Dispatcher d = dispatcher(Limits.none(), target, 20, LimitCount.JOBS);
    append("a", 30);
    append("b", 50);

    run(d, 6);

    Map<String, List<Integer>> sizes = new TreeMap<>();
    for (Batch b : target.batches) {
      for (Job j : b.members()) {
        assertThat(j.event().bucket()).isEqualTo(b.partition());
      }
      sizes.computeIfAbsent(b.partition(), p -> new ArrayList<>()).add(b.size());
    }
    // whole batches at once; the remainders (10 of each) once their wait passed
    assertThat(sizes.get("a")).containsExactlyInAnyOrder(20, 10);
    assertThat(sizes.get("b")).containsExactlyInAnyOrder(20, 20, 10);
  }

  @Test
  void aPartialBatch_waitsForTheWaitThenGoes() {
    BatchRecordingTarget target = BatchRecordingTarget.completing();
    Dispatcher d = dispatcher(Limits.none(), target, 20, LimitCount.JOBS);
    append("data", 7);

    assertThat(tickUntilIdle(d)).isZero();
    time.advance(WAIT.minusMillis(1));
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1));
    assertThat(tickUntilIdle(d)).isEqualTo(7);
    assertThat(target.batches).singleElement().satisfies(b -> assertThat(b.size()).isEqualTo(7));
  }

  @Test
  void aTargetFailingTwoItems_getsExactlyThoseTwoAgainInOneBatchAfterTheWait() {
    Set<String> failOnce = new HashSet<>(Set.of("in/part-00003.parquet", "in/part-00011.parquet"));
    BatchRecordingTarget target =
        new BatchRecordingTarget(
            b -> {
              Map<Long, Outcome> failed = new HashMap<>();
              for (Job j : b.members()) {
                if (j.attempt() == 1 && failOnce.contains(j.event().key())) {
                  failed.put(j.eventId(), Outcome.retryable("item failed"));
                }
              }
              return failed;
            });
    Dispatcher d = dispatcher(Limits.none(), target, 20, LimitCount.JOBS);
    append("data", 20);

    assertThat(tickUntilIdle(d)).isEqualTo(20);
    assertThat(target.batches).hasSize(1);
    // The two come due again after their backoff (0.5 s to 1 s) and wait for a batch to fill.
    time.advance(Duration.ofSeconds(1));
    assertThat(tickUntilIdle(d)).isZero();
    run(d, 6);

    assertThat(target.batches).hasSize(2);
    Batch again = target.batches.get(1);
    assertThat(again.members())
        .extracting(j -> j.event().key())
        .containsExactlyInAnyOrder("in/part-00003.parquet", "in/part-00011.parquet");
    assertThat(again.members()).allSatisfy(j -> assertThat(j.attempt()).isEqualTo(2));
    assertThat(backlog.stats(time.now()).done()).isEqualTo(20);
    // Release log: the first batch's 20 rows share one reference, 2 failed; the retry's 2 another.
    Map<Long, List<String>> outcomesByBatch = new TreeMap<>();
    for (ReleaseRecord r : releaseLog()) {
      outcomesByBatch.computeIfAbsent(r.batch(), x -> new ArrayList<>()).add(r.outcome());
    }
    assertThat(outcomesByBatch).hasSize(2);
    List<List<String>> byBatch = new ArrayList<>(outcomesByBatch.values());
    assertThat(byBatch.get(0)).hasSize(20).filteredOn("failed-retryable"::equals).hasSize(2);
    assertThat(byBatch.get(1)).containsExactly("completed", "completed");
  }

  @Test
  void limitsCountedInObjects_holdFromTheReleaseLog() {
    BatchRecordingTarget target = BatchRecordingTarget.completing();
    Dispatcher d =
        dispatcher(Limits.window(50, Duration.ofSeconds(1)), target, 20, LimitCount.OBJECTS);
    append("data", 1000);

    run(d, 30);

    assertThat(backlog.stats(time.now()).done()).isEqualTo(1000);
    List<Instant> times = releaseLog().stream().map(ReleaseRecord::releasedAt).sorted().toList();
    assertThat(times).hasSize(1000);
    int most = mostInAnyWindow(times, Duration.ofSeconds(1));
    assertThat(most).isLessThanOrEqualTo(50);
    // Whole batches only: two of 20 per second (the 10 permits left go back), none cut short.
    assertThat(most).isEqualTo(40);
    assertThat(target.batches).allSatisfy(b -> assertThat(b.size()).isEqualTo(20));
  }

  @Test
  void limitsCountedInJobs_holdFromTheReleaseLog() {
    BatchRecordingTarget target = BatchRecordingTarget.completing();
    Dispatcher d = dispatcher(Limits.window(3, Duration.ofSeconds(1)), target, 20, LimitCount.JOBS);
    append("data", 1000);

    run(d, 20);

    assertThat(backlog.stats(time.now()).done()).isEqualTo(1000);
    // One entry per batch: its reference at its release instant.
    Map<Long, Instant> batchTimes = new TreeMap<>();
    for (ReleaseRecord r : releaseLog()) {
      Instant earlier = batchTimes.putIfAbsent(r.batch(), r.releasedAt());
      assertThat(earlier == null || earlier.equals(r.releasedAt()))
          .as("the rows of one batch share its release instant")
          .isTrue();
    }
    List<Instant> times = batchTimes.values().stream().sorted().toList();
    assertThat(times).hasSize(50);
    assertThat(mostInAnyWindow(times, Duration.ofSeconds(1))).isEqualTo(3);
  }

  @Test
  void maxInFlightCountedInJobs_holdsOneSlotPerBatchUntilEveryMemberIsSettled() {
    BatchRecordingTarget target = BatchRecordingTarget.completing();
    Dispatcher d = dispatcher(Limits.none().withMaxInFlight(2), target, 10, LimitCount.JOBS);
    append("data", 100);

    // Two slots: two batches of 10 (20 events) go, not two events.
    d.tick();
    assertThat(target.batches).hasSize(2);
    assertThat(target.batches).allSatisfy(b -> assertThat(b.size()).isEqualTo(10));
    // Each tick releases what the two slots allow, and settling frees them for the next tick.
    for (int i = 0; i < 20; i++) {
      d.tick();
      d.applyOutcomes();
    }

    assertThat(backlog.stats(time.now()).done()).isEqualTo(100);
    assertThat(target.batches).hasSize(10);
    assertThat(d.stats().inFlight()).isZero();
  }

  /** Answers every batch started, as one Step Functions execution; the test ends the work. */
  private static final class StartingTarget implements dev.sluice.core.Target {
    final List<Batch> batches = new ArrayList<>();
    Completions completions;

    @Override
    public void watchCompletions(Completions c) {
      completions = c;
    }

    @Override
    public dev.sluice.core.batch.BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
      arrival.arrived();
      batches.add(batch);
      return dev.sluice.core.batch.BatchOutcome.all(
          Outcome.started("execution-" + batches.size(), Duration.ofHours(1)));
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
  void startedBatches_holdTheirSlotUntilEveryMembersEndIsSettled() {
    StartingTarget target = new StartingTarget();
    Dispatcher d =
        new Dispatcher(
            backlog,
            target,
            new Gate(Limits.none().withMaxInFlight(1)),
            time,
            NO_LEAD,
            Runnable::run,
            new Random(7));
    d.batchBy(
        new BatchPlanner(new BatchSettings(5, WAIT), LimitCount.JOBS), PartitionRule.bucket());
    append("data", 10);

    tickUntilIdle(d);
    assertThat(target.batches).hasSize(1);
    assertThat(d.stats().running()).isEqualTo(5);

    // Four of five members end: the batch still holds the one slot.
    List<Job> first = target.batches.get(0).members();
    for (Job member : first.subList(0, 4)) {
      target.completions.completed(member, Outcome.completed());
    }
    tickUntilIdle(d);
    assertThat(target.batches).hasSize(1);

    // The last one ends (failed: it is retried alone later): the slot frees, the next batch goes.
    target.completions.completed(first.get(4), Outcome.retryable("row 3"));
    tickUntilIdle(d);
    tickUntilIdle(d);
    assertThat(target.batches).hasSize(2);
    assertThat(target.batches.get(1).members())
        .extracting(Job::eventId)
        .doesNotContainAnyElementsOf(first.stream().map(Job::eventId).toList());
    assertThat(backlog.stats(time.now()).done()).isEqualTo(4);
    Map<Long, Long> batchOf = new HashMap<>();
    for (ReleaseRecord r : releaseLog()) {
      batchOf.put(r.releaseId(), r.batch());
    }
    assertThat(first)
        .allSatisfy(
            m -> assertThat(batchOf.get(m.releaseId())).isEqualTo(first.get(0).releaseId()));
  }

  /** The most instants in any half-open interval [t, t + length). */
  private static int mostInAnyWindow(List<Instant> sorted, Duration length) {
    int most = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (!sorted.get(from).plus(length).isAfter(sorted.get(to))) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }
}
