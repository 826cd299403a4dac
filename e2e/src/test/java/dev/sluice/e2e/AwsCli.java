package dev.sluice.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real AWS CLI v2 ({@code /usr/bin/aws}, Debian package {@code awscli}) pointed at a local S3
 * endpoint, with its own HOME and config in a temporary directory so nothing of the user's AWS
 * setup (profiles, credentials, region) leaks in.
 */
final class AwsCli {
  static final Path BINARY = Path.of("/usr/bin/aws");

  /** What one run printed and how it ended. */
  record Run(int exitCode, String stdout, String stderr) {}

  private final Path home;
  private final URI endpoint;
  private final String accessKey;
  private final String secretKey;

  /**
   * @param home an empty directory for HOME and the CLI's config
   */
  AwsCli(Path home, URI endpoint, String accessKey, String secretKey) {
    this.home = home;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    try {
      Files.createDirectories(home);
      // Path-style: the endpoint is an IP address, so bucket names cannot go in the host name.
      Files.writeString(home.resolve("config"), "[default]\ns3 =\n    addressing_style = path\n");
      Files.writeString(home.resolve("credentials"), "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the AWS CLI config under " + home, e);
    }
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** {@code aws <args> --endpoint-url <endpoint>}, waiting up to {@code timeoutSeconds}. */
  Run run(long timeoutSeconds, String... args) {
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(List.of(args));
    command.add("--endpoint-url");
    command.add(endpoint.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("HOME", home.toString());
    env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
    env.put("AWS_ACCESS_KEY_ID", accessKey);
    env.put("AWS_SECRET_ACCESS_KEY", secretKey);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_PAGER", "");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    Path out = home.resolve("aws.stdout");
    Path err = home.resolve("aws.stderr");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    try {
      Process p = builder.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "aws " + String.join(" ", args) + " still running after " + timeoutSeconds + " s");
      }
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + BINARY, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while aws ran", e);
    }
  }
}
