package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command's own run: everything embedded, 115 objects, 50 per 2 s tick. */
class ServerlessLocalRunTest {

  @Test
  void run_115ObjectsWithLimit50Every2s_endsWithInvocationsPerTick50_50_15() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ServerlessLocalSettings settings =
        ServerlessLocalSettings.defaults().withLoad(115, 50, Duration.ofSeconds(2));

    int code =
        new ServerlessLocalRun(
                settings,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC())
            .run();

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    assertThat(lines).last().isEqualTo("invocations per tick: 50 50 15");
    assertThat(lines).contains("released per tick (the scheduler's reports): 50 50 15");
  }
}
