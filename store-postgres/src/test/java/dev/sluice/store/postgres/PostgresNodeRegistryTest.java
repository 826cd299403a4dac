package dev.sluice.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.core.backlog.Settlement;
import dev.sluice.core.cluster.NodeHeartbeat;
import dev.sluice.core.cluster.NodeView;
import dev.sluice.testkit.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresNodeRegistryTest {
  private static final Duration FORGET_AFTER = Duration.ofMinutes(1);
  // A node's own clock, far from the database's: the registry must not use it.
  private static final Instant NODE_CLOCK = Instant.parse("2001-01-01T00:00:00Z");

  private static EmbeddedPostgresServer server;
  private DataSource dataSource;
  private PostgresNodeRegistry registry;
  private PostgresGateHolderStore gate;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void freshDatabase() {
    dataSource = ClusterDatabase.create(server, "nodes");
    registry = new PostgresNodeRegistry(dataSource);
    gate = new PostgresGateHolderStore(dataSource);
  }

  @Test
  void heartbeat_insertsTheNodeThenUpdatesIt_stampedWithTheDatabaseClock() {
    Instant started = Instant.parse("2026-12-02T07:00:00.123456Z");
    registry.heartbeat(
        new NodeHeartbeat("node-a", "host-1", 4242, "http://127.0.0.1:8080", started, NODE_CLOCK));
    NodeView first = registry.nodes(FORGET_AFTER).get(0);

    registry.heartbeat(new NodeHeartbeat("node-a", "host-2", 4343, null, started, NODE_CLOCK));
    List<NodeView> nodes = registry.nodes(FORGET_AFTER);

    assertThat(nodes).hasSize(1);
    NodeView second = nodes.get(0);
    assertThat(second.host()).isEqualTo("host-2");
    assertThat(second.pid()).isEqualTo(4343);
    assertThat(second.httpAddress()).isNull();
    assertThat(second.startedAt()).isEqualTo(started);
    assertThat(second.heartbeatAt()).isAfterOrEqualTo(first.heartbeatAt());
    assertThat(first.httpAddress()).isEqualTo("http://127.0.0.1:8080");
    Instant dbNow = databaseNow();
    assertThat(second.heartbeatAt()).isBetween(dbNow.minus(FORGET_AFTER), dbNow);
  }

  @Test
  void nodes_forgetsNodesWhoseLastHeartbeatIsOlderThanForgetAfter_andOrdersById() {
    for (String id : List.of("node-c", "node-a", "node-b")) {
      registry.heartbeat(new NodeHeartbeat(id, "host", 1, null, NODE_CLOCK, NODE_CLOCK));
    }
    ClusterDatabase.execute(
        dataSource,
        "UPDATE nodes SET heartbeat_at = clock_timestamp() - interval '2 minutes'"
            + " WHERE node_id = 'node-b'");

    assertThat(registry.nodes(FORGET_AFTER))
        .extracting(NodeView::nodeId)
        .containsExactly("node-a", "node-c");
    assertThat(registry.nodes(Duration.ofMinutes(3)))
        .extracting(NodeView::nodeId)
        .containsExactly("node-a", "node-b", "node-c");
  }

  @Test
  void nodes_sayWhoHoldsTheGateWhileTheTermLasts_andHowManyEventsEachHasLeased() {
    for (String id : List.of("node-a", "node-b", "node-c")) {
      registry.heartbeat(new NodeHeartbeat(id, "host", 1, null, NODE_CLOCK, NODE_CLOCK));
    }
    gate.acquireOrRenew("node-b", Duration.ofMinutes(5));
    // Leased by a (3) and b (1); c's two are settled, and waiting events count for nobody.
    Instant t = Instant.parse("2026-12-02T08:00:00Z");
    try (PostgresBacklog a = PostgresBacklog.open(dataSource, "node-a", null);
        PostgresBacklog b = PostgresBacklog.open(dataSource, "node-b", null);
        PostgresBacklog c = PostgresBacklog.open(dataSource, "node-c", null)) {
      a.append(TestEvents.numbered(1, 10), t);
      assertThat(a.claim(3, Duration.ofMinutes(5), t)).hasSize(3);
      assertThat(b.claim(1, Duration.ofMinutes(5), t)).hasSize(1);
      c.settle(c.claim(2, Duration.ofMinutes(5), t).stream().map(Settlement::done).toList(), t);
    }

    assertThat(registry.nodes(FORGET_AFTER))
        .extracting(NodeView::nodeId, NodeView::holdsGate, NodeView::leased)
        .containsExactly(
            tuple("node-a", false, 3L), tuple("node-b", true, 1L), tuple("node-c", false, 0L));

    ClusterDatabase.execute(
        dataSource, "UPDATE gate_holder SET until = clock_timestamp() - interval '1 millisecond'");
    assertThat(registry.nodes(FORGET_AFTER)).noneMatch(NodeView::holdsGate);
  }

  private Instant databaseNow() {
    try (var c = dataSource.getConnection();
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
