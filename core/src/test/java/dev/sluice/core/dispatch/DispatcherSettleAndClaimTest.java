package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.backlog.Pruned;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Outcomes waiting when the dispatcher claims go to the backlog with the claim, in one call. */
class DispatcherSettleAndClaimTest {

  private final ManualTimeSource time = new ManualTimeSource();
  private final RecordingBacklog backlog = new RecordingBacklog(new InMemoryBacklog());

  @Test
  void tick_whenOutcomesWaitAtTheNextClaim_settlesThemInTheClaimsCall() {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      events.add(ObjectEvent.created("data", "part-" + i + ".parquet", "test"));
    }
    backlog.append(events, time.now());
    Queue<Runnable> workers = new ArrayDeque<>();
    Dispatcher d =
        new Dispatcher(
            backlog,
            ScriptedTarget.completing(),
            new Gate(Limits.none()),
            time,
            DispatcherConfig.defaults().withWorkers(10),
            workers::add,
            new Random(42));

    assertThat(d.tick()).isEqualTo(10);
    assertThat(backlog.plainSettlements).isZero();
    runAll(workers); // ten answers wait to be settled

    assertThat(d.tick()).isEqualTo(10);
    assertThat(backlog.settledWithClaims).containsExactly(10);
    assertThat(backlog.plainSettlements).isZero();
    assertThat(backlog.stats(time.now()).done()).isEqualTo(10);
    runAll(workers);

    assertThat(d.tick()).isEqualTo(5);
    runAll(workers);
    d.tick(); // nothing left to claim: the last outcomes still ride on the (empty) claim
    d.applyOutcomes();

    assertThat(
            backlog.settledWithClaims.stream().mapToInt(Integer::intValue).sum()
                + backlog.plainSettlements)
        .isEqualTo(25);
    assertThat(backlog.stats(time.now()).done()).isEqualTo(25);
    assertThat(d.stats().inFlight()).isZero();
    assertThat(d.stats().completed()).isEqualTo(25);
  }

  @Test
  void tick_whenTheCombinedCallFails_keepsTheOutcomesAndSettlesThemLater() {
    backlog.append(
        List.of(
            ObjectEvent.created("data", "a.parquet", "test"),
            ObjectEvent.created("data", "b.parquet", "test")),
        time.now());
    Queue<Runnable> workers = new ArrayDeque<>();
    Dispatcher d =
        new Dispatcher(
            backlog,
            ScriptedTarget.completing(),
            new Gate(Limits.none()),
            time,
            DispatcherConfig.defaults().withWorkers(1),
            workers::add,
            new Random(42));
    assertThat(d.tick()).isEqualTo(1);
    runAll(workers);

    backlog.failNextSettleAndClaim = true;
    try {
      d.tick();
    } catch (RuntimeException expected) {
      // the step fails as the backlog did
    }
    assertThat(backlog.stats(time.now()).done()).isZero();

    assertThat(d.tick()).isEqualTo(1);
    runAll(workers);
    d.tick();
    d.applyOutcomes();
    assertThat(backlog.stats(time.now()).done()).isEqualTo(2);
    assertThat(d.stats().completed()).isEqualTo(2);
    assertThat(d.stats().inFlight()).isZero();
  }

  @Test
  void tick_whenAnswersComeInAfterTheStepBegan_settlesThemNoEarlierThanTheirAnswer() {
    appendParts(0, 10);
    Queue<Runnable> workers = new ArrayDeque<>();
    Dispatcher d =
        new Dispatcher(
            backlog,
            ScriptedTarget.completing(),
            new Gate(Limits.none()),
            time,
            DispatcherConfig.defaults().withWorkers(20),
            workers::add,
            new Random(42));
    d.sharePartitions(new PartitionSharing(PartitionRule.prefix(1), PartitionShares.EQUAL));
    assertThat(d.tick()).isEqualTo(10);
    appendParts(10, 20);

    // The ten answers arrive while the next step runs, after it read the clock (its partitions are
    // asked before the outcomes waiting are taken).
    backlog.whileAskingPartitions =
        () -> {
          backlog.whileAskingPartitions = () -> {};
          time.advance(Duration.ofMillis(5));
          runAll(workers);
        };
    assertThat(d.tick()).isEqualTo(10);
    time.advance(Duration.ofMillis(5));
    runAll(workers);
    d.tick();
    d.applyOutcomes();

    List<ReleaseRecord> log = backlog.releases(Instant.EPOCH, 0, 100);
    assertThat(log).hasSize(20).allSatisfy(r -> assertThat(r.finishedAt()).isNotNull());
    for (ReleaseRecord r : log) {
      assertThat(r.finishedAt()).as("release %d", r.releaseId()).isAfterOrEqualTo(r.answeredAt());
    }
  }

  private void appendParts(int from, int to) {
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = from; i < to; i++) {
      events.add(ObjectEvent.created("data", "part-" + i + ".parquet", "test"));
    }
    backlog.append(events, time.now());
  }

  private static void runAll(Queue<Runnable> workers) {
    for (Runnable r; (r = workers.poll()) != null; ) {
      r.run();
    }
  }

  /** Counts how outcomes reach the backlog. */
  private static final class RecordingBacklog implements Backlog {
    private final Backlog inner;
    final List<Integer> settledWithClaims = new ArrayList<>();
    int plainSettlements;
    boolean failNextSettleAndClaim;
    Runnable whileAskingPartitions = () -> {};

    RecordingBacklog(Backlog inner) {
      this.inner = inner;
    }

    @Override
    public List<Job> settleAndClaim(
        List<Settlement> settlements, List<Instant> releaseTimes, Duration lease, Instant now) {
      if (failNextSettleAndClaim) {
        failNextSettleAndClaim = false;
        throw new IllegalStateException("disk full");
      }
      settledWithClaims.add(settlements.size());
      return inner.settleAndClaim(settlements, releaseTimes, lease, now);
    }

    @Override
    public void settle(List<Settlement> settlements, Instant now) {
      plainSettlements += settlements.size();
      inner.settle(settlements, now);
    }

    @Override
    public AppendResult append(List<ObjectEvent> events, Instant now) {
      return inner.append(events, now);
    }

    @Override
    public List<Boolean> known(List<dev.sluice.core.ListedObject> objects) {
      return inner.known(objects);
    }

    @Override
    public List<Job> claim(
        List<Instant> releaseTimes,
        Duration lease,
        Instant now,
        dev.sluice.core.partition.PartitionQuotas quotas) {
      return inner.claim(releaseTimes, lease, now, quotas);
    }

    @Override
    public List<dev.sluice.core.partition.PartitionDue> duePartitions(Instant now, int countUpTo) {
      whileAskingPartitions.run();
      return inner.duePartitions(now, countUpTo);
    }

    @Override
    public int abandonLeases(Instant now) {
      return inner.abandonLeases(now);
    }

    @Override
    public BacklogStats stats(Instant now) {
      return inner.stats(now);
    }

    @Override
    public List<EventLocation> locate(String bucket, String key, Instant now) {
      return inner.locate(bucket, key, now);
    }

    @Override
    public List<DeadLetter> deadLetters(long afterEventId, int limit) {
      return inner.deadLetters(afterEventId, limit);
    }

    @Override
    public int redrive(List<Long> eventIds, Instant now) {
      return inner.redrive(eventIds, now);
    }

    @Override
    public int purge(List<Long> eventIds, Instant now) {
      return inner.purge(eventIds, now);
    }

    @Override
    public Pruned prune(Instant settledBefore, Instant releasedBefore, int max) {
      return inner.prune(settledBefore, releasedBefore, max);
    }

    @Override
    public List<ReleaseRecord> releases(Instant since, long afterReleaseId, int limit) {
      return inner.releases(since, afterReleaseId, limit);
    }

    @Override
    public List<ReleaseRecord> openReleases(
        Instant releasedBefore, long afterReleaseId, int limit) {
      return inner.openReleases(releasedBefore, afterReleaseId, limit);
    }

    @Override
    public List<Instant> startTimes(Instant since, Duration maxStartDelay) {
      return inner.startTimes(since, maxStartDelay);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
