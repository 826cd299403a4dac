package dev.sluice.targets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes one JSON line per job — the job's JSON (see {@link JobJson}) plus {@code "outcome":
 * "completed"} — and completes it. For demos, dry runs and piping Sluice into another tool. Lines
 * from concurrent jobs never interleave. The writer is not closed by {@link #close()}: it belongs
 * to the caller (usually it is stdout).
 */
public final class LogTarget implements Target {
  private final Writer out;

  /** A PrintStream swallows write errors; this is where to ask for them, or null for a Writer. */
  private final PrintStream errorFlag;

  /** Writes to {@code out}, flushing after every line. */
  public LogTarget(Writer out) {
    this(Objects.requireNonNull(out, "out"), null);
  }

  /** Writes UTF-8 lines to {@code out}, e.g. {@code System.out}, flushing after every line. */
  public LogTarget(PrintStream out) {
    this(new OutputStreamWriter(Objects.requireNonNull(out, "out"), StandardCharsets.UTF_8), out);
  }

  private LogTarget(Writer out, PrintStream errorFlag) {
    this.out = out;
    this.errorFlag = errorFlag;
  }

  @Override
  public Outcome deliver(Job job) {
    ObjectNode line = JobJson.toNode(job);
    line.put("outcome", "completed");
    String text = JobJson.write(line) + "\n";
    try {
      synchronized (out) {
        out.write(text);
        out.flush();
        if (errorFlag != null && errorFlag.checkError()) {
          // A closed stdout would otherwise swallow the line and we would call the job completed.
          throw new IOException("the output stream reported an error");
        }
      }
    } catch (IOException e) {
      return Outcome.retryable("cannot write job line: " + e.getMessage());
    }
    return Outcome.completed();
  }

  @Override
  public String describe() {
    return "log";
  }
}
