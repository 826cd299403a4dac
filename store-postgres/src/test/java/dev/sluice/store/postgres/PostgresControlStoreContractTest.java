package dev.sluice.store.postgres;

import dev.sluice.core.control.ControlStore;
import dev.sluice.testkit.ControlStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The Postgres control store keeps the whole contract, persistence included. */
class PostgresControlStoreContractTest extends ControlStoreContract {
  private static EmbeddedPostgresServer server;

  private final List<PostgresBacklog> opened = new ArrayList<>();
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
  protected ControlStore newStore() {
    options = TestDatabases.fresh(server, "control");
    return open();
  }

  /** Opens the database again while the first instance is still open, as after a crash. */
  @Override
  protected ControlStore reopen() {
    return open();
  }

  private ControlStore open() {
    PostgresBacklog backlog = PostgresBacklog.open(options, "node-a", null);
    opened.add(backlog);
    return backlog.controlStore();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(PostgresBacklog::close);
  }
}
