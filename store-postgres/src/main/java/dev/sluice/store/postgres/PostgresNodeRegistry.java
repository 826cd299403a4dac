package dev.sluice.store.postgres;

import dev.sluice.core.SluiceException;
import dev.sluice.core.cluster.NodeHeartbeat;
import dev.sluice.core.cluster.NodeRegistry;
import dev.sluice.core.cluster.NodeView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The nodes sharing a Postgres database, in its {@code nodes} table ({@code V2__cluster.sql}):
 * heartbeats stamped with the database clock, and for each node whether it holds the gate and how
 * many events are leased to it ({@code events.state = 1} by {@code lease_owner}).
 */
public final class PostgresNodeRegistry implements NodeRegistry {

  private static final String HEARTBEAT =
      """
      INSERT INTO nodes AS n (node_id, host, pid, http_address, started_at, heartbeat_at)
      VALUES (?, ?, ?, ?, ?, clock_timestamp())
      ON CONFLICT (node_id) DO UPDATE SET
        host = excluded.host,
        pid = excluded.pid,
        http_address = excluded.http_address,
        started_at = excluded.started_at,
        heartbeat_at = clock_timestamp()
      """;

  // Leases are counted once per call for all nodes (served by the partial index on leased events),
  // then joined. Ordered by the bytes of the id, whatever the database's collation.
  private static final String NODES =
      """
      SELECT n.node_id, n.host, n.pid, n.http_address, n.started_at, n.heartbeat_at,
             g.node_id IS NOT NULL AS holds_gate,
             coalesce(l.leased, 0) AS leased
      FROM nodes n
      LEFT JOIN gate_holder g
        ON g.id = 1 AND g.node_id = n.node_id AND g.until > clock_timestamp()
      LEFT JOIN (SELECT lease_owner, count(*) AS leased FROM events
                 WHERE state = 1 GROUP BY lease_owner) l
        ON l.lease_owner = n.node_id
      WHERE n.heartbeat_at > clock_timestamp() - ? * interval '1 microsecond'
      ORDER BY n.node_id COLLATE "C"
      """;

  private final DataSource dataSource;

  /**
   * @param dataSource a database migrated to {@code V2__cluster.sql} or later (the lease counts
   *     read the backlog's {@code events} table)
   */
  public PostgresNodeRegistry(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public void heartbeat(NodeHeartbeat heartbeat) {
    Objects.requireNonNull(heartbeat, "heartbeat");
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(HEARTBEAT)) {
      s.setString(1, heartbeat.nodeId());
      s.setString(2, heartbeat.host());
      s.setLong(3, heartbeat.pid());
      s.setString(4, heartbeat.httpAddress());
      s.setObject(5, OffsetDateTime.ofInstant(heartbeat.startedAt(), ZoneOffset.UTC));
      s.executeUpdate();
    } catch (SQLException e) {
      throw new SluiceException("could not record the heartbeat of node " + heartbeat.nodeId(), e);
    }
  }

  @Override
  public List<NodeView> nodes(Duration forgetAfter) {
    Objects.requireNonNull(forgetAfter, "forgetAfter");
    if (forgetAfter.isNegative() || forgetAfter.isZero()) {
      throw new IllegalArgumentException("forgetAfter must be > 0, got " + forgetAfter);
    }
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(NODES)) {
      s.setLong(1, forgetAfter.toNanos() / 1000);
      List<NodeView> nodes = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          nodes.add(
              new NodeView(
                  rs.getString("node_id"),
                  rs.getString("host"),
                  rs.getLong("pid"),
                  rs.getString("http_address"),
                  rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                  rs.getObject("heartbeat_at", OffsetDateTime.class).toInstant(),
                  rs.getBoolean("holds_gate"),
                  rs.getLong("leased")));
        }
      }
      return nodes;
    } catch (SQLException e) {
      throw new SluiceException("could not list the nodes", e);
    }
  }

  private Connection connection() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      c.setAutoCommit(true); // each call is one statement that commits before it returns
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }
}
