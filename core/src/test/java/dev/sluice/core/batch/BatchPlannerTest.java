package dev.sluice.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.partition.PartitionDue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planner in virtual time: instants are given, nothing waits. */
class BatchPlannerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static BatchPlanner planner(int k, LimitCount count) {
    return new BatchPlanner(new BatchSettings(k, WAIT), count);
  }

  @Test
  void plan_whenFewerThanKAndWaitNotPassed_takesNothingAndSaysWhenReady() {
    BatchPlan p =
        planner(20, LimitCount.JOBS)
            .plan(List.of(new PartitionDue("a", 7, T0)), 5, T0.plusSeconds(3));
    assertThat(p.isEmpty()).isTrue();
    assertThat(p.permitsUsed()).isZero();
    assertThat(p.nextReadyAt()).isEqualTo(T0.plus(WAIT));
  }

  @Test
  void plan_whenWaitPassed_takesThePartialBatch() {
    BatchPlan p =
        planner(20, LimitCount.JOBS).plan(List.of(new PartitionDue("a", 7, T0)), 5, T0.plus(WAIT));
    assertThat(p.quotas()).isEqualTo(Map.of("a", 7));
    assertThat(p.batchSizes()).containsExactly(7);
    assertThat(p.partialBatches()).isEqualTo(1);
    assertThat(p.permitsUsed()).isEqualTo(1);
    assertThat(p.nextReadyAt()).isNull();
  }

  @Test
  void plan_whenMoreThanKBeforeWait_takesWholeBatchesOnly() {
    BatchPlan p = planner(20, LimitCount.JOBS).plan(List.of(new PartitionDue("a", 45, T0)), 10, T0);
    assertThat(p.batchSizes()).containsExactly(20, 20);
    assertThat(p.quotas()).isEqualTo(Map.of("a", 40));
    assertThat(p.partialBatches()).isZero();
    assertThat(p.nextReadyAt()).isEqualTo(T0.plus(WAIT));
    BatchPlan later =
        planner(20, LimitCount.JOBS)
            .plan(List.of(new PartitionDue("a", 45, T0)), 10, T0.plus(WAIT));
    assertThat(later.batchSizes()).containsExactly(20, 20, 5);
  }

  @Test
  void plan_jobsMode_aPermitIsABatch() {
    BatchPlan p = planner(20, LimitCount.JOBS).plan(List.of(new PartitionDue("a", 200, T0)), 3, T0);
    assertThat(p.batchSizes()).containsExactly(20, 20, 20);
    assertThat(p.permitsUsed()).isEqualTo(3);
    assertThat(p.events()).isEqualTo(60);
  }

  @Test
  void plan_objectsMode_aBatchTakesAPermitPerMemberAndGoesWhole() {
    BatchPlan p =
        planner(20, LimitCount.OBJECTS).plan(List.of(new PartitionDue("a", 200, T0)), 50, T0);
    assertThat(p.batchSizes()).containsExactly(20, 20);
    assertThat(p.permitsUsed()).isEqualTo(40); // 10 go back: half a batch is not a batch
  }

  @Test
  void plan_objectsMode_whenPermitsBelowK_takesOnlyAPartialBatchThatFitsWhole() {
    BatchPlanner planner = planner(20, LimitCount.OBJECTS);
    // Whole batches wait for their permits, also after the wait: none is cut short.
    assertThat(planner.plan(List.of(new PartitionDue("a", 45, T0)), 10, T0.plus(WAIT)).isEmpty())
        .isTrue();
    BatchPlan waited = planner.plan(List.of(new PartitionDue("a", 7, T0)), 10, T0.plus(WAIT));
    assertThat(waited.batchSizes()).containsExactly(7);
    assertThat(waited.permitsUsed()).isEqualTo(7);
  }

  @Test
  void plan_objectsMode_aWholeBatchThatDoesNotFit_holdsBackSmallerOnesBehindIt() {
    List<PartitionDue> dues =
        List.of(new PartitionDue("big", 40, T0), new PartitionDue("small", 5, T0.plusSeconds(1)));
    BatchPlanner planner = planner(20, LimitCount.OBJECTS);
    Instant waited = T0.plus(WAIT).plusSeconds(1);

    assertThat(planner.plan(dues, 15, waited).isEmpty()).isTrue();
    // With room for big's batch, small's partial batch follows in the same step.
    assertThat(planner.plan(dues, 25, waited).batchSizes()).containsExactly(20, 5);
  }

  @Test
  void plan_partitionsTakeTurnsOldestFirst() {
    List<PartitionDue> dues =
        List.of(
            new PartitionDue("hot", 1000, T0.plusSeconds(1)),
            new PartitionDue("small", 20, T0.plusSeconds(2)),
            new PartitionDue("old", 40, T0));
    BatchPlan p = planner(20, LimitCount.JOBS).plan(dues, 4, T0.plusSeconds(2));
    // one round: old, hot, small; then old again
    assertThat(p.quotas()).isEqualTo(Map.of("old", 40, "hot", 20, "small", 20));
  }

  @Test
  void demand_isTheWholeBatchesAndThePartialOneAfterTheWait() {
    PartitionDue d = new PartitionDue("a", 45, T0);
    assertThat(planner(20, LimitCount.JOBS).demand(d, T0)).isEqualTo(2);
    assertThat(planner(20, LimitCount.JOBS).demand(d, T0.plus(WAIT))).isEqualTo(3);
    assertThat(planner(20, LimitCount.OBJECTS).demand(d, T0)).isEqualTo(40);
    assertThat(planner(20, LimitCount.OBJECTS).demand(d, T0.plus(WAIT))).isEqualTo(45);
  }

  @Test
  void plan_withBudgets_keepsEachPartitionWithinItsShareAndLendsNoneBeyond() {
    List<PartitionDue> dues =
        List.of(
            new PartitionDue("hot", 1000, T0), new PartitionDue("small", 40, T0.plusSeconds(1)));
    BatchPlan p = planner(20, LimitCount.JOBS).plan(dues, 10, T0, Map.of("hot", 3, "small", 7));
    // small can form only 2 batches; hot keeps to its 3: the fair share's allocation decides.
    assertThat(p.quotas()).isEqualTo(Map.of("hot", 60, "small", 40));
    assertThat(p.permitsUsed()).isEqualTo(5);
    BatchPlan objects =
        planner(20, LimitCount.OBJECTS).plan(dues, 100, T0, Map.of("hot", 50, "small", 50));
    assertThat(objects.quotas()).isEqualTo(Map.of("hot", 40, "small", 40));
  }

  @Test
  void countUpTo_isAMultipleOfKCoveringThePermits() {
    assertThat(planner(20, LimitCount.JOBS).countUpTo(3)).isEqualTo(60);
    assertThat(planner(20, LimitCount.OBJECTS).countUpTo(50)).isEqualTo(60);
    assertThat(planner(20, LimitCount.OBJECTS).countUpTo(0)).isEqualTo(20);
    assertThat(planner(20, LimitCount.OBJECTS).permitsFor(3)).isEqualTo(60);
    assertThat(planner(20, LimitCount.JOBS).permitsFor(3)).isEqualTo(3);
  }

  /**
   * Seeded random steps: the plan never uses more permits than granted, never asks a partition for
   * more than it has due, asks for a partial batch only after its wait, and a batch never exceeds
   * K.
   */
  @Test
  void plan_randomSteps_keepTheRules() {
    Random random = new Random(11);
    for (int round = 0; round < 2000; round++) {
      int k = 1 + random.nextInt(30);
      LimitCount count = random.nextBoolean() ? LimitCount.JOBS : LimitCount.OBJECTS;
      BatchPlanner planner = planner(k, count);
      Instant now = T0.plusSeconds(100);
      List<PartitionDue> dues = new ArrayList<>();
      int parts = random.nextInt(5);
      for (int i = 0; i < parts; i++) {
        dues.add(
            new PartitionDue(
                "p" + i, 1 + random.nextInt(3 * k), now.minusSeconds(random.nextInt(20))));
      }
      int permits = random.nextInt(4 * k + 2);
      BatchPlan p = planner.plan(dues, permits, now);
      assertThat(p.permitsUsed()).isBetween(0, permits);
      int cost = 0;
      for (int s : p.batchSizes()) {
        assertThat(s).isBetween(1, k);
        cost += count == LimitCount.JOBS ? 1 : s;
      }
      assertThat(cost).isEqualTo(p.permitsUsed());
      for (PartitionDue d : dues) {
        int q = p.quotas().getOrDefault(d.partition(), 0);
        assertThat(q).isLessThanOrEqualTo(d.due());
        boolean waited = !now.isBefore(d.oldestDue().plus(WAIT));
        if (!waited) {
          assertThat(q % k).as("no partial before the wait").isZero();
        }
      }
      assertThat(p.events()).isEqualTo(p.quotas().values().stream().mapToInt(i -> i).sum());
    }
  }
}
