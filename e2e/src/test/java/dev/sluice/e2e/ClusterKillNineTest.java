package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.e2e.ClusterNodes.Node;
import dev.sluice.e2e.RecordingJobEndpoint.Receipt;
import dev.sluice.store.postgres.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real {@code sluice serve} processes on one embedded Postgres, as three nodes of one Sluice:
 * every node takes events in, the one holding the gate releases them to a recording HTTP endpoint
 * under one sliding window for all. The limit is judged where the target sees the jobs, on the
 * endpoint's own clock, and again on the shared release log.
 *
 * <p>Then the holder gets {@code kill -9}: another node takes the gate over once the dead one's
 * term has run out, every acknowledged event still reaches the target, the window still holds over
 * the whole run (the dead node's last jobs count), and the jobs the dead node had leased come back
 * only when their lease has run out, as a second attempt.
 *
 * <p>A node killed that way and started again under its node id and data dir rejoins and takes back
 * only its own leases (the survivors' jobs in flight run to completion). A holder stopped with
 * SIGTERM gives the gate up, and the next holder keeps the window across the quick handover.
 *
 * <p>How close the drain comes to the ideal, how long the takeover took and when the leased jobs
 * came back are printed, not asserted: they are speeds, and this machine is shared.
 */
class ClusterKillNineTest {
  private static final int EVENTS = 10_000;
  private static final int LIMIT = 500;
  private static final Duration EVERY = Duration.ofSeconds(1);
  private static final String LIMITS_YAML =
      "limits:\n  window:\n    limit: " + LIMIT + "\n    every: 1s\n    aligned: false\n";
  private static final int BATCH = 50;
  private static final int SENDERS_PER_NODE = 2;
  private static final String GATE_TERM = "2s";
  private static final List<String> NODE_IDS = List.of("node-a", "node-b", "node-c");

  /**
   * How far two processes' clocks may disagree when the test compares times they stamped: each
   * process anchors its wall clock once at start (monotonic time plus one offset), so two of them
   * agree to within milliseconds, not exactly. Where a time the test took must be compared with one
   * a node stamped, the test orders by release id instead: a release's {@code releasedAt} is the
   * instant its grant falls due, which a claim made within the dispatcher's lead puts up to that
   * lead after the claim itself.
   */
  private static final Duration CLOCK_AGREEMENT = Duration.ofMillis(100);

  /**
   * From the first release to the last, at best: ceil(E / N) windows, the last opening (ceil(E / N)
   * - 1) * T after the first. 19 s for 10,000 under 500 per 1 s.
   */
  private static final Duration IDEAL_DRAIN = EVERY.multipliedBy((EVENTS + LIMIT - 1) / LIMIT - 1);

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer postgres;

  @RegisterExtension final ServeProcesses services = new ServeProcesses();

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static String freshDatabase() {
    return postgres.createDatabase("e2e_cluster_" + DATABASES.incrementAndGet());
  }

  @Test
  void threeNodes_oneWindowForAll_deliverEveryEventOnceAndNeverExceedTheLimitAtTheTarget(
      @TempDir Path dir) throws Exception {
    try (RecordingJobEndpoint target = RecordingJobEndpoint.start(Duration.ofMillis(2), 128)) {
      ClusterNodes cluster =
          ClusterNodes.configure(
                  services, dir, NODE_IDS, freshDatabase(), target, LIMITS_YAML, "5m", GATE_TERM)
              .startAll();
      cluster.awaitFormed(cluster.get(0), NODE_IDS.size());

      // Paused while the events come in, so the drain measures the gate, not the intake. The pause
      // is shared: set through one node, every node follows.
      cluster.get(0).api.pause();
      await("every node paused")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  cluster.all().stream().allMatch(n -> n.api.status().path("paused").asBoolean()));
      List<NotificationSenders> senders =
          ClusterNodes.sendSpread(
              cluster.all(), NotificationSenders.batches(EVENTS, BATCH), SENDERS_PER_NODE);
      for (NotificationSenders s : senders) {
        s.awaitStopped();
        assertThat(s.wrongAnswers()).as("answers to the batches").isEmpty();
        assertThat(s.unacknowledged()).as("events without a 2xx").isEmpty();
      }
      assertThat(target.receivedCount()).as("jobs released while paused").isZero();

      cluster.get(1).api.resume();
      await("all " + EVENTS + " at the target")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> target.receivedCount() >= EVENTS);
      JsonNode status = SluiceClient.awaitDrained(cluster.get(2).api, Duration.ofSeconds(30));
      SluiceClient.assertDrained(status);

      Map<String, List<Receipt>> receipts = target.receiptsByKey();
      assertThat(receipts.keySet()).as("keys at the target").isEqualTo(allKeys());
      assertThat(receipts.values())
          .as("receipts per key: no kill, so each job is sent once")
          .allSatisfy(list -> assertThat(list).hasSize(1));
      List<JsonNode> log = cluster.get(2).api.releases();
      assertThat(log).as("releases in the shared log").hasSize(EVENTS);
      assertThat(log)
          .allSatisfy(
              r -> {
                assertThat(r.path("attempt").asInt()).as("attempt of %s", r).isEqualTo(1);
                assertThat(r.path("outcome").asText())
                    .as("outcome of %s", r)
                    .isEqualTo("completed");
              });
      assertThat(log.stream().map(r -> r.path("key").asText()).collect(Collectors.toSet()))
          .as("keys in the release log")
          .isEqualTo(allKeys());
      assertReleaseIdsFollowReleaseTime(log);
      assertThat(status.path("completed").asLong()).as("completed in /v1/status").isEqualTo(EVENTS);
      assertThat(status.path("cluster").path("nodes").size()).as("nodes listed").isEqualTo(3);

      List<Instant> arrivals = arrivals(target.receipts());
      SlidingWindowCount.Busiest atTarget = SlidingWindowCount.busiest(arrivals, EVERY);
      SlidingWindowCount.Busiest inLog = SlidingWindowCount.busiest(reachedAt(log), EVERY);
      Duration releaseSpan = span(releasedAt(log));
      Duration arrivalSpan = span(arrivals);
      System.out.printf(
          "three nodes, window %d per %s: busiest 1 s at the target %d, in the log (reachedAt) %d;"
              + " first to last release %.3f s, first to last arrival %.3f s, ideal %d s;"
              + " utilization %.4f (releases), %.4f (arrivals); once the limit bound (second"
              + " window to last) %.4f (releases), %.4f (arrivals); releases per node %s; gate"
              + " held by %s%n",
          LIMIT,
          EVERY,
          atTarget.count(),
          inLog.count(),
          releaseSpan.toNanos() / 1e9,
          arrivalSpan.toNanos() / 1e9,
          IDEAL_DRAIN.toSeconds(),
          (double) IDEAL_DRAIN.toNanos() / releaseSpan.toNanos(),
          (double) IDEAL_DRAIN.toNanos() / arrivalSpan.toNanos(),
          SlidingWindowCount.steadyUse(releasedAt(log), LIMIT, EVERY),
          SlidingWindowCount.steadyUse(arrivals, LIMIT, EVERY),
          perRoute(target.receipts()),
          ClusterNodes.holder(status.path("cluster")).orElse("nobody"));

      assertThat(atTarget.count())
          .as("most arrivals at the target in any 1 s interval (its own clock)")
          .isLessThanOrEqualTo(LIMIT);
      assertThat(inLog.count())
          .as("most releases reaching the target in any 1 s interval (reachedAt in the log)")
          .isLessThanOrEqualTo(LIMIT);
    }
  }

  @Test
  void killNineOfTheGateHolder_anotherNodeTakesOver_everyAcknowledgedEventArrives_limitHolds(
      @TempDir Path dir) throws Exception {
    Duration lease = Duration.ofSeconds(10);
    // Each job takes 100 ms at the target: with 64 workers a window's 500 take most of a second,
    // so the holder has jobs in flight at almost any instant, and the kill strands some.
    try (RecordingJobEndpoint target = RecordingJobEndpoint.start(Duration.ofMillis(100), 256)) {
      ClusterNodes cluster =
          ClusterNodes.configure(
                  services,
                  dir,
                  NODE_IDS,
                  freshDatabase(),
                  target,
                  LIMITS_YAML,
                  lease.toSeconds() + "s",
                  GATE_TERM)
              .startAll();
      cluster.awaitFormed(cluster.get(0), NODE_IDS.size());
      assertEachNodeKnowsItself(cluster);

      List<NotificationSenders> senders =
          ClusterNodes.sendSpread(
              cluster.all(), NotificationSenders.batches(EVENTS, BATCH), SENDERS_PER_NODE);
      Kill kill = killHolderMidRun(cluster, target, 3_000);
      Node holder = kill.holder();
      List<Node> survivors = kill.survivors();
      long deadNanos = kill.deadNanos();
      Instant deadAt = kill.deadAt();
      int receivedAtKill = kill.arrivalsBefore();
      long leasedAtKill = kill.leased();
      AtomicReference<String> newHolder = new AtomicReference<>();
      await("a survivor holds the gate")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                String h =
                    ClusterNodes.holder(survivors.get(0).api.status().path("cluster")).orElse(null);
                newHolder.set(h);
                return h != null && !h.equals(holder.id);
              });
      double secondsToNewHolderSeen = (System.nanoTime() - deadNanos) / 1e9;

      // Senders to the dead node stop at their first unanswered batch; the rest go to a survivor.
      List<Integer> unacknowledged = new ArrayList<>();
      Set<Integer> acknowledged = new HashSet<>();
      for (NotificationSenders s : senders) {
        s.awaitStopped();
        assertThat(s.wrongAnswers()).as("answers of live nodes").isEmpty();
        unacknowledged.addAll(s.unacknowledged());
        acknowledged.addAll(s.acknowledged());
      }
      NotificationSenders resend =
          new NotificationSenders(
                  survivors.get(0).api, NotificationSenders.rebatch(unacknowledged, BATCH))
              .start(SENDERS_PER_NODE)
              .awaitStopped();
      assertThat(resend.wrongAnswers()).as("answers to the resent batches").isEmpty();
      assertThat(resend.unacknowledged()).as("resent events without a 2xx").isEmpty();

      await("every event at the target")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> target.receiptsByKey().size() >= EVENTS);
      JsonNode status = SluiceClient.awaitDrained(survivors.get(1).api, Duration.ofSeconds(60));
      SluiceClient.assertDrained(status);

      Map<String, List<Receipt>> receipts = target.receiptsByKey();
      assertThat(receipts.keySet())
          .as(
              "keys at the target include every one acknowledged (before the kill or by a live node)")
          .containsAll(keys(acknowledged))
          .isEqualTo(allKeys());
      assertThat(survivors).extracting(n -> n.id).contains(newHolder.get());

      List<JsonNode> log = survivors.get(1).api.releases();
      assertReleaseIdsFollowReleaseTime(log);
      Map<String, List<JsonNode>> releases = byKey(log);
      assertThat(releases.keySet()).as("keys in the release log").isEqualTo(allKeys());
      // The kill stranded the dead node's leased jobs; a claim closed each as expired once its
      // lease ran out, and released it again as the second attempt.
      Map<String, List<JsonNode>> strandedReleases = new TreeMap<>();
      releases.forEach(
          (key, list) -> {
            assertThat(list)
                .extracting(r -> r.path("outcome").asText())
                .as("outcomes of %s", key)
                .last()
                .isEqualTo("completed");
            if (list.size() > 1) {
              strandedReleases.put(key, list);
            }
          });
      assertThat(leasedAtKill).as("jobs leased to the dead node at the kill").isPositive();
      assertThat(strandedReleases)
          .as("events released more than once: the dead node's leased jobs")
          .hasSize((int) leasedAtKill);
      List<Instant> reReleasedAt = new ArrayList<>();
      strandedReleases.forEach(
          (key, list) -> {
            assertThat(list)
                .extracting(r -> r.path("attempt").asInt() + ":" + r.path("outcome").asText())
                .as("releases of %s", key)
                .containsExactly("1:expired", "2:completed");
            assertThat(list.get(0).path("releaseId").asLong())
                .as("first release of %s: by the dead node", key)
                .isLessThanOrEqualTo(kill.lastReleaseId());
            Instant first = Instant.parse(list.get(0).path("releasedAt").asText());
            Instant again = Instant.parse(list.get(1).path("releasedAt").asText());
            assertThat(again)
                .as("second release of %s: not before its lease ran out", key)
                .isAfterOrEqualTo(first.plus(lease).minus(CLOCK_AGREEMENT));
            reReleasedAt.add(again);
          });
      // At the target: a job arrives twice only if the dead node had it in flight, and then with
      // the same idempotency key.
      receipts.forEach(
          (key, list) -> {
            if (list.size() > 1) {
              assertThat(strandedReleases).as("%s arrived more than once", key).containsKey(key);
              assertThat(list).extracting(Receipt::attempt).containsExactly(1, 2);
              assertThat(list.get(0).route())
                  .as("node that sent %s first", key)
                  .isEqualTo(holder.id);
              assertThat(list.get(1).route())
                  .as("node that sent %s again", key)
                  .isNotEqualTo(holder.id);
              assertThat(list.get(1).idempotencyKey())
                  .as("idempotency key of the repeat of %s", key)
                  .isEqualTo(list.get(0).idempotencyKey());
            }
          });
      List<Receipt> all = target.receipts();
      assertThat(all)
          .filteredOn(r -> r.route().equals(holder.id))
          .as("jobs from the dead node arriving later than 1 s after its death")
          .allSatisfy(r -> assertThat(r.receivedAtNanos()).isLessThan(deadNanos + 1_000_000_000L));

      List<Instant> arrivals = arrivals(all);
      SlidingWindowCount.Busiest atTarget = SlidingWindowCount.busiest(arrivals, EVERY);
      SlidingWindowCount.Busiest inLog = SlidingWindowCount.busiest(reachedAt(log), EVERY);
      Instant firstAfterKill =
          log.stream()
              .filter(r -> r.path("releaseId").asLong() > kill.lastReleaseId())
              .map(r -> Instant.parse(r.path("releasedAt").asText()))
              .min(Comparator.naturalOrder())
              .orElseThrow();
      Instant lastReRelease = reReleasedAt.stream().max(Comparator.naturalOrder()).orElseThrow();
      Instant firstReRelease = reReleasedAt.stream().min(Comparator.naturalOrder()).orElseThrow();
      System.out.printf(
          "kill -9 of gate holder %s after %d arrivals, %d jobs leased to it: %s took the gate"
              + " over (seen %.3f s after the kill), first release by it %.3f s after the kill;"
              + " stranded jobs released again %.3f..%.3f s after the kill (lease %d s); %d"
              + " arrived twice; busiest 1 s at the target %d, in the log %d; arrivals per node"
              + " %s; %d resent%n",
          holder.id,
          receivedAtKill,
          leasedAtKill,
          newHolder.get(),
          secondsToNewHolderSeen,
          Duration.between(deadAt, firstAfterKill).toNanos() / 1e9,
          Duration.between(deadAt, firstReRelease).toNanos() / 1e9,
          Duration.between(deadAt, lastReRelease).toNanos() / 1e9,
          lease.toSeconds(),
          receipts.values().stream().filter(l -> l.size() > 1).count(),
          atTarget.count(),
          inLog.count(),
          perRoute(all),
          unacknowledged.size());

      assertThat(atTarget.count())
          .as("most arrivals at the target in any 1 s interval, over the whole run")
          .isLessThanOrEqualTo(LIMIT);
      assertThat(inLog.count())
          .as("most releases reaching the target in any 1 s interval (reachedAt in the log)")
          .isLessThanOrEqualTo(LIMIT);
    }
  }

  @Test
  void killedNodeRestartedAsItself_rejoins_takesBackOnlyItsOwnLeases(@TempDir Path dir)
      throws Exception {
    int events = 5_000;
    // A lease far longer than the test: the dead node's jobs come back only through its restart.
    String lease = "10m";
    try (RecordingJobEndpoint target = RecordingJobEndpoint.start(Duration.ofMillis(100), 256)) {
      ClusterNodes cluster =
          ClusterNodes.configure(
                  services, dir, NODE_IDS, freshDatabase(), target, LIMITS_YAML, lease, GATE_TERM)
              .startAll();
      cluster.awaitFormed(cluster.get(0), NODE_IDS.size());
      for (NotificationSenders s :
          ClusterNodes.sendSpread(
              cluster.all(), NotificationSenders.batches(events, BATCH), SENDERS_PER_NODE)) {
        s.awaitStopped();
        assertThat(s.wrongAnswers()).as("answers to the batches").isEmpty();
        assertThat(s.unacknowledged()).as("events without a 2xx").isEmpty();
      }

      Kill kill = killHolderMidRun(cluster, target, 1_000);
      Node restarted = kill.holder();
      Node watcher = kill.survivors().get(0);
      AtomicReference<String> newHolder = new AtomicReference<>();
      await("a survivor holds the gate and has jobs in flight")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                JsonNode c = watcher.api.status().path("cluster");
                String h = ClusterNodes.holder(c).orElse(null);
                newHolder.set(h);
                return h != null
                    && !h.equals(restarted.id)
                    && ClusterNodes.view(c, h).map(v -> v.path("leased").asLong()).orElse(0L) > 0;
              });

      long restartNanos = System.nanoTime();
      Instant restartAt = Instant.now();
      cluster.start(restarted);
      JsonNode rejoined = restarted.api.status().path("cluster");
      assertThat(rejoined.path("node").asText())
          .as("node id after the restart")
          .isEqualTo(restarted.id);
      await("the restarted node's heartbeat, as a survivor sees it")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  ClusterNodes.view(watcher.api.status().path("cluster"), restarted.id)
                          .map(v -> v.path("pid").asLong())
                          .orElse(-1L)
                      == restarted.process().pid());
      double secondsToRejoin = (System.nanoTime() - restartNanos) / 1e9;
      JsonNode nodesSeen = watcher.api.status().path("cluster").path("nodes");

      await("every event at the target")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> target.receiptsByKey().size() >= events);
      JsonNode status = SluiceClient.awaitDrained(restarted.api, Duration.ofSeconds(60));
      SluiceClient.assertDrained(status);

      assertThat(nodesSeen)
          .extracting(n -> n.path("node").asText())
          .as("nodes listed after the restart")
          .containsExactlyInAnyOrderElementsOf(NODE_IDS);
      assertThat(nodesSeen)
          .as("every listed node's heartbeat is recent")
          .allSatisfy(n -> assertThat(n.path("heartbeatAgeSeconds").asDouble()).isLessThan(30.0));
      assertThat(target.receiptsByKey().keySet())
          .as("keys at the target")
          .isEqualTo(keys(IntStream.range(0, events).boxed().collect(Collectors.toSet())));

      List<JsonNode> log = restarted.api.releases();
      assertReleaseIdsFollowReleaseTime(log);
      // Releases made after the kill were all by the survivors; the restart took none of their
      // leases away: each ran to completion.
      assertThat(log)
          .filteredOn(r -> r.path("releaseId").asLong() > kill.lastReleaseId())
          .as("releases after the kill")
          .isNotEmpty()
          .allSatisfy(
              r ->
                  assertThat(r.path("outcome").asText())
                      .as("outcome of %s", r)
                      .isEqualTo("completed"));
      // The dead node's own leases came back at its restart (not by expiry: the lease is 10 min).
      Map<String, List<JsonNode>> repeated = new TreeMap<>();
      byKey(log)
          .forEach(
              (key, list) -> {
                if (list.size() > 1) {
                  repeated.put(key, list);
                }
              });
      assertThat(kill.leased()).as("jobs leased to the dead node at the kill").isPositive();
      assertThat(repeated).as("events released twice").hasSize((int) kill.leased());
      List<Instant> againAt = new ArrayList<>();
      repeated.forEach(
          (key, list) -> {
            assertThat(list)
                .extracting(r -> r.path("attempt").asInt() + ":" + r.path("outcome").asText())
                .as("releases of %s", key)
                .containsExactly("1:abandoned", "2:completed");
            Instant again = Instant.parse(list.get(1).path("releasedAt").asText());
            assertThat(again).as("second release of %s, after the restart", key).isAfter(restartAt);
            againAt.add(again);
          });
      SlidingWindowCount.Busiest atTarget =
          SlidingWindowCount.busiest(arrivals(target.receipts()), EVERY);
      System.out.printf(
          "restart of killed node %s (%d jobs leased to it): healthy after %d ms, seen by %s"
              + " %.3f s after the restart began; its jobs released again %.3f..%.3f s after the"
              + " restart; gate with %s before the restart, %s at the end; busiest 1 s at the"
              + " target %d; arrivals per node %s%n",
          restarted.id,
          kill.leased(),
          restarted.process().millisToHealthy(),
          watcher.id,
          secondsToRejoin,
          Duration.between(restartAt, againAt.stream().min(Comparator.naturalOrder()).orElseThrow())
                  .toNanos()
              / 1e9,
          Duration.between(restartAt, againAt.stream().max(Comparator.naturalOrder()).orElseThrow())
                  .toNanos()
              / 1e9,
          newHolder.get(),
          ClusterNodes.holder(status.path("cluster")).orElse("nobody"),
          atTarget.count(),
          perRoute(target.receipts()));
      assertThat(atTarget.count())
          .as("most arrivals at the target in any 1 s interval, over the whole run")
          .isLessThanOrEqualTo(LIMIT);
    }
  }

  @Test
  void holderStoppedGracefully_anotherNodeTakesOverAtOnce_limitHoldsAcrossTheHandover(
      @TempDir Path dir) throws Exception {
    int events = 6_000;
    try (RecordingJobEndpoint target = RecordingJobEndpoint.start(Duration.ofMillis(100), 256)) {
      ClusterNodes cluster =
          ClusterNodes.configure(
                  services, dir, NODE_IDS, freshDatabase(), target, LIMITS_YAML, "10s", GATE_TERM)
              .startAll();
      cluster.awaitFormed(cluster.get(0), NODE_IDS.size());
      for (NotificationSenders s :
          ClusterNodes.sendSpread(
              cluster.all(), NotificationSenders.batches(events, BATCH), SENDERS_PER_NODE)) {
        s.awaitStopped();
        assertThat(s.unacknowledged()).as("events without a 2xx").isEmpty();
      }

      Kill stop = endHolderMidRun(cluster, target, 2_000, true);
      Node watcher = stop.survivors().get(0);
      AtomicReference<String> newHolder = new AtomicReference<>();
      await("a survivor holds the gate")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                String h = ClusterNodes.holder(watcher.api.status().path("cluster")).orElse(null);
                newHolder.set(h);
                return h != null && !h.equals(stop.holder().id);
              });
      double secondsToNewHolderSeen = (System.nanoTime() - stop.deadNanos()) / 1e9;
      await("every event at the target")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> target.receiptsByKey().size() >= events);
      JsonNode status = SluiceClient.awaitDrained(watcher.api, Duration.ofSeconds(60));
      SluiceClient.assertDrained(status);

      assertThat(target.receiptsByKey().keySet())
          .as("keys at the target")
          .isEqualTo(keys(IntStream.range(0, events).boxed().collect(Collectors.toSet())));
      List<JsonNode> log = watcher.api.releases();
      assertReleaseIdsFollowReleaseTime(log);
      Map<String, List<JsonNode>> releases = byKey(log);
      long releasedTwice = releases.values().stream().filter(l -> l.size() > 1).count();
      releases.forEach(
          (key, list) -> {
            assertThat(list)
                .extracting(r -> r.path("outcome").asText())
                .as("outcomes of %s", key)
                .last()
                .isEqualTo("completed");
            if (list.size() > 1) {
              assertThat(list.get(0).path("releaseId").asLong())
                  .as("a repeated release of %s began with the stopped holder", key)
                  .isLessThanOrEqualTo(stop.lastReleaseId());
            }
          });
      assertThat(releasedTwice)
          .as("events released twice: at most those leased to the stopped holder")
          .isLessThanOrEqualTo(stop.leased());
      List<Receipt> all = target.receipts();
      SlidingWindowCount.Busiest atTarget = SlidingWindowCount.busiest(arrivals(all), EVERY);
      SlidingWindowCount.Busiest inLog = SlidingWindowCount.busiest(reachedAt(log), EVERY);
      Instant firstAfterStop =
          log.stream()
              .filter(r -> r.path("releaseId").asLong() > stop.lastReleaseId())
              .map(r -> Instant.parse(r.path("releasedAt").asText()))
              .min(Comparator.naturalOrder())
              .orElseThrow();
      System.out.printf(
          "SIGTERM of gate holder %s after %d arrivals, %d jobs still leased to it after its exit:"
              + " %s took the gate over (seen %.3f s after the exit), first release by it %.3f s"
              + " after the exit; %d released twice; busiest 1 s at the target %d, in the log %d;"
              + " arrivals per node %s%n",
          stop.holder().id,
          stop.arrivalsBefore(),
          stop.leased(),
          newHolder.get(),
          secondsToNewHolderSeen,
          Duration.between(stop.deadAt(), firstAfterStop).toNanos() / 1e9,
          releasedTwice,
          atTarget.count(),
          inLog.count(),
          perRoute(all));
      assertThat(atTarget.count())
          .as("most arrivals at the target in any 1 s interval, across the handover")
          .isLessThanOrEqualTo(LIMIT);
      assertThat(inLog.count())
          .as("most releases reaching the target in any 1 s interval (reachedAt in the log)")
          .isLessThanOrEqualTo(LIMIT);
    }
  }

  /**
   * The gate holder at its {@code kill -9}, and what was known then.
   *
   * @param arrivalsBefore jobs the target had received just before the kill
   * @param deadNanos the test JVM's {@code System.nanoTime()} once the process was gone
   * @param leased events leased to the dead node, read from a survivor after the kill (they stay
   *     leased to it until their lease runs out or it starts again)
   * @param lastReleaseId the last release in the log just after the kill: the dead node's last one,
   *     as no survivor can hold the gate before the dead node's term has run out
   */
  private record Kill(
      Node holder,
      List<Node> survivors,
      int arrivalsBefore,
      long deadNanos,
      Instant deadAt,
      long leased,
      long lastReleaseId) {}

  /**
   * Waits until the target has received {@code arrivals} jobs and the gate holder, asked itself,
   * says it holds the gate and has jobs leased; then kills it at once with {@code kill -9}.
   */
  private static Kill killHolderMidRun(
      ClusterNodes cluster, RecordingJobEndpoint target, int arrivals) {
    return endHolderMidRun(cluster, target, arrivals, false);
  }

  /**
   * As {@link #killHolderMidRun}; {@code graceful} sends SIGTERM instead, so the holder closes the
   * service (its shutdown hook) and gives the gate up.
   */
  private static Kill endHolderMidRun(
      ClusterNodes cluster, RecordingJobEndpoint target, int arrivals, boolean graceful) {
    AtomicReference<Node> holder = new AtomicReference<>();
    await(arrivals + " jobs delivered, the gate holder with jobs in flight")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              if (target.receivedCount() < arrivals) {
                return false;
              }
              Optional<String> id =
                  ClusterNodes.holder(cluster.get(0).api.status().path("cluster"));
              if (id.isEmpty()) {
                return false;
              }
              Node candidate = cluster.byId(id.get());
              JsonNode own = candidate.api.status().path("cluster");
              holder.set(candidate);
              return own.path("holdsGate").asBoolean()
                  && ClusterNodes.view(own, candidate.id)
                          .map(v -> v.path("leased").asLong())
                          .orElse(0L)
                      > 0;
            });
    Node killed = holder.get();
    int arrivalsBefore = target.receivedCount();
    int exitCode = graceful ? killed.process().stop(30_000) : killed.process().killHard();
    long deadNanos = System.nanoTime();
    Instant deadAt = Instant.now();
    assertThat(exitCode)
        .as("exit code of %s", killed)
        .isEqualTo(
            graceful
                ? SluiceServeProcess.TERMINATED_EXIT_CODE
                : SluiceServeProcess.KILLED_EXIT_CODE);
    List<Node> survivors = cluster.others(killed);
    long leased =
        ClusterNodes.view(survivors.get(0).api.status().path("cluster"), killed.id)
            .orElseThrow(() -> new AssertionError(killed + " no longer listed"))
            .path("leased")
            .asLong();
    long lastReleaseId =
        survivors.get(0).api.releases().stream()
            .mapToLong(r -> r.path("releaseId").asLong())
            .max()
            .orElse(0);
    return new Kill(killed, survivors, arrivalsBefore, deadNanos, deadAt, leased, lastReleaseId);
  }

  /** Each node's own status names it and says whether it holds the gate, as the others see it. */
  private static void assertEachNodeKnowsItself(ClusterNodes cluster) {
    for (Node n : cluster.all()) {
      JsonNode own = n.api.status().path("cluster");
      assertThat(own.path("node").asText())
          .as("cluster.node in the status of %s", n)
          .isEqualTo(n.id);
    }
  }

  /** Release ids are given in release order, across holders too: releasedAt never goes back. */
  private static void assertReleaseIdsFollowReleaseTime(List<JsonNode> log) {
    List<JsonNode> byId = new ArrayList<>(log);
    byId.sort(Comparator.comparingLong(r -> r.path("releaseId").asLong()));
    for (int i = 1; i < byId.size(); i++) {
      Instant before = Instant.parse(byId.get(i - 1).path("releasedAt").asText());
      Instant after = Instant.parse(byId.get(i).path("releasedAt").asText());
      assertThat(after)
          .as("releasedAt of %s after %s", byId.get(i), byId.get(i - 1))
          .isAfterOrEqualTo(before);
    }
  }

  private static Set<String> allKeys() {
    return keys(IntStream.range(0, EVENTS).boxed().collect(Collectors.toSet()));
  }

  private static Set<String> keys(Set<Integer> numbers) {
    return numbers.stream().map(NumberedObjects::key).collect(Collectors.toSet());
  }

  private static List<Instant> arrivals(List<Receipt> receipts) {
    return receipts.stream().map(r -> Instant.EPOCH.plusNanos(r.receivedAtNanos())).toList();
  }

  private static List<Instant> releasedAt(List<JsonNode> log) {
    return log.stream().map(r -> Instant.parse(r.path("releasedAt").asText())).toList();
  }

  private static List<Instant> reachedAt(List<JsonNode> log) {
    return log.stream()
        .map(r -> r.path("reachedAt"))
        .filter(t -> t.isTextual())
        .map(t -> Instant.parse(t.asText()))
        .toList();
  }

  private static Duration span(List<Instant> times) {
    Instant first = times.stream().min(Comparator.naturalOrder()).orElseThrow();
    Instant last = times.stream().max(Comparator.naturalOrder()).orElseThrow();
    return Duration.between(first, last);
  }

  /** Arrivals at the endpoint per route, i.e. per node that sent them. */
  private static Map<String, Long> perRoute(List<Receipt> receipts) {
    return receipts.stream()
        .collect(Collectors.groupingBy(Receipt::route, TreeMap::new, Collectors.counting()));
  }

  /** The release log grouped by key, each key's releases in release order. */
  private static Map<String, List<JsonNode>> byKey(List<JsonNode> log) {
    Map<String, List<JsonNode>> out = new TreeMap<>();
    for (JsonNode r : log) {
      out.computeIfAbsent(Objects.toString(r.path("key").asText()), k -> new ArrayList<>()).add(r);
    }
    out.values().forEach(l -> l.sort(Comparator.comparingLong(r -> r.path("releaseId").asLong())));
    return out;
  }
}
