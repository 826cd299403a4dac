package dev.sluice.store.postgres;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.testkit.FairShareContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fair share between partitions over the Postgres backlog, checked from its release log: one
 * embedded server for the class, a fresh database for each backlog.
 */
class PostgresFairShareTest extends FairShareContract {
  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected Backlog newBacklog(PartitionRule rule) {
    return PostgresBacklog.open(TestDatabases.fresh(server, "fairshare"), "node-a", null, rule);
  }
}
