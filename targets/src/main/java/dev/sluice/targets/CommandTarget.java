package dev.sluice.targets;

import dev.sluice.core.Job;
import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
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
    Process process;
    try {
      process = processFor(job).start();
    } catch (IOException | RuntimeException e) {
      // The outcome (and so the release log) keeps the message; the log keeps the stack trace.
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot start command '" + config.command().get(0) + "' for event " + job.eventId(),
          e);
      return Outcome.permanent(
          "cannot start command '" + config.command().get(0) + "': " + e.getMessage());
    }
    arrival.arrived();
    StreamTail stderr =
        StreamTail.drain(
            process.getErrorStream(), STDERR_TAIL_BYTES, "sluice-command-stderr-" + process.pid());
    writeStdin(process, job);
    try {
      if (!process.waitFor(config.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        kill(process);
        return Outcome.retryable(
            "timed out after " + config.timeout().toMillis() + " ms: " + describe());
      }
      stderr.awaitEnd(STDERR_GRACE);
    } catch (InterruptedException e) {
      // The dispatcher is shutting down: do not leave the child behind, and keep the interrupt.
      kill(process);
      Thread.currentThread().interrupt();
      return Outcome.retryable("interrupted while waiting for " + describe());
    }
    return outcomeOf(process.exitValue(), stderr.text());
  }

  private ProcessBuilder processFor(Job job) {
    ProcessBuilder builder = new ProcessBuilder(config.command());
    if (config.workingDir() != null) {
      builder.directory(config.workingDir().toFile());
    }
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.putAll(config.extraEnv());
    jobVariables(job)
        .forEach(
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

  private static void writeStdin(Process process, Job job) {
    // The document is a few KB at most (S3 keys are <= 1 KB), well under a pipe's buffer, so this
    // write cannot block even if the child never reads.
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(JobJson.toJson(job).getBytes(StandardCharsets.UTF_8));
      stdin.write('\n');
    } catch (IOException e) {
      // The child exited or closed stdin without reading it; its exit code still decides.
    }
  }

  private static void kill(Process process) {
    // Take the descendants before killing the child: once it is gone they are re-parented and no
    // longer findable. Killing the child first stops it from starting new ones.
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
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
