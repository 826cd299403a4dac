package dev.sluice.store.sqlite;

import static dev.sluice.store.sqlite.EventColumns.setInstant;
import static dev.sluice.store.sqlite.EventColumns.setLong;

import dev.sluice.core.Job;
import dev.sluice.core.ListedObject;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.SluiceException;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.BacklogArguments;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.BacklogUnavailableException;
import dev.sluice.core.backlog.DeadLetter;
import dev.sluice.core.backlog.EventLocation;
import dev.sluice.core.backlog.Pruned;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.backlog.WriteFailures;
import dev.sluice.core.backlog.WriteStatus;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import dev.sluice.core.partition.PartitionRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded {@link Backlog}: one SQLite file in WAL mode. {@link #append} returns after the
 * commit is synced (with {@link SqliteOptions.Synchronous#FULL}), so accepted means durable.
 *
 * <p>SQLite has one writer, so every write goes through one connection, one transaction per call,
 * behind a lock; stats and listings use a second, read-only connection and never wait for a write.
 * Claims read a page of due rows through partial indexes, so a backlog of millions stays on disk.
 * Instants are stored as epoch microseconds: finer parts are truncated. Each event is kept with its
 * partition, worked out at append by {@link SqliteOptions#partitionRule}; a claim with {@link
 * PartitionQuotas} reads a page per named partition through {@code events_open_partition_due}.
 *
 * <p>A lease belongs to the release that took it: a settlement applies only while the event is
 * leased and its last release is the job's. Reclaiming an expired lease closes the lost release as
 * {@code expired}; {@link #abandonLeases} closes open releases as {@code abandoned}.
 *
 * <p>A write that fails because the disk is full (or the {@link SqliteOptions#maxSizeBytes} cap is
 * reached), on an I/O error or a lock throws {@link BacklogUnavailableException}: the transaction
 * is rolled back whole and the same call may succeed later. {@link #writeStatus()} shows the
 * failure until a commit adds data again.
 */
public final class SqliteBacklog implements Backlog {

  private static final String INSERT_EVENT =
      "INSERT INTO events (identity_kind, "
          + EventColumns.LIST
          // due_at stays null: a fresh event is due when accepted (EventColumns.DUE)
          + ", accepted_at, partition, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
          // the one uniqueness constraint on events is the identity (events_identity)
          + " ON CONFLICT DO NOTHING";
  private static final String CANDIDATE_COLUMNS =
      "id, attempts, last_release_id, " + EventColumns.LIST;

  /**
   * Changes to one key go in sequencer order: an event waits while an earlier change of the same
   * bucket and key is still waiting or running (events without a sequencer are not ordered). The
   * other changes of the key are found through the identity index's prefix (bucket, key): for most
   * keys that is the event itself.
   */
  private static final String NO_EARLIER_CHANGE_OPEN =
      " AND (NOT "
          + SequencerOrder.ordered("events.sequencer")
          + " OR NOT EXISTS (SELECT 1 FROM events p"
          + " WHERE p.bucket = events.bucket AND p.object_key = events.object_key"
          + " AND p.id <> events.id AND p.state IN (0, 1) AND "
          + SequencerOrder.ordered("p.sequencer")
          + " AND "
          + SequencerOrder.sortKey("p.sequencer")
          + " < "
          + SequencerOrder.sortKey("events.sequencer")
          + "))";

  /** Due waiting events and expired leases alike: due_at of a leased event is its lease end. */
  private static final String SELECT_DUE =
      "SELECT "
          + EventColumns.DUE
          + ", state, "
          + CANDIDATE_COLUMNS
          + " FROM events INDEXED BY events_open_due WHERE state IN (0, 1) AND "
          + EventColumns.DUE
          + " <= ?"
          + NO_EARLIER_CHANGE_OPEN
          + " ORDER BY "
          + EventColumns.DUE
          + ", id LIMIT ?";

  /**
   * The due events of one partition, as {@link #SELECT_DUE} reads them across all: a claim with
   * quotas reads one page per partition through the partition's part of the index.
   */
  private static final String SELECT_DUE_IN_PARTITION =
      "SELECT "
          + EventColumns.DUE
          + ", state, "
          + CANDIDATE_COLUMNS
          + " FROM events INDEXED BY events_open_partition_due WHERE state IN (0, 1)"
          + " AND partition = ? AND "
          + EventColumns.DUE
          + " <= ?"
          + NO_EARLIER_CHANGE_OPEN
          + " ORDER BY "
          + EventColumns.DUE
          + ", id LIMIT ?";

  /**
   * The due events of partition '' in a backlog with no rule, where most have no partition stored
   * (NULL): through the claim-order index, as {@link #SELECT_DUE}; the parameter for the partition
   * is always ''.
   */
  private static final String SELECT_DUE_UNPARTITIONED =
      "SELECT "
          + EventColumns.DUE
          + ", state, "
          + CANDIDATE_COLUMNS
          + " FROM events INDEXED BY events_open_due WHERE state IN (0, 1)"
          + " AND coalesce(partition, '') = ? AND "
          + EventColumns.DUE
          + " <= ?"
          + NO_EARLIER_CHANGE_OPEN
          + " ORDER BY "
          + EventColumns.DUE
          + ", id LIMIT ?";

  /** See V8__partitions.sql: under a rule, every open event has its partition stored. */
  private static final String STORE_EMPTY_PARTITIONS =
      "UPDATE events SET partition = '' WHERE state IN (0, 1) AND partition IS NULL";

  private static final String MAX_RELEASE_ID = "SELECT coalesce(max(id), 0) FROM releases";
  private static final String INSERT_RELEASE =
      "INSERT INTO releases (id, event_id, attempt, released_at) VALUES (?, ?, ?, ?)";
  private static final String LEASE_EVENT =
      "UPDATE events SET state = 1, attempts = ?, due_at = ?, last_release_id = ?"
          + " WHERE id = ?";
  private static final String CLOSE_RELEASE =
      "UPDATE releases SET outcome = ?, finished_at = ?, error = ?"
          + " WHERE id = ? AND outcome IS NULL";

  /** Closes a release; a time at the target this settlement does not know keeps the one known. */
  private static final String SETTLE_RELEASE =
      "UPDATE releases SET outcome = ?, finished_at = ?, error = ?,"
          + " reached_at = coalesce(?, reached_at), answered_at = coalesce(?, answered_at),"
          + " batch = coalesce(?, batch) WHERE id = ? AND outcome IS NULL";

  /** A started job's release stays open: only the times at the target are recorded. */
  private static final String RECORD_STARTED_RELEASE =
      "UPDATE releases SET reached_at = coalesce(?, reached_at),"
          + " answered_at = coalesce(?, answered_at), batch = coalesce(?, batch)"
          + " WHERE id = ? AND outcome IS NULL";

  /**
   * A throttled release gives its attempt back: the target refused the job, nothing was tried.
   * due_at: when a retry is due, or the end of a started job's hold; null once done or dead.
   */
  private static final String SETTLE_EVENT =
      "UPDATE events SET state = ?, due_at = ?, last_error = ?, dead_at = ?,"
          + " attempts = attempts - ?, settled_at = ? WHERE id = ? AND state = 1"
          + " AND last_release_id = ?";

  private static final String ABANDON_RELEASES =
      "UPDATE releases SET outcome = '"
          + BacklogArguments.ABANDONED
          + "', finished_at = ? WHERE outcome IS NULL"
          + " AND id IN (SELECT last_release_id FROM events WHERE state = 1)";
  private static final String ABANDON_LEASES =
      "UPDATE events SET state = 0, due_at = ? WHERE state = 1";

  /**
   * An event with no partition (NULL: appended with no rule) comes back in partition '' stored as
   * such: the partition index holds every open event under a rule (see V8__partitions.sql).
   */
  private static final String REDRIVE_ONE =
      "UPDATE events SET state = 0, due_at = ?, attempts = 0, dead_at = NULL,"
          + " partition = coalesce(partition, '') WHERE id = ? AND state = 3";

  private static final String REDRIVE_ALL =
      "UPDATE events SET state = 0, due_at = ?, attempts = 0, dead_at = NULL,"
          + " partition = coalesce(partition, '') WHERE state = 3";
  private static final String PURGE_ONE =
      "UPDATE events SET state = 4, settled_at = ? WHERE id = ? AND state = 3";
  private static final String PURGE_ALL =
      "UPDATE events SET state = 4, settled_at = ? WHERE state = 3";

  // Pruning; see V5__retention.sql for why there is no index on settled_at.
  private static final String MAX_EVENT_ID = "SELECT coalesce(max(id), 0) FROM events";

  /** The last id and acceptance time of the next range of events after a cursor. */
  private static final String PRUNE_RANGE_END =
      "SELECT id, accepted_at FROM (SELECT id, accepted_at FROM events WHERE id > ? AND id < ?"
          + " ORDER BY id LIMIT ?) ORDER BY id DESC LIMIT 1";

  private static final String PRUNE_DONE =
      "DELETE FROM events WHERE id > ? AND id <= ? AND state = 2 AND settled_at < ?";
  private static final String PRUNE_PURGED =
      "DELETE FROM events WHERE id > ? AND id <= ? AND state = 4 AND settled_at < ?";

  /** Through the index on released_at: the first release to keep. */
  private static final String FIRST_RELEASE_KEPT =
      "SELECT id FROM releases WHERE released_at >= ? ORDER BY released_at, id LIMIT 1";

  /**
   * Closed releases below an id, oldest first, walked by rowid. Open ones (jobs in flight) stay,
   * and are few.
   */
  private static final String PRUNE_RELEASES =
      "DELETE FROM releases WHERE id IN (SELECT id FROM releases WHERE id < ?"
          + " AND outcome IS NOT NULL ORDER BY id LIMIT ?)";

  private static final String ADD_TO_COUNTS =
      "UPDATE counts SET waiting = waiting + ?, leased = leased + ?, done = done + ?,"
          + " dead = dead + ?, releases = releases + ? WHERE id = 1";

  private final Path file;

  /** Works out the partition of each event appended; see {@link SqliteOptions#partitionRule}. */
  private final PartitionRule partitionRule;

  /**
   * Fair: the writer goes to whoever asked first. Appends come through one group committer at a
   * time (appendLock), so the dispatcher's claim or settlement waits for one append transaction at
   * most, never for a queue of them.
   */
  private final ReentrantLock writeLock = new ReentrantLock(true);

  /** Held by the thread committing a group of appends; see {@link #append}. */
  private final ReentrantLock appendLock = new ReentrantLock();

  private final ConcurrentLinkedQueue<PendingAppend> pendingAppends = new ConcurrentLinkedQueue<>();

  /** Append transactions committed; lets tests see appends grouped. */
  private final AtomicLong appendTransactions = new AtomicLong();

  private final ReentrantLock readLock = new ReentrantLock();

  /**
   * Where the walk of events by rowid goes on at the next {@link #prune}; 0 starts over at the
   * lowest id. Read and written under the write lock. Not kept in the file: after a restart the
   * walk starts from the lowest id, which costs one pass.
   */
  private long pruneCursor;

  private final AtomicLong longestPruneNanos = new AtomicLong();
  private final StatementCache writer;
  private final StatementCache reader;
  private final SqliteBacklogReads reads;
  private volatile boolean closed;

  /** The level intake commits at (the option); see {@link #writeReleaseBookkeeping}. */
  private final SqliteOptions.Synchronous intakeSync;

  /** The writer connection's current level; changed only under the write lock. */
  private SqliteOptions.Synchronous writerSync;

  private final WriteFailures writeFailures = new WriteFailures();

  /**
   * Set by a write's work when it adds rows (events, releases); such a commit shows the store has
   * room again. Under the write lock.
   */
  private boolean addsData;

  private SqliteBacklog(
      Path file, StatementCache writer, StatementCache reader, SqliteOptions options) {
    this.intakeSync = options.synchronous();
    this.writerSync = options.synchronous();
    this.partitionRule = options.partitionRule();
    this.file = file;
    this.writer = writer;
    this.reader = reader;
    this.reads = new SqliteBacklogReads(reader);
  }

  /**
   * Opens (creating if needed) the backlog file, and brings its schema up to date.
   *
   * @throws SluiceException if the file cannot be opened, or its schema is newer than this code
   */
  public static SqliteBacklog open(Path file, SqliteOptions options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    createParent(file);
    StatementCache writer = null;
    try {
      writer = new StatementCache(SqliteConnections.openWriter(file, options));
      SchemaMigrations.migrate(writer, file);
      SqliteConnections.capSize(writer.connection(), options.maxSizeBytes());
      if (options.partitionRule().by() != PartitionRule.By.NONE) {
        Transactions.write(writer, s -> s.get(STORE_EMPTY_PARTITIONS).executeUpdate());
      }
      StatementCache reader = new StatementCache(SqliteConnections.openReader(file, options));
      return new SqliteBacklog(file, writer, reader, options);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(writer, e);
      if (e instanceof SluiceException se) {
        throw se;
      }
      throw new SluiceException("cannot open sqlite backlog " + file + ": " + e.getMessage(), e);
    }
  }

  /** Opens the backlog file with {@link SqliteOptions#defaults()}. */
  public static SqliteBacklog open(Path file) {
    return open(file, SqliteOptions.defaults());
  }

  /** The file this backlog lives in. */
  public Path file() {
    return file;
  }

  /**
   * Commits the events, together with the appends that other threads are waiting to commit at the
   * same moment: one transaction and one sync for all of them (group commit). A webhook that takes
   * hundreds of small POSTs a second would otherwise hold the writer for one sync per POST, and the
   * dispatcher's claims and settlements would queue behind them.
   */
  @Override
  public AppendResult append(List<ObjectEvent> events, Instant now) {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(now, "now");
    if (events.isEmpty()) {
      return new AppendResult(0, 0);
    }
    // identities are worked out before taking the lock: the writer's time is the scarce resource
    int[] identityKinds = new int[events.size()];
    String[] partitions = new String[events.size()];
    for (int i = 0; i < identityKinds.length; i++) {
      ObjectEvent event = Objects.requireNonNull(events.get(i), "event");
      identityKinds[i] = EventColumns.identityKind(event);
      // no rule: NULL, kept out of the partition index (see V8__partitions.sql)
      partitions[i] = partitioned() ? partitionRule.partitionOf(event.bucket(), event.key()) : null;
    }
    PendingAppend mine = new PendingAppend(events, identityKinds, partitions, Micros.of(now));
    pendingAppends.add(mine);
    appendLock.lock();
    try {
      if (!mine.committed) {
        commitPendingAppends();
      }
    } finally {
      appendLock.unlock();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return new AppendResult(mine.accepted, events.size() - mine.accepted);
  }

  /** One thread's append, waiting for a group commit. Read and written under appendLock. */
  private static final class PendingAppend {
    final List<ObjectEvent> events;
    final int[] identityKinds;
    final String[] partitions;
    final long at;
    boolean committed;
    int accepted;
    RuntimeException failure;

    PendingAppend(List<ObjectEvent> events, int[] identityKinds, String[] partitions, long at) {
      this.events = events;
      this.identityKinds = identityKinds;
      this.partitions = partitions;
      this.at = at;
    }
  }

  /**
   * Commits every append waiting now in one transaction, each in its arrival order (so of two
   * appends of one identity the first is accepted and the second a duplicate), and tells each of
   * their threads its own result. Called under appendLock.
   */
  private void commitPendingAppends() {
    List<PendingAppend> group = new ArrayList<>();
    for (PendingAppend p; (p = pendingAppends.poll()) != null; ) {
      group.add(p);
    }
    try {
      write(
          "append",
          Micros.toInstant(group.get(0).at),
          s -> {
            PreparedStatement insert = s.get(INSERT_EVENT);
            int inserted = 0;
            for (PendingAppend p : group) {
              p.accepted = insertEvents(insert, p);
              inserted += p.accepted;
            }
            addToCounts(s, inserted, 0, 0, 0, 0);
            addsData = inserted > 0;
            return null;
          });
      appendTransactions.incrementAndGet();
    } catch (RuntimeException e) {
      // Nothing of the group was committed: every one of its appends fails with the cause.
      for (PendingAppend p : group) {
        p.failure = e;
      }
    } finally {
      for (PendingAppend p : group) {
        p.committed = true;
      }
    }
  }

  private static int insertEvents(PreparedStatement insert, PendingAppend p) throws SQLException {
    for (int i = 0; i < p.events.size(); i++) {
      insert.setInt(1, p.identityKinds[i]);
      EventColumns.bind(insert, 2, p.events.get(i));
      insert.setLong(2 + EventColumns.COUNT, p.at);
      insert.setString(3 + EventColumns.COUNT, p.partitions[i]);
      insert.addBatch();
    }
    int inserted = 0;
    for (int changed : insert.executeBatch()) {
      inserted += changed;
    }
    return inserted;
  }

  @Override
  public List<Job> claim(
      List<Instant> releaseTimes, Duration lease, Instant now, PartitionQuotas quotas) {
    BacklogArguments.checkClaim(releaseTimes, lease, now, quotas);
    int max = releaseTimes.size();
    if (max == 0) {
      return List.of();
    }
    long at = Micros.of(now);
    long leaseUntil = Micros.of(now.plus(lease));
    return writeReleaseBookkeeping(
        "claim", now, s -> claimIn(s, releaseTimes, at, leaseUntil, quotas));
  }

  /**
   * Settles, then claims, in one transaction: one commit instead of two, and the pages both touch
   * (the counts row, the releases' last page, the claim-order index) are written once.
   */
  @Override
  public List<Job> settleAndClaim(
      List<Settlement> settlements,
      List<Instant> releaseTimes,
      Duration lease,
      Instant now,
      PartitionQuotas quotas) {
    Objects.requireNonNull(settlements, "settlements");
    BacklogArguments.checkClaim(releaseTimes, lease, now, quotas);
    long at = Micros.of(now);
    long leaseUntil = Micros.of(now.plus(lease));
    return writeReleaseBookkeeping(
        "settleAndClaim",
        now,
        s -> {
          settleIn(s, settlements, at);
          return releaseTimes.isEmpty()
              ? List.<Job>of()
              : claimIn(s, releaseTimes, at, leaseUntil, quotas);
        });
  }

  private List<Job> claimIn(
      StatementCache s,
      List<Instant> releaseTimes,
      long at,
      long leaseUntil,
      PartitionQuotas quotas)
      throws SQLException {
    int max = releaseTimes.size();
    List<ClaimCandidate> chosen = new ArrayList<>();
    if (quotas.isAny()) {
      ClaimCandidate.readPage(s.get(SELECT_DUE), at, max, chosen);
    } else {
      chosen = oldestDueByQuota(s, at, max, quotas);
    }
    if (chosen.isEmpty()) {
      return List.of();
    }
    long releaseId = maxReleaseId(s);
    PreparedStatement insertRelease = s.get(INSERT_RELEASE);
    PreparedStatement leaseEvent = s.get(LEASE_EVENT);
    PreparedStatement expireRelease = s.get(CLOSE_RELEASE);
    List<Job> jobs = new ArrayList<>(chosen.size());
    int fromWaiting = 0;
    int expired = 0;
    for (ClaimCandidate c : chosen) {
      long releasedMicros = Micros.of(releaseTimes.get(jobs.size()));
      Instant releasedAt = Micros.toInstant(releasedMicros);
      releaseId++;
      int attempt = c.attempts() + 1;
      insertRelease.setLong(1, releaseId);
      insertRelease.setLong(2, c.eventId());
      insertRelease.setInt(3, attempt);
      insertRelease.setLong(4, releasedMicros);
      insertRelease.addBatch();
      leaseEvent.setInt(1, attempt);
      leaseEvent.setLong(2, leaseUntil);
      leaseEvent.setLong(3, releaseId);
      leaseEvent.setLong(4, c.eventId());
      leaseEvent.addBatch();
      if (c.leased()) {
        expireRelease.setString(1, BacklogArguments.EXPIRED);
        expireRelease.setLong(2, at);
        expireRelease.setString(3, null);
        expireRelease.setLong(4, c.lastReleaseId());
        expireRelease.addBatch();
        expired++;
      } else {
        fromWaiting++;
      }
      jobs.add(new Job(c.eventId(), releaseId, attempt, releasedAt, c.event()));
    }
    insertRelease.executeBatch();
    leaseEvent.executeBatch();
    if (expired > 0) {
      expireRelease.executeBatch();
    }
    addToCounts(s, -fromWaiting, fromWaiting, 0, 0, chosen.size());
    addsData = true;
    return jobs;
  }

  /**
   * Each named partition's oldest due events up to its quota, then the oldest {@code max} of them
   * all, in claim order.
   */
  private List<ClaimCandidate> oldestDueByQuota(
      StatementCache s, long at, int max, PartitionQuotas quotas) throws SQLException {
    List<ClaimCandidate> candidates = new ArrayList<>();
    for (Map.Entry<String, Integer> quota : quotas.asMap().entrySet()) {
      String partition = quota.getKey();
      PreparedStatement query =
          s.get(
              !partitioned() && partition.isEmpty()
                  ? SELECT_DUE_UNPARTITIONED
                  : SELECT_DUE_IN_PARTITION);
      ClaimCandidate.readPage(query, partition, at, Math.min(max, quota.getValue()), candidates);
    }
    candidates.sort(CLAIM_ORDER);
    return candidates.size() > max ? new ArrayList<>(candidates.subList(0, max)) : candidates;
  }

  private static final Comparator<ClaimCandidate> CLAIM_ORDER =
      Comparator.comparingLong(ClaimCandidate::due).thenComparingLong(ClaimCandidate::eventId);

  /** Whether this backlog has a rule; without, events are appended with no partition (NULL). */
  private boolean partitioned() {
    return partitionRule.by() != PartitionRule.By.NONE;
  }

  @Override
  public List<PartitionDue> duePartitions(Instant now, int countUpTo) {
    BacklogArguments.checkDuePartitions(now, countUpTo);
    return read(
        "duePartitions", () -> reads.duePartitions(Micros.of(now), countUpTo, !partitioned()));
  }

  @Override
  public void settle(List<Settlement> settlements, Instant now) {
    Objects.requireNonNull(settlements, "settlements");
    Objects.requireNonNull(now, "now");
    if (settlements.isEmpty()) {
      return;
    }
    long at = Micros.of(now);
    writeReleaseBookkeeping(
        "settle",
        now,
        s -> {
          settleIn(s, settlements, at);
          return null;
        });
  }

  private static void settleIn(StatementCache s, List<Settlement> settlements, long at)
      throws SQLException {
    if (settlements.isEmpty()) {
      return;
    }
    PreparedStatement update = s.get(SETTLE_EVENT);
    for (Settlement settlement : settlements) {
      Job job = settlement.job();
      Settlement.Kind kind = settlement.kind();
      boolean waits = kind == Settlement.Kind.RETRY || kind == Settlement.Kind.THROTTLED;
      update.setInt(1, stateAfter(kind));
      boolean open = waits || kind == Settlement.Kind.STARTED;
      setInstant(update, 2, open ? settlement.retryAt() : null);
      update.setString(3, settlement.error());
      setLong(update, 4, kind == Settlement.Kind.DEAD ? at : null);
      update.setInt(5, kind == Settlement.Kind.THROTTLED ? 1 : 0);
      setLong(update, 6, kind == Settlement.Kind.DONE ? at : null);
      update.setLong(7, job.eventId());
      update.setLong(8, job.releaseId());
      update.addBatch();
    }
    int[] applied = update.executeBatch();
    PreparedStatement closeRelease = s.get(SETTLE_RELEASE);
    PreparedStatement recordStarted = null;
    long[] byState = new long[4];
    for (int i = 0; i < applied.length; i++) {
      if (applied[i] == 0) {
        continue; // the lease was lost to a newer claim, or this job was settled already
      }
      Settlement settlement = settlements.get(i);
      if (!settlement.closesRelease()) {
        recordStarted = recordStarted != null ? recordStarted : s.get(RECORD_STARTED_RELEASE);
        setInstant(recordStarted, 1, settlement.reachedAt());
        setInstant(recordStarted, 2, settlement.answeredAt());
        setLong(recordStarted, 3, settlement.batch());
        recordStarted.setLong(4, settlement.job().releaseId());
        recordStarted.addBatch();
        continue;
      }
      byState[stateAfter(settlement.kind())]++;
      closeRelease.setString(1, settlement.outcome());
      closeRelease.setLong(2, at);
      closeRelease.setString(3, settlement.error());
      setInstant(closeRelease, 4, settlement.reachedAt());
      setInstant(closeRelease, 5, settlement.answeredAt());
      setLong(closeRelease, 6, settlement.batch());
      closeRelease.setLong(7, settlement.job().releaseId());
      closeRelease.addBatch();
    }
    if (recordStarted != null) {
      recordStarted.executeBatch();
    }
    long settled =
        byState[EventState.WAITING] + byState[EventState.DONE] + byState[EventState.DEAD];
    if (settled > 0) {
      closeRelease.executeBatch();
      addToCounts(
          s,
          byState[EventState.WAITING],
          -settled,
          byState[EventState.DONE],
          byState[EventState.DEAD],
          0);
    }
  }

  private static int stateAfter(Settlement.Kind kind) {
    return switch (kind) {
      case DONE -> EventState.DONE;
      case RETRY, THROTTLED -> EventState.WAITING;
      case STARTED -> EventState.LEASED;
      case DEAD -> EventState.DEAD;
    };
  }

  @Override
  public int abandonLeases(Instant now) {
    Objects.requireNonNull(now, "now");
    long at = Micros.of(now);
    return writeReleaseBookkeeping(
        "abandonLeases",
        now,
        s -> {
          PreparedStatement releases = s.get(ABANDON_RELEASES);
          releases.setLong(1, at);
          releases.executeUpdate();
          PreparedStatement events = s.get(ABANDON_LEASES);
          events.setLong(1, at);
          int returned = events.executeUpdate();
          addToCounts(s, returned, -returned, 0, 0, 0);
          return returned;
        });
  }

  @Override
  public int redrive(List<Long> eventIds, Instant now) {
    Objects.requireNonNull(eventIds, "eventIds");
    Objects.requireNonNull(now, "now");
    long at = Micros.of(now);
    return write(
        "redrive",
        now,
        s -> {
          int moved = changeDeadLetters(s, REDRIVE_ALL, REDRIVE_ONE, eventIds, at);
          addToCounts(s, moved, 0, 0, -moved, 0);
          return moved;
        });
  }

  @Override
  public int purge(List<Long> eventIds, Instant now) {
    Objects.requireNonNull(eventIds, "eventIds");
    Objects.requireNonNull(now, "now");
    long at = Micros.of(now);
    return write(
        "purge",
        now,
        s -> {
          int purged = changeDeadLetters(s, PURGE_ALL, PURGE_ONE, eventIds, at);
          addToCounts(s, 0, 0, 0, -purged, 0);
          return purged;
        });
  }

  /**
   * Redrive and purge: one statement for every dead letter when {@code eventIds} is empty, else one
   * per id (dead letters only; other ids change nothing). Each statement takes the instant, then
   * (per id) the id.
   *
   * @return how many dead letters changed
   */
  private static int changeDeadLetters(
      StatementCache s, String allSql, String oneSql, List<Long> eventIds, long at)
      throws SQLException {
    if (eventIds.isEmpty()) {
      PreparedStatement all = s.get(allSql);
      all.setLong(1, at);
      return all.executeUpdate();
    }
    PreparedStatement one = s.get(oneSql);
    for (Long id : eventIds) {
      one.setLong(1, at);
      one.setLong(2, Objects.requireNonNull(id, "event id"));
      one.addBatch();
    }
    int changed = 0;
    for (int n : one.executeBatch()) {
      changed += n;
    }
    return changed;
  }

  /**
   * Walks events by rowid, {@code max} ids per call, from {@link #pruneCursor}; releases by rowid
   * from the start (everything below the first release to keep, except open ones). Commits at
   * {@code synchronous=NORMAL} like the release bookkeeping: a deletion lost to a power cut is
   * simply done again.
   */
  @Override
  public Pruned prune(Instant settledBefore, Instant releasedBefore, int max) {
    BacklogArguments.checkPrune(settledBefore, releasedBefore, max);
    long settledCutoff = Micros.of(settledBefore);
    long releasedCutoff = Micros.of(releasedBefore);
    long[] began = new long[1];
    Pruned pruned =
        writeReleaseBookkeeping(
            "prune",
            null,
            s -> {
              began[0] = System.nanoTime();
              // The newest event and release always stay: SQLite gives a new row max(id) + 1, and
              // an
              // id must never be handed out twice (releases outlive their events in the log).
              long newestEvent = scalar(s, MAX_EVENT_ID);
              PreparedStatement range = s.get(PRUNE_RANGE_END);
              range.setLong(1, pruneCursor);
              range.setLong(2, newestEvent);
              range.setInt(3, max);
              long end = -1;
              long endAcceptedAt = 0;
              try (ResultSet rs = range.executeQuery()) {
                if (rs.next()) {
                  end = rs.getLong(1);
                  endAcceptedAt = rs.getLong(2);
                }
              }
              int done = 0;
              int purged = 0;
              boolean moreEvents = false;
              if (end >= 0) {
                done = deleteRange(s.get(PRUNE_DONE), pruneCursor, end, settledCutoff);
                purged = deleteRange(s.get(PRUNE_PURGED), pruneCursor, end, settledCutoff);
                // Events after one accepted at or after the horizon were settled after it too (ids
                // follow acceptance): start over from the lowest id on the next call.
                moreEvents = endAcceptedAt < settledCutoff;
              }
              long nextCursor = moreEvents ? end : 0;

              long keepFrom =
                  Math.min(firstReleaseKept(s, releasedCutoff), scalar(s, MAX_RELEASE_ID));
              PreparedStatement releases = s.get(PRUNE_RELEASES);
              releases.setLong(1, keepFrom);
              releases.setInt(2, max);
              int deletedReleases = releases.executeUpdate();
              addToCounts(s, 0, 0, -done, 0, -deletedReleases);
              pruneCursor = nextCursor;
              return new Pruned(
                  done + purged, deletedReleases, moreEvents || deletedReleases == max);
            });
    // from inside the writer lock to the commit's end: how long appends and claims were held up
    longestPruneNanos.accumulateAndGet(System.nanoTime() - began[0], Math::max);
    return pruned;
  }

  private static int deleteRange(PreparedStatement delete, long after, long upTo, long cutoff)
      throws SQLException {
    delete.setLong(1, after);
    delete.setLong(2, upTo);
    delete.setLong(3, cutoff);
    return delete.executeUpdate();
  }

  private static long firstReleaseKept(StatementCache s, long releasedCutoff) throws SQLException {
    PreparedStatement first = s.get(FIRST_RELEASE_KEPT);
    first.setLong(1, releasedCutoff);
    try (ResultSet rs = first.executeQuery()) {
      return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
    }
  }

  private static long scalar(StatementCache s, String sql) throws SQLException {
    try (ResultSet rs = s.get(sql).executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The longest a {@link #prune} transaction has run inside the writer lock so far (its work, not
   * the commit's sync); what the soak benchmark reports.
   */
  public Duration longestPruneTransaction() {
    return Duration.ofNanos(longestPruneNanos.get());
  }

  /**
   * The pause flag and the audit trail, kept in this backlog's file and written through its one
   * writer.
   */
  public SqliteControlStore controlStore() {
    return new SqliteControlStore(this);
  }

  /** An operator write: committed at the configured level, like intake. */
  <T> T writeControl(String operation, SqlWork<T> work) {
    return write(operation, null, work);
  }

  /** A read on the reading connection, in one snapshot. */
  <T> T readControl(String operation, SqlWork<T> work) {
    return read(operation, () -> work.run(reader));
  }

  @Override
  public BacklogStats stats(Instant now) {
    Objects.requireNonNull(now, "now");
    return read("stats", () -> reads.stats(Micros.of(now)));
  }

  @Override
  public List<EventLocation> locate(String bucket, String key, Instant now) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(now, "now");
    return read(
        "locate", () -> reads.locate(bucket, key, Micros.of(now), LOCATE_LIMIT, partitioned()));
  }

  @Override
  public List<Boolean> known(List<ListedObject> objects) {
    Objects.requireNonNull(objects, "objects");
    return read("known", () -> reads.known(objects));
  }

  @Override
  public List<DeadLetter> deadLetters(long afterEventId, int limit) {
    BacklogArguments.checkLimit(limit);
    return read("deadLetters", () -> reads.deadLetters(afterEventId, limit));
  }

  @Override
  public List<ReleaseRecord> releases(Instant since, long afterReleaseId, int limit) {
    Objects.requireNonNull(since, "since");
    BacklogArguments.checkLimit(limit);
    return read("releases", () -> reads.releases(Micros.of(since), afterReleaseId, limit));
  }

  @Override
  public List<ReleaseRecord> openReleases(Instant releasedBefore, long afterReleaseId, int limit) {
    Objects.requireNonNull(releasedBefore, "releasedBefore");
    BacklogArguments.checkLimit(limit);
    return read(
        "openReleases", () -> reads.openReleases(Micros.of(releasedBefore), afterReleaseId, limit));
  }

  @Override
  public List<Instant> startTimes(Instant since, Duration maxStartDelay) {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(maxStartDelay, "maxStartDelay");
    return read(
        "startTimes",
        () -> reads.startTimes(Micros.of(since), Micros.of(since.minus(maxStartDelay))));
  }

  @Override
  public void close() {
    writeLock.lock();
    readLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      SQLException failure = null;
      for (StatementCache connection : List.of(reader, writer)) {
        try {
          connection.close();
        } catch (SQLException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw translate("close", failure);
      }
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }

  /** Append transactions committed so far; for tests of the group commit. */
  long appendTransactions() {
    return appendTransactions.get();
  }

  /** Appends waiting for a group commit now; for tests of the group commit. */
  int appendsWaiting() {
    return pendingAppends.size();
  }

  /**
   * Runs {@code action} holding the writer, as a long claim would; for tests of the group commit.
   */
  void whileHoldingTheWriter(Runnable action) {
    writeLock.lock();
    try {
      action.run();
    } finally {
      writeLock.unlock();
    }
  }

  /** A PRAGMA's value as the writing connection sees it; for tests of the connection setup. */
  String writerPragma(String name) {
    // Reads the connection as the last write left it: no change of level here.
    return write(
        "pragma",
        writerSync,
        null,
        s -> {
          try (var st = s.connection().createStatement();
              ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            return rs.next() ? rs.getString(1) : null;
          }
        });
  }

  // ------------------------------------------------------------------------------------------

  private static long maxReleaseId(StatementCache s) throws SQLException {
    try (ResultSet rs = s.get(MAX_RELEASE_ID).executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void addToCounts(
      StatementCache s, long waiting, long leased, long done, long dead, long releases)
      throws SQLException {
    if (waiting == 0 && leased == 0 && done == 0 && dead == 0 && releases == 0) {
      return;
    }
    PreparedStatement add = s.get(ADD_TO_COUNTS);
    add.setLong(1, waiting);
    add.setLong(2, leased);
    add.setLong(3, done);
    add.setLong(4, dead);
    add.setLong(5, releases);
    add.executeUpdate();
  }

  /** Intake and operator writes (append, redrive) commit at the configured level. */
  private <T> T write(String operation, Instant now, SqlWork<T> work) {
    return write(operation, intakeSync, now, work);
  }

  /**
   * Claims and settlements commit with {@code synchronous=NORMAL}: in WAL mode such a commit
   * survives a crash of the process ({@code kill -9}) and can only be lost with the operating
   * system (power loss). What such a loss undoes is safe: a release or an outcome not recorded
   * makes the event due again, which is at-least-once. Accepting events is what must survive
   * everything, and that keeps FULL. This halves the fsyncs of the release path.
   */
  private <T> T writeReleaseBookkeeping(String operation, Instant now, SqlWork<T> work) {
    return write(operation, SqliteOptions.Synchronous.NORMAL, now, work);
  }

  /**
   * @param now the call's instant, recorded if it fails; null for calls that carry none
   */
  private <T> T write(
      String operation, SqliteOptions.Synchronous sync, Instant now, SqlWork<T> work) {
    writeLock.lock();
    try {
      checkOpen();
      if (sync != writerSync) {
        // A connection setting, outside any transaction; takes effect at the next commit.
        writer.execute("PRAGMA synchronous = " + sync.name());
        writerSync = sync;
      }
      addsData = false;
      T result = Transactions.write(writer, work);
      if (addsData) {
        writeFailures.grew();
      }
      return result;
    } catch (SQLException e) {
      SluiceException failure = translate(operation, e);
      if (failure instanceof BacklogUnavailableException unavailable) {
        writeFailures.failed(failure.getMessage(), unavailable.full(), now);
      }
      resetWriter(failure);
      throw failure;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Leaves the writer as a fresh connection would be after a failed write: no statement the driver
   * may have finalized, and no transaction left open. On a real full disk SQLite rolls the
   * transaction back itself and the driver closes the statements it ran; the cached ROLLBACK may
   * then be one of them, and a transaction opened by the next call would stay open for good.
   */
  private void resetWriter(SluiceException failure) {
    writer.forgetStatements();
    try (var st = writer.connection().createStatement()) {
      st.execute("ROLLBACK");
    } catch (SQLException e) {
      // "no transaction is active": the usual case, SQLite or Transactions rolled back already
      if (!String.valueOf(e.getMessage()).contains("no transaction is active")) {
        failure.addSuppressed(e);
      }
    }
  }

  @Override
  public WriteStatus writeStatus() {
    return writeFailures.status();
  }

  /**
   * Caps the database's size from the next write on, as {@link SqliteOptions#maxSizeBytes} does at
   * open: lower it to stop growth before the disk is full, raise it (or {@link
   * SqliteOptions#NO_MAX_SIZE}) to give room again. A cap below what the file holds keeps the
   * file's size.
   */
  public void setMaxSize(long maxSizeBytes) {
    if (maxSizeBytes < 0) {
      throw new IllegalArgumentException(
          "maxSizeBytes must be >= 0 (0 for no cap), got " + maxSizeBytes);
    }
    writeLock.lock();
    try {
      checkOpen();
      SqliteConnections.capSize(writer.connection(), maxSizeBytes);
    } catch (SQLException e) {
      throw translate("setMaxSize", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** A read that runs on the reading connection, in one snapshot. */
  private <T> T read(String operation, ReadWork<T> work) {
    readLock.lock();
    try {
      checkOpen();
      return Transactions.read(reader, s -> work.run());
    } catch (SQLException e) {
      throw translate(operation, e);
    } finally {
      readLock.unlock();
    }
  }

  @FunctionalInterface
  private interface ReadWork<T> {
    T run() throws SQLException;
  }

  private SluiceException translate(String operation, SQLException e) {
    return SqliteFailures.translate(
        "sqlite backlog " + file + ": " + operation + " failed: " + e.getMessage(), e);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("sqlite backlog " + file + " is closed");
    }
  }

  private static void createParent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new SluiceException("cannot create the directory of sqlite backlog " + file, e);
    }
  }

  private static void closeQuietly(StatementCache statements, Exception cause) {
    if (statements == null) {
      return;
    }
    try {
      statements.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
