package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.service.config.DurationText;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice status}: what waits, how fast it goes, when it will be done. */
@Command(
    name = "status",
    description =
        "Show backlog, release rate, in flight, limits, drain forecast, dead letters and sources.")
final class StatusCommand implements Runnable {
  // Clears the terminal and puts the cursor home, so each frame replaces the last.
  private static final String CLEAR = "\033[H\033[2J";

  @Mixin ServiceUrl service;

  @Option(names = "--json", description = "Print the raw JSON.")
  boolean raw;

  @Option(
      names = "--watch",
      arity = "0..1",
      fallbackValue = "1s",
      paramLabel = "INTERVAL",
      description =
          "Refresh every INTERVAL (default 1s) with a progress bar while the backlog drains;"
              + " Ctrl-C stops.")
  String watch;

  @Override
  public void run() {
    if (watch != null) {
      watch(interval(watch));
      return;
    }
    String body = service.client().call("GET", "v1/status", null);
    if (raw) {
      System.out.println(body);
      return;
    }
    System.out.print(StatusText.render(Json.read(body)));
  }

  static Duration interval(String text) {
    Duration d;
    try {
      d = DurationText.parse(text);
    } catch (RuntimeException e) {
      throw new CliException("--watch interval must be " + DurationText.EXPECTED + ", got " + text);
    }
    if (d == null || d.isZero() || d.isNegative()) {
      throw new CliException("--watch interval must be positive, got " + text);
    }
    return d;
  }

  private void watch(Duration every) {
    ApiClient client = service.client();
    JsonNode first = Json.read(client.call("GET", "v1/status", null));
    PrintStream out = System.out;
    while (true) {
      JsonNode now = Json.read(client.call("GET", "v1/status", null));
      out.print(CLEAR + WatchScreen.render(first, now));
      out.flush();
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
