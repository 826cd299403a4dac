package dev.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice serve --config FILE} as a real operating-system process, started from the test
 * classpath, with stdout and stderr kept in files beside the config.
 */
final class SluiceServeProcess implements AutoCloseable {
  /** What Java reports for a process ended by SIGKILL: 128 + 9. */
  static final int KILLED_EXIT_CODE = 137;

  private final String name;
  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private long millisToHealthy;

  private SluiceServeProcess(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts the service and waits until its {@code /healthz} answers.
   *
   * @param name names the log files, e.g. {@code first-run}
   */
  static SluiceServeProcess start(String name, Path config, Path logDir, SluiceClient client) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = logDir.resolve(name + ".stdout");
    Path err = logDir.resolve(name + ".stderr");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx512m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "dev.sluice.cli.Main",
                    "serve",
                    "--config",
                    config.toString()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process p;
    try {
      p = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + java, e);
    }
    long startedAt = System.nanoTime();
    SluiceServeProcess started = new SluiceServeProcess(name, p, out, err);
    try {
      started.awaitHealthy(client, 30_000);
      started.millisToHealthy = (System.nanoTime() - startedAt) / 1_000_000;
    } catch (RuntimeException | Error e) {
      started.close();
      throw e;
    }
    return started;
  }

  private void awaitHealthy(SluiceClient client, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!client.healthy()) {
      if (!process.isAlive()) {
        throw new AssertionError(
            name + " exited with " + process.exitValue() + " before it was healthy\n" + output());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(name + " not healthy after " + timeoutMillis + " ms\n" + output());
      }
      pause(50);
    }
  }

  /** {@code kill -9}: ends the process at once, with no shutdown hook; returns its exit code. */
  int killHard() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " still alive 10 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name + " to die", e);
    }
    return process.exitValue();
  }

  /** What Java reports for a process ended by SIGTERM: 128 + 15. */
  static final int TERMINATED_EXIT_CODE = 143;

  /** {@code kill} (SIGTERM): the process runs its shutdown hook and ends; returns its exit code. */
  int stop(long timeoutMillis) {
    process.destroy();
    return awaitExit(timeoutMillis);
  }

  /** Waits for the process to end by itself; returns its exit code. */
  int awaitExit(long timeoutMillis) {
    try {
      if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            name + " still running after " + timeoutMillis + " ms\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name + " to end", e);
    }
    return process.exitValue();
  }

  /** What the process wrote to stderr so far. */
  String stderr() {
    return tail(stderr);
  }

  /** How long the process took from start to a healthy {@code /healthz}. */
  long millisToHealthy() {
    return millisToHealthy;
  }

  /** The operating system's id of the process. */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The process's stdout and stderr, for failure messages. */
  String output() {
    return "---- "
        + name
        + " stderr ----\n"
        + tail(stderr)
        + "---- "
        + name
        + " stdout ----\n"
        + tail(stdout);
  }

  private static String tail(Path file) {
    try {
      if (!Files.exists(file)) {
        return "(none)\n";
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.length() <= 8_000 ? text : "...\n" + text.substring(text.length() - 8_000);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")\n";
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Kills the process if it still runs, so no test leaves a service behind. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
