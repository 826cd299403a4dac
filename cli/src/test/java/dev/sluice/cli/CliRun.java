package dev.sluice.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs {@link Main#run} as a user would, with System.out and System.err captured, and gives back
 * the exit code and both outputs.
 *
 * @param exitCode what Main.run returned
 * @param out what the command printed on stdout
 * @param err what it printed on stderr
 */
record CliRun(int exitCode, String out, String err) {

  static synchronized CliRun of(String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      code = Main.run(args);
      o.flush();
      e.flush();
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The lines of stdout, without the empty last one. */
  List<String> outLines() {
    return out.lines().toList();
  }

  /** The lines of stderr. */
  List<String> errLines() {
    return err.lines().toList();
  }
}
