package dev.sluice.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.cluster.GateTerm;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.ManualTimeSource;
import dev.sluice.testkit.RecordingTarget;
import dev.sluice.testkit.TestEvents;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes that both believe they hold the gate (the first was paused past the end of its term,
 * and the second took it over meanwhile) claim at the same instant, on a window with one permit
 * left: the claims are held at a barrier until both are about to run, so the race happens every
 * time. Exactly one release is made, by the node the store names as holder.
 */
class SharedGateRaceTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Limits FIVE_PER_HOUR = Limits.window(5, Duration.ofHours(1));
  private static final DispatcherConfig CONFIG =
      DispatcherConfig.defaults().withLead(Duration.ZERO);

  private static EmbeddedPostgresServer server;

  @BeforeAll
  static void startServer() {
    server = EmbeddedPostgresServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** A backlog whose claims wait at {@code barrier} first, so two nodes claim at one instant. */
  private static Backlog claimingAt(CyclicBarrier barrier, Backlog backlog) {
    return (Backlog)
        Proxy.newProxyInstance(
            Backlog.class.getClassLoader(),
            new Class<?>[] {Backlog.class},
            (proxy, method, args) -> {
              if (method.getName().equals("claim") || method.getName().equals("settleAndClaim")) {
                barrier.await(30, TimeUnit.SECONDS);
              }
              try {
                return method.invoke(backlog, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void twoNodesBelievingTheyHoldTheGate_claimAtOnceWithOnePermitLeft_exactlyOneReleases()
      throws Exception {
    PostgresOptions options = TestDatabases.fresh(server, "race");
    ManualTimeSource time = new ManualTimeSource(T0);
    AtomicReference<GateTerm> aBelieves = new AtomicReference<>(new GateTerm(1, "node-a", T0));
    AtomicReference<GateTerm> bBelieves = new AtomicReference<>();
    try (PostgresBacklog a =
            PostgresBacklog.open(options, "node-a", () -> Optional.ofNullable(aBelieves.get()));
        PostgresBacklog b =
            PostgresBacklog.open(options, "node-b", () -> Optional.ofNullable(bBelieves.get()))) {
      sql(
          options,
          "INSERT INTO gate_holder (id, epoch, node_id, until)"
              + " VALUES (1, 1, 'node-a', clock_timestamp() + interval '1 hour')");
      RecordingTarget targetA = RecordingTarget.completing();
      RecordingTarget targetB = RecordingTarget.completing();
      CyclicBarrier barrier = new CyclicBarrier(2);

      // node-a holds epoch 1 and uses four of the window's five permits.
      a.append(TestEvents.numbered(1, 4), time.now());
      Dispatcher dispatcherA =
          new Dispatcher(
              a, targetA, new Gate(FIVE_PER_HOUR), time, CONFIG, Runnable::run, new Random(1));
      dispatcherA.shareGate(() -> Optional.ofNullable(aBelieves.get()));
      dispatcherA.takeOver(aBelieves.get());
      assertThat(dispatcherA.tick()).isEqualTo(4);
      dispatcherA.applyOutcomes();

      // Its term ends in the store while it is paused; node-b takes epoch 2. node-a does not know.
      time.advance(Duration.ofSeconds(10));
      sql(options, "UPDATE gate_holder SET epoch = 2, node_id = 'node-b'");
      bBelieves.set(new GateTerm(2, "node-b", T0));
      a.append(TestEvents.numbered(5, 2), time.now());

      // Both now claim through a barrier: each gate sees one permit left.
      Dispatcher racingA =
          new Dispatcher(
              claimingAt(barrier, a),
              targetA,
              new Gate(FIVE_PER_HOUR),
              time,
              CONFIG,
              Runnable::run,
              new Random(2));
      racingA.shareGate(() -> Optional.ofNullable(aBelieves.get()));
      racingA.takeOver(aBelieves.get());
      Dispatcher racingB =
          new Dispatcher(
              claimingAt(barrier, b),
              targetB,
              new Gate(FIVE_PER_HOUR),
              time,
              CONFIG,
              Runnable::run,
              new Random(3));
      racingB.shareGate(() -> Optional.ofNullable(bBelieves.get()));
      racingB.takeOver(bBelieves.get());
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> byA = threads.submit(racingA::tick);
        Future<Integer> byB = threads.submit(racingB::tick);

        assertThat(byA.get(60, TimeUnit.SECONDS) + byB.get(60, TimeUnit.SECONDS)).isEqualTo(1);
      } finally {
        threads.shutdownNow();
      }

      List<ReleaseRecord> log = b.releases(Instant.EPOCH, 0, 100);
      assertThat(log).hasSize(5);
      assertThat(targetA.count()).isEqualTo(4);
      assertThat(targetB.count()).isEqualTo(1);
      assertThat(b.stats(time.now()).waiting()).isEqualTo(1);
    }
  }

  private static void sql(PostgresOptions options, String statement) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(options.jdbcUrl(), EmbeddedPostgresServer.USER, "");
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
