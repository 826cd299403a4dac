package dev.sluice.store.postgres;

import dev.sluice.core.cluster.GateHolderStore;
import dev.sluice.testkit.GateHolderStoreContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Postgres gate holder store keeps the contract on a real server, a fresh database a test. */
class PostgresGateHolderStoreContractTest extends GateHolderStoreContract {
  private static EmbeddedPostgresServer server;
  private DataSource dataSource;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  protected GateHolderStore newStore() {
    dataSource = ClusterDatabase.create(server, "gate");
    return new PostgresGateHolderStore(dataSource);
  }

  @Override
  protected void endTheCurrentTerm() {
    ClusterDatabase.execute(
        dataSource, "UPDATE gate_holder SET until = clock_timestamp() - interval '1 millisecond'");
  }
}
