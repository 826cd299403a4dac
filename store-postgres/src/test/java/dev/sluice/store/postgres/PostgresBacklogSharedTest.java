package dev.sluice.store.postgres;

import static dev.sluice.testkit.TestEvents.numbered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.backlog.Settlement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Several handles (nodes) on one database: lease owners, and claims that run at the same time. */
class PostgresBacklogSharedTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private static EmbeddedPostgresServer server;

  private final List<PostgresBacklog> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(PostgresBacklog::close);
  }

  private PostgresBacklog open(PostgresOptions options, String nodeId) {
    PostgresBacklog backlog = PostgresBacklog.open(options, nodeId, null);
    opened.add(backlog);
    return backlog;
  }

  @Test
  void abandonLeases_returnsOnlyTheLeasesOfItsOwnNode() {
    PostgresOptions options = TestDatabases.fresh(server, "owners");
    PostgresBacklog a = open(options, "node-a");
    PostgresBacklog b = open(options, "node-b");
    a.append(numbered(1, 3), T0);
    List<Job> aJobs = a.claim(2, LEASE, T0);
    List<Job> bJobs = b.claim(2, LEASE, T0);
    assertThat(aJobs).hasSize(2);
    assertThat(bJobs).hasSize(1);

    // B restarts: only its own lease comes back
    assertThat(b.abandonLeases(T0.plusSeconds(1))).isEqualTo(1);

    BacklogStats stats = b.stats(T0.plusSeconds(1));
    assertThat(stats.leased()).isEqualTo(2);
    assertThat(stats.waiting()).isEqualTo(1);
    assertThat(b.releases(Instant.EPOCH, 0, 10))
        .extracting(ReleaseRecord::releaseId, ReleaseRecord::outcome)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(aJobs.get(0).releaseId(), null),
            org.assertj.core.groups.Tuple.tuple(aJobs.get(1).releaseId(), null),
            org.assertj.core.groups.Tuple.tuple(bJobs.get(0).releaseId(), "abandoned"));
    // before A's leases end B takes only what it gave back
    assertThat(b.claim(10, LEASE, T0.plusSeconds(2)))
        .extracting(Job::eventId)
        .containsExactly(bJobs.get(0).eventId());
  }

  @Test
  void claim_whenAnotherNodesLeaseExpired_takesItAndTheOldOwnersSettlementIsIgnored() {
    PostgresOptions options = TestDatabases.fresh(server, "expiry");
    PostgresBacklog a = open(options, "node-a");
    PostgresBacklog b = open(options, "node-b");
    a.append(numbered(1, 2), T0);
    List<Job> aJobs = a.claim(2, LEASE, T0);

    assertThat(b.claim(10, LEASE, T0.plus(LEASE).minusSeconds(1))).isEmpty();
    List<Job> taken = b.claim(10, LEASE, T0.plus(LEASE));

    assertThat(taken).extracting(Job::eventId).containsExactlyElementsOf(ids(aJobs));
    assertThat(taken).extracting(Job::attempt).containsOnly(2);
    // A's restart finds nothing of its own any more
    assertThat(a.abandonLeases(T0.plus(LEASE))).isZero();
    a.settle(aJobs.stream().map(Settlement::done).toList(), T0.plus(LEASE));
    BacklogStats stats = a.stats(T0.plus(LEASE));
    assertThat(stats.leased()).isEqualTo(2);
    assertThat(stats.done()).isZero();
    b.settle(taken.stream().map(Settlement::done).toList(), T0.plus(LEASE));
    assertThat(b.stats(T0.plus(LEASE)).done()).isEqualTo(2);
    assertThat(a.releases(Instant.EPOCH, 0, 10))
        .extracting(ReleaseRecord::outcome)
        .containsExactly("expired", "expired", "completed", "completed");
  }

  /**
   * Three handles claim from one database in loops until every event is done: 1,000 events of
   * distinct keys and 250 keys changed four times each, delivered latest change first. Every event
   * is claimed once, and no change of a key is claimed while another change of it is in hand or
   * before every earlier one was settled.
   */
  @Test
  void claim_whenThreeHandlesClaimAtOnce_takesEveryEventOnceAndKeepsEachKeysOrder()
      throws Exception {
    PostgresOptions options = TestDatabases.fresh(server, "race");
    List<PostgresBacklog> handles =
        List.of(open(options, "node-a"), open(options, "node-b"), open(options, "node-c"));
    List<ObjectEvent> events = new ArrayList<>(numbered(1, 1000));
    for (int k = 0; k < 250; k++) {
      for (int change = 3; change >= 0; change--) {
        events.add(change("key-" + k, change));
      }
    }
    for (int from = 0; from < events.size(); from += 500) {
      handles.get(0).append(events.subList(from, from + 500), T0);
    }
    int total = events.size();

    Map<Long, AtomicInteger> claims = new ConcurrentHashMap<>();
    Map<String, Set<Integer>> inHand = new ConcurrentHashMap<>();
    Map<String, Set<Integer>> settled = new ConcurrentHashMap<>();
    List<String> orderBroken = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger done = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(handles.size());
    try {
      List<Future<?>> work = new ArrayList<>();
      for (PostgresBacklog handle : handles) {
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                  while (done.get() < total && System.nanoTime() < deadline) {
                    List<Job> jobs = handle.claim(25, Duration.ofHours(1), T0);
                    List<Settlement> finished = new ArrayList<>();
                    for (Job job : jobs) {
                      claims
                          .computeIfAbsent(job.eventId(), id -> new AtomicInteger())
                          .incrementAndGet();
                      String key = job.event().key();
                      if (key.startsWith("key-")) {
                        int change = Integer.parseInt(job.event().sequencer(), 16) - 10;
                        Set<Integer> hand =
                            inHand.computeIfAbsent(key, x -> ConcurrentHashMap.newKeySet());
                        Set<Integer> before =
                            settled.computeIfAbsent(key, x -> ConcurrentHashMap.newKeySet());
                        if (!hand.isEmpty() || before.size() != change) {
                          orderBroken.add(
                              key
                                  + " change "
                                  + change
                                  + " with "
                                  + hand
                                  + " in hand, "
                                  + before
                                  + " settled");
                        }
                        hand.add(change);
                      }
                    }
                    for (Job job : jobs) {
                      String key = job.event().key();
                      if (key.startsWith("key-")) {
                        int change = Integer.parseInt(job.event().sequencer(), 16) - 10;
                        // marked before the settlement commits: the next change can only be
                        // claimed after that commit
                        inHand.get(key).remove(change);
                        settled.get(key).add(change);
                      }
                      finished.add(Settlement.done(job));
                    }
                    handle.settle(finished, T0);
                    done.addAndGet(finished.size());
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(orderBroken).isEmpty();
    assertThat(claims).hasSize(total);
    assertThat(claims.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(handles.get(1).stats(T0))
        .isEqualTo(new BacklogStats(0, 0, 0, total, 0, total, null));
    try (Connection c =
            DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT event_id) FROM releases")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(total);
      assertThat(rs.getLong(2)).isEqualTo(total);
    }
  }

  @Test
  void open_onACallersDataSource_sharesTheBacklogAndLeavesTheDataSourceOpen() throws Exception {
    PostgresOptions options = TestDatabases.fresh(server, "source");
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setURL(options.jdbcUrl());
    source.setUser(EmbeddedPostgresServer.USER);
    PostgresBacklog pooled = open(options, "node-a");
    pooled.append(numbered(1, 2), T0);

    try (PostgresBacklog onSource = PostgresBacklog.open(source, "node-b", null)) {
      assertThat(onSource.claim(10, LEASE, T0)).hasSize(2);
    }

    assertThat(pooled.stats(T0).leased()).isEqualTo(2);
    try (Connection c = source.getConnection()) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  /** Change {@code n} of a key: sequencers 0A, 0B, ... order the changes. */
  private static ObjectEvent change(String key, int n) {
    String sequencer = String.format("%02X", 10 + n);
    return new ObjectEvent(
        "data", key, 1L, "etag-" + n, null, sequencer, "ObjectCreated:Put", T0, "test");
  }

  private static List<Long> ids(List<Job> jobs) {
    return jobs.stream().map(Job::eventId).toList();
  }
}
