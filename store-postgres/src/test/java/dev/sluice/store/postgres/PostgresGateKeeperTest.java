package dev.sluice.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.cluster.GateKeeper;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.core.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two keepers on one database in real time: one holds; when it stops, the other takes over. */
class PostgresGateKeeperTest {
  private static final Duration TERM = Duration.ofSeconds(2);

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
  void close_ofTheHolder_letsTheOtherNodeHoldTheGateUnderTheNextEpoch() {
    DataSource dataSource = ClusterDatabase.create(server, "keepers");
    PostgresGateHolderStore store = new PostgresGateHolderStore(dataSource);
    TimeSource time = TimeSource.system();
    Heard aHeard = new Heard();
    Heard bHeard = new Heard();
    GateKeeper a = new GateKeeper("node-a", store, time, TERM, aHeard);
    GateKeeper b = new GateKeeper("node-b", store, time, TERM, bHeard);
    try {
      a.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> a.heldTerm().isPresent());
      b.start();
      // Over a few renewals a keeps the gate and b's requests are refused. (A machine paused for
      // longer than a term would let b take over: then a must no longer count on its term.)
      for (int i = 0; i < 3; i++) {
        GateTerm before = store.holder().orElseThrow();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> store.holder().map(GateTerm::until).orElseThrow().isAfter(before.until()));
        assertThat(a.heldTerm().isPresent() && b.heldTerm().isPresent()).isFalse();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> a.heldTerm().isPresent());
      long aEpoch = a.heldTerm().orElseThrow().epoch();

      a.close();

      assertThat(a.heldTerm()).isEmpty();
      await().atMost(Duration.ofSeconds(30)).until(() -> b.heldTerm().isPresent());
      assertThat(b.heldTerm().orElseThrow().epoch()).isGreaterThan(aEpoch);
      assertThat(store.holder()).map(GateTerm::nodeId).contains("node-b");
      assertPaired(aHeard.calls, "node-a");
      assertThat(aHeard.calls).first().isEqualTo("acquired 1 node-a");
      assertThat(aHeard.calls).last().isEqualTo("lost " + aEpoch + " node-a");
      assertThat(bHeard.calls)
          .last()
          .isEqualTo("acquired " + b.heldTerm().get().epoch() + " node-b");
    } finally {
      a.close();
      b.close();
    }
    assertThat(store.holder()).isEmpty();
  }

  /** Each acquired is followed by exactly one lost of the same epoch before the next acquired. */
  private static void assertPaired(List<String> calls, String nodeId) {
    for (int i = 0; i < calls.size(); i++) {
      String expected = (i % 2 == 0 ? "acquired " : "lost ") + "\\d+ " + nodeId;
      assertThat(calls.get(i)).matches(expected);
      if (i % 2 == 1) {
        assertThat(calls.get(i).substring("lost ".length()))
            .isEqualTo(calls.get(i - 1).substring("acquired ".length()));
      }
    }
  }

  private static final class Heard implements GateKeeper.Listener {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void acquired(GateTerm term) {
      calls.add("acquired " + term.epoch() + " " + term.nodeId());
    }

    @Override
    public void lost(GateTerm term) {
      calls.add("lost " + term.epoch() + " " + term.nodeId());
    }
  }
}
