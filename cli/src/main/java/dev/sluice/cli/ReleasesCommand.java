package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice releases}: export the release log as JSON lines, for audits. */
@Command(name = "releases", description = "Export the release log as JSON lines.")
final class ReleasesCommand implements Runnable {
  @Mixin ServiceUrl service;

  @Option(names = "--since", description = "Only releases at or after this ISO-8601 instant.")
  String since;

  @Override
  public void run() {
    String path =
        "v1/releases"
            + (since == null ? "" : "?since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
    try (InputStream in = service.client().stream(path)) {
      in.transferTo(System.out);
      System.out.flush();
    } catch (IOException e) {
      throw new CliException("reading the release log failed: " + e.getMessage());
    }
  }
}
