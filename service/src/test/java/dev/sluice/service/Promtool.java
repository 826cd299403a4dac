package dev.sluice.service;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Prometheus' own checker on {@code /metrics} output, and the output's samples as a map. */
final class Promtool {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private Promtool() {}

  /**
   * Runs {@code promtool check metrics} on the text; returns what it found wrong (empty when
   * nothing). Fails, never skips, when promtool is not installed: .ci/run installs it.
   */
  static String check(String text) throws IOException, InterruptedException {
    if (!Files.isExecutable(PROMTOOL)) {
      fail(PROMTOOL + " is missing: install the Debian package prometheus (.ci/run does)");
    }
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool did not finish");
    }
    return p.exitValue() == 0 ? output.strip() : "exit " + p.exitValue() + ": " + output;
  }

  /** Each sample line as {@code name{labels}} to its value. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return out;
  }
}
