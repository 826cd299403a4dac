package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice serve} beyond loopback without credentials refuses with one line. */
class ServeProtectedModeTest {
  @TempDir Path dir;

  @Test
  void serve_whenHttpOnAllInterfacesWithoutCredentials_exitsWithOneLineNamingTheKey()
      throws Exception {
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(
        config,
        "data-dir: "
            + dir.resolve("data")
            + "\nhttp:\n  host: 0.0.0.0\n  port: 0\ns3-endpoint:\n  enabled: false\n");

    CliRun run = CliRun.of("serve", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err())
        .startsWith("sluice: refusing to serve the HTTP API on 0.0.0.0")
        .contains("http.allow-unprotected: true");
    assertThat(dir.resolve("data")).doesNotExist();
  }
}
