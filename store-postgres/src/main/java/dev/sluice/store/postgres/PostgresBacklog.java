package dev.sluice.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
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
import dev.sluice.core.cluster.GateFence;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.core.cluster.NotGateHolderException;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionQuotas;
import dev.sluice.core.partition.PartitionRule;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The shared {@link Backlog}: one Postgres database that several Sluice nodes use at once. Every
 * call is one transaction on a pooled connection, committed before it returns, so accepted means
 * durable (with the server's {@code synchronous_commit} on).
 *
 * <p><b>Claims</b> lock their candidates with {@code FOR UPDATE SKIP LOCKED}, so several handles
 * (nodes, or threads of one node) claim at once without taking the same event. A lease belongs to
 * the release that took it and to the node that claimed it ({@code lease_owner}): a settlement
 * applies only while the event is leased and its last release is the job's; reclaiming an expired
 * lease closes the lost release as {@code expired}.
 *
 * <p><b>Fence.</b> A backlog opened with a {@link GateFence} claims only while this node holds the
 * gate: in the claim's transaction it counts the claim on the {@code gate_holder} row under the
 * term it holds, and a claim whose term the store no longer has is rolled back with {@link
 * NotGateHolderException}. That row's lock also serializes claims with one another and with a
 * takeover, so release ids and release times stay in order across holders.
 *
 * <p><b>Failures.</b> An unreachable server, a pool with no connection free within the connect
 * timeout, a server shutting down or a lost deadlock throw {@link BacklogUnavailableException}; a
 * full disk (SQLSTATE 53100) throws it with {@code full}. Nothing of the failed call was committed.
 * {@link #writeStatus()} shows the failure until a commit adds rows again.
 *
 * <p>Each event is kept with its partition, worked out at append by the {@link PartitionRule} this
 * backlog was opened with; a claim with {@link PartitionQuotas} walks each named partition in claim
 * order through {@code events_open_partition_due}, and a claim without walks {@code
 * events_open_due} as before.
 *
 * <p>Instants are stored as {@code timestamptz}: finer parts than microseconds are truncated.
 */
public final class PostgresBacklog implements Backlog {

  /**
   * Appends a batch in one statement: parallel arrays, one element per event, in the batch's order
   * (the event's columns in {@link EventColumns#LIST} order, then identity_version and
   * sequencer_order), then the instant of the append twice (accepted_at, due_at). Ids follow the
   * batch's order ({@code ORDER BY ord}), then each event's partition. A second delivery of an
   * identity the table holds, or one that appears earlier in the same batch, inserts nothing: the
   * first is the event.
   */
  private static final String INSERT_EVENTS =
      "INSERT INTO events ("
          + EventColumns.LIST
          + ", identity_version, sequencer_order, accepted_at, due_at, partition, state)"
          + " SELECT "
          + EventColumns.LIST
          + ", identity_version, sequencer_order, ?, ?, partition, 0"
          + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::text[]::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[])"
          + " WITH ORDINALITY AS u("
          + EventColumns.LIST
          + ", identity_version, sequencer_order, partition, ord)"
          + " ORDER BY ord ON CONFLICT ON CONSTRAINT events_identity DO NOTHING";

  /** The channel an append notifies; {@link PostgresWakeups} listens on it. */
  static final String APPENDED_CHANNEL = "sluice_appended";

  private static final String NOTIFY_APPENDED = "NOTIFY " + APPENDED_CHANNEL;

  /** The per-key check of a claim; see {@link #CLAIM}. */
  private static final String NO_EARLIER_CHANGE_OPEN =
      " AND (e.sequencer_order IS NULL OR NOT EXISTS (SELECT 1 FROM events p"
          + " WHERE p.bucket = e.bucket AND p.object_key = e.object_key"
          + " AND p.state IN (0, 1) AND p.sequencer_order < e.sequencer_order))";

  /** What a claim does with the events its {@code due} part chose; see {@link #CLAIM}. */
  private static final String CLAIM_CHOSEN =
      // FOR UPDATE takes no window function at its own level: the rows are numbered here
      " chosen AS (SELECT due.*, row_number() OVER (ORDER BY due_at, id) AS ord FROM due),"
          + " times AS (SELECT * FROM unnest(?::text[]::timestamptz[])"
          + " WITH ORDINALITY AS t(released_at, ord)),"
          + " released AS (INSERT INTO releases (event_id, attempt, released_at)"
          + " SELECT c.id, c.attempts + 1,"
          + " greatest(t.released_at, (SELECT max(released_at) FROM releases))"
          + " FROM chosen c JOIN times t ON t.ord = c.ord ORDER BY c.ord"
          + " RETURNING id, event_id, attempt, released_at),"
          + " leased AS (UPDATE events e SET state = 1, attempts = r.attempt, due_at = ?,"
          + " last_release_id = r.id, lease_owner = ? FROM released r WHERE e.id = r.event_id),"
          + " expired AS (UPDATE releases SET outcome = '"
          + BacklogArguments.EXPIRED
          + "', finished_at = ?"
          // an array, not IN (subquery): the lookup stays on the primary key however many
          // releases the table holds, also when the claim took no expired lease
          + " WHERE id = ANY (ARRAY(SELECT last_release_id FROM chosen WHERE state = 1))"
          + " AND outcome IS NULL)"
          + " SELECT c.state, c.id, r.id, r.attempt, r.released_at, "
          + EventColumns.prefixed("c")
          + " FROM chosen c JOIN released r ON r.event_id = c.id ORDER BY c.ord";

  /**
   * Claims in one statement: due waiting events and expired leases alike (due_at of a leased event
   * is its lease end), oldest due first, locked so that no other claim takes them (rows another
   * claim holds are skipped); a release for each, inserted in claim order so that release ids
   * follow it; each event leased to its release and to this node; the releases of expired leases
   * closed as expired. Arguments: the claim's instant, how many at most, the release times (one per
   * job, in claim order), the lease end, the node, the claim's instant again.
   *
   * <p>A release time earlier than the latest one recorded before this statement is clamped up to
   * it (see {@link #claim}); the time recorded is returned.
   *
   * <p>Changes to one key go in sequencer order: an event waits while an earlier change of its
   * bucket and key is open (waiting, whatever its due time, or leased). The check stays right when
   * several handles claim at once, without a lock per key: the earliest open change of a key is the
   * only one of its changes that passes, and it stays the earliest open change until it is settled,
   * which needs it claimed first. So a claim that sees an earlier change open (in its snapshot)
   * waits for it rightly, and a claim that sees none open sees a key whose earlier changes were all
   * settled before its snapshot: no snapshot can show a later change free while an earlier one is
   * still to run. What a stale snapshot can do is only hold a change back one claim longer. The one
   * order no claim can keep is that of an earlier change appended after a later one was released;
   * that is the same on one node.
   */
  private static final String CLAIM =
      "WITH due AS (SELECT e.state, e.id, e.attempts, e.last_release_id, e.due_at, "
          + EventColumns.prefixed("e")
          + " FROM events e WHERE e.state IN (0, 1) AND e.due_at <= ?"
          + NO_EARLIER_CHANGE_OPEN
          + " ORDER BY e.due_at, e.id LIMIT ? FOR UPDATE OF e SKIP LOCKED),"
          + CLAIM_CHOSEN;

  /**
   * Claims as {@link #CLAIM} does, taking from each partition named at most its quota: one ordered
   * walk of {@code events_open_partition_due} per partition, under its quota, then the oldest of
   * them all up to the claim's size. Arguments: the partitions and their quotas (two arrays), then
   * those of {@link #CLAIM}. Rows a partition's walk locked beyond the claim's size stay locked
   * (not leased) until the claim commits.
   */
  private static final String CLAIM_BY_QUOTA = claimByQuota("e.partition");

  /**
   * As {@link #CLAIM_BY_QUOTA}, in a backlog with no rule, where most events have no partition
   * stored (NULL, partition ''): the walks go through {@code events_open_due}, where such events
   * are nearly every event.
   */
  private static final String CLAIM_BY_QUOTA_UNPARTITIONED =
      claimByQuota("coalesce(e.partition, '')");

  private static String claimByQuota(String partition) {
    return "WITH quotas AS (SELECT * FROM unnest(?::text[], ?::int[]) AS q(part, quota)),"
        + " due AS (SELECT d.* FROM quotas q CROSS JOIN LATERAL"
        + " (SELECT e.state, e.id, e.attempts, e.last_release_id, e.due_at, "
        + EventColumns.prefixed("e")
        + " FROM events e WHERE e.state IN (0, 1) AND "
        + partition
        + " = q.part AND e.due_at <= ?"
        + NO_EARLIER_CHANGE_OPEN
        + " ORDER BY e.due_at, e.id LIMIT q.quota FOR UPDATE OF e SKIP LOCKED) d"
        + " ORDER BY d.due_at, d.id LIMIT ?),"
        + CLAIM_CHOSEN;
  }

  /** See V4__partitions.sql: under a rule, every open event has its partition stored. */
  private static final String STORE_EMPTY_PARTITIONS =
      "UPDATE events SET partition = '' WHERE state IN (0, 1) AND partition IS NULL";

  /**
   * Before each claim: walk {@code events_open_due} in order and stop at the claim's size. A queue
   * table's statistics are stale most of the time (it fills and drains faster than autovacuum
   * analyzes it), and on an estimate of a few hundred due rows the planner prefers a bitmap scan of
   * every due row, the per-key check on each, and a sort, then the first few hundred: a claim that
   * costs as much as the whole backlog (224 ms against 11 ms for a claim of 500 among 70,000 due
   * events). Without a bitmap or sequential scan to choose, the ordered index scan under the LIMIT
   * is the plan. {@code SET LOCAL}: for this transaction only.
   */
  private static final String CLAIM_PLAN =
      "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off";

  /** Counts this claim on the holder's row, under the term this node holds; see the class doc. */
  private static final String FENCE =
      "UPDATE gate_holder SET claims = claims + 1"
          + " WHERE id = 1 AND epoch = ? AND node_id = ? AND until > clock_timestamp()";

  /**
   * Settles a batch in one statement: parallel arrays, one element per settlement (event id,
   * release id, the state after, due_at, error, attempts given back, whether it closes the release,
   * outcome, reached at, answered at), then the settlement's instant three times (dead_at of a dead
   * letter, settled_at of a done event, finished_at of a closed release).
   *
   * <p>A settlement applies only while the event is leased and its last release is the job's: one
   * whose lease was lost to a newer claim, or that was settled already, changes nothing, and its
   * release is left alone. A throttled release gives its attempt back: the target refused the job,
   * nothing was tried. due_at: when a retry is due, or the end of a started job's hold; null once
   * done or dead. A started job's release stays open: only its times at the target are recorded; a
   * time at the target a settlement does not know keeps the one known. Returns, of the settlements
   * applied that closed their release, how many left the event waiting, done and dead.
   *
   * <p>An event is updated at most once by one statement, so a batch must name each event once.
   */
  private static final String SETTLE =
      "WITH s AS (SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::integer[],"
          + " ?::text[]::timestamptz[], ?::text[], ?::integer[], ?::boolean[], ?::text[],"
          + " ?::text[]::timestamptz[], ?::text[]::timestamptz[], ?::bigint[])"
          + " AS s(event_id, release_id, state, due_at, error, given_back, closes, outcome,"
          + " reached_at, answered_at, batch)),"
          + " settled AS (UPDATE events e SET state = s.state, due_at = s.due_at,"
          + " last_error = s.error, dead_at = CASE WHEN s.state = 3 THEN ?::timestamptz END,"
          + " attempts = e.attempts - s.given_back,"
          + " settled_at = CASE WHEN s.state = 2 THEN ?::timestamptz END"
          + " FROM s WHERE e.id = s.event_id AND e.state = 1 AND e.last_release_id = s.release_id"
          + " RETURNING s.release_id, s.state, s.error, s.closes, s.outcome, s.reached_at,"
          + " s.answered_at, s.batch),"
          + " closed AS (UPDATE releases r SET"
          + " outcome = CASE WHEN t.closes THEN t.outcome ELSE r.outcome END,"
          + " finished_at = CASE WHEN t.closes THEN ?::timestamptz ELSE r.finished_at END,"
          + " error = CASE WHEN t.closes THEN t.error ELSE r.error END,"
          + " reached_at = coalesce(t.reached_at, r.reached_at),"
          + " answered_at = coalesce(t.answered_at, r.answered_at),"
          + " batch = coalesce(t.batch, r.batch)"
          + " FROM settled t WHERE r.id = t.release_id AND r.outcome IS NULL)"
          + " SELECT count(*) FILTER (WHERE closes AND state = 0),"
          + " count(*) FILTER (WHERE closes AND state = 2),"
          + " count(*) FILTER (WHERE closes AND state = 3) FROM settled";

  /** This node's leases only; one statement, so no claim slips between the two updates. */
  private static final String ABANDON_LEASES =
      "WITH returned AS (UPDATE events SET state = 0, due_at = ?"
          + " WHERE state = 1 AND lease_owner = ? RETURNING last_release_id),"
          + " closed AS (UPDATE releases SET outcome = '"
          + BacklogArguments.ABANDONED
          + "', finished_at = ? WHERE outcome IS NULL"
          + " AND id IN (SELECT last_release_id FROM returned) RETURNING id)"
          + " SELECT count(*) FROM returned";

  /**
   * An event with no partition (NULL: appended with no rule) comes back in partition '' stored as
   * such: the partition index holds every open event under a rule (see V4__partitions.sql).
   */
  private static final String REDRIVE =
      "UPDATE events SET state = 0, due_at = ?, attempts = 0, dead_at = NULL,"
          + " partition = coalesce(partition, '') WHERE state = 3";

  private static final String PURGE = "UPDATE events SET state = 4, settled_at = ? WHERE state = 3";
  private static final String ONLY_IDS = " AND id = ANY (?)";

  /**
   * Done and purged events settled before the horizon, through events_settled. The newest event
   * stays, as on every store (ids keep increasing; here the sequence would see to that anyway).
   */
  private static final String PRUNE_EVENTS =
      "WITH gone AS (DELETE FROM events WHERE id IN (SELECT id FROM events"
          + " WHERE state IN (2, 4) AND settled_at < ?"
          + " AND id < (SELECT max(id) FROM events) ORDER BY settled_at LIMIT ?)"
          + " RETURNING state)"
          + " SELECT count(*), count(*) FILTER (WHERE state = 2) FROM gone";

  /** Closed releases made before the horizon, through the index on released_at. */
  private static final String PRUNE_RELEASES =
      "WITH gone AS (DELETE FROM releases WHERE id IN (SELECT id FROM releases"
          + " WHERE released_at < ? AND outcome IS NOT NULL"
          + " AND id < (SELECT max(id) FROM releases) ORDER BY released_at LIMIT ?)"
          + " RETURNING 1)"
          + " SELECT count(*) FROM gone";

  /** Serialization failures and deadlocks: the transaction was rolled back whole. */
  private static final int RETRIES = 3;

  private final DataSource dataSource;
  private final HikariDataSource ownPool;
  private final String description;
  private final String nodeId;
  private final GateFence fence;

  /**
   * Works out the partition of each event appended; see {@link #open(PostgresOptions, String,
   * GateFence, PartitionRule)}.
   */
  private final PartitionRule partitionRule;

  private final WriteFailures writeFailures = new WriteFailures();
  private volatile boolean closed;

  private PostgresBacklog(
      DataSource dataSource,
      HikariDataSource ownPool,
      String description,
      String nodeId,
      GateFence fence,
      PartitionRule partitionRule) {
    this.dataSource = dataSource;
    this.ownPool = ownPool;
    this.description = description;
    this.nodeId = nodeId;
    this.fence = fence;
    this.partitionRule = partitionRule;
  }

  /**
   * Connects (a pool of {@link PostgresOptions#poolSize()} connections) and brings the schema up to
   * date.
   *
   * @param nodeId this node's id: the owner of the leases its claims take
   * @param fence what claims check (this node's gate term), or null to claim unfenced (one node
   *     alone on the database)
   * @throws BacklogUnavailableException if the server cannot be reached
   * @throws SluiceException if the schema is newer than this code, or cannot be migrated
   */
  public static PostgresBacklog open(PostgresOptions options, String nodeId, GateFence fence) {
    return open(options, nodeId, fence, PartitionRule.NONE);
  }

  /**
   * Connects and brings the schema up to date as {@link #open(PostgresOptions, String, GateFence)}
   * does, and keeps each event appended through this backlog in the partition {@code partitionRule}
   * gives it. Events keep the partition they were appended with: a changed rule applies to events
   * appended from then on. Every node on one database should use the same rule.
   */
  public static PostgresBacklog open(
      PostgresOptions options, String nodeId, GateFence fence, PartitionRule partitionRule) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(partitionRule, "partitionRule");
    checkNodeId(nodeId);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(options.jdbcUrl());
    config.setUsername(options.user());
    config.setPassword(options.password());
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(Math.min(2, options.poolSize()));
    config.setConnectionTimeout(options.connectTimeout().toMillis());
    config.setInitializationFailTimeout(options.connectTimeout().toMillis());
    config.setPoolName("sluice-backlog-" + nodeId);
    // the driver's own wait for a new connection, in whole seconds (0 would wait for ever)
    config.addDataSourceProperty(
        "connectTimeout", Math.max(1, (options.connectTimeout().toMillis() + 999) / 1000));
    config.addDataSourceProperty("tcpKeepAlive", true);
    config.addDataSourceProperty("ApplicationName", "sluice " + nodeId);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      throw new BacklogUnavailableException(
          "cannot reach the Postgres backlog at "
              + withoutParameters(options.jdbcUrl())
              + ": "
              + e.getMessage(),
          false,
          e);
    }
    try {
      return openOn(pool, pool, withoutParameters(options.jdbcUrl()), nodeId, fence, partitionRule);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Opens the backlog on connections the caller provides and closes (a test's data source, or a
   * pool shared with other stores), and brings the schema up to date. {@link #close()} leaves the
   * data source open.
   */
  public static PostgresBacklog open(DataSource dataSource, String nodeId, GateFence fence) {
    return open(dataSource, nodeId, fence, PartitionRule.NONE);
  }

  /**
   * Opens the backlog on the caller's connections as {@link #open(DataSource, String, GateFence)}
   * does, keeping events in partitions by {@code partitionRule}.
   */
  public static PostgresBacklog open(
      DataSource dataSource, String nodeId, GateFence fence, PartitionRule partitionRule) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(partitionRule, "partitionRule");
    checkNodeId(nodeId);
    return openOn(dataSource, null, "a caller's data source", nodeId, fence, partitionRule);
  }

  private static PostgresBacklog openOn(
      DataSource dataSource,
      HikariDataSource ownPool,
      String description,
      String nodeId,
      GateFence fence,
      PartitionRule partitionRule) {
    try (Connection c = dataSource.getConnection()) {
      PostgresSchemaMigrations.migrate(c);
      if (partitionRule.by() != PartitionRule.By.NONE) {
        try (Statement update = c.createStatement()) {
          update.executeUpdate(STORE_EMPTY_PARTITIONS);
        }
      }
    } catch (SQLException e) {
      throw PostgresFailures.translate(
          "cannot open the Postgres backlog at " + description + ": " + e.getMessage(), e);
    }
    return new PostgresBacklog(dataSource, ownPool, description, nodeId, fence, partitionRule);
  }

  /** The URL as messages show it: its parameters may carry a password. */
  private static String withoutParameters(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }

  private static void checkNodeId(String nodeId) {
    if (nodeId == null || nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId must not be blank, got " + nodeId);
    }
  }

  /** This node's id, the owner of the leases its claims take. */
  /**
   * The connections this backlog uses; the gate holder store and the node registry of the same node
   * share them.
   */
  public DataSource dataSource() {
    return dataSource;
  }

  public String nodeId() {
    return nodeId;
  }

  // ------------------------------------------------------------------------------------ intake

  /**
   * Inserts the events in order, each one's identity checked against every event the database holds
   * (any node's): of two deliveries of one object change the first committed is the event.
   */
  @Override
  public AppendResult append(List<ObjectEvent> events, Instant now) {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(now, "now");
    for (int i = 0; i < events.size(); i++) {
      checkStorable(Objects.requireNonNull(events.get(i), "event"), i);
    }
    if (events.isEmpty()) {
      return new AppendResult(0, 0);
    }
    int accepted =
        write(
            "append",
            now,
            c -> {
              int inserted;
              try (PreparedStatement insert = c.prepareStatement(INSERT_EVENTS)) {
                Timestamps.set(insert, 1, now);
                Timestamps.set(insert, 2, now);
                EventColumns.bindArrays(insert, 3, c, events);
                insert.setArray(
                    3 + EventColumns.COUNT + 2,
                    // no rule: NULL, kept out of the partition index (see V4__partitions.sql)
                    SqlArrays.texts(
                        c,
                        events,
                        e ->
                            partitioned() ? partitionRule.partitionOf(e.bucket(), e.key()) : null));
                inserted = insert.executeUpdate();
              }
              CountChanges counts = new CountChanges();
              counts.waiting = inserted;
              counts.write(c);
              if (inserted > 0) {
                // Delivered when this commits: the node holding the gate wakes at once, whichever
                // node took the events in (see PostgresWakeups).
                try (PreparedStatement notify = c.prepareStatement(NOTIFY_APPENDED)) {
                  notify.execute();
                }
              }
              return inserted;
            });
    if (accepted > 0) {
      writeFailures.grew();
    }
    return new AppendResult(accepted, events.size() - accepted);
  }

  /**
   * Postgres {@code text} cannot hold U+0000. The intakes refuse such a record already; this names
   * the event and field for any other caller instead of failing the batch as if the server were
   * unavailable.
   */
  private static void checkStorable(ObjectEvent e, int index) {
    String[][] fields = {
      {"bucket", e.bucket()},
      {"key", e.key()},
      {"eTag", e.eTag()},
      {"versionId", e.versionId()},
      {"sequencer", e.sequencer()},
      {"eventName", e.eventName()},
      {"source", e.source()}
    };
    for (String[] field : fields) {
      if (field[1] != null && field[1].indexOf('\u0000') >= 0) {
        throw new IllegalArgumentException(
            "events["
                + index
                + "]."
                + field[0]
                + " contains a NUL character (U+0000), which Postgres text cannot hold");
      }
    }
  }

  // ------------------------------------------------------------------------------------ claims

  /**
   * Leases due events as {@link Backlog#claim(List, Duration, Instant)} says, to this node ({@code
   * lease_owner}), fenced when this backlog has a fence.
   *
   * <p>Release times stay ordered across claims and holders: a job's release time is never earlier
   * than the latest release time already recorded; an earlier one given is clamped up to it (a new
   * holder whose clock runs behind the old one's records its first releases at the old one's last
   * release time).
   *
   * @throws NotGateHolderException if this backlog is fenced and this node holds no term, or the
   *     store's holder is another term; nothing was claimed
   */
  @Override
  public List<Job> claim(
      List<Instant> releaseTimes, Duration lease, Instant now, PartitionQuotas quotas) {
    BacklogArguments.checkClaim(releaseTimes, lease, now, quotas);
    if (releaseTimes.isEmpty()) {
      return List.of();
    }
    GateTerm term = heldTerm();
    List<Job> jobs =
        write(
            "claim",
            now,
            c -> {
              fence(c, term);
              CountChanges counts = new CountChanges();
              List<Job> claimed = claimIn(c, releaseTimes, lease, now, quotas, counts);
              counts.write(c);
              return claimed;
            });
    if (!jobs.isEmpty()) {
      writeFailures.grew();
    }
    return jobs;
  }

  /**
   * Settles, then claims, in one transaction, as {@link #claim(List, Duration, Instant)} does
   * (fenced, clamped). With no release times it only settles, unfenced: a node that lost the gate
   * still settles the jobs it ran. When the fence refuses the claim, the settlements are rolled
   * back with it.
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
    if (releaseTimes.isEmpty()) {
      settle(settlements, now);
      return List.of();
    }
    GateTerm term = heldTerm();
    List<Job> jobs =
        write(
            "settleAndClaim",
            now,
            c -> {
              fence(c, term);
              CountChanges counts = new CountChanges();
              settleIn(c, settlements, now, counts);
              List<Job> claimed = claimIn(c, releaseTimes, lease, now, quotas, counts);
              counts.write(c);
              return claimed;
            });
    if (!jobs.isEmpty()) {
      writeFailures.grew();
    }
    return jobs;
  }

  /** The term this node holds, or null when unfenced; refused before any transaction. */
  private GateTerm heldTerm() {
    if (fence == null) {
      return null;
    }
    GateTerm term =
        fence
            .heldTerm()
            .orElseThrow(
                () ->
                    new NotGateHolderException(
                        "node " + nodeId + " holds no gate term, so it may not claim"));
    if (!term.nodeId().equals(nodeId)) {
      throw new NotGateHolderException(
          "the gate term held is node " + term.nodeId() + "'s, not node " + nodeId + "'s");
    }
    return term;
  }

  /**
   * The first statement of a fenced claim's transaction; see {@link #FENCE}. The store must record
   * this node, the owner its leases get, as the holder.
   */
  private void fence(Connection c, GateTerm term) throws SQLException {
    if (term == null) {
      return;
    }
    try (PreparedStatement update = c.prepareStatement(FENCE)) {
      update.setLong(1, term.epoch());
      update.setString(2, nodeId);
      if (update.executeUpdate() == 0) {
        throw new NotGateHolderException(
            "the store no longer has node "
                + term.nodeId()
                + " holding the gate under epoch "
                + term.epoch()
                + " (another node took over, or the term ended): claim refused");
      }
    }
  }

  private List<Job> claimIn(
      Connection c,
      List<Instant> releaseTimes,
      Duration lease,
      Instant now,
      PartitionQuotas quotas,
      CountChanges counts)
      throws SQLException {
    List<Job> jobs = new ArrayList<>(releaseTimes.size());
    if (!quotas.isAny() && quotas.asMap().isEmpty()) {
      return jobs; // no partition may give anything
    }
    try (Statement plan = c.createStatement()) {
      plan.execute(CLAIM_PLAN);
    }
    String statement =
        quotas.isAny() ? CLAIM : partitioned() ? CLAIM_BY_QUOTA : CLAIM_BY_QUOTA_UNPARTITIONED;
    try (PreparedStatement claim = c.prepareStatement(statement)) {
      int p = 1;
      if (!quotas.isAny()) {
        List<Map.Entry<String, Integer>> named = List.copyOf(quotas.asMap().entrySet());
        claim.setArray(
            p++, c.createArrayOf("text", named.stream().map(Map.Entry::getKey).toArray()));
        // a partition's walk locks what it reads: never more than the claim can take
        int max = releaseTimes.size();
        claim.setArray(
            p++,
            c.createArrayOf(
                "integer", named.stream().map(e -> Math.min(max, e.getValue())).toArray()));
      }
      Timestamps.set(claim, p++, now);
      claim.setInt(p++, releaseTimes.size());
      claim.setArray(p++, SqlArrays.instants(c, releaseTimes, at -> at));
      Timestamps.set(claim, p++, now.plus(lease));
      claim.setString(p++, nodeId);
      Timestamps.set(claim, p, now);
      try (ResultSet rs = claim.executeQuery()) {
        while (rs.next()) {
          if (rs.getInt(1) != EventState.LEASED) {
            counts.waiting--;
            counts.leased++;
          }
          jobs.add(
              new Job(
                  rs.getLong(2),
                  rs.getLong(3),
                  rs.getInt(4),
                  Timestamps.get(rs, 5),
                  EventColumns.read(rs, 6)));
        }
      }
    }
    counts.releases += jobs.size();
    return jobs;
  }

  // ------------------------------------------------------------------------------- settlements

  @Override
  public void settle(List<Settlement> settlements, Instant now) {
    Objects.requireNonNull(settlements, "settlements");
    Objects.requireNonNull(now, "now");
    if (settlements.isEmpty()) {
      return;
    }
    write(
        "settle",
        now,
        c -> {
          CountChanges counts = new CountChanges();
          settleIn(c, settlements, now, counts);
          counts.write(c);
          return null;
        });
  }

  /**
   * Settles in order. The batch goes to {@link #SETTLE} in runs that name each event once: a later
   * settlement of an event already in the run (a job reported started, then done) starts the next
   * run, so it applies after the earlier one, as if each were settled alone.
   */
  private static void settleIn(
      Connection c, List<Settlement> settlements, Instant now, CountChanges counts)
      throws SQLException {
    int from = 0;
    Set<Long> events = new HashSet<>();
    for (int i = 0; i < settlements.size(); i++) {
      if (!events.add(settlements.get(i).job().eventId())) {
        settleRun(c, settlements.subList(from, i), now, counts);
        from = i;
        events.clear();
        events.add(settlements.get(i).job().eventId());
      }
    }
    settleRun(c, settlements.subList(from, settlements.size()), now, counts);
  }

  private static void settleRun(
      Connection c, List<Settlement> run, Instant now, CountChanges counts) throws SQLException {
    if (run.isEmpty()) {
      return;
    }
    try (PreparedStatement statement = c.prepareStatement(SETTLE)) {
      statement.setArray(1, SqlArrays.bigints(c, run, s -> s.job().eventId()));
      statement.setArray(2, SqlArrays.bigints(c, run, s -> s.job().releaseId()));
      statement.setArray(3, SqlArrays.ints(c, run, s -> stateAfter(s.kind())));
      statement.setArray(4, SqlArrays.instants(c, run, s -> keepsOpen(s) ? s.retryAt() : null));
      statement.setArray(5, SqlArrays.texts(c, run, Settlement::error));
      statement.setArray(
          6, SqlArrays.ints(c, run, s -> s.kind() == Settlement.Kind.THROTTLED ? 1 : 0));
      statement.setArray(7, SqlArrays.booleans(c, run, Settlement::closesRelease));
      statement.setArray(8, SqlArrays.texts(c, run, Settlement::outcome));
      statement.setArray(9, SqlArrays.instants(c, run, Settlement::reachedAt));
      statement.setArray(10, SqlArrays.instants(c, run, Settlement::answeredAt));
      statement.setArray(11, SqlArrays.bigints(c, run, Settlement::batch));
      Timestamps.set(statement, 12, now);
      Timestamps.set(statement, 13, now);
      Timestamps.set(statement, 14, now);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        long waiting = rs.getLong(1);
        long done = rs.getLong(2);
        long dead = rs.getLong(3);
        counts.waiting += waiting;
        counts.done += done;
        counts.dead += dead;
        counts.leased -= waiting + done + dead;
      }
    }
  }

  /** Whether the event stays due at the settlement's retryAt: waiting for a retry, or held. */
  private static boolean keepsOpen(Settlement settlement) {
    Settlement.Kind kind = settlement.kind();
    return kind == Settlement.Kind.RETRY
        || kind == Settlement.Kind.THROTTLED
        || kind == Settlement.Kind.STARTED;
  }

  private static int stateAfter(Settlement.Kind kind) {
    return switch (kind) {
      case DONE -> EventState.DONE;
      case RETRY, THROTTLED -> EventState.WAITING;
      case STARTED -> EventState.LEASED;
      case DEAD -> EventState.DEAD;
    };
  }

  /**
   * Returns this node's leases (those its claims took, by node id) to waiting, due at {@code now},
   * and closes their open releases as {@code abandoned}. On a shared store this is the restart of
   * the same node: what it had leased when it stopped is known to be abandoned. Other nodes' leases
   * stay theirs; they come back to the backlog only when they expire (claims take expired leases).
   */
  @Override
  public int abandonLeases(Instant now) {
    Objects.requireNonNull(now, "now");
    return write(
        "abandonLeases",
        now,
        c -> {
          int returned;
          try (PreparedStatement abandon = c.prepareStatement(ABANDON_LEASES)) {
            Timestamps.set(abandon, 1, now);
            abandon.setString(2, nodeId);
            Timestamps.set(abandon, 3, now);
            try (ResultSet rs = abandon.executeQuery()) {
              rs.next();
              returned = rs.getInt(1);
            }
          }
          CountChanges counts = new CountChanges();
          counts.waiting = returned;
          counts.leased = -returned;
          counts.write(c);
          return returned;
        });
  }

  // ------------------------------------------------------------------------------ dead letters

  @Override
  public int redrive(List<Long> eventIds, Instant now) {
    Objects.requireNonNull(eventIds, "eventIds");
    Objects.requireNonNull(now, "now");
    return write(
        "redrive",
        now,
        c -> {
          int moved = changeDeadLetters(c, REDRIVE, eventIds, now);
          CountChanges counts = new CountChanges();
          counts.waiting = moved;
          counts.dead = -moved;
          counts.write(c);
          return moved;
        });
  }

  @Override
  public int purge(List<Long> eventIds, Instant now) {
    Objects.requireNonNull(eventIds, "eventIds");
    Objects.requireNonNull(now, "now");
    return write(
        "purge",
        now,
        c -> {
          int purged = changeDeadLetters(c, PURGE, eventIds, now);
          CountChanges counts = new CountChanges();
          counts.dead = -purged;
          counts.write(c);
          return purged;
        });
  }

  /**
   * Redrive and purge: every dead letter when {@code eventIds} is empty, else those of the ids that
   * are dead letters. The statement takes the instant, then (for ids) the id array.
   */
  private static int changeDeadLetters(Connection c, String sql, List<Long> eventIds, Instant at)
      throws SQLException {
    boolean some = !eventIds.isEmpty();
    try (PreparedStatement update = c.prepareStatement(some ? sql + ONLY_IDS : sql)) {
      Timestamps.set(update, 1, at);
      if (some) {
        Long[] ids = new Long[eventIds.size()];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = Objects.requireNonNull(eventIds.get(i), "event id");
        }
        Array array = c.createArrayOf("bigint", ids);
        update.setArray(2, array);
      }
      return update.executeUpdate();
    }
  }

  // ----------------------------------------------------------------------------------- pruning

  @Override
  public Pruned prune(Instant settledBefore, Instant releasedBefore, int max) {
    BacklogArguments.checkPrune(settledBefore, releasedBefore, max);
    return write(
        "prune",
        null,
        c -> {
          int events;
          int done;
          try (PreparedStatement delete = c.prepareStatement(PRUNE_EVENTS)) {
            Timestamps.set(delete, 1, settledBefore);
            delete.setInt(2, max);
            try (ResultSet rs = delete.executeQuery()) {
              rs.next();
              events = rs.getInt(1);
              done = rs.getInt(2);
            }
          }
          int releases;
          try (PreparedStatement delete = c.prepareStatement(PRUNE_RELEASES)) {
            Timestamps.set(delete, 1, releasedBefore);
            delete.setInt(2, max);
            try (ResultSet rs = delete.executeQuery()) {
              rs.next();
              releases = rs.getInt(1);
            }
          }
          CountChanges counts = new CountChanges();
          counts.done = -done;
          counts.releases = -releases;
          counts.write(c);
          return new Pruned(events, releases, events == max || releases == max);
        });
  }

  // ------------------------------------------------------------------------------------- reads

  @Override
  public BacklogStats stats(Instant now) {
    Objects.requireNonNull(now, "now");
    return read("stats", c -> PostgresBacklogReads.stats(c, now));
  }

  @Override
  public List<PartitionDue> duePartitions(Instant now, int countUpTo) {
    BacklogArguments.checkDuePartitions(now, countUpTo);
    return read(
        "duePartitions",
        c -> PostgresBacklogReads.duePartitions(c, now, countUpTo, !partitioned()));
  }

  /** Whether this backlog has a rule; without, events are appended with no partition (NULL). */
  private boolean partitioned() {
    return partitionRule.by() != PartitionRule.By.NONE;
  }

  @Override
  public List<EventLocation> locate(String bucket, String key, Instant now) {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(now, "now");
    return read(
        "locate",
        c -> PostgresBacklogReads.locate(c, bucket, key, now, LOCATE_LIMIT, partitioned()));
  }

  @Override
  public List<Boolean> known(List<ListedObject> objects) {
    Objects.requireNonNull(objects, "objects");
    return read("known", c -> PostgresBacklogReads.known(c, objects));
  }

  @Override
  public List<DeadLetter> deadLetters(long afterEventId, int limit) {
    BacklogArguments.checkLimit(limit);
    return read("deadLetters", c -> PostgresBacklogReads.deadLetters(c, afterEventId, limit));
  }

  @Override
  public List<ReleaseRecord> releases(Instant since, long afterReleaseId, int limit) {
    Objects.requireNonNull(since, "since");
    BacklogArguments.checkLimit(limit);
    return read("releases", c -> PostgresBacklogReads.releases(c, since, afterReleaseId, limit));
  }

  @Override
  public List<ReleaseRecord> openReleases(Instant releasedBefore, long afterReleaseId, int limit) {
    Objects.requireNonNull(releasedBefore, "releasedBefore");
    BacklogArguments.checkLimit(limit);
    return read(
        "openReleases",
        c -> PostgresBacklogReads.openReleases(c, releasedBefore, afterReleaseId, limit));
  }

  @Override
  public List<Instant> startTimes(Instant since, Duration maxStartDelay) {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(maxStartDelay, "maxStartDelay");
    return read(
        "startTimes", c -> PostgresBacklogReads.startTimes(c, since, since.minus(maxStartDelay)));
  }

  /** The pause flag and the audit trail, in this backlog's database. */
  public PostgresControlStore controlStore() {
    return new PostgresControlStore(this);
  }

  @Override
  public WriteStatus writeStatus() {
    return writeFailures.status();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownPool != null) {
      ownPool.close();
    }
  }

  // ------------------------------------------------------------------------------ transactions

  /**
   * Runs {@code work} in one transaction and commits. A deadlock or serialization failure rolled
   * the whole transaction back, so it is tried again, a few times; every write here may be repeated
   * whole (appends are idempotent by identity, a claim's candidates are chosen again).
   *
   * @param now the call's instant, recorded if it fails; null for calls that carry none
   */
  <T> T write(String operation, Instant now, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return inTransaction(false, work);
      } catch (SQLException e) {
        if (attempt < RETRIES && rolledBackByServer(e)) {
          continue;
        }
        SluiceException failure = translate(operation, e);
        if (failure instanceof BacklogUnavailableException unavailable) {
          writeFailures.failed(failure.getMessage(), unavailable.full(), now);
        }
        throw failure;
      }
    }
  }

  /** A read-only transaction: every query of one answer sees one snapshot. */
  <T> T read(String operation, SqlWork<T> work) {
    try {
      return inTransaction(true, work);
    } catch (SQLException e) {
      throw translate(operation, e);
    }
  }

  private <T> T inTransaction(boolean readOnly, SqlWork<T> work) throws SQLException {
    checkOpen();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      if (readOnly) {
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
      }
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c, e);
        throw e;
      } finally {
        resetQuietly(c, readOnly);
      }
    }
  }

  /**
   * Leaves the connection as the pool handed it out (a pool resets it too, a plain data source may
   * not); a broken connection is the pool's to drop, so a failure here is not the call's.
   */
  private static void resetQuietly(Connection c, boolean readOnly) {
    try {
      if (readOnly) {
        c.setReadOnly(false);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // the connection is gone; the next call gets another
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static boolean rolledBackByServer(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if ("40P01".equals(s.getSQLState()) || "40001".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private SluiceException translate(String operation, SQLException e) {
    return PostgresFailures.translate(
        "postgres backlog (" + description + "): " + operation + " failed: " + e.getMessage(), e);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("postgres backlog (" + description + ") is closed");
    }
  }
}
