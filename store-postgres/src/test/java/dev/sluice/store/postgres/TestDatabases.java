package dev.sluice.store.postgres;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh databases on a test class's one embedded server, each with a name of its own. */
final class TestDatabases {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private TestDatabases() {}

  /** Creates an empty database and returns options to reach it. */
  static PostgresOptions fresh(EmbeddedPostgresServer server, String prefix) {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
    return PostgresOptions.of(server.createDatabase(name), EmbeddedPostgresServer.USER, null)
        .withPoolSize(8);
  }
}
