package dev.sluice.store.postgres;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.testkit.BacklogClusterContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Two and three nodes' handles on one Postgres database keep the shared-store contract. */
class PostgresBacklogClusterContractTest extends BacklogClusterContract {
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
  protected List<Backlog> openHandles(int count) {
    PostgresOptions options = TestDatabases.fresh(server, "cluster_contract");
    List<Backlog> handles = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      handles.add(PostgresBacklog.open(options.withPoolSize(4), "node-" + i, null));
    }
    return handles;
  }
}
