package dev.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config file of a service under test: its data in {@code dir/data}, its API on a fixed
 * loopback port (a restart must come back on it), no embedded S3 endpoint, the HTTP target.
 */
final class ServeConfigFile {
  private ServeConfigFile() {}

  /**
   * Writes {@code dir/sluice.yaml}.
   *
   * @param limitsYaml the {@code limits:} section, as YAML lines
   * @param lease how long a job may run before it is released again; the kill tests keep it far
   *     above their own length, so only the restart's abandoning of leases can bring a job back
   */
  static Path write(Path dir, int apiPort, URI targetUrl, String limitsYaml, String lease) {
    return write(dir, apiPort, "", targetUrl, limitsYaml, lease);
  }

  /**
   * As {@link #write(Path, int, URI, String, String)}, with more keys of the {@code http:} section.
   *
   * @param httpYaml lines inside {@code http:}, each indented by two spaces
   */
  static Path write(
      Path dir, int apiPort, String httpYaml, URI targetUrl, String limitsYaml, String lease) {
    return write(dir, apiPort, httpYaml, targetUrl, limitsYaml, lease, "");
  }

  /**
   * As {@link #write(Path, int, String, URI, String, String)}, with more top-level sections.
   *
   * @param moreYaml whole top-level sections, e.g. {@link #postgresStore}
   */
  static Path write(
      Path dir,
      int apiPort,
      String httpYaml,
      URI targetUrl,
      String limitsYaml,
      String lease,
      String moreYaml) {
    String yaml =
        "data-dir: "
            + dir.resolve("data")
            + "\n"
            + "http:\n"
            + "  host: 127.0.0.1\n"
            + "  port: "
            + apiPort
            + "\n"
            + httpYaml
            + "s3-endpoint:\n"
            + "  enabled: false\n"
            + limitsYaml
            + "dispatcher:\n"
            + "  lease: "
            + lease
            + "\n"
            + "target:\n"
            + "  type: http\n"
            + "  url: "
            + targetUrl
            + "\n"
            + "  timeout: 10s\n"
            + moreYaml;
    Path file = dir.resolve("sluice.yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /**
   * The {@code store:} section of one node of several sharing a Postgres backlog.
   *
   * @param jdbcUrl the shared database
   * @param nodeId this node's id, kept across its restarts
   * @param gateTerm how long a hold on the gate lasts unless renewed, e.g. {@code 2s}
   */
  static String postgresStore(String jdbcUrl, String nodeId, String gateTerm) {
    return "store:\n"
        + "  backlog: postgres\n"
        + "  postgres:\n"
        + "    url: \""
        + jdbcUrl
        + "\"\n"
        + "    node-id: "
        + nodeId
        + "\n"
        + "    gate-term: "
        + gateTerm
        + "\n";
  }
}
