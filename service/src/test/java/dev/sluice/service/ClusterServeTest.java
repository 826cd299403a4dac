package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.Job;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.gate.AdaptiveSettings;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.config.PartitionsConfig;
import dev.sluice.service.config.PostgresStoreConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.store.postgres.EmbeddedPostgresServer;
import dev.sluice.store.postgres.PostgresOptions;
import dev.sluice.testkit.RecordingTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real services on one embedded Postgres, as two nodes: one limit for both, every event
 * released once whichever node took it in, and the gate passing to the other node when its holder
 * stops.
 */
class ClusterServeTest {
  private static final Duration TERM = Duration.ofSeconds(2);
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer postgres;

  @TempDir Path dir;
  private final List<RunningSluice> nodes = new ArrayList<>();

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @AfterEach
  void stopNodes() {
    for (RunningSluice n : nodes) {
      n.close();
    }
  }

  private String freshDatabase() {
    return postgres.createDatabase("cluster_serve_" + DATABASES.incrementAndGet());
  }

  private RunningSluice node(String id, String url, RecordingTarget target, Limits limits) {
    PostgresStoreConfig shared =
        new PostgresStoreConfig(
            PostgresOptions.of(url, EmbeddedPostgresServer.USER, null), id, TERM);
    RunningSluice node =
        RunningSluice.startWith(
            dir.resolve(id),
            target,
            c -> c.withLimits(limits).withStore(StoreConfig.postgres(shared)));
    nodes.add(node);
    return node;
  }

  private static String holder(RunningSluice node) {
    JsonNode holder = node.status().path("cluster").path("holder");
    return holder.isObject() ? holder.path("node").asText() : null;
  }

  private static void post(RunningSluice node, String prefix, int count) {
    node.api.post("/v1/events", Notifications.forKeys(Notifications.keys(prefix, 0, count))).ok();
  }

  /** Most jobs that reached the target within any interval shorter than {@code window}. */
  private static int mostInAnyWindow(List<ReleaseRecord> log, Duration window) {
    List<Instant> reached =
        log.stream().map(ReleaseRecord::reachedAt).filter(t -> t != null).sorted().toList();
    int most = 0;
    int from = 0;
    for (int to = 0; to < reached.size(); to++) {
      while (!Duration.between(reached.get(from), reached.get(to)).minus(window).isNegative()) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }

  private static List<ReleaseRecord> releaseLog(RunningSluice node) {
    return node.service.sluice().backlog().releases(Instant.EPOCH, 0, 100_000);
  }

  private static Set<String> keys(RecordingTarget... targets) {
    Set<String> keys = new HashSet<>();
    for (RecordingTarget t : targets) {
      for (Job j : t.jobs()) {
        assertThat(keys.add(j.event().key())).as("released once: " + j.event().key()).isTrue();
      }
    }
    return keys;
  }

  @Test
  void twoNodes_oneWindowLimitForBoth_releaseEveryEventOnceWhicheverNodeTookItIn() {
    String url = freshDatabase();
    Limits limits = Limits.window(10, Duration.ofSeconds(1));
    RecordingTarget ta = RecordingTarget.completing();
    RecordingTarget tb = RecordingTarget.completing();
    RunningSluice a = node("node-a", url, ta, limits);
    RunningSluice b = node("node-b", url, tb, limits);
    await().atMost(Duration.ofSeconds(30)).until(() -> holder(a) != null);

    post(a, "from-a/", 30);
    post(b, "from-b/", 30);

    await().atMost(Duration.ofSeconds(60)).until(() -> ta.count() + tb.count() >= 60);
    assertThat(keys(ta, tb)).hasSize(60);
    // One node holds the gate and releases; the other took events in and released none.
    String releasing = holder(a);
    assertThat(releasing).isEqualTo(holder(b));
    assertThat(releasing.equals("node-a") ? tb.count() : ta.count()).isZero();
    List<ReleaseRecord> log = releaseLog(b);
    assertThat(log).hasSize(60);
    assertThat(mostInAnyWindow(log, Duration.ofSeconds(1))).isLessThanOrEqualTo(10);

    RunningSluice holderNode = releasing.equals("node-a") ? a : b;
    RunningSluice otherNode = releasing.equals("node-a") ? b : a;
    assertThat(holderNode.api.get("/metrics").body()).contains("\nsluice_gate_held 1.0\n");
    assertThat(otherNode.api.get("/metrics").body()).contains("\nsluice_gate_held 0.0\n");

    JsonNode cluster = b.status().path("cluster");
    assertThat(cluster.path("node").asText()).isEqualTo("node-b");
    assertThat(Stream.of(cluster.path("nodes").get(0), cluster.path("nodes").get(1)))
        .extracting(n -> n.path("node").asText(), n -> n.path("holdsGate").asBoolean())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("node-a", releasing.equals("node-a")),
            org.assertj.core.groups.Tuple.tuple("node-b", releasing.equals("node-b")));
  }

  @Test
  void holderStops_theOtherNodeTakesTheGateOver_andReleasesTheRestUnderTheSameLimit() {
    String url = freshDatabase();
    Limits limits = Limits.window(5, Duration.ofSeconds(1));
    RecordingTarget ta = RecordingTarget.completing();
    RecordingTarget tb = RecordingTarget.completing();
    RunningSluice a = node("node-a", url, ta, limits);
    await().atMost(Duration.ofSeconds(30)).until(() -> "node-a".equals(holder(a)));
    RunningSluice b = node("node-b", url, tb, limits);

    post(b, "burst/", 40);
    await().atMost(Duration.ofSeconds(30)).until(() -> ta.count() >= 10);
    a.close();
    nodes.remove(a);

    await().atMost(Duration.ofSeconds(60)).until(() -> ta.count() + tb.count() >= 40);
    assertThat(holder(b)).isEqualTo("node-b");
    assertThat(tb.count()).isPositive();
    assertThat(keys(ta, tb)).hasSize(40);
    List<ReleaseRecord> log = releaseLog(b);
    assertThat(mostInAnyWindow(log, Duration.ofSeconds(1))).isLessThanOrEqualTo(5);
  }

  @Test
  void limitsAndPause_setThroughAnyNode_areFollowedByEveryNode() {
    String url = freshDatabase();
    RecordingTarget ta = RecordingTarget.completing();
    RecordingTarget tb = RecordingTarget.completing();
    RunningSluice a = node("node-a", url, ta, Limits.window(10, Duration.ofSeconds(1)));
    RunningSluice b = node("node-b", url, tb, Limits.window(10, Duration.ofSeconds(1)));

    b.api.put("/v1/limits", "{\"window\": {\"limit\": 3, \"every\": \"1h\"}}").ok();
    b.api.post("/v1/pause", "").ok();
    b.api.call("PATCH", "/v1/adaptive", "{\"enabled\": true, \"min\": 2}", java.util.Map.of()).ok();
    AdaptiveSettings adaptive = AdaptiveSettings.on().withMin(2);

    Limits expected = Limits.window(3, Duration.ofHours(1));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                a.service.sluice().limits().equals(expected)
                    && a.status().path("paused").asBoolean()
                    && a.service.sluice().dispatcher().adaptive().settings().equals(adaptive));
    // A node that joins later counts the limits in force, not its own file's.
    RecordingTarget tc = RecordingTarget.completing();
    RunningSluice c = node("node-c", url, tc, Limits.window(100, Duration.ofSeconds(1)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                c.service.sluice().limits().equals(expected)
                    && c.service.sluice().dispatcher().adaptive().settings().equals(adaptive));

    b.api.post("/v1/resume", "").ok();
    await().atMost(Duration.ofSeconds(30)).until(() -> !a.status().path("paused").asBoolean());
    post(c, "after/", 5);
    await().atMost(Duration.ofSeconds(30)).until(() -> ta.count() + tb.count() + tc.count() >= 3);
    b.awaitDispatcherLooked();
    a.awaitDispatcherLooked();
    c.awaitDispatcherLooked();
    assertThat(ta.count() + tb.count() + tc.count()).isEqualTo(3);
  }

  @Test
  void schedule_setThroughAnyNode_isFollowedByEveryNodeAndTheHolderAppliesIt() {
    String url = freshDatabase();
    RecordingTarget ta = RecordingTarget.completing();
    RecordingTarget tb = RecordingTarget.completing();
    RunningSluice a = node("node-a", url, ta, Limits.window(100, Duration.ofSeconds(1)));
    RunningSluice b = node("node-b", url, tb, Limits.window(100, Duration.ofSeconds(1)));

    // A blackout all day, every day: whichever node holds the gate must release nothing.
    String blackout =
        "{\"zone\": \"UTC\", \"rules\": [{\"name\": \"maintenance\", \"from\": \"00:00\","
            + " \"until\": \"24:00\", \"blackout\": true}]}";
    b.api.put("/v1/schedule", blackout).ok();
    await().atMost(Duration.ofSeconds(30)).until(() -> a.service.sluice().capacity().blackout());
    // A node that joins later follows the stored schedule, not its own file's (none).
    RecordingTarget tc = RecordingTarget.completing();
    RunningSluice c = node("node-c", url, tc, Limits.window(100, Duration.ofSeconds(1)));
    await().atMost(Duration.ofSeconds(30)).until(() -> c.service.sluice().capacity().blackout());

    post(c, "blackout/", 5);
    a.awaitDispatcherLooked();
    b.awaitDispatcherLooked();
    c.awaitDispatcherLooked();
    assertThat(ta.count() + tb.count() + tc.count()).isZero();

    a.api.call("DELETE", "/v1/schedule", null, java.util.Map.of()).ok();
    await().atMost(Duration.ofSeconds(30)).until(() -> ta.count() + tb.count() + tc.count() == 5);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> b.service.sluice().schedule().rules().isEmpty());
  }

  @Test
  void partitionWeights_setThroughAnyNode_areFollowedByEveryNode() {
    String url = freshDatabase();
    RecordingTarget ta = RecordingTarget.completing();
    RecordingTarget tb = RecordingTarget.completing();
    PartitionsConfig partitions = new PartitionsConfig(PartitionRule.prefix(1));
    RunningSluice a = partitionedNode("node-a", url, ta, partitions);
    RunningSluice b = partitionedNode("node-b", url, tb, partitions);

    b.api
        .call(
            "PATCH",
            "/v1/partitions",
            "{\"weights\": {\"t1/\": 3}, \"caps\": {\"t2/\": 4}}",
            java.util.Map.of())
        .ok();
    PartitionShares expected = new PartitionShares(Map.of("t1/", 3), Map.of("t2/", 4), 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> a.service.sluice().dispatcher().partitions().shares().equals(expected));
    // A node that joins later takes the stored weights over its file's.
    RecordingTarget tc = RecordingTarget.completing();
    RunningSluice c = partitionedNode("node-c", url, tc, partitions);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> c.service.sluice().dispatcher().partitions().shares().equals(expected));

    post(c, "t1/x", 10);
    post(a, "t2/x", 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> ta.count() + tb.count() + tc.count() == 20);
    assertThat(keys(ta, tb, tc)).hasSize(20);
  }

  private RunningSluice partitionedNode(
      String id, String url, RecordingTarget target, PartitionsConfig partitions) {
    PostgresStoreConfig shared =
        new PostgresStoreConfig(
            PostgresOptions.of(url, EmbeddedPostgresServer.USER, null), id, TERM);
    RunningSluice node =
        RunningSluice.startWith(
            dir.resolve(id),
            target,
            c ->
                c.withLimits(Limits.window(100, Duration.ofSeconds(1)))
                    .withStore(StoreConfig.postgres(shared))
                    .withPartitions(partitions));
    nodes.add(node);
    return node;
  }
}
