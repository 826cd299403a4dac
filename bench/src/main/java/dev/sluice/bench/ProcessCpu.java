package dev.sluice.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * CPU time spent so far by this JVM and by a PostgreSQL server on this machine (its postmaster and
 * every process it forked: backends, WAL writer, checkpointer, autovacuum), read from {@code
 * /proc}. A process that exited in between is not counted, so the server's figure is a floor; the
 * backends of the nodes' pools live for the whole run.
 */
final class ProcessCpu {

  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private final long postmaster;

  private ProcessCpu(long postmaster) {
    this.postmaster = postmaster;
  }

  /** The server {@code jdbcUrl} points to: the parent of the backend that answers. */
  static ProcessCpu of(String jdbcUrl, String user) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      long backend = rs.getLong(1);
      return new ProcessCpu(stat(backend)[1]);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot find the PostgreSQL server's processes", e);
    }
  }

  /** Seconds of CPU (user + system) of the server's processes alive now. */
  double serverSeconds() {
    long ticks = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        long pid = Long.parseLong(p.getFileName().toString());
        try {
          long[] s = stat(pid);
          if (pid == postmaster || s[1] == postmaster) {
            ticks += s[2];
          }
        } catch (IOException | RuntimeException e) {
          // the process exited while we looked
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return ticks / TICKS_PER_SECOND;
  }

  /** Seconds of CPU this JVM has used. */
  static double jvmSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime()
        / 1e9;
  }

  /**
   * CPU seconds of this JVM's live threads, summed by name with trailing digits and dashes removed
   * (the 64 workers are one entry), largest first.
   */
  static java.util.Map<String, Double> jvmThreadSeconds() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    java.util.Map<String, Double> byName = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long nanos = threads.getThreadCpuTime(t.getThreadId());
      if (nanos > 0) {
        byName.merge(t.getThreadName().replaceAll("[-0-9]+$", ""), nanos / 1e9, Double::sum);
      }
    }
    java.util.Map<String, Double> sorted = new java.util.LinkedHashMap<>();
    byName.entrySet().stream()
        .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** {pid, ppid, utime + stime in ticks} from /proc/PID/stat. */
  private static long[] stat(long pid) throws IOException {
    String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // the command name, in parentheses, may hold spaces: fields count from after its ')'
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15
    return new long[] {pid, Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
  }
}
