package dev.sluice.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.testkit.GateHolderRace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Eight nodes ask for the gate at the same instant, many rounds over: on an empty table (all
 * insert) and on a term that has just ended (all take over). Connections are opened before the
 * latch opens, so the statements themselves race.
 */
class PostgresGateHolderStoreRaceTest {
  private static final int NODES = 8;
  private static final int ROUNDS = 25;
  private static final Duration TERM = Duration.ofMinutes(5);

  private static EmbeddedPostgresServer server;
  private HikariDataSource pool;
  private ExecutorService threads;
  private PostgresGateHolderStore store;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void openPool() {
    DataSource fresh = ClusterDatabase.create(server, "race");
    HikariConfig config = new HikariConfig();
    config.setDataSource(fresh);
    config.setMaximumPoolSize(NODES);
    config.setMinimumIdle(NODES);
    pool = new HikariDataSource(config);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pool.getHikariPoolMXBean().getIdleConnections() == NODES);
    threads = Executors.newFixedThreadPool(NODES);
    store = new PostgresGateHolderStore(pool);
  }

  @AfterEach
  void closePool() {
    threads.shutdownNow();
    pool.close();
  }

  @Test
  void acquireOrRenew_onAnEmptyTable_exactlyOneOfEightWinsEveryRound() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      ClusterDatabase.execute(pool, "DELETE FROM gate_holder");

      List<GateTerm> granted = race();

      assertThat(granted).as("round %d", round).hasSize(1);
      assertThat(granted.get(0).epoch()).isEqualTo(1L);
      assertThat(store.holder()).contains(granted.get(0));
    }
  }

  @Test
  void acquireOrRenew_whenTheTermHasJustEnded_exactlyOneOfEightTakesTheNextEpoch()
      throws Exception {
    store.acquireOrRenew("node-old", TERM);
    for (int round = 0; round < ROUNDS; round++) {
      ClusterDatabase.execute(
          pool, "UPDATE gate_holder SET until = clock_timestamp() - interval '1 millisecond'");

      List<GateTerm> granted = race();

      assertThat(granted).as("round %d", round).hasSize(1);
      assertThat(granted.get(0).epoch()).isEqualTo(round + 2L);
      assertThat(store.holder()).contains(granted.get(0));
    }
  }

  /** All nodes ask at once; returns the terms granted. */
  private List<GateTerm> race() throws Exception {
    return GateHolderRace.race(store, threads, NODES, TERM);
  }
}
