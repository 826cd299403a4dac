package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the user sees when a command cannot do its work: one line and a non-zero exit. */
class CliErrorsTest {
  @TempDir Path dir;

  @Test
  void status_whenNothingListens_failsWithOneLineAndExit1() throws IOException {
    int freePort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + freePort;

    CliRun run = CliRun.of("status", "--url", url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).startsWith("sluice: ").contains("127.0.0.1:" + freePort);
  }

  @Test
  void status_whenOptionUnknown_exitsNonZero() {
    CliRun run = CliRun.of("status", "--colour", "blue");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("--colour");
  }

  @Test
  void deadRedrive_whenIdIsNotANumber_pointsAtTheSubcommandsHelp() {
    CliRun run = CliRun.of("dead", "redrive", "abc");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("'abc'");
    assertThat(run.errLines()).contains("(see `sluice dead redrive --help`)");
  }

  @Test
  void main_whenCommandUnknown_exitsNonZero() {
    CliRun run = CliRun.of("stauts");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("stauts");
  }

  @Test
  void serve_whenConfigHasABadValue_exitsNonZeroWithOneLineNamingTheKey() throws IOException {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(
        config,
        "data-dir: "
            + dir.resolve("data")
            + "\n"
            + "http: { port: 0 }\n"
            + "s3-endpoint: { enabled: false }\n"
            + "limits:\n  window: { limit: -5, every: 1m }\n");

    CliRun run = CliRun.of("serve", "--config", config.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errLines()).containsExactly("sluice: limits.window.limit: must be > 0, got -5");
    // Nothing was started: the data dir was never created.
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void serve_whenConfigKeyUnknown_exitsNonZeroWithOneLineNamingTheKey() throws IOException {
    Path config = dir.resolve("typo.yaml");
    Files.writeString(config, "limits:\n  window: { limit: 5, evry: 1m }\n");

    CliRun run = CliRun.of("serve", "--config", config.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("evry").contains("limits.window");
  }

  @Test
  void serve_whenConfigFileMissing_exitsNonZeroWithOneLineNamingTheFile() {
    Path missing = dir.resolve("nowhere.yaml");

    CliRun run = CliRun.of("serve", "--config", missing.toString());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.errLines()).containsExactly("sluice: config file not found: " + missing);
  }
}
