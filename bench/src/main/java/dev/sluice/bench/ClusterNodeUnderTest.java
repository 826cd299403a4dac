package dev.sluice.bench;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.dispatch.WorkerPool;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.time.TimeSource;
import dev.sluice.ingest.EventIntake;
import dev.sluice.intake.NotificationParser;
import dev.sluice.service.SluiceService;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.PostgresStoreConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.store.postgres.PostgresBacklog;
import dev.sluice.store.postgres.PostgresOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;

/**
 * One node of the cluster benchmark: where producers append, and what it has completed. Either a
 * real {@link SluiceService} on the shared Postgres backlog (gate holder, fenced claims, heartbeat)
 * or, to show what that wiring costs, the same backlog, gate and dispatcher with no fence.
 */
interface ClusterNodeUnderTest extends AutoCloseable {

  String id();

  /** The service's intake path after HTTP parsing: commit, then wake the dispatcher. */
  AppendResult append(List<ObjectEvent> events);

  /** Jobs this node completed and settled (committed). */
  long completed();

  boolean holdsGate();

  /** Lets a node started paused release. */
  void resume();

  /** The backlog, for the shared counts. */
  Backlog backlog();

  @Override
  void close();

  /**
   * A {@code sluice serve} node: Postgres store, HTTP on port 0, no S3 endpoint, a no-op target,
   * the default dispatcher (batches of 500, 50 ms lead) with {@code workers} workers (64 by
   * default).
   */
  static ClusterNodeUnderTest service(
      String id, PostgresOptions pg, Path dataDir, Limits limits, int workers, boolean paused) {
    SluiceConfig config =
        new SluiceConfig(
            dataDir,
            new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
            new S3EndpointConfig(false, "127.0.0.1", 0, List.of("data"), null, null, "us-east-1"),
            limits,
            RetryPolicy.defaults(),
            DispatcherConfig.defaults().withWorkers(workers),
            TargetConfig.log(),
            StoreConfig.postgres(
                new PostgresStoreConfig(pg, id, PostgresStoreConfig.DEFAULT_GATE_TERM)));
    SluiceService service =
        SluiceService.start(
            config, SluiceService.Options.defaults().withTarget(new NoOpTarget()).paused(paused));
    return new ClusterNodeUnderTest() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public AppendResult append(List<ObjectEvent> events) {
        return service.sluice().intake().appendEvents(events);
      }

      @Override
      public long completed() {
        return service.sluice().dispatcher().stats().completed();
      }

      @Override
      public boolean holdsGate() {
        // The keeper's view: a paused dispatcher learns of the term only when it next releases.
        return service.sluice().cluster().heldTerm().isPresent();
      }

      @Override
      public void resume() {
        service.sluice().dispatcher().resume();
      }

      @Override
      public Backlog backlog() {
        return service.sluice().backlog();
      }

      @Override
      public void close() {
        service.close();
      }
    };
  }

  /**
   * The Postgres backlog opened with no fence (claims do not touch the gate holder's row), and the
   * dispatcher and intake wired as the service wires them: one node alone on the database.
   */
  static ClusterNodeUnderTest unfenced(
      String id, PostgresOptions pg, Limits limits, int workerCount, boolean paused) {
    TimeSource time = TimeSource.system();
    PostgresBacklog backlog = PostgresBacklog.open(pg, id, null);
    DispatcherConfig config = DispatcherConfig.defaults().withWorkers(workerCount);
    ExecutorService workers = WorkerPool.create(config.workers(), "bench-worker");
    Dispatcher dispatcher =
        new Dispatcher(
            backlog,
            new NoOpTarget(),
            new Gate(limits, time.nanoTimeAt(java.time.Instant.EPOCH)),
            time,
            config,
            workers,
            new Random());
    EventIntake intake = new EventIntake(new NotificationParser(), backlog, time, dispatcher::wake);
    if (paused) {
      dispatcher.pause();
    }
    dispatcher.start();
    return new ClusterNodeUnderTest() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public AppendResult append(List<ObjectEvent> events) {
        return intake.appendEvents(events);
      }

      @Override
      public long completed() {
        return dispatcher.stats().completed();
      }

      @Override
      public boolean holdsGate() {
        return true;
      }

      @Override
      public void resume() {
        dispatcher.resume();
      }

      @Override
      public Backlog backlog() {
        return backlog;
      }

      @Override
      public void close() {
        dispatcher.close();
        workers.shutdownNow();
        backlog.close();
      }
    };
  }

  /** How long a node may take to hold the gate after start (a term, and then some). */
  Duration GATE_WAIT = Duration.ofSeconds(30);
}
