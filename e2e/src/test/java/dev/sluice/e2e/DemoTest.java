package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's first command, as a user runs it: the last line is the exact line. */
class DemoTest {

  private record Run(int exitCode, List<String> lines) {
    String lastLine() {
      return lines.get(lines.size() - 1);
    }
  }

  private static Run demo(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      String[] all = new String[args.length + 1];
      all[0] = "demo";
      System.arraycopy(args, 0, all, 1, args.length);
      code = Main.run(all);
    } finally {
      System.setOut(saved);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    saved.print(text);
    return new Run(code, text.lines().filter(l -> !l.isBlank()).toList());
  }

  @Test
  void demo_withDefaults_releases115As50Then50Then15() {
    Run run = demo();

    assertThat(run.exitCode()).isZero();
    assertThat(run.lastLine()).isEqualTo("released per window: 50 50 15");
    assertThat(run.lines()).contains("reached the target per window: 50 50 15");
    // The target read every object back: one line per object with its size and ETag.
    assertThat(run.lines())
        .filteredOn(l -> l.startsWith("  read s3://data/data/part-"))
        .hasSize(115);
  }

  @Test
  void demo_with3000ObjectsAt1000PerSecond_releases1000PerWindow() {
    Run run = demo("--objects", "3000", "--limit", "1000", "--every", "1s");

    assertThat(run.exitCode()).isZero();
    assertThat(run.lastLine()).isEqualTo("released per window: 1000 1000 1000");
    // Judged where the target sees them, too: the windows counted from the first arrival.
    assertThat(run.lines()).contains("reached the target per window: 1000 1000 1000");
  }

  @Test
  void demo_withThreeNodes_releasesTheSameLineForAllNodesTogether() {
    Run run = demo("--nodes", "3");

    assertThat(run.exitCode()).isZero();
    assertThat(run.lastLine()).isEqualTo("released per window: 50 50 15");
    assertThat(run.lines()).contains("reached the target per window: 50 50 15");
    assertThat(run.lines())
        .filteredOn(l -> l.startsWith("  read s3://data/data/part-"))
        .hasSize(115);
    // One line per node; their releases add up to the burst, all by the node holding the gate.
    List<String> perNode =
        run.lines().stream().filter(l -> l.matches("  node-\\d +released .*")).toList();
    assertThat(perNode).hasSize(3);
    int total = 0;
    for (String line : perNode) {
      total += Integer.parseInt(line.replaceAll("^  node-\\d +released +(\\d+) .*$", "$1"));
    }
    assertThat(total).isEqualTo(115);
    assertThat(perNode).filteredOn(l -> l.contains("holds the gate")).hasSize(1);
  }

  @Test
  void demo_withBadDuration_failsWithOneLine() {
    PrintStream savedErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setErr(e);
      code = Main.run("demo", "--every", "soon");
    } finally {
      System.setErr(savedErr);
    }
    assertThat(code).isNotZero();
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("sluice: --every:");
  }
}
