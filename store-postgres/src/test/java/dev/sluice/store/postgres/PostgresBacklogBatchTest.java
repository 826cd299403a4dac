package dev.sluice.store.postgres;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.backlog.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claims and settlements go to the database as one statement per batch: what a batch must still do
 * as if each of its rows were applied alone, in order.
 */
class PostgresBacklogBatchTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private static EmbeddedPostgresServer server;

  private PostgresBacklog backlog;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void open() {
    backlog = PostgresBacklog.open(TestDatabases.fresh(server, "batch"), "node-a", null);
  }

  @AfterEach
  void close() {
    backlog.close();
  }

  @Test
  void claim_givesEachJobTheReleaseRecordedForItsEventInReleaseOrder() {
    backlog.append(numbered(1, 40), T0);
    List<Instant> releaseTimes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      releaseTimes.add(T0.plusMillis(i * 7L).plusNanos(1_000L * i));
    }

    List<Job> jobs = backlog.claim(releaseTimes, LEASE, T0);

    assertThat(jobs).hasSize(40);
    Map<Long, ReleaseRecord> releases =
        backlog.releases(T0, 0, 100).stream()
            .collect(Collectors.toMap(ReleaseRecord::releaseId, Function.identity()));
    for (int i = 0; i < jobs.size(); i++) {
      Job job = jobs.get(i);
      ReleaseRecord release = releases.get(job.releaseId());
      assertThat(release.eventId()).isEqualTo(job.eventId());
      assertThat(release.attempt()).isEqualTo(1);
      assertThat(release.releasedAt()).isEqualTo(releaseTimes.get(i)).isEqualTo(job.releasedAt());
      if (i > 0) {
        assertThat(job.releaseId()).isGreaterThan(jobs.get(i - 1).releaseId());
        assertThat(job.eventId()).isGreaterThan(jobs.get(i - 1).eventId());
      }
    }
  }

  @Test
  void settle_whenOneBatchStartsThenFinishesAJob_appliesBothInOrder() {
    backlog.append(numbered(1, 2), T0);
    List<Job> jobs = backlog.claim(2, LEASE, T0);
    Job job = jobs.get(0);
    Instant reached = T0.plusMillis(5);

    backlog.settle(
        List.of(
            Settlement.started(job, T0.plusSeconds(3600)).at(reached, null),
            Settlement.done(jobs.get(1)),
            Settlement.done(job)),
        T0.plusSeconds(1));

    BacklogStats stats = backlog.stats(T0.plusSeconds(1));
    assertThat(stats.done()).isEqualTo(2);
    assertThat(stats.leased()).isZero();
    ReleaseRecord release =
        backlog.releases(T0, 0, 10).stream()
            .filter(r -> r.releaseId() == job.releaseId())
            .findFirst()
            .orElseThrow();
    assertThat(release.outcome()).isEqualTo("completed");
    assertThat(release.reachedAt()).isEqualTo(reached);
    assertThat(release.finishedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void settle_whenOneBatchSettlesAJobTwice_appliesOnlyTheFirst() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(1, LEASE, T0).get(0);

    backlog.settle(
        List.of(Settlement.done(job), Settlement.retry(job, "failed", "boom", T0)),
        T0.plusSeconds(1));

    BacklogStats stats = backlog.stats(T0.plusSeconds(1));
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.waiting()).isZero();
    assertThat(stats.leased()).isZero();
    ReleaseRecord release = backlog.releases(T0, 0, 10).get(0);
    assertThat(release.outcome()).isEqualTo("completed");
    assertThat(release.error()).isNull();
  }

  @Test
  void settle_whenABatchMixesLiveAndLostLeases_appliesOnlyTheLiveOnes() {
    backlog.append(numbered(1, 2), T0);
    List<Job> first = backlog.claim(2, LEASE, T0);
    // the first job's lease expires and a newer claim takes its event
    Instant later = T0.plus(LEASE).plusSeconds(1);
    backlog.settle(List.of(Settlement.started(first.get(1), later.plusSeconds(60))), T0);
    List<Job> second = backlog.claim(2, LEASE, later);
    assertThat(second).extracting(Job::eventId).containsExactly(first.get(0).eventId());

    backlog.settle(
        List.of(
            Settlement.dead(first.get(0), "failed", "lost"),
            Settlement.done(first.get(1)),
            Settlement.retry(second.get(0), "failed", "again", later.plusSeconds(5))),
        later.plusSeconds(1));

    BacklogStats stats = backlog.stats(later.plusSeconds(1));
    assertThat(stats.dead()).isZero();
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.waiting()).isEqualTo(1);
    assertThat(stats.leased()).isZero();
    Map<Long, String> outcomes =
        backlog.releases(T0, 0, 10).stream()
            .collect(Collectors.toMap(ReleaseRecord::releaseId, ReleaseRecord::outcome));
    assertThat(outcomes)
        .containsEntry(first.get(0).releaseId(), "expired")
        .containsEntry(first.get(1).releaseId(), "completed")
        .containsEntry(second.get(0).releaseId(), "failed");
  }
}
