package dev.sluice.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.SluiceException;
import dev.sluice.core.Target;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.backlog.Pruner;
import dev.sluice.core.batch.BatchPlanner;
import dev.sluice.core.batch.BatchSettings;
import dev.sluice.core.cluster.GateFence;
import dev.sluice.core.control.ControlStore;
import dev.sluice.core.dispatch.Dispatcher;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.PartitionSharing;
import dev.sluice.core.dispatch.WorkerPool;
import dev.sluice.core.gate.Gate;
import dev.sluice.core.partition.PartitionRule;
import dev.sluice.core.time.TimeSource;
import dev.sluice.ingest.EventIntake;
import dev.sluice.ingest.SqsIntake;
import dev.sluice.intake.EventFilter;
import dev.sluice.intake.NotificationParser;
import dev.sluice.intake.SourceOptions;
import dev.sluice.s3endpoint.EmbeddedS3Config;
import dev.sluice.s3endpoint.EmbeddedS3Endpoint;
import dev.sluice.service.cluster.ClusterNode;
import dev.sluice.service.config.PostgresStoreConfig;
import dev.sluice.service.config.ProtectedMode;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.control.Operator;
import dev.sluice.service.http.HttpApi;
import dev.sluice.service.metrics.SluiceMetrics;
import dev.sluice.sources.sqs.SqsSource;
import dev.sluice.store.postgres.PostgresBacklog;
import dev.sluice.store.postgres.PostgresGateHolderStore;
import dev.sluice.store.postgres.PostgresNodeRegistry;
import dev.sluice.store.postgres.PostgresWakeups;
import dev.sluice.store.sqlite.SqliteBacklog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code sluice serve} as an object: the SQLite backlog, the gate and dispatcher, the target, the
 * embedded S3 endpoint, the SQS source and the HTTP API, started in that order and closed in
 * reverse (so the SQS source stops before the backlog closes).
 */
public final class SluiceService implements AutoCloseable {
  private final List<AutoCloseable> closeInOrder = new ArrayList<>();
  private final Sluice sluice;
  private final HttpApi api;
  private final EmbeddedS3Endpoint s3;
  private final SluiceConfig config;
  private final Operator operator;
  private final boolean restoredPaused;
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean closed;

  /** Options that are not configuration: what the CLI demo and tests vary. */
  public record Options(
      Target target,
      PrintStream stdout,
      boolean startPaused,
      Duration idlePoll,
      int pruneChunk,
      Duration pruneIdle) {

    /** Without retention tuning: the default chunk and idle wait. */
    public Options(Target target, PrintStream stdout, boolean startPaused, Duration idlePoll) {
      this(
          target,
          stdout,
          startPaused,
          idlePoll,
          Pruner.Settings.DEFAULT_CHUNK,
          Pruner.Settings.DEFAULT_IDLE);
    }

    public static Options defaults() {
      return new Options(null, System.out, false, DispatcherConfig.DEFAULT_IDLE_POLL);
    }

    public Options withTarget(Target t) {
      return new Options(t, stdout, startPaused, idlePoll, pruneChunk, pruneIdle);
    }

    public Options paused(boolean p) {
      return new Options(target, stdout, p, idlePoll, pruneChunk, pruneIdle);
    }

    /** How the background pruning works: rows per chunk, and the wait once caught up. */
    public Options withPruning(int chunk, Duration idle) {
      return new Options(target, stdout, startPaused, idlePoll, chunk, idle);
    }
  }

  private SluiceService(SluiceConfig config, Options options) {
    this.config = config;
    TimeSource time = TimeSource.system();
    ProtectedMode.refusal(config)
        .ifPresent(
            why -> {
              throw new SluiceException(why);
            });
    try {
      Files.createDirectories(config.dataDir());
      closeInOrder.add(lockDataDir(config.dataDir()));

      Backlog backlog;
      ControlStore controlStore;
      ClusterNode cluster = null;
      if (config.store().shared()) {
        PostgresStoreConfig pg = config.store().postgres();
        String nodeId = pg.nodeId() != null ? pg.nodeId() : defaultNodeId(config.dataDir());
        // The backlog's claims check the gate keeper's term; the keeper keeps it in the same
        // database, reached through the backlog's connections, so it is made just after.
        AtomicReference<GateFence> fence = new AtomicReference<>();
        PostgresBacklog shared =
            PostgresBacklog.open(
                pg.options(),
                nodeId,
                () -> fence.get() == null ? Optional.empty() : fence.get().heldTerm(),
                config.partitions().rule());
        closeInOrder.add(0, shared);
        cluster =
            new ClusterNode(
                nodeId,
                pg.gateTerm(),
                new PostgresGateHolderStore(shared.dataSource()),
                new PostgresNodeRegistry(shared.dataSource()),
                time);
        fence.set(cluster.fence());
        closeInOrder.add(0, cluster);
        // A node that starts again under its id finds its own leases abandoned; the other nodes'
        // leases are theirs until they expire.
        shared.abandonLeases(time.now());
        backlog = shared;
        controlStore = shared.controlStore();
      } else {
        SqliteBacklog file =
            SqliteBacklog.open(
                config.backlogFile(),
                config.store().sqliteOptions().withPartitionRule(config.partitions().rule()));
        closeInOrder.add(0, file);
        // One process owns this data dir (the lock above): any lease in the file belongs to a
        // process that died, and its jobs' outcomes are unknown. Release them again.
        file.abandonLeases(time.now());
        backlog = file;
        controlStore = file.controlStore();
      }

      Target target =
          options.target() != null
              ? options.target()
              : TargetFactory.create(config.target(), time, options.stdout());
      closeInOrder.add(0, target);

      DispatcherConfig dc = config.dispatcher().withIdlePoll(options.idlePoll());
      ExecutorService workers = WorkerPool.create(dc.workers(), "sluice-worker");
      Dispatcher dispatcher =
          new Dispatcher(
              backlog,
              target,
              gate(config, time),
              time,
              dc,
              workers,
              new Random(),
              config.schedule());
      closeInOrder.add(0, workers::shutdownNow);
      closeInOrder.add(0, dispatcher);
      if (config.partitions().rule().by() != PartitionRule.By.NONE) {
        // Each release step divides what the limits allow between the partitions with due events.
        dispatcher.sharePartitions(
            new PartitionSharing(config.partitions().rule(), config.partitions().shares()));
      }
      if (config.batch().batching()) {
        dispatcher.batchBy(
            new BatchPlanner(config.batch().settings(), config.batch().count()),
            config.partitions().rule());
      }
      if (cluster != null) {
        cluster.attach(dispatcher, controlStore, this::apiAddressIfServing);
        // Events another node took in wake this node's dispatcher when they commit.
        closeInOrder.add(0, PostgresWakeups.start((PostgresBacklog) backlog, dispatcher::wake));
      }
      // The limits in effect: the base limits as the capacity schedule changes them now.
      SluiceMetrics metrics =
          new SluiceMetrics(backlog, time, () -> dispatcher.capacity().limits());
      metrics.watchCapacity(dispatcher::capacity);
      dispatcher.addObserver(metrics);
      metrics.watch(dispatcher.adaptive());
      metrics.watchBatchSettings(
          () -> {
            BatchPlanner planner = dispatcher.batchPlanner();
            return planner == null ? BatchSettings.NONE : planner.settings();
          });
      if (dispatcher.partitions() != null) {
        metrics.watch(dispatcher.partitions());
      }
      if (cluster != null) {
        metrics.watch(cluster);
      }

      // Retention: deletes settled events and old releases in small chunks in the background.
      // The limits may change at runtime, so the span the gate needs is read at each chunk.
      Pruner pruner =
          new Pruner(
              backlog,
              time,
              new Pruner.Settings(
                  config.retention().dedup(),
                  config.retention().releases(),
                  options.pruneChunk(),
                  Pruner.Settings.DEFAULT_PAUSE,
                  options.pruneIdle()),
              () ->
                  SluiceConfig.releaseLogNeeded(
                      dispatcher.limits(), dispatcher.schedule(), config.dispatcher()),
              metrics::pruned,
              // several nodes on one store: the gate holder prunes for all (one node: always)
              dispatcher::holdsGate);
      closeInOrder.add(0, pruner);

      EventIntake intake =
          new EventIntake(
              new NotificationParser(config.webhook().sourceOptions()),
              backlog,
              time,
              dispatcher::wake,
              metrics);
      this.sluice = new Sluice(backlog, dispatcher, intake, target, time, metrics, cluster);
      this.operator = new Operator(sluice, controlStore);
      // A pause an operator left in force outlives the restart; the demo's own pause is not
      // recorded, since no operator asked for it.
      this.restoredPaused = operator.restore();
      if (options.startPaused()) {
        dispatcher.pause();
      }

      if (config.s3Endpoint().enabled()) {
        var s3c = config.s3Endpoint();
        EventFilter s3Filter =
            new EventFilter(
                SourceOptions.defaults("s3-endpoint")
                    .withPrefix(s3c.prefix())
                    .withSuffix(s3c.suffix()));
        this.s3 =
            EmbeddedS3Endpoint.start(
                new EmbeddedS3Config(
                    s3c.host(),
                    s3c.port(),
                    config.objectsDir(),
                    s3c.buckets(),
                    s3c.accessKey(),
                    s3c.secretKey(),
                    s3c.region()),
                events -> {
                  if (operator.draining()) {
                    throw new SluiceException("sluice is draining: it takes no new events");
                  }
                  intake.appendEvents(events, s3Filter);
                });
        closeInOrder.add(0, s3);
      } else {
        this.s3 = null;
      }

      if (config.sqsSource().enabled()) {
        SqsSource sqs =
            SqsSource.start(
                SqsClients.builder(config.sqsSource()),
                config.sqsSource().settings(),
                new SqsIntake(
                    intake,
                    new NotificationParser(
                        config.sources().sqsDecoding().sourceOptions().withSource("sqs"))));
        closeInOrder.add(0, sqs);
        // A drain takes no new events: the queue keeps them for whoever reads it next.
        // Closing waits for the poller; the drain's caller need not.
        operator.onDrain(() -> new Thread(() -> closeQuietly(sqs), "sluice-drain-sqs").start());
        metrics.watch(sqs);
      }
      operator.onDrain(() -> watchDrain(time, options.idlePoll()));

      this.api = HttpApi.start(operator, new ObjectMapper(), config.http(), config.webhookAuth());
      closeInOrder.add(0, api);
      dispatcher.start();
      if (cluster != null) {
        cluster.start();
      }
      pruner.start();
    } catch (IOException e) {
      close();
      throw new SluiceException("cannot start: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * A node id that stays the same across restarts of one node: the host name and a short digest of
   * the data directory (each node has its own, locked while it runs).
   */
  static String defaultNodeId(Path dataDir) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "node";
    }
    host = host.replaceAll("[^A-Za-z0-9._-]", "-");
    if (host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0))) {
      host = "node" + host;
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  dataDir
                      .toAbsolutePath()
                      .normalize()
                      .toString()
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String tag = java.util.HexFormat.of().formatHex(digest, 0, 4);
      String head = host.length() > 80 ? host.substring(0, 80) : host;
      return head + "-" + tag;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Aligned windows tick on wall-clock multiples of their length (on the minute for 1m). */
  private static Gate gate(SluiceConfig config, TimeSource time) {
    return new Gate(config.limits(), time.nanoTimeAt(Instant.EPOCH));
  }

  public static SluiceService start(SluiceConfig config, Options options) {
    return new SluiceService(config, options);
  }

  public static SluiceService start(SluiceConfig config) {
    return start(config, Options.defaults());
  }

  /**
   * Holds an exclusive lock on the data dir for the life of the process, so two services never
   * share one SQLite backlog (each would think the other's leases abandoned).
   */
  private static AutoCloseable lockDataDir(Path dir) throws IOException {
    Path lockFile = dir.resolve("sluice.lock");
    FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new SluiceException(
          "data-dir " + dir + " is in use by another sluice process (lock " + lockFile + ")");
    }
    return () -> {
      lock.release();
      channel.close();
    };
  }

  /**
   * Completes the {@code drained} future once the backlog holds nothing waiting and nothing in
   * flight (dead letters stay). A drain while paused waits for a resume.
   */
  private void watchDrain(TimeSource time, Duration poll) {
    Thread watcher =
        new Thread(
            () -> {
              while (!closed && !drained.isDone()) {
                try {
                  var stats = sluice.backlog().stats(time.now());
                  if (stats.waiting() == 0 && stats.leased() == 0) {
                    api.stopGracefully();
                    drained.complete(null);
                    return;
                  }
                  Thread.sleep(Math.max(10, poll.toMillis()));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                } catch (RuntimeException e) {
                  if (closed) {
                    return;
                  }
                  System.getLogger(SluiceService.class.getName())
                      .log(System.Logger.Level.WARNING, "drain watch: " + e.getMessage(), e);
                }
              }
            },
            "sluice-drain");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      System.getLogger(SluiceService.class.getName())
          .log(System.Logger.Level.WARNING, "error while closing " + c, e);
    }
  }

  public Sluice sluice() {
    return sluice;
  }

  /** Every operator action goes through here. */
  public Operator operator() {
    return operator;
  }

  /** Whether the service started paused because an operator had left it paused. */
  public boolean restoredPaused() {
    return restoredPaused;
  }

  /** Completes when a drain has finished the backlog; the caller then closes the service. */
  public CompletableFuture<Void> drained() {
    return drained;
  }

  public SluiceConfig config() {
    return config;
  }

  /** The API's address once it serves, for the node's heartbeat; null before. */
  private String apiAddressIfServing() {
    return api == null ? null : apiUrl().toString();
  }

  public URI apiUrl() {
    return URI.create("http://" + config.http().host() + ":" + api.port() + "/");
  }

  /** The embedded S3 endpoint, or null when it is disabled. */
  public URI s3Endpoint() {
    return s3 == null ? null : s3.endpoint();
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (AutoCloseable c : closeInOrder) {
      try {
        c.close();
      } catch (Exception e) {
        System.getLogger(SluiceService.class.getName())
            .log(System.Logger.Level.WARNING, "error while closing " + c, e);
      }
    }
    closeInOrder.clear();
  }
}
