package dev.sluice.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static Job job(long id, String bucket, String key, int attempt) {
    return new Job(id, 100 + id, attempt, T.plusSeconds(id), ObjectEvent.created(bucket, key, "t"));
  }

  @Test
  void idempotencyKey_isTheHashOfTheSortedMemberKeys_golden() {
    // SHA-256 over the members' keys (each SHA-256 of "b\0kN\0"), sorted, one per line; computed
    // outside Java.
    Batch batch = Batch.of("b", List.of(job(2, "b", "k2", 1), job(1, "b", "k1", 1)));
    assertThat(batch.idempotencyKey())
        .isEqualTo("d24c6fe45e9c87bff5b4145db281f9231b63b08f2aa38e840388085c6c610214");
    Batch three =
        Batch.of("b", List.of(job(3, "b", "k3", 1), job(1, "b", "k1", 1), job(2, "b", "k2", 1)));
    assertThat(three.idempotencyKey())
        .isEqualTo("4eb50013718a60e9c44d525477fc6d7af85fe9b37b92a3718b4e9b11123bdf87");
  }

  @Test
  void idempotencyKey_whenSameMembersInAnotherOrderOrAttempt_isTheSame() {
    Batch a = Batch.of("b", List.of(job(1, "b", "k1", 1), job(2, "b", "k2", 1)));
    Batch b = Batch.of("b", List.of(job(12, "b", "k2", 3), job(11, "b", "k1", 2)));
    assertThat(b.idempotencyKey()).isEqualTo(a.idempotencyKey());
    Batch other = Batch.of("b", List.of(job(1, "b", "k1", 1)));
    assertThat(other.idempotencyKey()).isNotEqualTo(a.idempotencyKey());
  }

  @Test
  void attemptReferenceAndReleasedAt_comeFromTheMembers() {
    Batch b = Batch.of("b", List.of(job(5, "b", "k1", 2), job(3, "b", "k2", 4)));
    assertThat(b.attempt()).isEqualTo(4);
    assertThat(b.reference()).isEqualTo(103);
    assertThat(b.releasedAt()).isEqualTo(T.plusSeconds(5));
    assertThat(b.memberWithKey(b.members().get(1).idempotencyKey()).eventId()).isEqualTo(3);
    assertThat(b.memberWithKey("nope")).isNull();
  }

  @Test
  void of_whenEmptyOrAnEventTwice_isRefused() {
    assertThatThrownBy(() -> Batch.of("b", List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Batch.of("b", List.of(job(1, "b", "k1", 1), job(1, "b", "k1", 2))))
        .hasMessageContaining("event 1 is twice");
  }

  @Test
  void group_splitsByPartitionInClaimOrderMaxEach() {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      jobs.add(job(i, i % 3 == 0 ? "a" : "b", "k" + i, 1));
    }
    List<Batch> batches = Batch.group(jobs, j -> j.event().bucket(), 20);
    // a: 15 jobs -> one batch; b: 30 -> 20 + 10
    assertThat(batches).extracting(Batch::partition).containsExactly("a", "b", "b");
    assertThat(batches).extracting(Batch::size).containsExactly(15, 20, 10);
    Set<Long> seen = new HashSet<>();
    for (Batch b : batches) {
      for (Job j : b.members()) {
        assertThat(j.event().bucket()).isEqualTo(b.partition());
        assertThat(seen.add(j.eventId())).isTrue();
      }
      // claim order kept inside a batch
      assertThat(b.members()).isSortedAccordingTo((x, y) -> Long.compare(x.eventId(), y.eventId()));
    }
    assertThat(seen).hasSize(45);
  }

  @Test
  void settings_refuseOutOfRangeNamingTheField() {
    assertThatThrownBy(() -> new BatchSettings(0, java.time.Duration.ZERO))
        .hasMessageStartingWith("max must be between 1 and 10000, got 0");
    assertThatThrownBy(() -> new BatchSettings(5, java.time.Duration.ofSeconds(-1)))
        .hasMessageStartingWith("wait must be a duration >= 0");
    assertThat(BatchSettings.NONE.batching()).isFalse();
    assertThat(new BatchSettings(2, java.time.Duration.ZERO).batching()).isTrue();
  }

  @Test
  void limitCount_parsesTheConfigWords() {
    assertThat(LimitCount.parse("jobs")).isEqualTo(LimitCount.JOBS);
    assertThat(LimitCount.parse(" Objects ")).isEqualTo(LimitCount.OBJECTS);
    assertThatThrownBy(() -> LimitCount.parse("events"))
        .hasMessage("count must be jobs or objects, got 'events'");
  }
}
