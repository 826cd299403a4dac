package dev.sluice.testkit;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sluice.core.Job;
import dev.sluice.core.ListedObject;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.EventLocation.EventStatus;
import dev.sluice.core.backlog.Pruned;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import dev.sluice.core.partition.PartitionRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Backlog} must have. An implementation's test extends this class and
 * provides {@link #newBacklog()}; a durable store also overrides {@link #reopen(Backlog)} so the
 * persistence tests run.
 *
 * <p>All times are whole milliseconds after a fixed instant, so stores that keep microseconds
 * return exactly what they were given.
 */
public abstract class BacklogContract {

  /** The fixed instant the tests start at. */
  protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  /** The lease the tests claim with. */
  protected static final Duration LEASE = Duration.ofSeconds(30);

  /** The backlog under test; {@link #reopen} replaces it. */
  protected Backlog backlog;

  /** A fresh, empty backlog. */
  protected abstract Backlog newBacklog();

  /**
   * A fresh, empty backlog that keeps each event's partition by {@code rule}. {@link #reopen} opens
   * the store again with the default rule (none).
   */
  protected abstract Backlog newBacklog(PartitionRule rule);

  /**
   * Closes (or abandons, as a crash would) {@code backlog} and opens the same store again. The
   * default skips the persistence tests: a store that is not durable has nothing to reopen.
   */
  protected Backlog reopen(Backlog backlog) {
    Assumptions.abort("this backlog is not durable; persistence tests do not apply");
    return backlog;
  }

  /**
   * As {@link #reopen(Backlog)}, opening the store again with partitions by {@code rule}. The
   * default skips the tests that need it.
   */
  protected Backlog reopen(Backlog backlog, PartitionRule rule) {
    Assumptions.abort("this backlog is not durable; persistence tests do not apply");
    return backlog;
  }

  @BeforeEach
  void openBacklog() {
    backlog = newBacklog();
  }

  @AfterEach
  void closeBacklog() {
    if (backlog != null) {
      backlog.close();
    }
  }

  // ---------------------------------------------------------------- append

  @Test
  void append_whenNewEvents_acceptsAllAsWaitingAndDue() {
    AppendResult result = backlog.append(numbered(1, 3), T0);

    assertThat(result).isEqualTo(new AppendResult(3, 0));
    BacklogStats stats = backlog.stats(T0);
    assertThat(stats.waiting()).isEqualTo(3);
    assertThat(stats.due()).isEqualTo(3);
    assertThat(stats.oldestWaiting()).isEqualTo(T0);
  }

  @Test
  void append_whenEmptyList_acceptsNothing() {
    assertThat(backlog.append(List.of(), T0)).isEqualTo(new AppendResult(0, 0));
    assertThat(backlog.stats(T0).waiting()).isZero();
  }

  @Test
  void append_whenSameIdentityTwiceInOneBatch_acceptsOneAndCountsADuplicate() {
    AppendResult result = backlog.append(List.of(numbered(1), numbered(2), numbered(1)), T0);

    assertThat(result).isEqualTo(new AppendResult(2, 1));
    assertThat(backlog.stats(T0).waiting()).isEqualTo(2);
  }

  @Test
  void append_whenIdentityAlreadyWaiting_isADuplicate() {
    backlog.append(numbered(1, 2), T0);

    AppendResult again = backlog.append(numbered(1, 3), T0.plusSeconds(1));

    assertThat(again).isEqualTo(new AppendResult(1, 2));
    assertThat(backlog.stats(T0.plusSeconds(1)).waiting()).isEqualTo(3);
  }

  @Test
  void append_whenIdentityLeased_isADuplicate() {
    backlog.append(List.of(numbered(1)), T0);
    backlog.claim(10, LEASE, T0);

    assertThat(backlog.append(List.of(numbered(1)), T0)).isEqualTo(new AppendResult(0, 1));
    assertThat(backlog.stats(T0).waiting()).isZero();
  }

  @Test
  void append_whenIdentityAlreadyDone_isADuplicate() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    backlog.settle(List.of(Settlement.done(job)), T0.plusSeconds(1));

    AppendResult again = backlog.append(List.of(numbered(1)), T0.plusSeconds(2));

    assertThat(again).isEqualTo(new AppendResult(0, 1));
    assertThat(backlog.stats(T0.plusSeconds(2)).waiting()).isZero();
    assertThat(backlog.claim(10, LEASE, T0.plusSeconds(2))).isEmpty();
  }

  @Test
  void append_whenIdentityAlreadyDead_isADuplicate() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    backlog.settle(List.of(Settlement.dead(job, "failed-permanent", "bad input")), T0);

    AppendResult again = backlog.append(List.of(numbered(1)), T0.plusSeconds(2));

    assertThat(again).isEqualTo(new AppendResult(0, 1));
    assertThat(backlog.stats(T0.plusSeconds(2)).dead()).isEqualTo(1);
    assertThat(backlog.stats(T0.plusSeconds(2)).waiting()).isZero();
  }

  @Test
  void append_whenSameKeyHasANewVersion_isANewEvent() {
    ObjectEvent v1 = TestEvents.version("b", "report.csv", "v1");
    ObjectEvent v2 = TestEvents.version("b", "report.csv", "v2");

    AppendResult result = backlog.append(List.of(v1, v2, v1), T0);

    assertThat(result).isEqualTo(new AppendResult(2, 1));
  }

  @Test
  void append_whenSameObjectComesFromAnotherSource_isADuplicate() {
    ObjectEvent fromWebhook = numbered(1);
    ObjectEvent fromQueue =
        new ObjectEvent(
            fromWebhook.bucket(),
            fromWebhook.key(),
            fromWebhook.size(),
            fromWebhook.eTag(),
            fromWebhook.versionId(),
            fromWebhook.sequencer(),
            fromWebhook.eventName(),
            fromWebhook.eventTime(),
            "sqs");
    backlog.append(List.of(fromWebhook), T0);

    assertThat(backlog.append(List.of(fromQueue), T0)).isEqualTo(new AppendResult(0, 1));
  }

  // ----------------------------------------------------------------- claim

  @Test
  void claim_whenEventsWaiting_returnsJobsCarryingTheEventsAtAttemptOne() {
    List<ObjectEvent> events = numbered(1, 2);
    backlog.append(events, T0);
    Instant now = T0.plusSeconds(5);

    List<Job> jobs = backlog.claim(10, LEASE, now);

    assertThat(jobs).extracting(Job::event).containsExactlyElementsOf(events);
    assertThat(jobs).extracting(Job::attempt).containsOnly(1);
    assertThat(jobs).extracting(Job::releasedAt).containsOnly(now);
    assertThat(jobs).extracting(Job::eventId).doesNotHaveDuplicates();
    assertThat(jobs).extracting(Job::releaseId).doesNotHaveDuplicates();
    assertThat(jobs.get(1).releaseId()).isGreaterThan(jobs.get(0).releaseId());
  }

  @Test
  void claim_whenEventHasOnlyRequiredFields_returnsItUnchanged() {
    ObjectEvent bare = ObjectEvent.created("b", "dir/a b+c%20ü.txt", "webhook");
    backlog.append(List.of(bare), T0);

    assertThat(backlog.claim(1, LEASE, T0)).extracting(Job::event).containsExactly(bare);
  }

  @Test
  void claim_whenAppendedInSeveralBatches_returnsOldestFirst() {
    backlog.append(numbered(10, 2), T0);
    backlog.append(numbered(1, 2), T0.plusSeconds(1));
    backlog.append(numbered(5, 1), T0.plusSeconds(2));

    List<Job> jobs = backlog.claim(10, LEASE, T0.plusSeconds(3));

    assertThat(jobs)
        .extracting(Job::event)
        .containsExactly(numbered(10), numbered(11), numbered(1), numbered(2), numbered(5));
  }

  @Test
  void claim_whenMoreDueThanMax_returnsOnlyTheOldestMax() {
    backlog.append(numbered(1, 5), T0);

    List<Job> first = backlog.claim(2, LEASE, T0);
    List<Job> second = backlog.claim(2, LEASE, T0);

    assertThat(first).extracting(Job::event).containsExactly(numbered(1), numbered(2));
    assertThat(second).extracting(Job::event).containsExactly(numbered(3), numbered(4));
    assertThat(backlog.stats(T0).waiting()).isEqualTo(1);
    assertThat(backlog.stats(T0).leased()).isEqualTo(4);
  }

  @Test
  void claim_whenMaxIsZero_claimsNothing() {
    backlog.append(numbered(1, 2), T0);

    assertThat(backlog.claim(0, LEASE, T0)).isEmpty();
    assertThat(backlog.stats(T0).releases()).isZero();
  }

  @Test
  void claim_whenArgumentsInvalid_throwsNamingTheArgument() {
    assertThatThrownBy(() -> backlog.claim(-1, LEASE, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max");
    assertThatThrownBy(() -> backlog.claim(1, Duration.ZERO, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lease");
  }

  @Test
  void claim_whenEventAppendedLater_doesNotClaimItYet() {
    backlog.append(List.of(numbered(1)), T0.plusSeconds(10));

    assertThat(backlog.claim(10, LEASE, T0.plusSeconds(9))).isEmpty();
    assertThat(backlog.claim(10, LEASE, T0.plusSeconds(10))).hasSize(1);
  }

  @Test
  void claim_whenEventLeased_doesNotClaimItAgainBeforeTheLeaseEnds() {
    backlog.append(List.of(numbered(1)), T0);
    backlog.claim(10, LEASE, T0);

    assertThat(backlog.claim(10, LEASE, T0.plus(LEASE).minusMillis(1))).isEmpty();
  }

  @Test
  void claim_whenLeaseExpired_claimsTheEventAgainWithNextAttemptAndNewRelease() {
    backlog.append(List.of(numbered(1)), T0);
    Job first = backlog.claim(10, LEASE, T0).get(0);
    Instant expiry = T0.plus(LEASE);

    List<Job> again = backlog.claim(10, LEASE, expiry);

    assertThat(again).hasSize(1);
    Job second = again.get(0);
    assertThat(second.eventId()).isEqualTo(first.eventId());
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.releaseId()).isGreaterThan(first.releaseId());
    assertThat(second.releasedAt()).isEqualTo(expiry);
    assertThat(second.event()).isEqualTo(numbered(1));
    BacklogStats stats = backlog.stats(expiry);
    assertThat(stats.leased()).isEqualTo(1);
    assertThat(stats.releases()).isEqualTo(2);
  }

  @Test
  void claim_whenLeaseExpired_closesTheLostReleaseAsExpired() {
    backlog.append(List.of(numbered(1)), T0);
    Job first = backlog.claim(10, LEASE, T0).get(0);
    Instant expiry = T0.plus(LEASE);
    backlog.claim(10, LEASE, expiry);

    ReleaseRecord lost = backlog.releases(T0, 0, 10).get(0);

    assertThat(lost.releaseId()).isEqualTo(first.releaseId());
    assertThat(lost.outcome()).isEqualTo("expired");
    assertThat(lost.finishedAt()).isEqualTo(expiry);
  }

  @Test
  void claim_whenRetryIsDueLater_doesNotClaimItEarly() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    Instant retryAt = T0.plusSeconds(60);
    backlog.settle(List.of(Settlement.retry(job, "throttled", "slow down", retryAt)), T0);

    assertThat(backlog.claim(10, LEASE, retryAt.minusMillis(1))).isEmpty();
    List<Job> retried = backlog.claim(10, LEASE, retryAt);
    assertThat(retried).extracting(Job::eventId).containsExactly(job.eventId());
    assertThat(retried).extracting(Job::attempt).containsExactly(2);
  }

  @Test
  void claim_whenRetryAndNewEventsAreDue_ordersByDueTimeThenArrival() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    backlog.settle(List.of(Settlement.retry(job, "throttled", null, T0.plusSeconds(10))), T0);
    backlog.append(List.of(numbered(2)), T0.plusSeconds(5));
    backlog.append(List.of(numbered(3)), T0.plusSeconds(15));

    List<Job> jobs = backlog.claim(10, LEASE, T0.plusSeconds(20));

    assertThat(jobs).extracting(Job::event).containsExactly(numbered(2), numbered(1), numbered(3));
  }

  @Test
  void claim_whenExpiredLeaseAndWaitingEvents_ordersByDueTimeThenArrival() {
    backlog.append(List.of(numbered(1)), T0);
    backlog.claim(10, LEASE, T0); // lease of event 1 ends at T0 + 30 s
    backlog.append(List.of(numbered(2)), T0.plusSeconds(20));
    backlog.append(List.of(numbered(3)), T0.plusSeconds(40));

    List<Job> jobs = backlog.claim(10, LEASE, T0.plusSeconds(50));

    assertThat(jobs).extracting(Job::event).containsExactly(numbered(2), numbered(1), numbered(3));
  }

  // ---------------------------------------------------------------- settle

  @Test
  void settle_whenDone_marksTheEventDoneAndClosesTheRelease() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    Instant finished = T0.plusSeconds(3);

    backlog.settle(List.of(Settlement.done(job)), finished);

    BacklogStats stats = backlog.stats(finished);
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.leased()).isZero();
    assertThat(stats.waiting()).isZero();
    ReleaseRecord release = backlog.releases(T0, 0, 10).get(0);
    assertThat(release.outcome()).isEqualTo("completed");
    assertThat(release.finishedAt()).isEqualTo(finished);
    assertThat(release.error()).isNull();
    assertThat(backlog.claim(10, LEASE, T0.plus(LEASE).plusSeconds(1))).isEmpty();
  }

  // ---------------------------------------------------------------- settleAndClaim

  @Test
  void settleAndClaim_settlesTheOutcomesAndClaimsTheNextEvents() {
    backlog.append(numbered(1, 3), T0);
    List<Job> first = backlog.claim(2, LEASE, T0);
    Instant step = T0.plusSeconds(2);

    List<Job> next =
        backlog.settleAndClaim(
            List.of(
                Settlement.done(first.get(0)),
                Settlement.retry(first.get(1), "throttled", null, T0.plusSeconds(60))),
            List.of(step, step),
            LEASE,
            step);

    assertThat(next).extracting(j -> j.event()).containsExactly(numbered(3));
    assertThat(next.get(0).releasedAt()).isEqualTo(step);
    BacklogStats stats = backlog.stats(step);
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.waiting()).isEqualTo(1);
    assertThat(stats.due()).isZero();
    assertThat(stats.leased()).isEqualTo(1);
    assertThat(stats.releases()).isEqualTo(3);
    assertThat(backlog.releases(T0, 0, 10))
        .extracting(ReleaseRecord::outcome)
        .containsExactly("completed", "throttled", null);
  }

  @Test
  void settleAndClaim_whenARetryIsDueAtOnce_claimsItAgainWithTheNextAttempt() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(1, LEASE, T0).get(0);
    Instant step = T0.plusSeconds(1);

    List<Job> next =
        backlog.settleAndClaim(
            List.of(Settlement.retry(job, "failed-retryable", "HTTP 503", step)),
            List.of(step),
            LEASE,
            step);

    assertThat(next).hasSize(1);
    assertThat(next.get(0).eventId()).isEqualTo(job.eventId());
    assertThat(next.get(0).attempt()).isEqualTo(2);
    assertThat(next.get(0).releaseId()).isNotEqualTo(job.releaseId());
    assertThat(backlog.stats(step).leased()).isEqualTo(1);
  }

  @Test
  void settleAndClaim_whenASettlementIsStale_ignoresItAndStillClaims() {
    backlog.append(List.of(numbered(1)), T0);
    Job stale = backlog.claim(1, LEASE, T0).get(0);
    Instant reclaimed = T0.plus(LEASE).plusSeconds(1);
    Job current = backlog.claim(1, LEASE, reclaimed).get(0);
    backlog.append(List.of(numbered(2)), reclaimed);

    List<Job> next =
        backlog.settleAndClaim(
            List.of(Settlement.done(stale)), List.of(reclaimed), LEASE, reclaimed);

    assertThat(current.eventId()).isEqualTo(stale.eventId());
    assertThat(next).extracting(j -> j.event()).containsExactly(numbered(2));
    BacklogStats stats = backlog.stats(reclaimed);
    assertThat(stats.done()).isZero();
    assertThat(stats.leased()).isEqualTo(2);
  }

  @Test
  void settleAndClaim_whenNothingToClaim_stillSettles() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(1, LEASE, T0).get(0);

    List<Job> next =
        backlog.settleAndClaim(
            List.of(Settlement.done(job)), List.of(T0.plusSeconds(1)), LEASE, T0.plusSeconds(1));

    assertThat(next).isEmpty();
    assertThat(backlog.stats(T0.plusSeconds(1)).done()).isEqualTo(1);
    assertThat(backlog.releases(T0, 0, 10).get(0).outcome()).isEqualTo("completed");
  }

  @Test
  void settle_whenLeaseWasLostToANewerClaim_isIgnored() {
    backlog.append(List.of(numbered(1)), T0);
    Job stale = backlog.claim(10, LEASE, T0).get(0);
    Instant reclaimed = T0.plus(LEASE).plusSeconds(1);
    Job current = backlog.claim(10, LEASE, reclaimed).get(0);

    backlog.settle(List.of(Settlement.dead(stale, "failed-permanent", "late answer")), reclaimed);

    BacklogStats stats = backlog.stats(reclaimed);
    assertThat(stats.leased()).isEqualTo(1);
    assertThat(stats.dead()).isZero();
    assertThat(backlog.deadLetters(0, 10)).isEmpty();
    assertThat(backlog.releases(T0, 0, 10).get(0).outcome()).isEqualTo("expired");

    backlog.settle(List.of(Settlement.done(current)), reclaimed.plusSeconds(1));

    assertThat(backlog.stats(reclaimed.plusSeconds(1)).done()).isEqualTo(1);
    assertThat(backlog.stats(reclaimed.plusSeconds(1)).leased()).isZero();
  }

  @Test
  void settle_whenLeaseExpiredButNobodyClaimedAgain_applies() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    Instant late = T0.plus(LEASE).plusSeconds(15);

    backlog.settle(List.of(Settlement.done(job)), late);

    assertThat(backlog.stats(late).done()).isEqualTo(1);
    assertThat(backlog.claim(10, LEASE, late)).isEmpty();
  }

  @Test
  void settle_whenSameJobSettledTwice_appliesOnlyTheFirst() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);

    backlog.settle(List.of(Settlement.done(job)), T0.plusSeconds(1));
    backlog.settle(List.of(Settlement.retry(job, "throttled", null, T0)), T0.plusSeconds(2));

    BacklogStats stats = backlog.stats(T0.plusSeconds(2));
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.waiting()).isZero();
    assertThat(backlog.releases(T0, 0, 10).get(0).outcome()).isEqualTo("completed");
  }

  @Test
  void settle_whenRetry_makesTheEventWaitingDueAtRetryAt() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    Instant retryAt = T0.plusSeconds(60);

    backlog.settle(
        List.of(Settlement.retry(job, "failed-retryable", "HTTP 503", retryAt)), T0.plusSeconds(1));

    BacklogStats before = backlog.stats(retryAt.minusMillis(1));
    assertThat(before.waiting()).isEqualTo(1);
    assertThat(before.due()).isZero();
    assertThat(before.leased()).isZero();
    assertThat(backlog.stats(retryAt).due()).isEqualTo(1);
    ReleaseRecord release = backlog.releases(T0, 0, 10).get(0);
    assertThat(release.outcome()).isEqualTo("failed-retryable");
    assertThat(release.error()).isEqualTo("HTTP 503");
    assertThat(release.finishedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void settle_whenDead_listsTheDeadLetterWithAttemptsAndLastError() {
    backlog.append(List.of(numbered(1)), T0);
    Job first = backlog.claim(10, LEASE, T0).get(0);
    backlog.settle(List.of(Settlement.retry(first, "failed-retryable", "timeout", T0)), T0);
    Job second = backlog.claim(10, LEASE, T0.plusSeconds(1)).get(0);
    Instant deadAt = T0.plusSeconds(2);

    backlog.settle(List.of(Settlement.dead(second, "failed-permanent", "no such key")), deadAt);

    assertThat(backlog.deadLetters(0, 10))
        .containsExactly(new DeadLetter(first.eventId(), numbered(1), 2, "no such key", deadAt));
    BacklogStats stats = backlog.stats(deadAt);
    assertThat(stats.dead()).isEqualTo(1);
    assertThat(stats.leased()).isZero();
    assertThat(stats.waiting()).isZero();
    assertThat(backlog.claim(10, LEASE, deadAt.plus(LEASE))).isEmpty();
  }

  @Test
  void settle_whenBatchMixesKinds_appliesEach() {
    backlog.append(numbered(1, 3), T0);
    List<Job> jobs = backlog.claim(10, LEASE, T0);

    backlog.settle(
        List.of(
            Settlement.done(jobs.get(0)),
            Settlement.retry(jobs.get(1), "throttled", null, T0.plusSeconds(9)),
            Settlement.dead(jobs.get(2), "failed-permanent", "bad")),
        T0.plusSeconds(1));

    BacklogStats stats = backlog.stats(T0.plusSeconds(1));
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.waiting()).isEqualTo(1);
    assertThat(stats.dead()).isEqualTo(1);
    assertThat(stats.leased()).isZero();
  }

  @Test
  void settle_whenThrottled_waitsUntilRetryAtWithoutSpendingAnAttempt() {
    backlog.append(List.of(numbered(1)), T0);
    Job first = backlog.claim(10, LEASE, T0).get(0);
    Instant retryAt = T0.plusSeconds(5);

    backlog.settle(List.of(Settlement.throttled(first, "throttled: 429", retryAt)), T0);
    Job second = backlog.claim(10, LEASE, retryAt).get(0);
    backlog.settle(List.of(Settlement.throttled(second, "throttled: 429", retryAt)), retryAt);
    Job third = backlog.claim(10, LEASE, retryAt).get(0);

    assertThat(List.of(first.attempt(), second.attempt(), third.attempt())).containsOnly(1);
    assertThat(backlog.releases(T0, 0, 10))
        .extracting(ReleaseRecord::outcome)
        .containsExactly("throttled", "throttled", null);
    backlog.settle(List.of(Settlement.retry(third, "failed-retryable", "boom", retryAt)), retryAt);
    assertThat(backlog.claim(10, LEASE, retryAt).get(0).attempt()).isEqualTo(2);
  }

  @Test
  void settle_whenStarted_keepsTheEventLeasedAndTheReleaseOpenUntilItsEnd() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    Instant answered = T0.plusMillis(40);
    Instant holdUntil = T0.plusSeconds(3600);

    backlog.settle(
        List.of(Settlement.started(job, holdUntil).at(T0.plusMillis(10), answered)), answered);

    BacklogStats running = backlog.stats(T0.plusSeconds(600));
    assertThat(running.leased()).isEqualTo(1);
    assertThat(running.waiting()).isZero();
    // Not due again while the work runs, though the claim's own lease is long over.
    assertThat(backlog.claim(10, LEASE, T0.plusSeconds(600))).isEmpty();
    ReleaseRecord open = backlog.releases(T0, 0, 10).get(0);
    assertThat(open.outcome()).isNull();
    assertThat(open.answeredAt()).isEqualTo(answered);

    Instant ended = T0.plusSeconds(900);
    backlog.settle(List.of(Settlement.done(job)), ended);

    assertThat(backlog.stats(ended).done()).isEqualTo(1);
    ReleaseRecord closed = backlog.releases(T0, 0, 10).get(0);
    assertThat(closed.outcome()).isEqualTo("completed");
    assertThat(closed.finishedAt()).isEqualTo(ended);
    assertThat(closed.reachedAt()).isEqualTo(T0.plusMillis(10));
    assertThat(closed.answeredAt()).isEqualTo(answered);
  }

  @Test
  void settle_whenStartedWorkIsNeverReported_releasesTheEventAgainAfterTheHold() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    Instant holdUntil = T0.plusSeconds(3600);
    backlog.settle(List.of(Settlement.started(job, holdUntil)), T0.plusSeconds(1));

    List<Job> again = backlog.claim(10, LEASE, holdUntil);

    assertThat(again).hasSize(1);
    assertThat(again.get(0).attempt()).isEqualTo(2);
    assertThat(backlog.releases(T0, 0, 10).get(0).outcome()).isEqualTo("expired");
    backlog.settle(List.of(Settlement.done(job)), holdUntil.plusSeconds(1));
    assertThat(backlog.stats(holdUntil.plusSeconds(1)).done()).isZero();
  }

  @Test
  void settle_whenStartedAndFailedLater_retriesTheEvent() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    backlog.settle(List.of(Settlement.started(job, T0.plusSeconds(3600))), T0.plusSeconds(1));

    backlog.settle(
        List.of(Settlement.retry(job, "failed-retryable", "States.Timeout", T0.plusSeconds(20))),
        T0.plusSeconds(10));

    assertThat(backlog.stats(T0.plusSeconds(10)).waiting()).isEqualTo(1);
    assertThat(backlog.stats(T0.plusSeconds(10)).leased()).isZero();
    Job retry = backlog.claim(10, LEASE, T0.plusSeconds(20)).get(0);
    assertThat(retry.attempt()).isEqualTo(2);
    assertThat(backlog.releases(T0, 0, 10).get(0).error()).isEqualTo("States.Timeout");
  }

  // ---------------------------------------------------------------- known

  @Test
  void known_whenObjectsListed_answersInOrderWhichHaveAnEventWithTheirETag() {
    backlog.append(numbered(1, 3), T0);

    List<Boolean> known =
        backlog.known(
            List.of(
                ListedObject.of(TestEvents.BUCKET, numbered(2).key(), "etag-2"),
                ListedObject.of(TestEvents.BUCKET, numbered(5).key(), "etag-5"),
                ListedObject.of(TestEvents.BUCKET, numbered(1).key(), "etag-other"),
                ListedObject.of(TestEvents.BUCKET, numbered(3).key(), null),
                ListedObject.of("elsewhere", numbered(3).key(), "etag-3")));

    assertThat(known).containsExactly(true, false, false, true, false);
  }

  @Test
  void known_whenNothingAsked_answersEmpty() {
    backlog.append(numbered(1, 2), T0);

    assertThat(backlog.known(List.of())).isEmpty();
  }

  @Test
  void known_whenTheEventCarriedNoETag_matchesAnyETagOfItsKey() {
    backlog.append(List.of(ObjectEvent.created(TestEvents.BUCKET, "in/no-etag.csv", "test")), T0);

    assertThat(
            backlog.known(
                List.of(
                    ListedObject.of(TestEvents.BUCKET, "in/no-etag.csv", "d41d8cd9"),
                    ListedObject.of(TestEvents.BUCKET, "in/other.csv", "d41d8cd9"))))
        .containsExactly(true, false);
  }

  @Test
  void known_whenListingQuotesAnMd5ETag_matchesTheNotificationsUnquotedOne() {
    String md5 = "0123456789abcdef0123456789abcdef";
    backlog.append(
        List.of(
            new ObjectEvent(
                TestEvents.BUCKET,
                "in/a b+c.parquet",
                10L,
                md5,
                null,
                "0062F1A3B2C4D5E6F7",
                "ObjectCreated:Put",
                T0,
                "webhook")),
        T0);

    assertThat(
            backlog.known(
                List.of(
                    ListedObject.of(TestEvents.BUCKET, "in/a b+c.parquet", "\"" + md5 + "\""),
                    ListedObject.of(
                        TestEvents.BUCKET, "in/a b+c.parquet", "fedcba9876543210fedcba9876543210"),
                    ListedObject.of(TestEvents.BUCKET, "in/a+b+c.parquet", md5))))
        .containsExactly(true, false, false);
  }

  @Test
  void known_whenEventsAreDoneDeadOrPurged_stillKnowsThem() {
    backlog.append(numbered(1, 4), T0);
    List<Job> jobs = backlog.claim(3, LEASE, T0);
    backlog.settle(
        List.of(
            Settlement.done(jobs.get(0)),
            Settlement.dead(jobs.get(1), "failed-permanent", "bad input"),
            Settlement.dead(jobs.get(2), "failed-permanent", "bad input")),
        T0.plusSeconds(1));
    long purgedId = backlog.deadLetters(0, 10).get(1).eventId();
    assertThat(backlog.purge(List.of(purgedId), T0.plusSeconds(2))).isEqualTo(1);

    List<ListedObject> listed = new ArrayList<>();
    for (int n = 1; n <= 4; n++) {
      listed.add(ListedObject.of(TestEvents.BUCKET, numbered(n).key(), "etag-" + n));
    }

    assertThat(backlog.known(listed)).containsExactly(true, true, true, true);
  }

  @Test
  void known_whenTheEventWasPruned_noLongerKnowsIt() {
    backlog.append(numbered(1, 2), T0);
    doneAt(T0.plusSeconds(10));

    pruneAll(T0.plusSeconds(50), T0, 100);

    assertThat(
            backlog.known(
                List.of(
                    ListedObject.of(TestEvents.BUCKET, numbered(1).key(), "etag-1"),
                    ListedObject.of(TestEvents.BUCKET, numbered(2).key(), "etag-2"))))
        .containsExactly(false, true);
  }

  @Test
  void known_whenAListedObjectIsTaken_isKnownAndTakingItAgainIsADuplicate() {
    ListedObject listed =
        new ListedObject(TestEvents.BUCKET, "old/x.csv", "\"abc-2\"", 7L, T0.minusSeconds(3600));

    assertThat(backlog.known(List.of(listed))).containsExactly(false);
    assertThat(backlog.append(List.of(listed.toEvent("backfill")), T0))
        .isEqualTo(new AppendResult(1, 0));

    assertThat(backlog.known(List.of(listed))).containsExactly(true);
    assertThat(backlog.append(List.of(listed.toEvent("backfill")), T0.plusSeconds(1)))
        .isEqualTo(new AppendResult(0, 1));
    Job job = backlog.claim(1, LEASE, T0.plusSeconds(2)).get(0);
    assertThat(job.event().eTag()).isEqualTo("abc-2");
    assertThat(job.event().source()).isEqualTo("backfill");
    assertThat(job.event().eventTime()).isEqualTo(T0.minusSeconds(3600));
  }

  @Test
  void known_whenManyObjectsAsked_answersEachInItsPlace() {
    List<ObjectEvent> even = new ArrayList<>();
    for (int n = 2; n <= 2_000; n += 2) {
      even.add(numbered(n));
    }
    backlog.append(even, T0);
    List<ListedObject> listed = new ArrayList<>();
    for (int n = 1; n <= 2_000; n++) {
      listed.add(ListedObject.of(TestEvents.BUCKET, numbered(n).key(), "etag-" + n));
    }

    List<Boolean> known = backlog.known(listed);

    assertThat(known).hasSize(2_000);
    for (int n = 1; n <= 2_000; n++) {
      assertThat(known.get(n - 1)).as("object %d", n).isEqualTo(n % 2 == 0);
    }
  }

  // ---------------------------------------------------------------- locate

  @Test
  void locate_whenEventsWait_givesEachItsPlaceInClaimOrder() {
    backlog.append(numbered(1, 5), T0);

    List<EventLocation> third =
        backlog.locate(TestEvents.BUCKET, numbered(3).key(), T0.plusSeconds(1));

    assertThat(third).hasSize(1);
    EventLocation e = third.get(0);
    assertThat(e.event()).isEqualTo(numbered(3));
    assertThat(e.state()).isEqualTo(EventStatus.WAITING);
    assertThat(e.ahead()).isEqualTo(2L);
    assertThat(e.dueAt()).isEqualTo(T0);
    assertThat(e.acceptedAt()).isEqualTo(T0);
    assertThat(e.attempts()).isZero();
  }

  @Test
  void locate_whenARetryIsDueEarlier_countsItAheadAndLaterOnesNot() {
    backlog.append(numbered(1, 3), T0);
    Job first = backlog.claim(1, LEASE, T0).get(0);
    // event 1 retries at T0 + 5 s; events 4 and 5 arrive at T0 + 10 s
    backlog.settle(List.of(Settlement.retry(first, "failed", "boom", T0.plusSeconds(5))), T0);
    backlog.append(numbered(4, 2), T0.plusSeconds(10));
    Instant now = T0.plusSeconds(11);

    assertThat(backlog.locate(TestEvents.BUCKET, numbered(1).key(), now).get(0).ahead())
        .isEqualTo(2L);
    assertThat(backlog.locate(TestEvents.BUCKET, numbered(2).key(), now).get(0).ahead())
        .isEqualTo(0L);
    EventLocation fifth = backlog.locate(TestEvents.BUCKET, numbered(5).key(), now).get(0);
    assertThat(fifth.ahead()).isEqualTo(4L);
    EventLocation retried = backlog.locate(TestEvents.BUCKET, numbered(1).key(), now).get(0);
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.lastError()).isEqualTo("boom");
    assertThat(retried.dueAt()).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void locate_whenALeaseExpiredBeforeIt_countsTheExpiredLeaseAhead() {
    backlog.append(numbered(1, 1), T0);
    backlog.claim(1, LEASE, T0); // lease ends at T0 + 30 s
    backlog.append(numbered(2, 2), T0.plusSeconds(40));

    EventLocation second =
        backlog.locate(TestEvents.BUCKET, numbered(2).key(), T0.plusSeconds(50)).get(0);
    EventLocation beforeExpiry =
        backlog.locate(TestEvents.BUCKET, numbered(2).key(), T0.plusSeconds(20)).get(0);

    assertThat(second.ahead()).isEqualTo(1L);
    assertThat(beforeExpiry.ahead()).isEqualTo(0L);
  }

  @Test
  void locate_followsTheEventThroughLeasedRunningDoneAndDead() {
    backlog.append(numbered(1, 3), T0);
    List<Job> jobs = backlog.claim(3, LEASE, T0);
    String k1 = numbered(1).key();
    String k2 = numbered(2).key();
    String k3 = numbered(3).key();
    assertThat(backlog.locate(TestEvents.BUCKET, k1, T0).get(0).state())
        .isEqualTo(EventStatus.LEASED);
    assertThat(backlog.locate(TestEvents.BUCKET, k1, T0).get(0).ahead()).isNull();

    backlog.settle(
        List.of(
            Settlement.started(jobs.get(0), T0.plusSeconds(600))
                .at(T0.plusMillis(10), T0.plusMillis(20)),
            Settlement.done(jobs.get(1)),
            Settlement.dead(jobs.get(2), "failed", "no such file")),
        T0.plusSeconds(1));

    assertThat(backlog.locate(TestEvents.BUCKET, k1, T0.plusSeconds(2)).get(0).state())
        .isEqualTo(EventStatus.RUNNING);
    assertThat(backlog.locate(TestEvents.BUCKET, k2, T0.plusSeconds(2)).get(0).state())
        .isEqualTo(EventStatus.DONE);
    EventLocation dead = backlog.locate(TestEvents.BUCKET, k3, T0.plusSeconds(2)).get(0);
    assertThat(dead.state()).isEqualTo(EventStatus.DEAD);
    assertThat(dead.lastError()).isEqualTo("no such file");
    assertThat(dead.dueAt()).isNull();
  }

  @Test
  void locate_whenTheObjectHasSeveralVersions_givesEveryOneOldestFirst() {
    backlog.append(
        List.of(
            TestEvents.version("b", "dir/x.csv", "v1"),
            TestEvents.version("b", "dir/x.csv.bak", "v1"),
            TestEvents.version("b", "dir/x.csv", "v2"),
            TestEvents.version("b2", "dir/x.csv", "v1")),
        T0);

    List<EventLocation> found = backlog.locate("b", "dir/x.csv", T0);

    assertThat(found)
        .extracting(l -> l.event().versionId(), l -> l.ahead())
        .containsExactly(tuple("v1", 0L), tuple("v2", 2L));
  }

  @Test
  void locate_whenNoSuchObject_isEmpty() {
    backlog.append(numbered(1, 2), T0);

    assertThat(backlog.locate(TestEvents.BUCKET, "data/nothing.parquet", T0)).isEmpty();
    assertThat(backlog.locate("other", numbered(1).key(), T0)).isEmpty();
    assertThat(backlog.locate(TestEvents.BUCKET, "data/part", T0)).isEmpty();
  }

  // ------------------------------------------------------------ dead letters

  @Test
  void deadLetters_whenPaged_returnsOldestFirstAfterTheGivenId() {
    List<Long> ids = killAll(numbered(1, 5), T0);

    List<DeadLetter> first = backlog.deadLetters(0, 2);
    List<DeadLetter> second = backlog.deadLetters(first.get(1).eventId(), 2);
    List<DeadLetter> last = backlog.deadLetters(second.get(1).eventId(), 2);

    assertThat(first).extracting(DeadLetter::eventId).containsExactly(ids.get(0), ids.get(1));
    assertThat(second).extracting(DeadLetter::eventId).containsExactly(ids.get(2), ids.get(3));
    assertThat(last).extracting(DeadLetter::eventId).containsExactly(ids.get(4));
    assertThat(first).extracting(DeadLetter::event).containsExactly(numbered(1), numbered(2));
  }

  @Test
  void redrive_whenIdsGiven_movesOnlyThoseBackWithAttemptsReset() {
    List<Long> ids = killAll(numbered(1, 3), T0);
    Instant now = T0.plusSeconds(100);

    int moved = backlog.redrive(List.of(ids.get(1)), now);

    assertThat(moved).isEqualTo(1);
    BacklogStats stats = backlog.stats(now);
    assertThat(stats.dead()).isEqualTo(2);
    assertThat(stats.waiting()).isEqualTo(1);
    assertThat(stats.due()).isEqualTo(1);
    assertThat(backlog.deadLetters(0, 10))
        .extracting(DeadLetter::eventId)
        .containsExactly(ids.get(0), ids.get(2));
    List<Job> jobs = backlog.claim(10, LEASE, now);
    assertThat(jobs).extracting(Job::eventId).containsExactly(ids.get(1));
    assertThat(jobs).extracting(Job::attempt).containsExactly(1);
  }

  @Test
  void redrive_whenEmptyList_movesEveryDeadLetter() {
    killAll(numbered(1, 3), T0);
    Instant now = T0.plusSeconds(100);

    assertThat(backlog.redrive(List.of(), now)).isEqualTo(3);

    assertThat(backlog.deadLetters(0, 10)).isEmpty();
    assertThat(backlog.stats(now).dead()).isZero();
    assertThat(backlog.claim(10, LEASE, now))
        .extracting(Job::event)
        .containsExactly(numbered(1), numbered(2), numbered(3));
  }

  @Test
  void redrive_whenEventIsNotDead_leavesItAlone() {
    backlog.append(numbered(1, 2), T0);
    List<Job> jobs = backlog.claim(1, LEASE, T0);
    backlog.settle(List.of(Settlement.done(jobs.get(0))), T0);
    long doneId = jobs.get(0).eventId();

    int moved = backlog.redrive(List.of(doneId, 999_999L), T0.plusSeconds(1));

    assertThat(moved).isZero();
    assertThat(backlog.stats(T0.plusSeconds(1)).done()).isEqualTo(1);
    assertThat(backlog.stats(T0.plusSeconds(1)).waiting()).isEqualTo(1);
  }

  // --------------------------------------------------------- prune

  /** Prunes until the backlog has caught up; the totals deleted. */
  private Pruned pruneAll(Instant settledBefore, Instant releasedBefore, int max) {
    int events = 0;
    int releases = 0;
    for (int calls = 0; calls < 1000; calls++) {
      Pruned p = backlog.prune(settledBefore, releasedBefore, max);
      assertThat(p.events()).isLessThanOrEqualTo(max);
      assertThat(p.releases()).isLessThanOrEqualTo(max);
      events += p.events();
      releases += p.releases();
      if (!p.more()) {
        return new Pruned(events, releases, false);
      }
    }
    throw new AssertionError("prune never caught up");
  }

  private void doneAt(Instant at) {
    List<Job> jobs = backlog.claim(1, LEASE, at);
    assertThat(jobs).hasSize(1);
    backlog.settle(List.of(Settlement.done(jobs.get(0))), at);
  }

  @Test
  void prune_whenDoneEventsOlderThanHorizon_deletesThemAndKeepsYoungerOnes() {
    backlog.append(numbered(1, 4), T0);
    doneAt(T0.plusSeconds(10));
    doneAt(T0.plusSeconds(20));
    doneAt(T0.plusSeconds(100));
    // before pruning, a redelivery of a done event is a duplicate
    assertThat(backlog.append(numbered(1, 1), T0.plusSeconds(30)).duplicates()).isEqualTo(1);

    Pruned pruned = pruneAll(T0.plusSeconds(50), T0, 100);

    assertThat(pruned.events()).isEqualTo(2);
    assertThat(pruned.releases()).isZero();
    Instant later = T0.plusSeconds(200);
    BacklogStats stats = backlog.stats(later);
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.waiting()).isEqualTo(1);
    assertThat(backlog.locate(TestEvents.BUCKET, numbered(1).key(), later)).isEmpty();
    assertThat(backlog.locate(TestEvents.BUCKET, numbered(3).key(), later))
        .extracting(EventLocation::state)
        .containsExactly(EventStatus.DONE);
    // after the horizon a redelivery is a new event; a younger done event is still a duplicate
    assertThat(backlog.append(numbered(1, 1), later)).isEqualTo(new AppendResult(1, 0));
    assertThat(backlog.append(numbered(3, 1), later)).isEqualTo(new AppendResult(0, 1));
    assertThat(backlog.stats(later).waiting()).isEqualTo(2);
  }

  @Test
  void prune_neverDeletesWaitingLeasedOrDeadEventsNorOpenReleases() {
    backlog.append(numbered(1, 3), T0);
    List<Job> jobs = backlog.claim(3, LEASE, T0);
    backlog.settle(
        List.of(
            Settlement.dead(jobs.get(0), "failed-permanent", "boom"), Settlement.done(jobs.get(2))),
        T0);
    backlog.append(numbered(4, 2), T0.plusSeconds(1));
    Instant farLater = T0.plus(Duration.ofDays(400));

    Pruned pruned = pruneAll(farLater, farLater, 100);

    // only the done event goes; of the releases only the dead letter's, which is closed (the
    // leased event's is open, and the done event's is the newest)
    assertThat(pruned).isEqualTo(new Pruned(1, 1, false));
    BacklogStats stats = backlog.stats(farLater);
    assertThat(stats.waiting()).isEqualTo(2);
    assertThat(stats.leased()).isEqualTo(1);
    assertThat(stats.dead()).isEqualTo(1);
    assertThat(stats.done()).isZero();
    assertThat(stats.releases()).isEqualTo(2);
    assertThat(backlog.deadLetters(0, 10))
        .extracting(DeadLetter::eventId)
        .containsExactly(jobs.get(0).eventId());
    List<ReleaseRecord> left = backlog.releases(Instant.EPOCH, 0, 10);
    assertThat(left)
        .extracting(ReleaseRecord::releaseId)
        .containsExactly(jobs.get(1).releaseId(), jobs.get(2).releaseId());
    // the done event's release outlives it, with no identity, bucket or key
    assertThat(left.get(1).identity()).isNull();
    assertThat(left.get(1).key()).isNull();
    assertThat(left.get(1).eventId()).isEqualTo(jobs.get(2).eventId());
    assertThat(left.get(0).key()).isEqualTo(numbered(2).key());
    // the leased event still settles
    backlog.settle(List.of(Settlement.done(jobs.get(1))), farLater);
    assertThat(backlog.stats(farLater).done()).isEqualTo(1);
  }

  @Test
  void prune_whenReleasesOlderThanHorizon_deletesOnlyThoseAndKeepsTheirEvents() {
    backlog.append(numbered(1, 3), T0);
    doneAt(T0);
    doneAt(T0.plusSeconds(10));
    doneAt(T0.plusSeconds(20));

    Pruned pruned = pruneAll(T0, T0.plusSeconds(15), 100);

    assertThat(pruned).isEqualTo(new Pruned(0, 2, false));
    Instant later = T0.plusSeconds(30);
    assertThat(backlog.releases(Instant.EPOCH, 0, 10))
        .extracting(ReleaseRecord::key)
        .containsExactly(numbered(3).key());
    assertThat(backlog.stats(later).releases()).isEqualTo(1);
    assertThat(backlog.stats(later).done()).isEqualTo(3);
    assertThat(backlog.startTimes(T0, LEASE)).containsExactly(T0.plusSeconds(20));
    assertThat(backlog.locate(TestEvents.BUCKET, numbered(1).key(), later))
        .extracting(EventLocation::state)
        .containsExactly(EventStatus.DONE);
  }

  @Test
  void prune_whenMoreThanMaxExpired_deletesAtMostMaxPerCallUntilCaughtUp() {
    backlog.append(numbered(1, 10), T0);
    List<Job> jobs = backlog.claim(10, LEASE, T0);
    backlog.settle(jobs.stream().map(Settlement::done).toList(), T0);
    backlog.append(numbered(11, 1), T0);

    Pruned first = backlog.prune(T0.plusSeconds(1), T0.plusSeconds(1), 3);
    assertThat(first.events()).isLessThanOrEqualTo(3);
    assertThat(first.releases()).isLessThanOrEqualTo(3);
    assertThat(first.more()).isTrue();
    Pruned rest = pruneAll(T0.plusSeconds(1), T0.plusSeconds(1), 3);

    // every done event goes; every release but the newest
    assertThat(first.events() + rest.events()).isEqualTo(10);
    assertThat(first.releases() + rest.releases()).isEqualTo(9);
    BacklogStats stats = backlog.stats(T0.plusSeconds(2));
    assertThat(stats.done()).isZero();
    assertThat(stats.releases()).isEqualTo(1);
    assertThat(stats.waiting()).isEqualTo(1);
  }

  @Test
  void prune_whenPurgedBeforeHorizon_deletesThemAndARedeliveryIsNew() {
    killAll(numbered(1, 1), T0);
    backlog.purge(List.of(), T0.plusSeconds(10));
    backlog.append(numbered(2, 1), T0.plusSeconds(10));

    assertThat(pruneAll(T0.plusSeconds(5), T0, 100).events()).isZero();
    assertThat(backlog.append(numbered(1, 1), T0.plusSeconds(6)).duplicates()).isEqualTo(1);
    assertThat(pruneAll(T0.plusSeconds(20), T0, 100).events()).isEqualTo(1);

    assertThat(backlog.append(numbered(1, 1), T0.plusSeconds(30)).accepted()).isEqualTo(1);
    assertThat(backlog.stats(T0.plusSeconds(30)).dead()).isZero();
  }

  @Test
  void prune_whenEverythingExpired_idsStillIncreaseAfterwards() {
    backlog.append(numbered(1, 3), T0);
    List<Job> jobs = backlog.claim(3, LEASE, T0);
    backlog.settle(jobs.stream().map(Settlement::done).toList(), T0);
    Instant farLater = T0.plus(Duration.ofDays(400));

    pruneAll(farLater, farLater, 100);
    backlog.append(numbered(1, 1), farLater);
    List<Job> again = backlog.claim(1, LEASE, farLater);

    assertThat(again).hasSize(1);
    assertThat(again.get(0).eventId()).isGreaterThan(jobs.get(2).eventId());
    assertThat(again.get(0).releaseId()).isGreaterThan(jobs.get(2).releaseId());
  }

  @Test
  void prune_survivesReopen() {
    backlog.append(numbered(1, 3), T0);
    doneAt(T0);
    doneAt(T0);
    pruneAll(T0.plusSeconds(1), T0.plusSeconds(1), 100);

    backlog = reopen(backlog);

    Instant later = T0.plusSeconds(2);
    BacklogStats stats = backlog.stats(later);
    assertThat(stats.done()).isZero();
    assertThat(stats.waiting()).isEqualTo(1);
    assertThat(stats.releases()).isEqualTo(1);
    assertThat(backlog.append(numbered(1, 1), later).accepted()).isEqualTo(1);
  }

  // --------------------------------------------------------- purge

  @Test
  void purge_whenIdsGiven_removesOnlyThoseFromTheDeadLetters() {
    List<Long> ids = killAll(numbered(1, 3), T0);

    int purged = backlog.purge(List.of(ids.get(0), ids.get(2)), T0);

    assertThat(purged).isEqualTo(2);
    assertThat(backlog.deadLetters(0, 10))
        .extracting(DeadLetter::eventId)
        .containsExactly(ids.get(1));
    assertThat(backlog.stats(T0.plusSeconds(100)).dead()).isEqualTo(1);
    // A purged letter cannot be redriven: it is gone from the dead list for good.
    assertThat(backlog.redrive(List.of(ids.get(0)), T0.plusSeconds(100))).isZero();
  }

  @Test
  void purge_whenEmptyList_removesEveryDeadLetterAndNothingElse() {
    List<Long> deadIds = killAll(numbered(1, 3), T0);
    backlog.append(numbered(4, 2), T0);
    Instant now = T0.plusSeconds(100);

    assertThat(backlog.purge(List.of(), now)).isEqualTo(3);

    assertThat(backlog.deadLetters(0, 10)).isEmpty();
    BacklogStats stats = backlog.stats(now);
    assertThat(stats.dead()).isZero();
    assertThat(stats.waiting()).isEqualTo(2);
    assertThat(backlog.redrive(List.of(), now)).isZero();
    assertThat(backlog.claim(10, LEASE, now))
        .extracting(Job::event)
        .containsExactly(numbered(4), numbered(5));
    assertThat(deadIds).hasSize(3);
  }

  @Test
  void purge_whenEventIsNotDead_leavesItAlone() {
    backlog.append(numbered(1, 2), T0);
    List<Job> jobs = backlog.claim(1, LEASE, T0);
    backlog.settle(List.of(Settlement.done(jobs.get(0))), T0);

    assertThat(backlog.purge(List.of(jobs.get(0).eventId(), 999_999L), T0)).isZero();

    BacklogStats stats = backlog.stats(T0.plusSeconds(1));
    assertThat(stats.done()).isEqualTo(1);
    assertThat(stats.waiting()).isEqualTo(1);
  }

  @Test
  void purge_thenSameObjectDeliveredAgain_isADuplicate() {
    killAll(numbered(1, 1), T0);
    backlog.purge(List.of(), T0);

    AppendResult again = backlog.append(numbered(1, 1), T0.plusSeconds(100));

    assertThat(again.duplicates()).isEqualTo(1);
    assertThat(backlog.stats(T0.plusSeconds(100)).waiting()).isZero();
  }

  @Test
  void purge_survivesReopen() {
    List<Long> ids = killAll(numbered(1, 2), T0);
    backlog.purge(List.of(ids.get(0)), T0);

    backlog = reopen(backlog);

    assertThat(backlog.deadLetters(0, 10))
        .extracting(DeadLetter::eventId)
        .containsExactly(ids.get(1));
    assertThat(backlog.stats(T0.plusSeconds(1)).dead()).isEqualTo(1);
  }

  // --------------------------------------------------------- abandonLeases

  @Test
  void abandonLeases_whenEventsLeased_makesThemDueNowAndClosesTheirReleases() {
    backlog.append(numbered(1, 3), T0);
    List<Job> leased = backlog.claim(2, LEASE, T0);
    Instant restart = T0.plusSeconds(5);

    int returned = backlog.abandonLeases(restart);

    assertThat(returned).isEqualTo(2);
    BacklogStats stats = backlog.stats(restart);
    assertThat(stats.leased()).isZero();
    assertThat(stats.waiting()).isEqualTo(3);
    assertThat(stats.due()).isEqualTo(3);
    assertThat(backlog.releases(T0, 0, 10))
        .extracting(ReleaseRecord::outcome, ReleaseRecord::finishedAt)
        .containsOnly(tuple("abandoned", restart));
    List<Job> again = backlog.claim(10, LEASE, restart);
    assertThat(again)
        .filteredOn(j -> j.eventId() == leased.get(0).eventId())
        .extracting(Job::attempt)
        .containsExactly(2);
    assertThat(again).hasSize(3);
  }

  @Test
  void abandonLeases_whenNothingLeased_returnsZero() {
    backlog.append(numbered(1, 2), T0);

    assertThat(backlog.abandonLeases(T0)).isZero();
    assertThat(backlog.stats(T0).waiting()).isEqualTo(2);
  }

  @Test
  void abandonLeases_whenOldJobSettlesAfterwards_ignoresIt() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0).get(0);
    backlog.abandonLeases(T0.plusSeconds(1));

    backlog.settle(List.of(Settlement.done(job)), T0.plusSeconds(2));

    assertThat(backlog.stats(T0.plusSeconds(2)).done()).isZero();
    assertThat(backlog.stats(T0.plusSeconds(2)).waiting()).isEqualTo(1);
  }

  // ----------------------------------------------------------------- stats

  @Test
  void stats_whenEmpty_isAllZeroWithNoOldestWaiting() {
    assertThat(backlog.stats(T0)).isEqualTo(new BacklogStats(0, 0, 0, 0, 0, 0, null));
  }

  @Test
  void stats_whenEventsInEveryState_countsEach() {
    backlog.append(numbered(1, 2), T0); // 1 done, 2 dead
    backlog.append(numbered(3, 2), T0.plusSeconds(1)); // 3 retry later, 4 leased
    backlog.append(numbered(5, 2), T0.plusSeconds(2)); // 5 and 6 stay waiting
    List<Job> jobs = backlog.claim(4, LEASE, T0.plusSeconds(3));
    backlog.settle(
        List.of(
            Settlement.done(jobs.get(0)),
            Settlement.dead(jobs.get(1), "failed-permanent", "bad"),
            Settlement.retry(jobs.get(2), "throttled", null, T0.plusSeconds(60))),
        T0.plusSeconds(4));

    BacklogStats stats = backlog.stats(T0.plusSeconds(10));

    assertThat(stats).isEqualTo(new BacklogStats(3, 2, 1, 1, 1, 4, T0.plusSeconds(1)));
  }

  @Test
  void stats_whenOldestWaitingEventIsRetrying_reportsItsAcceptanceTime() {
    backlog.append(List.of(numbered(1)), T0);
    Job job = backlog.claim(10, LEASE, T0.plusSeconds(1)).get(0);
    backlog.settle(
        List.of(Settlement.retry(job, "throttled", null, T0.plusSeconds(300))), T0.plusSeconds(2));
    backlog.append(List.of(numbered(2)), T0.plusSeconds(3));

    assertThat(backlog.stats(T0.plusSeconds(4)).oldestWaiting()).isEqualTo(T0);
  }

  // --------------------------------------------------------------- releases

  @Test
  void releases_whenClaimed_recordOneOpenReleasePerJob() {
    ObjectEvent versioned =
        TestEvents.version("archive", "2026/03/01/x.json", "3HL4kqtJlcpXroDTDmJ");
    backlog.append(List.of(numbered(1), versioned), T0);
    Instant now = T0.plusSeconds(2);
    List<Job> jobs = backlog.claim(10, LEASE, now);

    List<ReleaseRecord> releases = backlog.releases(T0, 0, 10);

    assertThat(releases)
        .containsExactly(
            new ReleaseRecord(
                jobs.get(0).releaseId(),
                jobs.get(0).eventId(),
                numbered(1).identity().asString(),
                TestEvents.BUCKET,
                "data/part-00001.parquet",
                1,
                now,
                null,
                null,
                null,
                null,
                null,
                now.plus(LEASE)),
            new ReleaseRecord(
                jobs.get(1).releaseId(),
                jobs.get(1).eventId(),
                "archive\u00002026/03/01/x.json\u0000v:3HL4kqtJlcpXroDTDmJ",
                "archive",
                "2026/03/01/x.json",
                1,
                now,
                null,
                null,
                null,
                null,
                null,
                now.plus(LEASE)));
  }

  @Test
  void releases_whenPaged_returnsReleaseOrderAfterTheGivenId() {
    backlog.append(numbered(1, 5), T0);
    List<Long> releaseIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      releaseIds.add(backlog.claim(1, LEASE, T0.plusSeconds(i)).get(0).releaseId());
    }

    List<ReleaseRecord> first = backlog.releases(T0, 0, 2);
    List<ReleaseRecord> second = backlog.releases(T0, first.get(1).releaseId(), 2);
    List<ReleaseRecord> last = backlog.releases(T0, second.get(1).releaseId(), 2);

    assertThat(first)
        .extracting(ReleaseRecord::releaseId)
        .containsExactlyElementsOf(releaseIds.subList(0, 2));
    assertThat(second)
        .extracting(ReleaseRecord::releaseId)
        .containsExactlyElementsOf(releaseIds.subList(2, 4));
    assertThat(last)
        .extracting(ReleaseRecord::releaseId)
        .containsExactlyElementsOf(releaseIds.subList(4, 5));
    assertThat(backlog.releases(T0, last.get(0).releaseId(), 2)).isEmpty();
  }

  @Test
  void releases_whenSinceGiven_leavesOutEarlierReleases() {
    backlog.append(numbered(1, 3), T0);
    for (int i = 0; i < 3; i++) {
      backlog.claim(1, LEASE, T0.plusSeconds(10 * i));
    }

    List<ReleaseRecord> recent = backlog.releases(T0.plusSeconds(10), 0, 10);

    assertThat(recent)
        .extracting(ReleaseRecord::releasedAt)
        .containsExactly(T0.plusSeconds(10), T0.plusSeconds(20));
    assertThat(recent)
        .extracting(ReleaseRecord::key)
        .containsExactly("data/part-00002.parquet", "data/part-00003.parquet");
  }

  @Test
  void releases_whenSettledWithTimesAtTheTarget_recordsThemBesideTheReleaseTime() {
    backlog.append(numbered(1, 2), T0);
    List<Job> jobs = backlog.claim(2, LEASE, T0);
    Instant reached = T0.plusMillis(3);
    Instant answered = T0.plusMillis(250);
    backlog.settle(
        List.of(
            Settlement.done(jobs.get(0)).at(reached, answered),
            Settlement.retry(jobs.get(1), "throttled", "slow down", T0.plusSeconds(5))
                .at(reached.plusMillis(1), answered.plusMillis(1))),
        T0.plusSeconds(1));

    List<ReleaseRecord> releases = backlog.releases(T0, 0, 10);

    assertThat(releases)
        .extracting(
            ReleaseRecord::releasedAt,
            ReleaseRecord::reachedAt,
            ReleaseRecord::answeredAt,
            ReleaseRecord::outcome,
            ReleaseRecord::finishedAt)
        .containsExactly(
            tuple(T0, reached, answered, "completed", T0.plusSeconds(1)),
            tuple(T0, T0.plusMillis(4), T0.plusMillis(251), "throttled", T0.plusSeconds(1)));
  }

  @Test
  void releases_whenSettledAsMembersOfABatch_shareTheBatchReference() {
    backlog.append(numbered(1, 5), T0);
    List<Job> jobs = backlog.claim(5, LEASE, T0);
    long first = jobs.get(0).releaseId();
    long fourth = jobs.get(3).releaseId();
    // Two batches: the first three (one started, then ended; one retried), then two more; the
    // last job travels alone.
    backlog.settle(
        List.of(
            Settlement.started(jobs.get(0), T0.plusSeconds(60)).inBatch(first),
            Settlement.done(jobs.get(1)).inBatch(first),
            Settlement.retry(jobs.get(2), "failed-retryable", "item failed", T0.plusSeconds(5))
                .inBatch(first),
            Settlement.done(jobs.get(3)).inBatch(fourth)),
        T0.plusSeconds(1));
    backlog.settle(
        List.of(Settlement.done(jobs.get(0)), Settlement.done(jobs.get(4))), T0.plusSeconds(2));

    assertThat(backlog.releases(T0, 0, 10))
        .extracting(ReleaseRecord::outcome, ReleaseRecord::batch)
        .containsExactly(
            tuple("completed", first),
            tuple("completed", first),
            tuple("failed-retryable", first),
            tuple("completed", fourth),
            tuple("completed", null));
  }

  @Test
  void releases_whenSettledWithoutTimesAtTheTarget_leavesThemUnknown() {
    backlog.append(numbered(1, 1), T0);
    Job job = backlog.claim(1, LEASE, T0).get(0);
    backlog.settle(List.of(Settlement.done(job)), T0.plusSeconds(1));

    ReleaseRecord release = backlog.releases(T0, 0, 10).get(0);

    assertThat(release.reachedAt()).isNull();
    assertThat(release.answeredAt()).isNull();
    assertThat(release.outcome()).isEqualTo("completed");
  }

  @Test
  void releases_leaseUntil_isTheHoldOfAStartedJob_andNullOnceTheReleaseIsClosed() {
    backlog.append(numbered(1, 3), T0);
    List<Job> jobs = backlog.claim(3, LEASE, T0);
    Instant holdEnd = T0.plus(Duration.ofHours(2));
    backlog.settle(
        List.of(
            Settlement.started(jobs.get(0), holdEnd).at(T0, T0.plusMillis(40)),
            Settlement.done(jobs.get(1))),
        T0.plusSeconds(1));

    assertThat(backlog.releases(T0, 0, 10))
        .extracting(ReleaseRecord::leaseUntil)
        .containsExactly(holdEnd, null, T0.plus(LEASE));

    // The third job's lease runs out and another claim takes its event: the old release is closed
    // (expired), the new one holds the new lease.
    Instant later = T0.plus(LEASE).plusSeconds(1);
    Job again = backlog.claim(1, LEASE, later).get(0);

    assertThat(again.eventId()).isEqualTo(jobs.get(2).eventId());
    assertThat(backlog.releases(T0, 0, 10))
        .extracting(ReleaseRecord::releaseId, ReleaseRecord::leaseUntil)
        .containsExactly(
            tuple(jobs.get(0).releaseId(), holdEnd),
            tuple(jobs.get(1).releaseId(), null),
            tuple(jobs.get(2).releaseId(), null),
            tuple(again.releaseId(), later.plus(LEASE)));
  }

  @Test
  void openReleases_listsOpenReleasesOfLeasedEventsReleasedBeforeTheInstant_inReleaseOrder() {
    backlog.append(numbered(1, 4), T0);
    List<Job> first = backlog.claim(3, LEASE, T0);
    Instant holdEnd = T0.plus(Duration.ofHours(2));
    backlog.settle(
        List.of(Settlement.started(first.get(0), holdEnd), Settlement.done(first.get(1))),
        T0.plusMillis(200));
    Job late = backlog.claim(1, LEASE, T0.plusSeconds(1)).get(0);

    assertThat(backlog.openReleases(T0.plusMillis(500), 0, 10))
        .extracting(ReleaseRecord::releaseId, ReleaseRecord::leaseUntil)
        .containsExactly(
            tuple(first.get(0).releaseId(), holdEnd),
            tuple(first.get(2).releaseId(), T0.plus(LEASE)));
    assertThat(backlog.openReleases(T0.plusSeconds(2), 0, 10))
        .extracting(ReleaseRecord::releaseId)
        .containsExactly(first.get(0).releaseId(), first.get(2).releaseId(), late.releaseId());
    assertThat(backlog.openReleases(T0.plusSeconds(2), first.get(0).releaseId(), 1))
        .extracting(ReleaseRecord::releaseId)
        .containsExactly(first.get(2).releaseId());

    // The third job's lease runs out and a claim takes its event again: its old release is closed.
    Instant later = T0.plus(LEASE).plusSeconds(5);
    Job again = backlog.claim(1, LEASE, later).get(0);
    assertThat(again.eventId()).isEqualTo(first.get(2).eventId());
    assertThat(backlog.openReleases(later.plusSeconds(1), 0, 10))
        .extracting(ReleaseRecord::releaseId)
        .containsExactly(first.get(0).releaseId(), late.releaseId(), again.releaseId());
  }

  @Test
  void startTimes_whenReleasesStillOpen_returnsTheirReleaseTimesFromSinceInOrder() {
    backlog.append(numbered(1, 6), T0);
    backlog.claim(2, LEASE, T0);
    backlog.claim(1, LEASE, T0.plusMillis(1_500));
    backlog.claim(3, LEASE, T0.plusSeconds(7));

    assertThat(backlog.startTimes(T0.plusSeconds(1), LEASE))
        .containsExactly(
            T0.plusMillis(1_500), T0.plusSeconds(7), T0.plusSeconds(7), T0.plusSeconds(7));
    assertThat(backlog.startTimes(T0, LEASE)).hasSize(6);
    assertThat(backlog.startTimes(T0.plusSeconds(8), LEASE)).isEmpty();
  }

  @Test
  void startTimes_whenJobReachedTheTargetAfterItsRelease_countsFromWhenTheTargetAnswered() {
    backlog.append(numbered(1, 2), T0);
    List<Job> jobs = backlog.claim(2, LEASE, T0);
    // One job was handed to the target 900 ms after its release, the other at once.
    backlog.settle(
        List.of(
            Settlement.done(jobs.get(0)).at(T0.plusMillis(900), T0.plusMillis(950)),
            Settlement.done(jobs.get(1)).at(T0, T0.plusMillis(20))),
        T0.plusSeconds(1));

    assertThat(backlog.startTimes(T0.plusMillis(500), LEASE)).containsExactly(T0.plusMillis(950));
    assertThat(backlog.startTimes(T0, LEASE))
        .containsExactly(T0.plusMillis(20), T0.plusMillis(950));
  }

  @Test
  void startTimes_whenReleaseWasAbandonedOrExpired_countsUntilItWasClosed() {
    backlog.append(numbered(1, 2), T0);
    backlog.claim(1, LEASE, T0);
    Job second = backlog.claim(1, LEASE, T0.plusSeconds(1)).get(0);
    // The first lease expires and is reclaimed at T0 + 40 s: its job may have reached the target
    // until then. The second is abandoned at a restart at T0 + 45 s.
    Instant reclaim = T0.plus(LEASE).plusSeconds(10);
    List<Job> again = backlog.claim(1, LEASE, reclaim);
    assertThat(again).extracting(Job::eventId).doesNotContain(second.eventId());
    Instant restart = reclaim.plusSeconds(5);
    backlog.abandonLeases(restart);

    assertThat(backlog.startTimes(reclaim, LEASE.multipliedBy(2)))
        .containsExactly(reclaim, restart, restart);
  }

  @Test
  void startTimes_whenReleasedLongerThanMaxStartDelayBeforeSince_leavesItOut() {
    backlog.append(numbered(1, 2), T0);
    List<Job> jobs = backlog.claim(2, LEASE, T0);
    backlog.settle(
        List.of(
            Settlement.done(jobs.get(0)).at(T0.plusSeconds(20), T0.plusSeconds(21)),
            Settlement.done(jobs.get(1)).at(T0.plusSeconds(5), T0.plusSeconds(6))),
        T0.plusSeconds(30));

    assertThat(backlog.startTimes(T0.plusSeconds(10), Duration.ofSeconds(15)))
        .containsExactly(T0.plusSeconds(21));
    assertThat(backlog.startTimes(T0.plusSeconds(10), Duration.ofSeconds(5))).isEmpty();
  }

  // ------------------------------------------------------------ persistence

  @Test
  void reopen_whenEventsWereAccepted_keepsThemAndTheirIdentities() {
    backlog.append(numbered(1, 3), T0);

    backlog = reopen(backlog);

    assertThat(backlog.stats(T0).waiting()).isEqualTo(3);
    assertThat(backlog.append(numbered(1, 3), T0)).isEqualTo(new AppendResult(0, 3));
    assertThat(backlog.claim(10, LEASE, T0))
        .extracting(Job::event)
        .containsExactlyElementsOf(numbered(1, 3));
  }

  @Test
  void reopen_whenReleasesAndDeadLettersExist_keepsThem() {
    backlog.append(numbered(1, 3), T0);
    List<Job> jobs = backlog.claim(3, LEASE, T0);
    backlog.settle(
        List.of(
            Settlement.done(jobs.get(0)),
            Settlement.dead(jobs.get(1), "failed-permanent", "corrupt file")),
        T0.plusSeconds(1));
    List<ReleaseRecord> releasesBefore = backlog.releases(T0, 0, 10);
    BacklogStats statsBefore = backlog.stats(T0.plusSeconds(2));

    backlog = reopen(backlog);

    assertThat(backlog.releases(T0, 0, 10)).isEqualTo(releasesBefore);
    // Settled without times at the target: they count until their settlement; the open one from
    // its release.
    assertThat(backlog.startTimes(T0, LEASE))
        .containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(1));
    assertThat(backlog.deadLetters(0, 10))
        .containsExactly(
            new DeadLetter(
                jobs.get(1).eventId(), numbered(2), 1, "corrupt file", T0.plusSeconds(1)));
    assertThat(backlog.stats(T0.plusSeconds(2))).isEqualTo(statsBefore);
  }

  @Test
  void reopen_whenEventWasLeased_isDueAgainAfterAbandonLeases() {
    backlog.append(numbered(1, 2), T0);
    Job leased = backlog.claim(1, LEASE, T0).get(0);

    backlog = reopen(backlog);
    Instant restart = T0.plusSeconds(1);
    assertThat(backlog.stats(restart).leased()).isEqualTo(1);
    assertThat(backlog.abandonLeases(restart)).isEqualTo(1);

    List<Job> jobs = backlog.claim(10, LEASE, restart);
    assertThat(jobs).extracting(Job::eventId).contains(leased.eventId());
    assertThat(jobs).hasSize(2);
    assertThat(jobs)
        .filteredOn(j -> j.eventId() == leased.eventId())
        .extracting(Job::attempt)
        .containsExactly(2);
  }

  @Test
  void reopen_whenReopened_continuesIdsAfterTheExistingOnes() {
    backlog.append(numbered(1, 2), T0);
    List<Job> before = backlog.claim(2, LEASE, T0);

    backlog = reopen(backlog);
    backlog.append(List.of(numbered(3)), T0);
    Job after = backlog.claim(1, LEASE, T0).get(0);

    assertThat(after.eventId()).isGreaterThan(before.get(1).eventId());
    assertThat(after.releaseId()).isGreaterThan(before.get(1).releaseId());
  }

  // ------------------------------------------------------------ concurrency

  /**
   * Producers append overlapping batches while consumers claim and settle, all released together on
   * a latch. Every unique event is done exactly once; duplicates are counted, never stored.
   */
  @Test
  void appendClaimSettle_whenManyThreadsAtOnce_losesNoneAndSettlesEachOnce() throws Exception {
    int producers = 4;
    int consumers = 4;
    int eventsPerProducer = 2_000;
    int batch = 100;
    // producer p appends events [p * 1000, p * 1000 + 2000): each half overlaps a neighbour
    int unique = (producers + 1) * eventsPerProducer / 2;
    Instant now = T0;
    Duration longLease = Duration.ofHours(1);

    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger producersLeft = new AtomicInteger(producers);
    AtomicLong accepted = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    Map<Long, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    AtomicInteger settled = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int first = p * eventsPerProducer / 2;
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < eventsPerProducer; i += batch) {
                    AppendResult r = backlog.append(numbered(first + i, batch), now);
                    accepted.addAndGet(r.accepted());
                    duplicates.addAndGet(r.duplicates());
                  }
                  producersLeft.decrementAndGet();
                  return null;
                }));
      }
      for (int c = 0; c < consumers; c++) {
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  while (true) {
                    boolean producing = producersLeft.get() > 0;
                    List<Job> jobs = backlog.claim(50, longLease, now);
                    if (jobs.isEmpty()) {
                      if (!producing) {
                        return null;
                      }
                      Thread.yield();
                      continue;
                    }
                    List<Settlement> done = new ArrayList<>();
                    for (Job job : jobs) {
                      deliveries
                          .computeIfAbsent(job.eventId(), id -> new AtomicInteger())
                          .incrementAndGet();
                      done.add(Settlement.done(job));
                    }
                    backlog.settle(done, now);
                    settled.addAndGet(done.size());
                  }
                }));
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(accepted.get()).isEqualTo(unique);
    assertThat(duplicates.get()).isEqualTo((long) producers * eventsPerProducer - unique);
    assertThat(deliveries).hasSize(unique);
    assertThat(deliveries.values().stream().map(AtomicInteger::get).collect(Collectors.toSet()))
        .containsExactly(1);
    assertThat(settled.get()).isEqualTo(unique);
    assertThat(backlog.stats(now)).isEqualTo(new BacklogStats(0, 0, 0, unique, 0, unique, null));
  }

  // ---------------------------------------------------------------- helpers

  /** Appends, claims and dead-letters the events; returns their ids in order. */
  private List<Long> killAll(List<ObjectEvent> events, Instant now) {
    backlog.append(events, now);
    List<Job> jobs = backlog.claim(events.size(), LEASE, now);
    backlog.settle(
        jobs.stream().map(j -> Settlement.dead(j, "failed-permanent", "boom")).toList(), now);
    return jobs.stream().map(Job::eventId).toList();
  }

  // --- changes to one key go in sequencer order ---

  private static ObjectEvent write(String key, String sequencer) {
    return new ObjectEvent(
        "data", key, 1L, "etag-" + sequencer, null, sequencer, "ObjectCreated:Put", T0, "test");
  }

  @Test
  void claim_whenOneKeyIsOverwrittenTwice_bothAreEventsReleasedInSequencerOrder() {
    // Delivered out of order: the later write's notification arrives first.
    AppendResult result =
        backlog.append(
            List.of(
                write("data/a.parquet", "0055AED6DCD90281E6"),
                write("data/a.parquet", "0055AED6DCD90281E5")),
            T0);
    assertThat(result.accepted()).isEqualTo(2);

    List<Job> first = backlog.claim(10, LEASE, T0);
    assertThat(first).extracting(j -> j.event().sequencer()).containsExactly("0055AED6DCD90281E5");
    // The later change waits while the earlier one runs.
    assertThat(backlog.claim(10, LEASE, T0)).isEmpty();

    backlog.settle(List.of(Settlement.done(first.get(0))), T0);
    assertThat(backlog.claim(10, LEASE, T0))
        .extracting(j -> j.event().sequencer())
        .containsExactly("0055AED6DCD90281E6");
  }

  @Test
  void claim_whenSequencersDifferInLength_ordersThemRightPadded() {
    // Right-padded, ...E5 is ...E500, earlier than ...E501.
    backlog.append(
        List.of(write("k", "0055AED6DCD90281E501"), write("k", "0055AED6DCD90281E5")), T0);

    assertThat(backlog.claim(10, LEASE, T0))
        .extracting(j -> j.event().sequencer())
        .containsExactly("0055AED6DCD90281E5");
  }

  @Test
  void claim_whenEarlierChangeIsRetrying_laterChangeStillWaits() {
    backlog.append(List.of(write("k", "0A"), write("k", "0B"), write("other", "0C")), T0);
    List<Job> first = backlog.claim(10, LEASE, T0);
    assertThat(first).extracting(j -> j.event().sequencer()).containsExactlyInAnyOrder("0A", "0C");

    Job earlier =
        first.stream().filter(j -> j.event().sequencer().equals("0A")).findFirst().orElseThrow();
    backlog.settle(
        List.of(Settlement.retry(earlier, "failed-retryable", "busy", T0.plusSeconds(5))), T0);
    assertThat(backlog.claim(10, LEASE, T0.plusSeconds(1))).isEmpty();
    assertThat(backlog.claim(10, LEASE, T0.plusSeconds(5)))
        .extracting(j -> j.event().sequencer())
        .containsExactly("0A");
  }

  @Test
  void claim_whenEarlierChangeIsDead_laterChangeGoes() {
    backlog.append(List.of(write("k", "0A"), write("k", "0B")), T0);
    Job earlier = backlog.claim(10, LEASE, T0).get(0);
    backlog.settle(List.of(Settlement.dead(earlier, "failed-permanent", "gone")), T0);

    assertThat(backlog.claim(10, LEASE, T0))
        .extracting(j -> j.event().sequencer())
        .containsExactly("0B");
  }

  @Test
  void claim_whenNoSequencer_doesNotOrderByKey() {
    // Two writes of one key known only by their eTags: nothing says which came first.
    backlog.append(
        List.of(
            new ObjectEvent("data", "k", 1L, "e1", null, null, "ObjectCreated:Put", T0, "test"),
            new ObjectEvent("data", "k", 1L, "e2", null, null, "ObjectCreated:Put", T0, "test")),
        T0);
    assertThat(backlog.claim(10, LEASE, T0)).hasSize(2);
  }

  // --- partitions ---

  /** Replaces the backlog under test with a fresh one keeping partitions by {@code rule}. */
  private void partitionBy(PartitionRule rule) {
    backlog.close();
    backlog = null;
    backlog = newBacklog(rule);
  }

  private static ObjectEvent at(String bucket, String key) {
    return new ObjectEvent(bucket, key, 1L, null, null, null, "ObjectCreated:Put", T0, "test");
  }

  private static ObjectEvent at(String key) {
    return at("landing", key);
  }

  private static List<Instant> times(int count) {
    List<Instant> times = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      times.add(T0.plusSeconds(60).plusMillis(i));
    }
    return times;
  }

  @Test
  void duePartitions_whenPrefixRule_listsEachPartitionByNameWithItsCountAndOldestDue() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("b/1"), at("a/x/1"), at("a/y/2"), at("top.csv")), T0);
    backlog.append(List.of(at("c/1"), at("a/3")), T0.plusSeconds(1));

    assertThat(backlog.duePartitions(T0.plusSeconds(1), 100))
        .containsExactly(
            new PartitionDue("", 1, T0),
            new PartitionDue("a/", 3, T0),
            new PartitionDue("b/", 1, T0),
            new PartitionDue("c/", 1, T0.plusSeconds(1)));
  }

  @Test
  void duePartitions_whenPrefixDepth2_groupsByTwoSegments() {
    partitionBy(PartitionRule.prefix(2));
    backlog.append(
        List.of(at("t/2026/x"), at("t/2026/y"), at("t/2027/x"), at("t/x"), at("données/été/x")),
        T0);

    assertThat(backlog.duePartitions(T0, 100))
        .containsExactly(
            new PartitionDue("données/été/", 1, T0),
            new PartitionDue("t/", 1, T0),
            new PartitionDue("t/2026/", 2, T0),
            new PartitionDue("t/2027/", 1, T0));
  }

  @Test
  void duePartitions_sortsByJavasOrderOfStrings() {
    partitionBy(PartitionRule.prefix(1));
    // U+FF21 sorts after U+1F600 in UTF-8 bytes and code points, before it in UTF-16 units
    backlog.append(List.of(at("\uFF21/x"), at("\uD83D\uDE00/x"), at("b/x"), at("B/x")), T0);

    assertThat(backlog.duePartitions(T0, 100))
        .extracting(PartitionDue::partition)
        .containsExactly("B/", "b/", "\uD83D\uDE00/", "\uFF21/");
  }

  @Test
  void duePartitions_whenBucketRule_isOnePartitionPerBucket() {
    partitionBy(PartitionRule.bucket());
    backlog.append(List.of(at("bucket-b", "k/1"), at("bucket-a", "k/1"), at("bucket-a", "j")), T0);

    assertThat(backlog.duePartitions(T0, 100))
        .containsExactly(new PartitionDue("bucket-a", 2, T0), new PartitionDue("bucket-b", 1, T0));
  }

  @Test
  void duePartitions_whenNoRule_putsEveryEventInTheEmptyPartition() {
    backlog.append(List.of(at("bucket-b", "k/1"), at("bucket-a", "j/1"), at("x")), T0);

    assertThat(backlog.duePartitions(T0, 100)).containsExactly(new PartitionDue("", 3, T0));
  }

  @Test
  void duePartitions_whenEmpty_isEmpty() {
    assertThat(backlog.duePartitions(T0, 100)).isEmpty();
  }

  @Test
  void duePartitions_countsUpToTheLimitOnly() {
    partitionBy(PartitionRule.prefix(1));
    List<ObjectEvent> events = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      events.add(at("a/" + i));
    }
    events.add(at("b/0"));
    backlog.append(events, T0);

    assertThat(backlog.duePartitions(T0, 3))
        .containsExactly(new PartitionDue("a/", 3, T0), new PartitionDue("b/", 1, T0));
  }

  @Test
  void duePartitions_whenCountUpToBelowOne_isRefused() {
    assertThatThrownBy(() -> backlog.duePartitions(T0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void duePartitions_countsExpiredLeasesButNotLiveLeasesFutureRetriesOrSettledEvents() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("leased/1"), at("retry/1"), at("done/1")), T0);
    List<Job> jobs = backlog.claim(10, LEASE, T0);
    assertThat(jobs).hasSize(3);
    Instant later = T0.plusSeconds(1);
    for (Job job : jobs) {
      switch (job.event().key()) {
        case "retry/1" ->
            backlog.settle(
                List.of(Settlement.retry(job, "failed-retryable", "busy", T0.plusSeconds(10))),
                later);
        case "done/1" -> backlog.settle(List.of(Settlement.done(job)), later);
        default -> {} // stays leased until T0 + LEASE
      }
    }
    backlog.append(List.of(at("future/1")), T0.plusSeconds(20));

    assertThat(backlog.duePartitions(T0.plusSeconds(5), 100)).isEmpty();
    assertThat(backlog.duePartitions(T0.plusSeconds(10), 100))
        .containsExactly(new PartitionDue("retry/", 1, T0.plusSeconds(10)));
    assertThat(backlog.duePartitions(T0.plus(LEASE), 100))
        .containsExactly(
            new PartitionDue("future/", 1, T0.plusSeconds(20)),
            new PartitionDue("leased/", 1, T0.plus(LEASE)),
            new PartitionDue("retry/", 1, T0.plusSeconds(10)));
  }

  @Test
  void claim_withQuotas_takesAtMostEachQuotaAndNothingFromPartitionsNotNamed() {
    partitionBy(PartitionRule.prefix(1));
    // Interleaved due times: the claim's order crosses partitions.
    String[] keys = {"a/1", "b/1", "a/2", "c/1", "b/2", "a/3", "b/3", "a/4", "c/2"};
    for (int i = 0; i < keys.length; i++) {
      backlog.append(List.of(at(keys[i])), T0.plusMillis(i));
    }
    Instant now = T0.plusSeconds(1);
    List<Instant> times = times(10);

    List<Job> jobs =
        backlog.claim(times, LEASE, now, PartitionQuotas.limits(Map.of("a/", 2, "b/", 1)));

    assertThat(jobs).extracting(j -> j.event().key()).containsExactly("a/1", "b/1", "a/2");
    assertThat(jobs).extracting(Job::releasedAt).containsExactlyElementsOf(times.subList(0, 3));
    assertThat(backlog.duePartitions(now, 100))
        .containsExactly(
            new PartitionDue("a/", 2, T0.plusMillis(5)),
            new PartitionDue("b/", 2, T0.plusMillis(4)),
            new PartitionDue("c/", 2, T0.plusMillis(3)));
  }

  @Test
  void claim_withQuotas_takesNoMoreThanTheReleaseTimesOldestFirst() {
    partitionBy(PartitionRule.prefix(1));
    String[] keys = {"a/1", "b/1", "a/2", "b/2", "a/3"};
    for (int i = 0; i < keys.length; i++) {
      backlog.append(List.of(at(keys[i])), T0.plusMillis(i));
    }

    List<Job> jobs =
        backlog.claim(
            times(3), LEASE, T0.plusSeconds(1), PartitionQuotas.limits(Map.of("a/", 5, "b/", 5)));

    assertThat(jobs).extracting(j -> j.event().key()).containsExactly("a/1", "b/1", "a/2");
  }

  @Test
  void claim_withEmptyQuotas_takesNothing() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("a/1"), at("b/1")), T0);

    assertThat(backlog.claim(times(5), LEASE, T0, PartitionQuotas.limits(Map.of()))).isEmpty();
    assertThat(backlog.stats(T0).waiting()).isEqualTo(2);
  }

  @Test
  void claim_withQuotas_takesExpiredLeasesInTheirDueOrder() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("a/1")), T0);
    Job lost = backlog.claim(10, LEASE, T0).get(0);
    backlog.append(List.of(at("a/2"), at("b/1")), T0.plusSeconds(1));
    Instant expired = T0.plus(LEASE);

    List<Job> jobs =
        backlog.claim(times(10), LEASE, expired, PartitionQuotas.limits(Map.of("a/", 1)));

    // a/2 has been due since T0 + 1 s, the lost lease only since T0 + LEASE.
    assertThat(jobs).extracting(j -> j.event().key()).containsExactly("a/2");
    List<Job> next =
        backlog.claim(times(10), LEASE, expired, PartitionQuotas.limits(Map.of("a/", 1)));
    assertThat(next).extracting(Job::eventId).containsExactly(lost.eventId());
    assertThat(next.get(0).attempt()).isEqualTo(2);
    assertThat(backlog.releases(T0, 0, 10))
        .filteredOn(r -> r.releaseId() == lost.releaseId())
        .extracting(ReleaseRecord::outcome)
        .containsExactly("expired");
  }

  @Test
  void claim_withQuotas_keepsTheOrderOfChangesToOneKey() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(
        List.of(
            write("data/k", "0B"),
            write("data/k", "0A"),
            write("data/j", "0C"),
            write("x/k", "0D")),
        T0);
    PartitionQuotas quotas = PartitionQuotas.limits(Map.of("data/", 3));

    List<Job> first = backlog.claim(times(10), LEASE, T0, quotas);

    // The later change of data/k waits and takes none of the quota; x/ is not named.
    assertThat(first).extracting(j -> j.event().sequencer()).containsExactlyInAnyOrder("0A", "0C");
    assertThat(backlog.claim(times(10), LEASE, T0, quotas)).isEmpty();
    Job earlier =
        first.stream().filter(j -> j.event().sequencer().equals("0A")).findFirst().orElseThrow();
    backlog.settle(List.of(Settlement.done(earlier)), T0);
    assertThat(backlog.claim(times(10), LEASE, T0, quotas))
        .extracting(j -> j.event().sequencer())
        .containsExactly("0B");
  }

  @Test
  void settleAndClaim_withQuotas_settlesThenTakesAtMostTheQuotas() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("a/1"), at("a/2"), at("a/3"), at("b/1"), at("b/2")), T0);
    Job first =
        backlog.claim(List.of(T0), LEASE, T0, PartitionQuotas.limits(Map.of("b/", 1))).get(0);
    assertThat(first.event().key()).isEqualTo("b/1");

    List<Job> jobs =
        backlog.settleAndClaim(
            List.of(Settlement.done(first)),
            times(10),
            LEASE,
            T0.plusSeconds(1),
            PartitionQuotas.limits(Map.of("a/", 2, "b/", 2)));

    assertThat(jobs).extracting(j -> j.event().key()).containsExactly("a/1", "a/2", "b/2");
    assertThat(backlog.stats(T0.plusSeconds(1)).done()).isEqualTo(1);
  }

  @Test
  void claim_withAnyQuotas_takesTheOldestDueAcrossPartitions() {
    partitionBy(PartitionRule.prefix(1));
    String[] keys = {"a/1", "b/1", "a/2", "c/1", "b/2"};
    for (int i = 0; i < keys.length; i++) {
      backlog.append(List.of(at(keys[i])), T0.plusMillis(i));
    }

    List<Job> jobs = backlog.claim(times(4), LEASE, T0.plusSeconds(1), PartitionQuotas.ANY);

    assertThat(jobs).extracting(j -> j.event().key()).containsExactly("a/1", "b/1", "a/2", "c/1");
    assertThat(backlog.claim(times(4), LEASE, T0.plusSeconds(1)))
        .extracting(j -> j.event().key())
        .containsExactly("b/2");
  }

  @Test
  void duePartitions_afterReopenWithAnotherRule_eventsKeepThePartitionTheyWereAppendedWith() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("a/1")), T0);

    backlog = reopen(backlog); // the default rule: none
    backlog.append(List.of(at("b/1")), T0);

    assertThat(backlog.duePartitions(T0, 100))
        .containsExactly(new PartitionDue("", 1, T0), new PartitionDue("a/", 1, T0));
  }

  @Test
  void claim_withAQuotaForTheEmptyPartition_whenNoRule_takesFromAllEvents() {
    backlog.append(List.of(at("a/1"), at("b/1"), at("c/1")), T0);

    assertThat(backlog.claim(times(10), LEASE, T0, PartitionQuotas.limits(Map.of("", 2))))
        .extracting(j -> j.event().key())
        .containsExactly("a/1", "b/1");
    assertThat(backlog.claim(times(10), LEASE, T0, PartitionQuotas.limits(Map.of("a/", 2))))
        .isEmpty();
  }

  @Test
  void duePartitions_afterReopenWithARule_eventsAppendedWithoutOneAreInTheEmptyPartition() {
    backlog.append(List.of(at("a/1"), at("a/2"), at("dead/1")), T0);
    Job dead =
        backlog.claim(10, LEASE, T0).stream()
            .filter(j -> j.event().key().equals("dead/1"))
            .findFirst()
            .orElseThrow();
    backlog.settle(List.of(Settlement.dead(dead, "failed-permanent", "gone")), T0);

    backlog = reopen(backlog, PartitionRule.prefix(1));
    backlog.append(List.of(at("a/3")), T0.plus(LEASE));
    assertThat(backlog.redrive(List.of(), T0.plus(LEASE))).isEqualTo(1);

    Instant later = T0.plus(LEASE);
    assertThat(backlog.duePartitions(later, 100))
        .containsExactly(new PartitionDue("", 3, T0.plus(LEASE)), new PartitionDue("a/", 1, later));
    assertThat(backlog.claim(times(10), LEASE, later, PartitionQuotas.limits(Map.of("", 5))))
        .extracting(j -> j.event().key())
        .containsExactlyInAnyOrder("a/1", "a/2", "dead/1");
  }

  private EventLocation located(String key, Instant now) {
    List<EventLocation> found = backlog.locate("landing", key, now);
    assertThat(found).as("events of %s", key).hasSize(1);
    return found.get(0);
  }

  @Test
  void locate_underARule_countsTheEventsAheadWithinItsPartition() {
    partitionBy(PartitionRule.prefix(1));
    // Interleaved due times: claim order crosses partitions.
    String[] keys = {"a/1", "b/1", "a/2", "a/3", "b/2", "c/1", "a/4"};
    for (int i = 0; i < keys.length; i++) {
      backlog.append(List.of(at(keys[i])), T0.plusMillis(i));
    }
    Instant now = T0.plusSeconds(1);

    EventLocation a4 = located("a/4", now);
    EventLocation b2 = located("b/2", now);
    EventLocation c1 = located("c/1", now);
    EventLocation a1 = located("a/1", now);

    assertThat(a4.partition()).isEqualTo("a/");
    assertThat(a4.ahead()).isEqualTo(6L);
    assertThat(a4.aheadInPartition()).isEqualTo(3L);
    assertThat(b2.partition()).isEqualTo("b/");
    assertThat(b2.ahead()).isEqualTo(4L);
    assertThat(b2.aheadInPartition()).isEqualTo(1L);
    assertThat(c1.ahead()).isEqualTo(5L);
    assertThat(c1.aheadInPartition()).isZero();
    assertThat(a1.aheadInPartition()).isZero();
  }

  @Test
  void locate_underARule_countsAnExpiredLeaseAndAnEarlierRetryOfItsPartitionAhead() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("a/lost"), at("a/retry"), at("b/lost")), T0);
    List<Job> jobs = backlog.claim(10, LEASE, T0); // leases end at T0 + 30 s
    Job retry =
        jobs.stream().filter(j -> j.event().key().equals("a/retry")).findFirst().orElseThrow();
    backlog.settle(List.of(Settlement.retry(retry, "failed", "busy", T0.plusSeconds(5))), T0);
    backlog.append(List.of(at("a/new"), at("b/new")), T0.plusSeconds(10));

    // At T0 + 40 s: a/retry (due at 5 s) is ahead of a/new (due at 10 s); a/lost's lease ended
    // at 30 s, after a/new was due, so a claim takes it after a/new.
    Instant after = T0.plusSeconds(40);
    EventLocation aNew = located("a/new", after);
    assertThat(aNew.ahead()).isEqualTo(1L);
    assertThat(aNew.aheadInPartition()).isEqualTo(1L);

    // Before the leases end, a/new has a/retry ahead; b/new has a/retry and a/new, none of b/.
    Instant before = T0.plusSeconds(20);
    assertThat(located("a/new", before).aheadInPartition()).isEqualTo(1L);
    assertThat(located("b/new", before).aheadInPartition()).isZero();
    assertThat(located("b/new", before).ahead()).isEqualTo(2L);
    assertThat(located("a/retry", before).aheadInPartition()).isZero();
  }

  @Test
  void locate_underARule_whenNotYetDue_countsWhatIsDueNowAndWhatFallsDueBeforeIt() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("a/retry"), at("a/lost")), T0);
    List<Job> jobs = backlog.claim(10, LEASE, T0); // leases end at T0 + 30 s
    Job retry =
        jobs.stream().filter(j -> j.event().key().equals("a/retry")).findFirst().orElseThrow();
    backlog.settle(List.of(Settlement.retry(retry, "failed", "busy", T0.plusSeconds(100))), T0);
    backlog.append(List.of(at("a/1"), at("b/1")), T0.plusSeconds(50));
    backlog.append(List.of(at("a/2")), T0.plusSeconds(150));

    // At T0 + 60 s: a/retry is due at 100 s; the expired lease (30 s) and a/1 (50 s) go first.
    EventLocation located = located("a/retry", T0.plusSeconds(60));
    assertThat(located.dueAt()).isEqualTo(T0.plusSeconds(100));
    assertThat(located.aheadInPartition()).isEqualTo(2L);
    assertThat(located.ahead()).isEqualTo(3L);
    // a/2 is not due until 150 s: everything of a/ is ahead of it
    assertThat(located("a/2", T0.plusSeconds(60)).aheadInPartition()).isEqualTo(3L);
  }

  @Test
  void locate_whenNoRule_isInTheEmptyPartitionWithEverythingAhead() {
    backlog.append(List.of(at("a/1"), at("b/1"), at("a/2")), T0);

    EventLocation a2 = located("a/2", T0);

    assertThat(a2.partition()).isEmpty();
    assertThat(a2.ahead()).isEqualTo(2L);
    assertThat(a2.aheadInPartition()).isEqualTo(2L);
    assertThat(located("a/1", T0).aheadInPartition()).isZero();
  }

  @Test
  void locate_underARule_whenNotWaiting_hasNoPlaceInItsPartition() {
    partitionBy(PartitionRule.prefix(1));
    backlog.append(List.of(at("a/1")), T0);
    backlog.claim(1, LEASE, T0);

    EventLocation leased = located("a/1", T0);

    assertThat(leased.ahead()).isNull();
    assertThat(leased.aheadInPartition()).isNull();
  }

  @Test
  void locate_afterReopenWithARule_eventsAppendedWithoutOneAreAheadInTheEmptyPartition() {
    backlog.append(List.of(at("a/1"), at("b/1")), T0);
    backlog = reopen(backlog, PartitionRule.prefix(1));
    backlog.append(List.of(at("a/2"), at("top.csv")), T0.plusSeconds(1));
    Instant now = T0.plusSeconds(2);

    EventLocation top = located("top.csv", now);
    EventLocation a2 = located("a/2", now);

    assertThat(top.partition()).isEmpty();
    assertThat(top.aheadInPartition()).isEqualTo(2L);
    assertThat(top.ahead()).isEqualTo(3L);
    assertThat(a2.partition()).isEqualTo("a/");
    assertThat(a2.aheadInPartition()).isZero();
    assertThat(located("b/1", now).partition()).isEmpty();
  }
}
