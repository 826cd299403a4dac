package dev.sluice.targets;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.core.time.DurationFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local program once per job. The program gets the job as JSON on stdin (see {@link
 * JobJson}) and the main fields as {@code SLUICE_*} environment variables; its exit code is the
 * outcome:
 *
 * <ul>
 *   <li>0 — completed;
 *   <li>75 ({@code EX_TEMPFAIL}) — a retryable failure;
 *   <li>any other code — a permanent failure carrying the code and the end of stderr;
 *   <li>still running after the timeout — killed with its descendants, a retryable failure.
 * </ul>
 *
 * <p>The program is started directly, without a shell; use {@code ["sh", "-c", "..."]} for one. Its
 * stdout is discarded (so it can never block on a full pipe, nor mix with Sluice's own output); its
 * stderr is drained and the last {@value #STDERR_TAIL_BYTES} bytes are kept for the error message.
 *
 * <p>A batch runs one process with a JSON document listing its members on stdin; see {@link
 * #deliverBatch}.
 */
public final class CommandTarget implements Target {
  private static final System.Logger LOG = System.getLogger(CommandTarget.class.getName());

  /** Exit code from sysexits.h meaning "temporary failure, try again later". */
  public static final int EX_TEMPFAIL = 75;

  static final int STDERR_TAIL_BYTES = 2048;

  /** How long to wait for stderr's end after the process exits or is killed. */
  private static final Duration STDERR_GRACE = Duration.ofMillis(500);

  /** How long to wait for a killed process to be gone before reporting the timeout anyway. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);

  /**
   * What to run and how.
   *
   * @param command program and arguments, started without a shell
   * @param timeout how long one job may run before it is killed
   * @param workingDir the process's working directory, or null for Sluice's own
   * @param extraEnv variables added to the inherited environment (the {@code SLUICE_*} ones win)
   */
  public record Config(
      List<String> command, Duration timeout, Path workingDir, Map<String, String> extraEnv) {

    /** Used by {@link #of(List)}: long enough for real work, short enough to free a stuck slot. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    /**
     * Messages start with the field's name in the config file's {@code target:} section ({@code
     * command must ...}), so the reader can put the section in front.
     */
    public Config {
      if (command == null || command.isEmpty()) {
        throw new IllegalArgumentException("command must name a program, got nothing");
      }
      for (int i = 0; i < command.size(); i++) {
        if (command.get(i) == null) {
          throw new IllegalArgumentException("command[" + i + "] must not be null");
        }
      }
      if (command.get(0).isBlank()) {
        throw new IllegalArgumentException("command[0] (the program) must not be blank");
      }
      command = List.copyOf(command);
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "timeout must be a positive duration, got " + DurationFormat.format(timeout));
      }
      extraEnv = extraEnv == null ? Map.of() : Map.copyOf(extraEnv);
    }

    /** The command with the default timeout, Sluice's working directory and no extra variables. */
    public static Config of(List<String> command) {
      return new Config(command, DEFAULT_TIMEOUT, null, Map.of());
    }
  }

  private final Config config;

  public CommandTarget(Config config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public Outcome deliver(Job job) {
    return deliver(job, Arrival.IGNORED);
  }

  /** The job has reached the target once its process exists: limits count from then. */
  @Override
  public Outcome deliver(Job job, Arrival arrival) {
    ProcessBuilder builder = processWith(jobVariables(job));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return run(builder, JobJson.toJson(job), arrival, "event " + job.eventId()).outcome();
  }

  /**
   * One process for the whole batch: the batch's document ({@link BatchJson}, its members under
   * {@code items}) on stdin, {@code SLUICE_BATCH}, {@code SLUICE_BATCH_SIZE}, {@code
   * SLUICE_PARTITION} and {@code SLUICE_ATTEMPT} in the environment. The exit code is the outcome
   * of every member as for one job; on exit 0, a last line of stdout that is a JSON object with
   * {@code batchItemFailures} names the members that failed ({@link BatchItemFailures}), and only
   * they are retried. Stdout is read (its last {@value #STDOUT_TAIL_BYTES} bytes kept) only for
   * batches.
   */
  @Override
  public BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("SLUICE_BATCH", batch.idempotencyKey());
    vars.put("SLUICE_BATCH_SIZE", Integer.toString(batch.size()));
    vars.put("SLUICE_PARTITION", batch.partition());
    vars.put("SLUICE_ATTEMPT", Integer.toString(batch.attempt()));
    ProcessBuilder builder = processWith(vars);
    Result result =
        run(builder, BatchJson.toJson(batch), arrival, "batch " + batch.idempotencyKey());
    if (!(result.outcome() instanceof Outcome.Completed) || result.stdout() == null) {
      return BatchOutcome.all(result.outcome());
    }
    return BatchItemFailures.read(batch, lastLine(result.stdout()), describe());
  }

  /** How much of a batch process's stdout is kept for its partial-failure answer. */
  static final int STDOUT_TAIL_BYTES = 1 << 20;

  /** A process's outcome, and the end of its stdout when it was read. */
  private record Result(Outcome outcome, String stdout) {}

  private Result run(ProcessBuilder builder, String stdinText, Arrival arrival, String what) {
    boolean readStdout = builder.redirectOutput() != ProcessBuilder.Redirect.DISCARD;
    Process process;
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      // The outcome (and so the release log) keeps the message; the log keeps the stack trace.
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot start command '" + config.command().get(0) + "' for " + what,
          e);
      return new Result(
          Outcome.permanent(
              "cannot start command '" + config.command().get(0) + "': " + e.getMessage()),
          null);
    }
    arrival.arrived();
    StreamTail stderr =
        StreamTail.drain(
            process.getErrorStream(), STDERR_TAIL_BYTES, "sluice-command-stderr-" + process.pid());
    StreamTail stdout =
        readStdout
            ? StreamTail.drain(
                process.getInputStream(),
                STDOUT_TAIL_BYTES,
                "sluice-command-stdout-" + process.pid())
            : null;
    writeStdin(process, stdinText);
    try {
      if (!process.waitFor(config.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        kill(process);
        return new Result(
            Outcome.retryable(
                "timed out after " + config.timeout().toMillis() + " ms: " + describe()),
            null);
      }
      stderr.awaitEnd(STDERR_GRACE);
      if (stdout != null) {
        stdout.awaitEnd(STDERR_GRACE);
      }
    } catch (InterruptedException e) {
      // The dispatcher is shutting down: do not leave the child behind, and keep the interrupt.
      kill(process);
      Thread.currentThread().interrupt();
      return new Result(Outcome.retryable("interrupted while waiting for " + describe()), null);
    }
    return new Result(
        outcomeOf(process.exitValue(), stderr.text()), stdout == null ? null : stdout.text());
  }

  private static String lastLine(String text) {
    String stripped = text.strip();
    return stripped.substring(stripped.lastIndexOf('\n') + 1).strip();
  }

  private ProcessBuilder processWith(Map<String, String> variables) {
    ProcessBuilder builder = new ProcessBuilder(config.command());
    if (config.workingDir() != null) {
      builder.directory(config.workingDir().toFile());
    }
    Map<String, String> env = builder.environment();
    env.putAll(config.extraEnv());
    variables.forEach(
        (name, value) -> {
          // Unset, not inherited: a stale SLUICE_ETAG from elsewhere would lie.
          if (value == null) {
            env.remove(name);
          } else {
            env.put(name, value);
          }
        });
    return builder;
  }

  private static Map<String, String> jobVariables(Job job) {
    ObjectEvent event = job.event();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("SLUICE_BUCKET", event.bucket());
    vars.put("SLUICE_KEY", event.key());
    vars.put("SLUICE_SIZE", event.size() == null ? null : event.size().toString());
    vars.put("SLUICE_ETAG", event.eTag());
    vars.put("SLUICE_VERSION_ID", event.versionId());
    vars.put("SLUICE_EVENT_NAME", event.eventName());
    vars.put("SLUICE_ATTEMPT", Integer.toString(job.attempt()));
    vars.put("SLUICE_IDEMPOTENCY_KEY", job.idempotencyKey());
    vars.put("SLUICE_EVENT_ID", Long.toString(job.eventId()));
    vars.put("SLUICE_RELEASE_ID", Long.toString(job.releaseId()));
    return vars;
  }

  private static void writeStdin(Process process, String text) {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= SMALL_STDIN_BYTES) {
      // One job's document is a few KB at most (S3 keys are <= 1 KB), well under a pipe's buffer,
      // so this write cannot block even if the child never reads.
      writeAll(process, bytes);
      return;
    }
    // A batch's document can outgrow the pipe: written by a thread of its own, so a child that
    // never reads stdin still ends by its exit or its timeout, not by a blocked write.
    Thread writer =
        new Thread(() -> writeAll(process, bytes), "sluice-command-stdin-" + process.pid());
    writer.setDaemon(true);
    writer.start();
  }

  /** Most bytes written to stdin on the calling thread: well under any pipe buffer (64 KB). */
  private static final int SMALL_STDIN_BYTES = 16 * 1024;

  private static void writeAll(Process process, byte[] bytes) {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(bytes);
    } catch (IOException e) {
      // The child exited or closed stdin without reading it; its exit code still decides.
    }
  }

  private static void kill(Process process) {
    // Take the descendants before killing the child: once it is gone they are re-parented and no
    // longer findable. Killing the child first stops it from starting new ones.
    List<ProcessHandle> descendants = process.descendants().toList();
    // The signal alone first: Process.destroyForcibly also closes stdin, which waits for a writer
    // blocked on a full pipe, and a grandchild keeps that pipe open until it is killed too.
    process.toHandle().destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(KILL_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Outcome outcomeOf(int exitCode, String stderrTail) {
    if (exitCode == 0) {
      return Outcome.completed();
    }
    String error = "command exited with " + exitCode;
    if (exitCode == EX_TEMPFAIL) {
      error += " (EX_TEMPFAIL)";
    }
    if (!stderrTail.isEmpty()) {
      error += "; stderr: " + stderrTail;
    }
    return exitCode == EX_TEMPFAIL ? Outcome.retryable(error) : Outcome.permanent(error);
  }

  @Override
  public String describe() {
    return "command " + String.join(" ", config.command());
  }
}
