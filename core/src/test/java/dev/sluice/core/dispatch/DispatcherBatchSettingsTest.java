package dev.sluice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.InMemoryBacklog;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Batch settings changed while the dispatcher runs, in virtual time on the in-memory backlog. */
class DispatcherBatchSettingsTest {
  private static final DispatcherConfig NO_LEAD =
      DispatcherConfig.defaults().withLead(Duration.ZERO);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final ManualTimeSource time = new ManualTimeSource();
  private final Backlog backlog = new InMemoryBacklog(PartitionRule.bucket());
  private final BatchRecordingTarget target = BatchRecordingTarget.completing();

  private Dispatcher dispatcher(Limits limits, int k, LimitCount count) {
    Dispatcher d =
        new Dispatcher(
            backlog, target, new Gate(limits), time, NO_LEAD, Runnable::run, new Random(7));
    d.batchBy(new BatchPlanner(new BatchSettings(k, WAIT), count), PartitionRule.bucket());
    return d;
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

  private void run(Dispatcher d, int seconds) {
    for (int i = 0; i < seconds * 10; i++) {
      tickUntilIdle(d);
      time.advance(Duration.ofMillis(100));
    }
    tickUntilIdle(d);
  }

  @Test
  void setBatchSettings_whenMaxLoweredBetweenSteps_batchesAfterTheChangeHoldAtMostTheNewMax() {
    // Two batches a second, counted as jobs: 100 due with K = 20 would take three seconds.
    Dispatcher d = dispatcher(Limits.window(2, Duration.ofSeconds(1)), 20, LimitCount.JOBS);
    append("data", 100);

    assertThat(tickUntilIdle(d)).isEqualTo(40);
    List<Batch> before = List.copyOf(target.batches);
    d.setBatchSettings(new BatchSettings(10, WAIT));
    run(d, 5);

    assertThat(before).hasSize(2).allSatisfy(b -> assertThat(b.size()).isEqualTo(20));
    List<Batch> after = target.batches.subList(before.size(), target.batches.size());
    // 60 left, in batches of 10: six, at two a second.
    assertThat(after).hasSize(6).allSatisfy(b -> assertThat(b.size()).isEqualTo(10));
    Map<Long, Integer> seen = new HashMap<>();
    for (Batch b : target.batches) {
      for (Job j : b.members()) {
        seen.merge(j.eventId(), 1, Integer::sum);
      }
    }
    assertThat(seen).hasSize(100);
    assertThat(seen.values()).containsOnly(1);
    assertThat(d.batchPlanner().settings()).isEqualTo(new BatchSettings(10, WAIT));
    assertThat(d.batchPlanner().count()).isEqualTo(LimitCount.JOBS);
  }

  @Test
  void setBatchSettings_whenMaxRaisedCountingObjects_takesThatManyPermitsPerBatch() {
    Dispatcher d = dispatcher(Limits.window(40, Duration.ofSeconds(1)), 10, LimitCount.OBJECTS);
    append("data", 120);

    assertThat(tickUntilIdle(d)).isEqualTo(40);
    d.setBatchSettings(new BatchSettings(40, WAIT));
    run(d, 3);

    List<Integer> sizes = target.batches.stream().map(Batch::size).toList();
    assertThat(sizes).containsExactly(10, 10, 10, 10, 40, 40);
  }

  @Test
  void setBatchSettings_whenWaitShortened_aWaitingPartialBatchGoesAfterTheNewWait() {
    Dispatcher d = dispatcher(Limits.none(), 20, LimitCount.JOBS);
    append("data", 7);
    assertThat(tickUntilIdle(d)).isZero();

    d.setBatchSettings(new BatchSettings(20, Duration.ofSeconds(1)));
    time.advance(Duration.ofMillis(999));
    assertThat(tickUntilIdle(d)).isZero();
    time.advance(Duration.ofMillis(1));

    assertThat(tickUntilIdle(d)).isEqualTo(7);
    assertThat(target.batches).singleElement().satisfies(b -> assertThat(b.size()).isEqualTo(7));
  }

  @Test
  void setBatchSettings_whenItWouldStopBatching_isRefusedAndKeepsTheSettings() {
    Dispatcher d = dispatcher(Limits.none(), 20, LimitCount.JOBS);

    assertThatThrownBy(() -> d.setBatchSettings(BatchSettings.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("above 1");
    assertThat(d.batchPlanner().settings().max()).isEqualTo(20);
  }

  @Test
  void setBatchSettings_onADispatcherOfSingleJobs_isRefused() {
    Dispatcher d =
        new Dispatcher(
            backlog, target, new Gate(Limits.none()), time, NO_LEAD, Runnable::run, new Random(7));

    assertThatThrownBy(() -> d.setBatchSettings(new BatchSettings(10, WAIT)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(d.batchPlanner()).isNull();
  }
}
