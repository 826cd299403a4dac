package dev.sluice.store.postgres;

import dev.sluice.core.SluiceException;
import dev.sluice.core.cluster.GateHolderStore;
import dev.sluice.core.cluster.GateTerm;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The gate's term in the {@code gate_holder} row of a shared Postgres database ({@code
 * V2__cluster.sql}), timed by the database clock so that nodes whose clocks differ agree on when a
 * term ends.
 *
 * <p>Acquiring and renewing are one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} statement.
 * Postgres runs the conflict branch on the row's latest committed version with the row locked, so
 * two nodes asking at the same instant are serialized on the row: the first makes itself the holder
 * and commits; the second then finds a term that has not ended and held by another node, updates
 * nothing and is answered empty. The same holds on an empty table: one insert wins, the others wait
 * for it on the primary key and take the conflict branch.
 */
public final class PostgresGateHolderStore implements GateHolderStore {

  // clock_timestamp() (not now()) is the instant the statement runs, after any wait for the row's
  // lock, so a term starts when it is granted. In the conflict branch, g.* is the row as it stands
  // when locked; the WHERE decides whether this node may hold it: nobody does (the term ended), or
  // this node does already. The epoch stays for a renewal and goes up for everything else,
  // including this node coming back after its own term ended: claims made under the old epoch
  // must stay refused.
  private static final String ACQUIRE_OR_RENEW =
      """
      INSERT INTO gate_holder AS g (id, epoch, node_id, until)
      VALUES (1, 1, ?, clock_timestamp() + ? * interval '1 microsecond')
      ON CONFLICT (id) DO UPDATE SET
        epoch = CASE WHEN g.node_id = excluded.node_id AND g.until > clock_timestamp()
                     THEN g.epoch ELSE g.epoch + 1 END,
        node_id = excluded.node_id,
        until = clock_timestamp() + ? * interval '1 microsecond'
      WHERE g.until <= clock_timestamp() OR g.node_id = excluded.node_id
      RETURNING epoch, node_id, until
      """;

  private static final String RESIGN =
      "UPDATE gate_holder SET until = clock_timestamp()"
          + " WHERE id = 1 AND node_id = ? AND epoch = ? AND until > clock_timestamp()";

  private static final String HOLDER =
      "SELECT epoch, node_id, until FROM gate_holder WHERE id = 1 AND until > clock_timestamp()";

  private final DataSource dataSource;

  /**
   * @param dataSource a database migrated to {@code V2__cluster.sql} or later
   */
  public PostgresGateHolderStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public Optional<GateTerm> acquireOrRenew(String nodeId, Duration term) {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(term, "term");
    if (term.isNegative() || term.isZero()) {
      throw new IllegalArgumentException("term must be > 0, got " + term);
    }
    long micros = term.toNanos() / 1000;
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(ACQUIRE_OR_RENEW)) {
      s.setString(1, nodeId);
      s.setLong(2, micros);
      s.setLong(3, micros);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(term(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new SluiceException("could not acquire or renew the gate term for node " + nodeId, e);
    }
  }

  @Override
  public void resign(String nodeId, long epoch) {
    Objects.requireNonNull(nodeId, "nodeId");
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(RESIGN)) {
      s.setString(1, nodeId);
      s.setLong(2, epoch);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new SluiceException("could not resign gate term " + epoch + " of node " + nodeId, e);
    }
  }

  @Override
  public Optional<GateTerm> holder() {
    try (Connection c = connection();
        PreparedStatement s = c.prepareStatement(HOLDER);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? Optional.of(term(rs)) : Optional.empty();
    } catch (SQLException e) {
      throw new SluiceException("could not read the gate holder", e);
    }
  }

  private Connection connection() throws SQLException {
    Connection c = dataSource.getConnection();
    try {
      // Each call is one statement that must commit before the call returns.
      c.setAutoCommit(true);
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  private static GateTerm term(ResultSet rs) throws SQLException {
    return new GateTerm(
        rs.getLong("epoch"),
        rs.getString("node_id"),
        rs.getObject("until", OffsetDateTime.class).toInstant());
  }
}
