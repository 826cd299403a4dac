package dev.sluice.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ExecutionName;
import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A target with no batch request of its own gets the members one by one. */
class DeliverBatchDefaultTest {

  private static Batch batch(int n) {
    List<Job> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(new Job(i, 10 + i, 1, Instant.EPOCH, ObjectEvent.created("b", "k" + i, "test")));
    }
    return Batch.of("b", members);
  }

  /** Answers by key: "k1" fails, "k3" is throttled, the rest complete. */
  private static final class OneByOne implements Target {
    final List<String> delivered = new ArrayList<>();

    @Override
    public Outcome deliver(Job job) {
      delivered.add(job.event().key());
      return switch (job.event().key()) {
        case "k1" -> Outcome.retryable("k1 is bad");
        case "k3" -> Outcome.throttled(Duration.ofSeconds(2), "slow down");
        default -> Outcome.completed();
      };
    }

    @Override
    public String describe() {
      return "one-by-one";
    }
  }

  @Test
  void deliverBatch_byDefault_deliversInOrderEachWithItsOutcomeAndStopsAtThrottling() {
    OneByOne target = new OneByOne();
    Batch batch = batch(5);

    BatchOutcome outcome = target.deliverBatch(batch, Target.Arrival.IGNORED);

    assertThat(target.delivered).containsExactly("k0", "k1", "k2", "k3");
    List<Job> m = batch.members();
    assertThat(outcome.of(m.get(0))).isEqualTo(Outcome.completed());
    assertThat(outcome.of(m.get(1))).isEqualTo(Outcome.retryable("k1 is bad"));
    assertThat(outcome.of(m.get(2))).isEqualTo(Outcome.completed());
    assertThat(outcome.of(m.get(3))).isInstanceOf(Outcome.Throttled.class);
    // never sent: throttled with it, no attempt spent
    assertThat(outcome.of(m.get(4))).isInstanceOf(Outcome.Throttled.class);
    assertThat(outcome.partiallyFailed(batch)).isTrue();
  }

  @Test
  void executionNameOfBatch_isThePartitionHintTheKeysHashAndTheAttempt() {
    Batch batch = batch(2);
    String name = ExecutionName.ofBatch(batch, 3);
    assertThat(name).isEqualTo("b-" + batch.idempotencyKey().substring(0, 40) + "-3");
    assertThat(ExecutionName.isValid(name)).isTrue();
    Batch prefixed = Batch.of("tenant-a/2026/", batch.members());
    assertThat(ExecutionName.ofBatch(prefixed, 1)).startsWith("tenant-a_2026-");
    Batch unpartitioned = Batch.of("", batch.members());
    assertThat(ExecutionName.ofBatch(unpartitioned, 1)).startsWith("batch-");
  }
}
