package dev.sluice.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.TestEvents;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node hears of events another node appended as soon as they commit. */
class PostgresWakeupsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void anotherNodesAppend_wakesThisNodeWhenItCommits() throws Exception {
    PostgresOptions options = TestDatabases.fresh(server, "wakeups");
    Semaphore wakes = new Semaphore(0);
    try (PostgresBacklog holder = PostgresBacklog.open(options, "node-a", null);
        PostgresBacklog intake = PostgresBacklog.open(options, "node-b", null);
        PostgresWakeups listening = PostgresWakeups.start(holder, wakes::release)) {
      // Listening begins on the listener's own thread: append until the first wake is heard.
      int n = 0;
      while (!wakes.tryAcquire(200, TimeUnit.MILLISECONDS)) {
        intake.append(TestEvents.numbered(++n, 1), T0);
        assertThat(n).as("appends before the first wake").isLessThan(100);
      }
      wakes.drainPermits();

      intake.append(TestEvents.numbered(1_000, 3), T0);
      assertThat(wakes.tryAcquire(10, TimeUnit.SECONDS)).as("woken by the append").isTrue();
    }
  }
}
