package dev.sluice.bench;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.BacklogStats;
import dev.sluice.core.gate.Limits;
import dev.sluice.store.postgres.EmbeddedPostgresServer;
import dev.sluice.store.postgres.PostgresOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Several nodes on one Postgres: an embedded PostgreSQL server, then {@code --nodes} real {@code
 * sluice serve} nodes in this process, each with its own data dir, 1,024 workers and a no-op
 * target, sharing one database. Producer threads append batches of 1,000 events (built before the
 * clock starts) through the nodes' intakes, spread over the nodes, while the node holding the gate
 * releases them. Prints figures, asserts nothing.
 *
 * <p>Why 1,024 workers: a claim takes at most as many events as there are free workers, and each
 * claim is a durable commit (a few milliseconds with fsync on), so with the default 64 one node
 * claims 64 events per commit and stops near 13,000 events/s whatever the statements cost. A no-op
 * target frees a worker at once; a real one keeps it for its answer, so a user sizes {@code
 * dispatcher.workers} to the target's latency times the rate wanted.
 *
 * <pre>
 * ClusterBenchmark [end-to-end|fill-then-drain] [--nodes 1] [--events 200000]
 *                  [--limit none|window] [--producers 3] [--pool 8] [--workers 1024] [--unfenced]
 *                  [--statements]
 *                  [--server durable|embedded] [--synchronous-commit on|off] [--warmup 20000]
 * </pre>
 *
 * <p>{@code end-to-end} times the first append to the moment every event is completed and its
 * settlement committed. {@code fill-then-drain} starts the nodes paused, times the appends alone,
 * then resumes and times the drain alone. {@code --limit window} sets a window of 10,000,000 per 1s
 * on every node: the gate counts each release against it, and it never binds. {@code --unfenced}
 * (one node) runs the same backlog, gate and dispatcher without the cluster wiring: no gate holder,
 * no fence in the claims, no heartbeat. {@code --synchronous-commit on} (the default, and Postgres'
 * own default) makes every commit wait for its WAL flush; the embedded server starts with it off,
 * so the benchmark's database sets it back on.
 *
 * <p>The last line is one {@code RESULT key=value ...} line for {@code bench/run-cluster.sh}.
 */
public final class ClusterBenchmark {

  private static final int APPEND_BATCH = 1_000;

  /** Far above what this machine reaches: the gate counts every release, and never refuses. */
  static final Limits WINDOW_THAT_NEVER_BINDS = Limits.window(10_000_000, Duration.ofSeconds(1));

  private ClusterBenchmark() {}

  private record Settings(
      String phase,
      int nodes,
      int events,
      boolean window,
      int producers,
      int pool,
      boolean unfenced,
      boolean synchronousCommit,
      int warmup,
      boolean durable,
      int workers,
      boolean statements) {

    Limits limits() {
      return window ? WINDOW_THAT_NEVER_BINDS : Limits.none();
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "%s, %d node%s%s, %,d events, limit %s, %d producers (batches of %,d),"
              + " pool %d per node, %d workers per node, synchronous_commit %s, %s server",
          phase,
          nodes,
          nodes == 1 ? "" : "s",
          unfenced ? " (unfenced)" : "",
          events,
          window ? "window 10,000,000 per 1s" : "none",
          producers,
          APPEND_BATCH,
          pool,
          workers,
          synchronousCommit ? "on" : "off",
          durable ? "durable (fsync on)" : "embedded (fsync off)");
    }
  }

  public static void main(String[] args) throws Exception {
    String phase = "end-to-end";
    int nodes = 1;
    int events = 200_000;
    boolean window = false;
    int producers = 3;
    int pool = PostgresOptions.DEFAULT_POOL_SIZE;
    boolean unfenced = false;
    boolean synchronousCommit = true;
    int warmup = 20_000;
    boolean durable = true;
    int workers = 1024;
    boolean statements = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--limit" -> {
          String limit = args[++i];
          if (!limit.equals("none") && !limit.equals("window")) {
            throw new IllegalArgumentException("--limit none|window, got " + limit);
          }
          window = limit.equals("window");
        }
        case "--producers" -> producers = Integer.parseInt(args[++i]);
        case "--pool" -> pool = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--unfenced" -> unfenced = true;
        case "--statements" -> statements = true;
        case "--synchronous-commit" -> synchronousCommit = args[++i].equals("on");
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--server" -> {
          String server = args[++i];
          if (!server.equals("durable") && !server.equals("embedded")) {
            throw new IllegalArgumentException("--server durable|embedded, got " + server);
          }
          durable = server.equals("durable");
        }
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + a);
          }
          phase = a;
        }
      }
    }
    if (!phase.equals("end-to-end") && !phase.equals("fill-then-drain")) {
      throw new IllegalArgumentException(
          "unknown phase " + phase + " (end-to-end, fill-then-drain)");
    }
    if (nodes < 1 || (unfenced && nodes != 1)) {
      throw new IllegalArgumentException("--nodes must be >= 1, and 1 with --unfenced");
    }
    Settings s =
        new Settings(
            phase,
            nodes,
            events,
            window,
            producers,
            pool,
            unfenced,
            synchronousCommit,
            warmup,
            durable,
            workers,
            statements);
    String loadAtStart = loadAverage();
    System.out.println("cluster: " + s.describe());
    System.out.println("  load average at start: " + loadAtStart);
    AutoCloseable server;
    UnaryOperator<String> createDatabase;
    if (durable) {
      DurablePostgres pg = DurablePostgres.start(statements);
      server = pg;
      createDatabase = pg::createDatabase;
    } else {
      EmbeddedPostgresServer pg = EmbeddedPostgresServer.start();
      server = pg;
      createDatabase = pg::createDatabase;
    }
    try (server) {
      if (warmup > 0) {
        // A throwaway run on its own database: the JIT compiles the intake, claim and settle paths
        // before the measured run instead of during it.
        Settings w =
            new Settings(
                "end-to-end",
                nodes,
                warmup,
                window,
                producers,
                pool,
                unfenced,
                synchronousCommit,
                0,
                durable,
                workers,
                false);
        runOnce(createDatabase, "warmup", w, false);
      }
      runOnce(createDatabase, "cluster_bench", s, true);
    }
  }

  private static void runOnce(
      UnaryOperator<String> createDatabase, String database, Settings s, boolean report)
      throws Exception {
    String url = createDatabase.apply(database);
    String settings = configureDatabase(url, database, s.synchronousCommit());
    if (report) {
      System.out.println("  postgres: " + settings);
    }
    if (s.statements()) {
      sql(url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      sql(url, "SELECT pg_stat_statements_reset()");
    }
    ProcessCpu cpu = ProcessCpu.of(url, EmbeddedPostgresServer.USER);
    PostgresOptions pg =
        PostgresOptions.of(url, EmbeddedPostgresServer.USER, null).withPoolSize(s.pool());
    Path dirs = Files.createTempDirectory("sluice-cluster-bench");
    boolean paused = s.phase().equals("fill-then-drain");
    List<ClusterNodeUnderTest> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < s.nodes(); i++) {
        String id = "node-" + (i + 1);
        nodes.add(
            s.unfenced()
                ? ClusterNodeUnderTest.unfenced(id, pg, s.limits(), s.workers(), paused)
                : ClusterNodeUnderTest.service(
                    id, pg, dirs.resolve(id), s.limits(), s.workers(), paused));
      }
      awaitHolder(nodes);
      if (paused) {
        fillThenDrain(nodes, s, cpu, report);
      } else {
        endToEnd(nodes, s, cpu, report);
      }
      if (report) {
        printAutovacuum(url);
      }
      if (s.statements() && report) {
        printStatements(url, s.events());
      }
    } finally {
      for (ClusterNodeUnderTest n : nodes) {
        n.close();
      }
    }
  }

  private static void endToEnd(
      List<ClusterNodeUnderTest> nodes, Settings s, ProcessCpu cpu, boolean report)
      throws Exception {
    List<List<ObjectEvent>> batches = batches(s);
    long before = completed(nodes);
    CpuMark mark = CpuMark.now(cpu);
    long start = System.nanoTime();
    long appended = produce(nodes, s, batches);
    long completedThen = completed(nodes) - before;
    long done = awaitCompleted(nodes, before + s.events());
    CpuUse use = mark.since(cpu, s.events(), done - start);
    if (!report) {
      return;
    }
    String rate =
        Figures.rate("  end to end (first append to last settle)", s.events(), done - start);
    System.out.println(rate);
    System.out.printf(
        "  the producers took %.2f s (%s); %,d were completed by then%n",
        (appended - start) / 1e9, perSecond(s.events(), appended - start), completedThen);
    ProcessMemory memory = ProcessMemory.read();
    String loadAtEnd = loadAverage();
    printNodes(nodes);
    System.out.printf(
        "  JVM (all nodes) VmRSS %.1f MiB, VmHWM %.1f MiB%n", memory.rssMib(), memory.peakRssMib());
    System.out.println("  load average at end: " + loadAtEnd);
    System.out.println(
        result(s)
            + String.format(
                Locale.ROOT,
                " rate=%.0f append_rate=%.0f hwm_mib=%.1f load_end=%s %s",
                s.events() / ((done - start) / 1e9),
                s.events() / ((appended - start) / 1e9),
                memory.peakRssMib(),
                loadAtEnd.split(" ")[0],
                use.keyValues("")));
  }

  private static void fillThenDrain(
      List<ClusterNodeUnderTest> nodes, Settings s, ProcessCpu cpu, boolean report)
      throws Exception {
    List<List<ObjectEvent>> batches = batches(s);
    CpuMark fillMark = CpuMark.now(cpu);
    long start = System.nanoTime();
    long filled = produce(nodes, s, batches);
    CpuUse fillUse = fillMark.since(cpu, s.events(), System.nanoTime() - start);
    BacklogStats full = nodes.get(0).backlog().stats(Instant.now());
    ProcessMemory memory = ProcessMemory.read();
    CpuMark drainMark = CpuMark.now(cpu);
    long drainStart = System.nanoTime();
    for (ClusterNodeUnderTest n : nodes) {
      n.resume();
    }
    long drained = awaitCompleted(nodes, s.events());
    CpuUse drainUse = drainMark.since(cpu, s.events(), drained - drainStart);
    if (!report) {
      return;
    }
    System.out.println(Figures.rate("  append only", s.events(), filled - start));
    System.out.println("  CPU, append only: " + fillUse);
    System.out.printf(
        "  with %,d waiting: VmRSS %.1f MiB, VmHWM %.1f MiB%n",
        full.waiting(), memory.rssMib(), memory.peakRssMib());
    System.out.println(Figures.rate("  drain only", s.events(), drained - drainStart));
    System.out.println("  CPU, drain only: " + drainUse);
    ProcessMemory end = ProcessMemory.read();
    String loadAtEnd = loadAverage();
    printNodes(nodes);
    System.out.printf("  JVM (all nodes) VmHWM at the end %.1f MiB%n", end.peakRssMib());
    System.out.println("  load average at end: " + loadAtEnd);
    System.out.println(
        result(s)
            + String.format(
                Locale.ROOT,
                " append_rate=%.0f drain_rate=%.0f hwm_mib=%.1f load_end=%s %s %s",
                s.events() / ((filled - start) / 1e9),
                s.events() / ((drained - drainStart) / 1e9),
                end.peakRssMib(),
                loadAtEnd.split(" ")[0],
                fillUse.keyValues("append_"),
                drainUse.keyValues("drain_")));
  }

  /** CPU seconds of the server and of this JVM at one instant. */
  private record CpuMark(double server, double jvm) {
    static CpuMark now(ProcessCpu cpu) {
      return new CpuMark(cpu.serverSeconds(), ProcessCpu.jvmSeconds());
    }

    CpuUse since(ProcessCpu cpu, long events, long wallNanos) {
      CpuMark end = now(cpu);
      return new CpuUse(end.server - server, end.jvm - jvm, wallNanos / 1e9, events);
    }
  }

  /** CPU spent on a stretch of the run, by the Postgres server and by the JVM (all nodes). */
  private record CpuUse(double server, double jvm, double wall, long events) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "postgres %.1f s, JVM %.1f s over %.1f s wall (%.2f of the 2 cores busy with this run);"
              + " per 1,000 events: postgres %.0f ms, JVM %.0f ms",
          server,
          jvm,
          wall,
          (server + jvm) / wall,
          server * 1e6 / events,
          jvm * 1e6 / events);
    }

    String keyValues(String prefix) {
      return String.format(
          Locale.ROOT,
          "%spg_ms_per_k=%.0f %sjvm_ms_per_k=%.0f %scores=%.2f",
          prefix,
          server * 1e6 / events,
          prefix,
          jvm * 1e6 / events,
          prefix,
          (server + jvm) / wall);
    }
  }

  private static String result(Settings s) {
    return String.format(
        Locale.ROOT,
        "RESULT phase=%s nodes=%d limit=%s unfenced=%s events=%d",
        s.phase(),
        s.nodes(),
        s.window() ? "window" : "none",
        s.unfenced(),
        s.events());
  }

  /**
   * The run's events in batches of {@link #APPEND_BATCH}, built before the clock starts: what is
   * timed is what Sluice does with events, not the benchmark formatting their keys.
   */
  private static List<List<ObjectEvent>> batches(Settings s) {
    List<List<ObjectEvent>> batches = new ArrayList<>();
    for (long from = 0; from < s.events(); from += APPEND_BATCH) {
      batches.add(BenchEvents.numbered(from, (int) Math.min(APPEND_BATCH, s.events() - from)));
    }
    return batches;
  }

  /**
   * Producer p appends batches p, p + producers, ... to node p mod nodes, all starting together;
   * returns System.nanoTime() when the last append has returned.
   */
  private static long produce(
      List<ClusterNodeUnderTest> nodes, Settings s, List<List<ObjectEvent>> prebuilt)
      throws Exception {
    int batches = prebuilt.size();
    CountDownLatch go = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong accepted = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < s.producers(); p++) {
      int producer = p;
      ClusterNodeUnderTest node = nodes.get(p % nodes.size());
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                  for (int b = producer; b < batches; b += s.producers()) {
                    accepted.addAndGet(node.append(prebuilt.get(b)).accepted());
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-producer-" + p);
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long end = System.nanoTime();
    if (failure.get() != null) {
      throw new IllegalStateException("a producer failed", failure.get());
    }
    if (accepted.get() != s.events()) {
      throw new IllegalStateException(
          "accepted " + accepted.get() + " of " + s.events() + " (duplicates?)");
    }
    return end;
  }

  private static long completed(List<ClusterNodeUnderTest> nodes) {
    long sum = 0;
    for (ClusterNodeUnderTest n : nodes) {
      sum += n.completed();
    }
    return sum;
  }

  /** Waits until the nodes together completed {@code count}; returns System.nanoTime() then. */
  private static long awaitCompleted(List<ClusterNodeUnderTest> nodes, long count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
    while (completed(nodes) < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + completed(nodes) + " of " + count + " completed after 15 minutes");
      }
      Thread.sleep(1);
    }
    return System.nanoTime();
  }

  private static void awaitHolder(List<ClusterNodeUnderTest> nodes) throws InterruptedException {
    long deadline = System.nanoTime() + ClusterNodeUnderTest.GATE_WAIT.toNanos();
    while (nodes.stream().noneMatch(ClusterNodeUnderTest::holdsGate)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no node holds the gate after " + ClusterNodeUnderTest.GATE_WAIT);
      }
      Thread.sleep(5);
    }
  }

  private static void printNodes(List<ClusterNodeUnderTest> nodes) {
    StringBuilder threads = new StringBuilder("  JVM CPU by thread since start (s):");
    ProcessCpu.jvmThreadSeconds().entrySet().stream()
        .limit(8)
        .forEach(
            e -> threads.append(String.format(Locale.ROOT, " %s %.1f,", e.getKey(), e.getValue())));
    System.out.println(threads.substring(0, threads.length() - 1));
    for (ClusterNodeUnderTest n : nodes) {
      System.out.printf(
          "  %s: %s, completed %,d%n",
          n.id(), n.holdsGate() ? "holds the gate" : "intake only", n.completed());
    }
    BacklogStats stats = nodes.get(0).backlog().stats(Instant.now());
    System.out.printf(
        "  shared backlog: done %,d, waiting %,d, leased %,d, dead %,d, releases %,d%n",
        stats.done(), stats.waiting(), stats.leased(), stats.dead(), stats.releases());
  }

  /**
   * Sets {@code synchronous_commit} for every new session on the database (a database setting
   * overrides the server's command line, where the embedded server turns it off), then reads back
   * what a new session gets.
   */
  private static String configureDatabase(String url, String database, boolean synchronousCommit)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, null);
        Statement st = c.createStatement()) {
      st.execute(
          "ALTER DATABASE "
              + database
              + " SET synchronous_commit = "
              + (synchronousCommit ? "on" : "off"));
    }
    try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, null);
        Statement st = c.createStatement()) {
      List<String> shown = new ArrayList<>();
      for (String name :
          List.of(
              "server_version",
              "synchronous_commit",
              "fsync",
              "wal_sync_method",
              "full_page_writes",
              "shared_buffers",
              "max_connections")) {
        try (ResultSet rs = st.executeQuery("SHOW " + name)) {
          rs.next();
          shown.add(name + "=" + rs.getString(1));
        }
      }
      return String.join(", ", shown);
    }
  }

  private static void sql(String url, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, null);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  /**
   * Where the server's time went, statement by statement. A commit's WAL flush happens after its
   * COMMIT statement has run, so it is in no statement's time.
   */
  /**
   * Autovacuum and checkpoints run when their thresholds say, not when the benchmark does: a run
   * during which the events table was vacuumed, or a checkpoint made every page's next change log a
   * full page image, pays for it (more Postgres CPU per event). Read after the run.
   */
  private static void printAutovacuum(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, null);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT relname, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables"
                    + " WHERE relname IN ('events', 'releases') ORDER BY relname")) {
      StringBuilder line = new StringBuilder("  autovacuum during the run:");
      while (rs.next()) {
        line.append(
            String.format(
                " %s %d vacuum(s), %d analyze(s);", rs.getString(1), rs.getLong(2), rs.getLong(3)));
      }
      try (ResultSet cp =
          st.executeQuery("SELECT num_timed + num_requested FROM pg_stat_checkpointer")) {
        cp.next();
        // server-wide, since the server started (the warm-up's database included)
        line.append(" checkpoints since the server started: ").append(cp.getLong(1));
      }
      System.out.println(line);
    }
  }

  private static void printStatements(String url, long events) throws SQLException {
    String query =
        "SELECT calls, rows, total_exec_time, mean_exec_time,"
            + " regexp_replace(left(query, 70), '\\s+', ' ', 'g'),"
            + " shared_blks_hit + shared_blks_read, shared_blks_dirtied, wal_bytes"
            + " FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
            + " ORDER BY total_exec_time DESC LIMIT 14";
    try (Connection c = DriverManager.getConnection(url, EmbeddedPostgresServer.USER, null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      System.out.println(
          "  server time by statement (pg_stat_statements; ms per 1,000 events, calls, rows,"
              + " mean ms; per event: buffers touched, buffers dirtied, WAL bytes):");
      while (rs.next()) {
        System.out.printf(
            Locale.ROOT,
            "    %7.1f ms %8d calls %9d rows %7.3f ms %6.1f buf %6.2f dirty %7.0f wal  %s%n",
            rs.getDouble(3) * 1000 / events,
            rs.getLong(1),
            rs.getLong(2),
            rs.getDouble(4),
            rs.getDouble(6) / events,
            rs.getDouble(7) / events,
            rs.getDouble(8) / events,
            rs.getString(5));
      }
    }
  }

  private static String perSecond(long events, long nanos) {
    return String.format("%,.0f events/s", events / (nanos / 1e9));
  }

  /** The 1-, 5- and 15-minute load averages, as {@code uptime} shows them. */
  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
