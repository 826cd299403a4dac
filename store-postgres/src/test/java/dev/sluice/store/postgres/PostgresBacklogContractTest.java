package dev.sluice.store.postgres;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.testkit.BacklogContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Postgres backlog keeps the whole contract, persistence included: one embedded server for the
 * class, a fresh database for each test.
 */
class PostgresBacklogContractTest extends BacklogContract {

  private static EmbeddedPostgresServer server;

  private PostgresOptions options;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Backlog newBacklog() {
    options = TestDatabases.fresh(server, "contract");
    return PostgresBacklog.open(options, "node-a", null);
  }

  @Override
  protected Backlog newBacklog(PartitionRule rule) {
    options = TestDatabases.fresh(server, "contract");
    return PostgresBacklog.open(options, "node-a", null, rule);
  }

  /**
   * Opens the database again before the old instance is closed, as a restarted node (same node id)
   * would find it after a crash: what the new instance sees was committed.
   */
  @Override
  protected Backlog reopen(Backlog backlog) {
    Backlog reopened = PostgresBacklog.open(options, "node-a", null);
    backlog.close();
    return reopened;
  }

  @Override
  protected Backlog reopen(Backlog backlog, PartitionRule rule) {
    Backlog reopened = PostgresBacklog.open(options, "node-a", null, rule);
    backlog.close();
    return reopened;
  }
}
