package dev.sluice.core.backlog;

import dev.sluice.core.Job;
import dev.sluice.core.ListedObject;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import dev.sluice.core.partition.PartitionRule;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * The durable queue of accepted events, and the release log of every job it handed out.
 *
 * <p>Contract (checked by the testkit's {@code BacklogContract} against every implementation):
 *
 * <ul>
 *   <li>{@link #append} returns only after the events are committed; a crash after it returns loses
 *       none of them.
 *   <li>Appending an identity that is already in the backlog (waiting, leased, done or dead) is a
 *       duplicate, not a second event.
 *   <li>{@link #claim} hands out due events oldest first, each under a lease, and records one
 *       release per job in the same transaction. An event whose lease expires is due again.
 *   <li>Each event is kept with its partition, worked out at {@link #append} by the {@link
 *       PartitionRule} the store was opened with ({@code ""} for every event by default). A claim
 *       with {@link PartitionQuotas} takes at most each partition's quota.
 *   <li>{@link #settle} applies outcomes; a settlement for a job whose lease was lost to another
 *       claim is ignored, so a late answer cannot undo a newer release.
 *   <li>{@link #prune} deletes done and purged events after the dedup horizon and closed releases
 *       after the release-log horizon, a bounded number per call; waiting, leased and dead events
 *       and open releases are never deleted, and ids keep increasing after any deletion.
 * </ul>
 *
 * Implementations are thread-safe.
 */
public interface Backlog extends AutoCloseable {

  /** Commits a batch of events. Idempotent by identity. */
  AppendResult append(List<ObjectEvent> events, Instant now);

  /**
   * Leases up to {@code max} due events (waiting with due time at or before {@code now}, or leased
   * with an expired lease), records a release for each at {@code now}, and returns them as jobs.
   */
  default List<Job> claim(int max, Duration lease, Instant now) {
    BacklogArguments.checkClaim(max, lease, now);
    return claim(Collections.nCopies(max, now), lease, now);
  }

  /**
   * Leases up to {@code releaseTimes.size()} due events at {@code now}, as {@link #claim(int,
   * Duration, Instant)} does, and records the i-th job's release at {@code releaseTimes.get(i)}:
   * the instant the gate let it go, which may be a little after {@code now} when the jobs of a
   * window are claimed before it opens. The times are in ascending order. Leases run from {@code
   * now}.
   */
  default List<Job> claim(List<Instant> releaseTimes, Duration lease, Instant now) {
    return claim(releaseTimes, lease, now, PartitionQuotas.ANY);
  }

  /**
   * Claims as {@link #claim(List, Duration, Instant)} does, but takes at most {@code quotas.of(p)}
   * events from partition {@code p}: none from a partition that quotas other than {@link
   * PartitionQuotas#ANY} do not name. The jobs are the oldest due events allowed, in claim order
   * (due time, then arrival) across all partitions, and get the release times in that order;
   * changes of one key keep their order as in any claim.
   */
  List<Job> claim(List<Instant> releaseTimes, Duration lease, Instant now, PartitionQuotas quotas);

  /**
   * The partitions that have due events (waiting with a due time at or before {@code now}, or
   * leased with a lease ended by then), sorted by name, each with its due events counted up to
   * {@code countUpTo} and the earliest due time among them. Cheap with few partitions and many
   * events: a partition's count stops at {@code countUpTo}. The counts include events that wait for
   * an earlier change of their key, which a claim skips.
   *
   * @throws IllegalArgumentException if {@code countUpTo < 1}
   */
  List<PartitionDue> duePartitions(Instant now, int countUpTo);

  /** Applies the outcomes of finished jobs in one transaction. */
  void settle(List<Settlement> settlements, Instant now);

  /**
   * Applies the outcomes as {@link #settle} does, then claims as {@link #claim(List, Duration,
   * Instant)} does, both at {@code now}: what a dispatcher does in one step, in one transaction
   * where the store has them (a store with one writer then commits once instead of twice). An event
   * these settlements make due again at {@code now} may be among the jobs. When it throws, the
   * settlements may or may not have been applied, so the caller settles them again (a repeated
   * settlement is ignored) and no job was handed out.
   */
  default List<Job> settleAndClaim(
      List<Settlement> settlements, List<Instant> releaseTimes, Duration lease, Instant now) {
    return settleAndClaim(settlements, releaseTimes, lease, now, PartitionQuotas.ANY);
  }

  /**
   * Settles and claims as {@link #settleAndClaim(List, List, Duration, Instant)} does, the claim
   * taking at most each partition's quota as {@link #claim(List, Duration, Instant,
   * PartitionQuotas)} does.
   */
  default List<Job> settleAndClaim(
      List<Settlement> settlements,
      List<Instant> releaseTimes,
      Duration lease,
      Instant now,
      PartitionQuotas quotas) {
    settle(settlements, now);
    return claim(releaseTimes, lease, now, quotas);
  }

  /**
   * Returns every leased event to the waiting state, due at {@code now}. For a single-process store
   * at start-up: the leases of a process that died are known to be abandoned. Their open releases
   * are marked {@code abandoned}. Returns how many were returned.
   */
  int abandonLeases(Instant now);

  /** Counts and ages of what the backlog holds. */
  BacklogStats stats(Instant now);

  /**
   * The events of one object (bucket and decoded key), one per version or change, oldest first, at
   * most the {@link #LOCATE_LIMIT} latest; empty when the backlog holds none. A waiting event
   * carries how many events a claim takes before it, counted through the claim-order index, so it
   * stays cheap on a large backlog.
   */
  List<EventLocation> locate(String bucket, String key, Instant now);

  /** Most events {@link #locate} returns for one object. */
  int LOCATE_LIMIT = 100;

  /**
   * Which of these listed objects the backlog has seen: for each, in order, whether it holds an
   * event {@link ListedObject#matches matching} it (same bucket and key, and the same eTag unless
   * either has none) in any state, waiting, leased, done, dead or purged. An event pruned after the
   * dedup horizon is no longer seen. What a reconcile compares a bucket listing with.
   */
  List<Boolean> known(List<ListedObject> objects);

  /** Dead letters, oldest first, after the given event id (0 for the first page). */
  List<DeadLetter> deadLetters(long afterEventId, int limit);

  /**
   * Moves dead letters back to waiting, due at {@code now}, with their attempt count reset. An
   * empty list redrives every dead letter. Returns how many were moved.
   */
  int redrive(List<Long> eventIds, Instant now);

  /**
   * Deletes dead letters for good: they leave the dead list and are never released again. Their
   * identities stay known until the dedup horizon after {@code now} (see {@link #prune}), so a
   * later delivery of the same object change is still a duplicate until then, and their releases
   * stay in the release log. An empty list purges every dead letter; an id that is not a dead
   * letter is left alone. Returns how many were purged.
   */
  int purge(List<Long> eventIds, Instant now);

  /**
   * Deletes, in one short transaction, rows the backlog no longer needs, at most {@code max} events
   * and {@code max} releases: events done or purged before {@code settledBefore}, and releases made
   * before {@code releasedBefore} that are closed (have an outcome). Waiting, leased and dead
   * events and open releases stay whatever their age. The newest event and the newest release
   * always stay, so ids keep increasing.
   *
   * <p>After an event is deleted its identity is no longer known: a later delivery of the same
   * object change is accepted as a new event. Its releases may outlive it in the log; they are then
   * listed with no identity, bucket or key. Stats count what the backlog holds: {@code done} and
   * {@code releases} drop by what is deleted.
   *
   * <p>A caller runs it repeatedly, pausing between calls, until {@link Pruned#more()} is false;
   * each call holds the writer for one bounded transaction only.
   */
  Pruned prune(Instant settledBefore, Instant releasedBefore, int max);

  /** Releases recorded at or after {@code since}, in release order, at most {@code limit}. */
  List<ReleaseRecord> releases(Instant since, long afterReleaseId, int limit);

  /**
   * Releases still open whose event is leased under them (a job on its way or at the target, or one
   * the target answered as started and still holds), recorded before {@code releasedBefore}, in
   * release order after {@code afterReleaseId}, at most {@code limit}. A node that takes the gate
   * over counts them as in flight until their {@link ReleaseRecord#leaseUntil}, however long ago
   * they were released.
   */
  List<ReleaseRecord> openReleases(Instant releasedBefore, long afterReleaseId, int limit);

  /**
   * When the jobs of recent releases started at the target, at the latest, as far as the release
   * log knows: what a gate needs to carry its window across a restart. For each release, the
   * instant the target answered when that was recorded (the target saw the job between the call's
   * beginning and its answer, and only the answer is surely after); else the instant the release
   * was closed (expired or abandoned: the job may have reached the target until then); else, for a
   * release still open, the release instant. Returns those at or after {@code since}, in time
   * order, from the releases made at or after {@code since - maxStartDelay} (a job that starts
   * later than that after its release is not looked for).
   */
  List<Instant> startTimes(Instant since, Duration maxStartDelay);

  /**
   * Whether writes commit now, as far as the last write showed; a store that cannot fill up (the
   * in-memory one) is always writable. A failed write throws {@link BacklogUnavailableException}
   * when it may succeed later (disk full, I/O error, locked store).
   */
  default WriteStatus writeStatus() {
    return WriteStatus.WRITABLE;
  }

  @Override
  void close();
}
