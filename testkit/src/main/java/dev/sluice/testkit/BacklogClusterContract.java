package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour of a backlog shared by several processes (nodes): several handles on one store,
 * each as one node opens it, claiming at once. An implementation's test extends this class and
 * provides {@link #openHandles}.
 *
 * <p>What it checks: with two and three handles claiming and settling 10,000 events at the same
 * time, no event is lost, none is held by two live leases at once (each is claimed exactly once
 * while its lease lasts), and a later change of a key is never claimed while an earlier one is
 * leased; a node's start returns only its own leases, and another node's leases come back only when
 * they expire.
 */
public abstract class BacklogClusterContract {

  /** The instant the tests start at. */
  protected static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  /** Long enough that no lease expires while a test runs: every claim stays live until settled. */
  protected static final Duration LEASE = Duration.ofMinutes(10);

  private final List<Backlog> opened = new ArrayList<>();

  /**
   * Opens {@code count} handles on one fresh, empty store, as {@code count} nodes would, with node
   * ids {@code node-1}, {@code node-2}, ... (no gate fence: the handles claim freely).
   */
  protected abstract List<Backlog> openHandles(int count);

  private List<Backlog> handles(int count) {
    List<Backlog> handles = openHandles(count);
    assertThat(handles).hasSize(count);
    opened.addAll(handles);
    return handles;
  }

  @AfterEach
  void closeHandles() {
    for (Backlog b : opened) {
      b.close();
    }
  }

  /** Change {@code seq} of one object: same key, a sequencer that orders the changes. */
  private static ObjectEvent change(String key, int seq) {
    return new ObjectEvent(
        TestEvents.BUCKET,
        key,
        100L + seq,
        "etag-" + key.hashCode() + "-" + seq,
        null,
        String.format("%016X", seq),
        "ObjectCreated:Put",
        T0,
        "test");
  }

  /** What the claimers saw; every check runs on it after they finish. */
  private static final class Observed {
    final Map<Long, Integer> claimsPerEvent = new ConcurrentHashMap<>();
    final Map<String, Long> heldByKey = new ConcurrentHashMap<>();
    final Map<String, List<String>> claimOrderByKey = new ConcurrentHashMap<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
  }

  /**
   * Each handle on its own thread: claim up to 50 at a time and settle them done, until a claim
   * finds nothing and every event is settled. The clock is one shared counter, so claims and
   * settlements from all handles see one increasing time.
   */
  private Observed claimAllConcurrently(List<Backlog> handles, int total) throws Exception {
    Observed seen = new Observed();
    AtomicLong clock = new AtomicLong();
    AtomicLong settled = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(handles.size());
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (Backlog handle : handles) {
        runs.add(
            pool.submit(
                () -> {
                  go.await();
                  long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                  while (settled.get() < total && System.nanoTime() < deadline) {
                    Instant now = T0.plusMillis(clock.incrementAndGet());
                    List<Job> jobs = handle.claim(50, LEASE, now);
                    if (jobs.isEmpty()) {
                      Thread.sleep(1);
                      continue;
                    }
                    List<Settlement> done = new ArrayList<>();
                    for (Job job : jobs) {
                      String key = job.event().key();
                      seen.claimsPerEvent.merge(job.eventId(), 1, Integer::sum);
                      Long other = seen.heldByKey.putIfAbsent(key, job.eventId());
                      if (other != null) {
                        seen.violations.add(
                            "events " + other + " and " + job.eventId() + " of " + key + " leased");
                      }
                      seen.claimOrderByKey
                          .computeIfAbsent(
                              key, k -> Collections.synchronizedList(new ArrayList<>()))
                          .add(job.event().sequencer());
                      done.add(Settlement.done(job));
                    }
                    // Forgotten before the settlement commits: the next change of a key can only
                    // be claimed once it has, so a key found held is two live leases at once.
                    for (Job job : jobs) {
                      seen.heldByKey.remove(job.event().key(), job.eventId());
                    }
                    handle.settle(done, T0.plusMillis(clock.incrementAndGet()));
                    settled.addAndGet(jobs.size());
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> run : runs) {
        run.get(4, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    return seen;
  }

  @ParameterizedTest(name = "{0} handles")
  @ValueSource(ints = {2, 3})
  void claim_fromSeveralHandlesAtOnce_takesEveryEventExactlyOnce(int nodes) throws Exception {
    List<Backlog> handles = handles(nodes);
    int total = 10_000;
    // Intake through every node: 100 batches of 100, spread over the handles.
    for (int batch = 0; batch < total / 100; batch++) {
      handles.get(batch % nodes).append(TestEvents.numbered(batch * 100, 100), T0);
    }

    Observed seen = claimAllConcurrently(handles, total);

    assertThat(seen.violations).isEmpty();
    assertThat(seen.claimsPerEvent).hasSize(total);
    assertThat(seen.claimsPerEvent.values()).allMatch(n -> n == 1);
    BacklogStats stats = handles.get(0).stats(T0.plusSeconds(3600));
    assertThat(stats.done()).isEqualTo(total);
    assertThat(stats.waiting()).isZero();
    assertThat(stats.leased()).isZero();
    assertThat(stats.releases()).isEqualTo(total);
  }

  @ParameterizedTest(name = "{0} handles")
  @ValueSource(ints = {2, 3})
  void claim_fromSeveralHandlesAtOnce_keepsEachKeysChangesInOrderAndNeverTwoAtOnce(int nodes)
      throws Exception {
    List<Backlog> handles = handles(nodes);
    int keys = 400;
    int changesPerKey = 5;
    // Each key's changes arrive in order, through different nodes.
    for (int seq = 1; seq <= changesPerKey; seq++) {
      List<ObjectEvent> batch = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        batch.add(change(String.format("keys/object-%04d", k), seq));
      }
      handles.get(seq % nodes).append(batch, T0);
    }
    int total = keys * changesPerKey;

    Observed seen = claimAllConcurrently(handles, total);

    assertThat(seen.violations).isEmpty();
    assertThat(seen.claimsPerEvent).hasSize(total);
    assertThat(seen.claimsPerEvent.values()).allMatch(n -> n == 1);
    List<String> inOrder = new ArrayList<>();
    for (int seq = 1; seq <= changesPerKey; seq++) {
      inOrder.add(String.format("%016X", seq));
    }
    assertThat(seen.claimOrderByKey).hasSize(keys);
    seen.claimOrderByKey.forEach((key, order) -> assertThat(order).as(key).isEqualTo(inOrder));
  }

  @Test
  void abandonLeases_atANodesStart_returnsOnlyThatNodesLeases() {
    List<Backlog> handles = handles(2);
    Backlog a = handles.get(0);
    Backlog b = handles.get(1);
    a.append(TestEvents.numbered(1, 20), T0);
    assertThat(a.claim(8, LEASE, T0)).hasSize(8);
    assertThat(b.claim(5, LEASE, T0)).hasSize(5);

    // Node b restarts: its own five come back, node a's eight stay leased to a.
    assertThat(b.abandonLeases(T0.plusSeconds(1))).isEqualTo(5);
    BacklogStats stats = a.stats(T0.plusSeconds(1));
    assertThat(stats.leased()).isEqualTo(8);
    assertThat(stats.waiting()).isEqualTo(12);
  }

  @Test
  void claim_takesAnotherNodesLeasesOnlyOnceTheyExpire() {
    List<Backlog> handles = handles(2);
    Backlog a = handles.get(0);
    Backlog b = handles.get(1);
    a.append(TestEvents.numbered(1, 5), T0);
    List<Job> first = a.claim(5, Duration.ofSeconds(30), T0);
    assertThat(first).hasSize(5);

    assertThat(b.claim(5, LEASE, T0.plusSeconds(29))).isEmpty();
    List<Job> again = b.claim(5, LEASE, T0.plusSeconds(30));

    assertThat(again)
        .extracting(Job::eventId)
        .containsExactlyInAnyOrderElementsOf(first.stream().map(Job::eventId).toList());
    assertThat(again).allSatisfy(j -> assertThat(j.attempt()).isEqualTo(2));
    // a's late answer for a lease it lost is ignored: the event stays leased to b.
    a.settle(first.stream().map(Settlement::done).toList(), T0.plusSeconds(31));
    assertThat(b.stats(T0.plusSeconds(31)).leased()).isEqualTo(5);
  }

  @Test
  void releaseIds_fromSeveralHandles_increaseWithReleaseTime() {
    List<Backlog> handles = handles(3);
    handles.get(0).append(TestEvents.numbered(1, 30), T0);
    for (int i = 0; i < 30; i++) {
      assertThat(handles.get(i % 3).claim(1, LEASE, T0.plusMillis(i))).hasSize(1);
    }

    var log = handles.get(2).releases(T0, 0, 100);
    assertThat(log).hasSize(30);
    for (int i = 1; i < log.size(); i++) {
      assertThat(log.get(i).releaseId()).isGreaterThan(log.get(i - 1).releaseId());
      assertThat(log.get(i).releasedAt()).isAfterOrEqualTo(log.get(i - 1).releasedAt());
    }
  }
}
