package dev.sluice.cli.demo;

import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.backlog.ReleaseRecord;
import dev.sluice.core.dispatch.DispatcherConfig;
import dev.sluice.core.dispatch.RetryPolicy;
import dev.sluice.core.gate.Limits;
import dev.sluice.service.SluiceService;
import dev.sluice.service.config.ConfigException;
import dev.sluice.service.config.DurationText;
import dev.sluice.service.config.HttpConfig;
import dev.sluice.service.config.PostgresStoreConfig;
import dev.sluice.service.config.S3EndpointConfig;
import dev.sluice.service.config.SluiceConfig;
import dev.sluice.service.config.StoreConfig;
import dev.sluice.service.config.TargetConfig;
import dev.sluice.store.postgres.EmbeddedPostgresServer;
import dev.sluice.store.postgres.PostgresOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code sluice demo}: the reference architecture's scenario on one machine. A burst of objects is
 * uploaded to the embedded S3 endpoint with the AWS SDK; each becomes an event in the SQLite
 * backlog; the gate releases them to a target that reads each object back, at most N per window.
 * With {@code --nodes N}, N services share a backlog in an embedded PostgreSQL, and the limit holds
 * for all of them together.
 */
@Command(
    name = "demo",
    description = {
      "Upload a burst of objects to an embedded S3 endpoint and watch them released under a limit.",
      "Ends with the releases per window, e.g. `released per window: 50 50 15`."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final String BUCKET = "data";
  private static final int MAX_WORKERS = 5_000;

  @Option(
      names = "--objects",
      paramLabel = "N",
      description = "Objects to upload (default ${DEFAULT-VALUE}).")
  int objects = 115;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Releases per window (default ${DEFAULT-VALUE}).")
  int limit = 50;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      description = "Window length (default ${DEFAULT-VALUE}).")
  String every = "2s";

  @Option(
      names = "--live",
      description =
          "Release while the upload runs (default: the gate opens once the burst is in,"
              + " so the table shows the limit and not the upload speed).")
  boolean live;

  @Option(names = "--keep", description = "Keep the demo's data folder instead of deleting it.")
  boolean keep;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      description =
          "Nodes sharing one backlog (default ${DEFAULT-VALUE}). Above 1, an embedded PostgreSQL"
              + " holds the backlog and N services run on it: one limit for all, the total per"
              + " window the same.")
  int nodes = 1;

  /** More nodes than this would only share the same two cores. */
  static final int MAX_NODES = 9;

  /**
   * The services' own log (which node took the gate, and gave it up at the end) would interleave
   * with the demo's table, which says the same per node; held here because the logging system keeps
   * its loggers only weakly.
   */
  private static final java.util.logging.Logger SERVICE_LOG =
      java.util.logging.Logger.getLogger("dev.sluice");

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (objects < 1) {
      throw new ConfigException("--objects: must be >= 1, got " + objects);
    }
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new ConfigException("--nodes: must be between 1 and " + MAX_NODES + ", got " + nodes);
    }
    Duration window;
    try {
      window = DurationText.parse(every);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--every: " + e.getMessage());
    }
    Limits limits;
    try {
      limits = Limits.window(limit, window);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--limit/--every: " + e.getMessage());
    }

    Path dir = Files.createTempDirectory("sluice-demo-");
    AtomicReference<S3Client> reader = new AtomicReference<>();
    // A worker holds a job until the target answers, and the target (a backend with a few read
    // slots) answers at its own pace: enough workers that every object can be in flight at once,
    // so a slow backend never holds back a release the limit allows.
    int workers = Math.max(64, Math.min(objects, MAX_WORKERS));
    List<SluiceService> services = new ArrayList<>();
    EmbeddedPostgresServer postgres = null;
    try {
      String databaseUrl = null;
      if (nodes > 1) {
        SERVICE_LOG.setLevel(java.util.logging.Level.WARNING);
        postgres = EmbeddedPostgresServer.start(dir.resolve("postgres"));
        databaseUrl = postgres.createDatabase("sluice_demo");
      }
      for (int n = 1; n <= nodes; n++) {
        SluiceConfig config = nodeConfig(dir, n, limits, workers, databaseUrl);
        ReadBackTarget target =
            new ReadBackTarget(reader::get, out, objects <= 200, ReadBackTarget.DEFAULT_SLOTS);
        services.add(
            SluiceService.start(
                config, SluiceService.Options.defaults().withTarget(target).paused(!live)));
      }
      SluiceService first = services.get(0);
      try (S3Client s3 = DemoS3.client(first.s3Endpoint());
          S3Client readClient = DemoS3.client(first.s3Endpoint())) {
        reader.set(readClient);
        out.printf("sluice demo%n");
        out.printf("  embedded S3 endpoint  %s (bucket %s)%n", first.s3Endpoint(), BUCKET);
        if (nodes == 1) {
          out.printf("  backlog               %s%n", dir.resolve("node-1").resolve("backlog.db"));
          out.printf("  HTTP API              %s%n", first.apiUrl());
        } else {
          out.printf(
              "  backlog               embedded PostgreSQL on 127.0.0.1:%d, shared by %d nodes%n",
              postgres.port(), nodes);
          for (SluiceService node : services) {
            out.printf(
                "  node %-16s  HTTP API %s%n", node.sluice().cluster().nodeId(), node.apiUrl());
          }
        }
        out.printf(
            "  limit                 %d per %s (sliding window%s)%n",
            limit, DurationText.format(window), nodes > 1 ? ", for all nodes together" : "");
        out.printf("  target                %s%n%n", first.sluice().target().describe());
        if (nodes > 1) {
          awaitGateHolder(first);
        }

        Instant uploadStart = Instant.now();
        upload(s3);
        out.printf(
            "uploaded %d objects to s3://%s/data/ in %.2fs%s%n",
            objects,
            BUCKET,
            Duration.between(uploadStart, Instant.now()).toMillis() / 1000.0,
            live ? "" : "; opening the gate");
        for (SluiceService node : services) {
          node.sluice().dispatcher().resume();
        }

        watch(first);
        List<ReleaseRecord> log = releaseLog(first);
        List<Integer> released = WindowCounts.of(times(log, ReleaseRecord::releasedAt), window);
        List<Integer> reached = WindowCounts.of(times(log, ReleaseRecord::reachedAt), window);
        report(released, reached, window);
        if (nodes > 1) {
          reportNodes(services);
        }
        int dead = (int) first.sluice().backlog().stats(first.sluice().time().now()).dead();
        if (dead > 0) {
          out.printf("%d objects ended as dead letters%n", dead);
        }
        out.println("reached the target per window: " + joined(reached));
        out.println("released per window: " + joined(released));
        return dead == 0 ? 0 : 1;
      }
    } finally {
      // The nodes first (each gives the gate up and closes its connections), then the database.
      for (int i = services.size() - 1; i >= 0; i--) {
        services.get(i).close();
      }
      if (postgres != null) {
        postgres.close();
      }
      if (!keep) {
        deleteTree(dir);
      } else {
        out.println("kept " + dir);
      }
    }
  }

  /**
   * Node {@code n}'s configuration: its own data dir and API port; the first runs the embedded S3
   * endpoint the burst is uploaded to; with a database URL, every node shares that backlog.
   */
  private static SluiceConfig nodeConfig(
      Path dir, int n, Limits limits, int workers, String databaseUrl) {
    SluiceConfig config =
        new SluiceConfig(
            dir.resolve("node-" + n),
            new HttpConfig("127.0.0.1", 0, HttpConfig.DEFAULT_MAX_BODY),
            new S3EndpointConfig(n == 1, "127.0.0.1", 0, List.of(BUCKET), null, null, "us-east-1"),
            limits,
            RetryPolicy.defaults(),
            DispatcherConfig.defaults().withWorkers(workers),
            TargetConfig.log(),
            StoreConfig.defaults());
    if (databaseUrl == null) {
      return config;
    }
    return config.withStore(
        StoreConfig.postgres(
            new PostgresStoreConfig(
                PostgresOptions.of(databaseUrl, EmbeddedPostgresServer.USER, null),
                "node-" + n,
                PostgresStoreConfig.DEFAULT_GATE_TERM)));
  }

  /** Until one node holds the gate: the first term is taken within a moment of the start. */
  private static void awaitGateHolder(SluiceService node) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (node.sluice().cluster().holder().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no node took the gate within 30 s");
      }
      Thread.sleep(20);
    }
  }

  /** What each node did: only the gate's holder releases; every node could take events in. */
  private void reportNodes(List<SluiceService> services) {
    out.printf("%nper node:%n");
    for (SluiceService node : services) {
      var cluster = node.sluice().cluster();
      boolean holds = cluster.heldTerm().isPresent();
      out.printf(
          "  %-8s released %6d  completed %6d%s%n",
          cluster.nodeId(),
          node.sluice().dispatcher().stats().released(),
          node.sluice().dispatcher().stats().completed(),
          holds ? "  (holds the gate: the one node releasing)" : "");
    }
  }

  private void upload(S3Client s3) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < objects; i++) {
        String key = String.format("data/part-%05d.parquet", i);
        byte[] body =
            ("object " + i + " of a cluster job's output\n").repeat(1 + i % 40).getBytes();
        puts.add(
            pool.submit(
                () -> s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body))));
      }
      for (Future<?> f : puts) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Live progress until every object is done or dead. */
  private void watch(SluiceService service) throws InterruptedException {
    Instant start = Instant.now();
    long lastPrint = 0;
    while (true) {
      BacklogStats s = service.sluice().backlog().stats(service.sluice().time().now());
      boolean drained = s.waiting() == 0 && s.leased() == 0 && s.done() + s.dead() >= objects;
      long elapsed = Duration.between(start, Instant.now()).toMillis();
      if (drained || elapsed - lastPrint >= 500) {
        out.printf(
            "  +%5.1fs  released %6d  waiting %6d  in flight %4d  done %6d  dead %d%n",
            elapsed / 1000.0, s.releases(), s.waiting(), s.leased(), s.done(), s.dead());
        lastPrint = elapsed;
      }
      if (drained) {
        return;
      }
      Thread.sleep(50);
    }
  }

  private static List<ReleaseRecord> releaseLog(SluiceService service) {
    List<ReleaseRecord> log = new ArrayList<>();
    long after = 0;
    while (true) {
      List<ReleaseRecord> page = service.sluice().backlog().releases(Instant.EPOCH, after, 10_000);
      log.addAll(page);
      if (page.size() < 10_000) {
        return log;
      }
      after = page.get(page.size() - 1).releaseId();
    }
  }

  private static List<Instant> times(
      List<ReleaseRecord> log, Function<ReleaseRecord, Instant> time) {
    return log.stream().map(time).filter(Objects::nonNull).toList();
  }

  private static String joined(List<Integer> counts) {
    return counts.stream().map(String::valueOf).collect(Collectors.joining(" "));
  }

  /**
   * The table of releases per window, each window counted twice from the release log: by when the
   * gate let the jobs go, and by when they reached the target (windows from the first of each).
   */
  private void report(List<Integer> released, List<Integer> reached, Duration window) {
    double t = window.toMillis() / 1000.0;
    out.printf("%nper window of %s, from the release log:%n", DurationText.format(window));
    out.printf("  %-7s %-20s %8s  %s%n", "window", "from the first", "released", "reached target");
    for (int k = 0; k < Math.max(released.size(), reached.size()); k++) {
      int r = k < released.size() ? released.get(k) : 0;
      int a = k < reached.size() ? reached.get(k) : 0;
      int bar = (int) Math.round(40.0 * a / limit);
      out.printf(
          "  %-7d +%6.1fs..+%6.1fs  %8d  %6d  %s%n",
          k + 1, k * t, (k + 1) * t, r, a, "#".repeat(bar));
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
