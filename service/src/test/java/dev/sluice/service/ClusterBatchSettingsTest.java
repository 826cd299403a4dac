package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.batch.LimitCount;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.service.config.BatchConfig;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch size and wait changed through one node of several on one Postgres: every node follows,
 * a node that joins later too, and the batches the holder forms afterwards keep the new size.
 */
class ClusterBatchSettingsTest {
  private static final Duration TERM = Duration.ofSeconds(2);
  private static final BatchSettings FILE = new BatchSettings(10, Duration.ofMillis(200));
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

  private RunningSluice node(String id, String url, RecordingTarget target) {
    PostgresStoreConfig shared =
        new PostgresStoreConfig(
            PostgresOptions.of(url, EmbeddedPostgresServer.USER, null), id, TERM);
    RunningSluice node =
        RunningSluice.startWith(
            dir.resolve(id),
            target,
            c ->
                c.withLimits(Limits.none())
                    .withStore(StoreConfig.postgres(shared))
                    .withPartitions(new PartitionsConfig(PartitionRule.bucket()))
                    .withBatch(new BatchConfig(FILE, LimitCount.JOBS)));
    nodes.add(node);
    return node;
  }

  private static BatchSettings settings(RunningSluice node) {
    BatchPlanner planner = node.service.sluice().dispatcher().batchPlanner();
    return planner == null ? null : planner.settings();
  }

  private static List<ReleaseRecord> releases(RunningSluice node) {
    return node.service.sluice().backlog().releases(Instant.EPOCH, 0, 100_000);
  }

  @Test
  void batchSettings_setThroughAnyNode_areFollowedByEveryNodeAndLaterBatchesKeepThem() {
    String url = postgres.createDatabase("cluster_batch_settings");
    RecordingTarget ta = RecordingTarget.completing();
    RecordingTarget tb = RecordingTarget.completing();
    RunningSluice a = node("node-a", url, ta);
    RunningSluice b = node("node-b", url, tb);

    b.api.call("PATCH", "/v1/batch", "{\"max\": 3, \"wait\": \"100ms\"}", Map.of()).ok();
    BatchSettings changed = new BatchSettings(3, Duration.ofMillis(100));
    assertThat(settings(b)).isEqualTo(changed);
    await().atMost(Duration.ofSeconds(30)).until(() -> changed.equals(settings(a)));
    assertThat(a.api.get("/v1/batch").ok().get("max").asInt()).isEqualTo(3);

    // A node that joins later follows the stored settings, not its own file's.
    RecordingTarget tc = RecordingTarget.completing();
    RunningSluice c = node("node-c", url, tc);
    await().atMost(Duration.ofSeconds(30)).until(() -> changed.equals(settings(c)));

    c.api.post("/v1/events", Notifications.forKeys(Notifications.keys("after/", 0, 20))).ok();
    await().atMost(Duration.ofSeconds(30)).until(() -> ta.count() + tb.count() + tc.count() >= 20);
    // A release's batch reference is recorded with its outcome, which settles after the target.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                releases(a).size() == 20 && releases(a).stream().allMatch(r -> r.batch() != null));
    Map<Long, Integer> rowsPerBatch = new HashMap<>();
    for (ReleaseRecord r : releases(a)) {
      rowsPerBatch.merge(r.batch(), 1, Integer::sum);
    }
    assertThat(rowsPerBatch.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
    assertThat(rowsPerBatch.values()).allSatisfy(n -> assertThat(n).isBetween(1, 3));
    assertThat(rowsPerBatch).hasSizeGreaterThanOrEqualTo(7);
  }
}
