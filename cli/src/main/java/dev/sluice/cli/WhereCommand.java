package dev.sluice.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice where BUCKET KEY}: where an object's events stand and when they will start. */
@Command(
    name = "where",
    description = "Show an object's state, its place in the backlog and its forecast start.")
final class WhereCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Parameters(index = "0", paramLabel = "BUCKET", description = "The bucket.")
  String bucket;

  @Parameters(index = "1", paramLabel = "KEY", description = "The object key, decoded.")
  String key;

  @Option(names = "--json", description = "Print the raw JSON.")
  boolean raw;

  @Override
  public void run() {
    String path =
        "v1/events?bucket="
            + URLEncoder.encode(bucket, StandardCharsets.UTF_8)
            + "&key="
            + URLEncoder.encode(key, StandardCharsets.UTF_8);
    String body = service.client().call("GET", path, null);
    if (raw) {
      System.out.println(body);
      return;
    }
    System.out.print(WhereText.render(Json.read(body)));
  }
}
