package dev.sluice.service;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.store.postgres.EmbeddedPostgresServer;
import dev.sluice.store.postgres.PostgresBacklog;
import dev.sluice.store.postgres.PostgresOptions;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Batches on the Postgres backlog: one embedded server for the class, a database per test. */
class BatchesOnPostgresTest extends BatchesOnBacklogTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @Override
  protected Backlog openBacklog(Path dir, PartitionRule rule) {
    String url = postgres.createDatabase("batches_" + DATABASES.incrementAndGet());
    return PostgresBacklog.open(
        PostgresOptions.of(url, EmbeddedPostgresServer.USER, null), "node-a", null, rule);
  }
}
