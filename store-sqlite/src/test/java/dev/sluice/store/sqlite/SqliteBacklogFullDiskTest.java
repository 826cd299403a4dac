package dev.sluice.store.sqlite;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.BacklogUnavailableException;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.backlog.WriteStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog whose file cannot grow (SQLite's {@code max_page_count}, the size cap, gives a real
 * {@code SQLITE_FULL}): what fails, what is kept, and that it carries on once there is room.
 */
class SqliteBacklogFullDiskTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final long CAP = 256 * 1024;
  private static final int BATCH = 50;

  @TempDir Path dir;

  /** Appends batches until one fails; returns the events of the failed batch. */
  private static List<ObjectEvent> fill(SqliteBacklog backlog, int[] accepted) {
    for (int n = 0; n < 100_000; n += BATCH) {
      List<ObjectEvent> batch = numbered(n, BATCH);
      try {
        accepted[0] += backlog.append(batch, T0).accepted();
      } catch (BacklogUnavailableException e) {
        return batch;
      }
    }
    throw new AssertionError("the capped backlog took 100,000 events");
  }

  @Test
  void append_whenTheSizeCapIsReached_failsAsFullKeepsNothingOfTheBatchAndRecoversWhenRaised() {
    try (SqliteBacklog backlog =
        SqliteBacklog.open(
            dir.resolve("backlog.db"), SqliteOptions.defaults().withMaxSizeBytes(CAP))) {
      int[] accepted = {0};
      List<ObjectEvent> refused = fill(backlog, accepted);
      assertThat(accepted[0]).as("events accepted before the cap").isGreaterThan(0);

      BacklogUnavailableException e =
          catchThrowableOfType(
              BacklogUnavailableException.class, () -> backlog.append(refused, T0.plusSeconds(1)));
      assertThat(e.full()).isTrue();
      assertThat(e.getMessage()).contains("append").containsIgnoringCase("full");
      WriteStatus status = backlog.writeStatus();
      assertThat(status.writable()).isFalse();
      assertThat(status.full()).isTrue();
      assertThat(status.lastError()).containsIgnoringCase("full");
      assertThat(status.failingSince()).isEqualTo(T0);
      assertThat(status.lastFailureAt()).isEqualTo(T0.plusSeconds(1));
      assertThat(status.failedWrites()).isEqualTo(2);
      assertThat(backlog.stats(T0).waiting())
          .as("a failed append keeps none of its events")
          .isEqualTo(accepted[0]);

      backlog.setMaxSize(SqliteOptions.NO_MAX_SIZE);
      AppendResult again = backlog.append(refused, T0.plusSeconds(2));

      assertThat(again.accepted()).isEqualTo(BATCH);
      assertThat(again.duplicates()).isZero();
      assertThat(backlog.writeStatus().writable()).isTrue();
      assertThat(backlog.writeStatus().failingSince()).isNull();
      assertThat(backlog.writeStatus().failedWrites()).isEqualTo(2);
      assertThat(backlog.stats(T0).waiting()).isEqualTo(accepted[0] + BATCH);
    }
  }

  @Test
  void claimAndSettle_whenTheFileIsFull_failAndCommitOnceThereIsRoom() {
    try (SqliteBacklog backlog =
        SqliteBacklog.open(
            dir.resolve("backlog.db"), SqliteOptions.defaults().withMaxSizeBytes(CAP))) {
      int[] accepted = {0};
      fill(backlog, accepted);
      Duration lease = Duration.ofMinutes(5);

      // A claim of many writes as many release rows: there is no page for them.
      BacklogUnavailableException claimFailure =
          catchThrowableOfType(
              BacklogUnavailableException.class, () -> backlog.claim(500, lease, T0));
      assertThat(claimFailure.full()).isTrue();
      assertThat(backlog.stats(T0).leased()).as("a failed claim leases nothing").isZero();
      assertThat(backlog.stats(T0).releases()).isZero();

      backlog.setMaxSize(CAP * 2);
      List<Job> jobs = backlog.claim(500, lease, T0);
      assertThat(jobs).hasSize(500);
      // Outcomes with long errors need pages: fill what room is left, then settle.
      int[] more = {0};
      fillFrom(backlog, 1_000_000, more);
      String longError = "x".repeat(4_000);
      List<Settlement> settlements =
          jobs.stream().map(j -> Settlement.dead(j, "failed-permanent", longError)).toList();
      BacklogUnavailableException settleFailure =
          catchThrowableOfType(
              BacklogUnavailableException.class, () -> backlog.settle(settlements, T0));
      assertThat(settleFailure.full()).isTrue();
      assertThat(backlog.stats(T0).leased())
          .as("a failed settlement changes nothing")
          .isEqualTo(500);
      assertThat(backlog.stats(T0).dead()).isZero();

      backlog.setMaxSize(SqliteOptions.NO_MAX_SIZE);
      backlog.settle(settlements, T0.plusSeconds(1));

      assertThat(backlog.stats(T0).leased()).isZero();
      assertThat(backlog.stats(T0).dead()).isEqualTo(500);
      Set<Long> ids = new HashSet<>();
      backlog.deadLetters(0, 1000).forEach(d -> ids.add(d.eventId()));
      assertThat(ids).containsExactlyInAnyOrderElementsOf(jobs.stream().map(Job::eventId).toList());
      // A settlement changes rows in place, which a file at its cap may still take: it proves
      // nothing about room for new events. An append that commits does.
      assertThat(backlog.writeStatus().writable()).isFalse();
      backlog.append(numbered(2_000_000, 1), T0.plusSeconds(2));
      assertThat(backlog.writeStatus().writable()).isTrue();
    }
  }

  private static void fillFrom(SqliteBacklog backlog, int from, int[] accepted) {
    for (int n = from; n < from + 100_000; n += 10) {
      try {
        accepted[0] += backlog.append(numbered(n, 10), T0).accepted();
      } catch (BacklogUnavailableException e) {
        return;
      }
    }
    throw new AssertionError("the capped backlog took 100,000 more events");
  }
}
