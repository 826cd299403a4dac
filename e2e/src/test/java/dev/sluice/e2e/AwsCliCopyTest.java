package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI copies a folder to the embedded S3 endpoint of a real {@code sluice serve}: each
 * object becomes exactly one event whose key is the file's path relative to the folder, whatever
 * characters it holds.
 */
class AwsCliCopyTest {
  private static final String ACCESS_KEY = "AKIDSLUICETEST";
  private static final String SECRET_KEY = "sluice-test-secret-key";

  /** Relative paths with spaces, '+', '%', unicode and nested folders. */
  private static final List<String> FILES =
      List.of(
          "plain.txt",
          "with space.txt",
          "a+b.csv",
          "plus + and space.log",
          "100% done.log",
          "literal%2Fnot-a-slash.txt",
          "percent%20stays.txt",
          "caf\u00e9/\u00fcber/\u65e5\u672c\u8a9e.txt",
          "emoji \ud83d\ude00.png",
          "nested/dir/deeper/file.parquet",
          "nested/dir/sibling (1).json",
          "tilde~eq=amp&semi;hash#.bin",
          "big/multi part.bin");

  /** Over the CLI's 8 MiB multipart threshold: one object from a multipart upload. */
  private static final int BIG_BYTES = 9 * 1024 * 1024;

  @RegisterExtension final ServeProcesses services = new ServeProcesses();

  @Test
  void awsS3CpRecursive_whenFolderHasOddNames_makesOneEventPerObjectWithItsPath(@TempDir Path dir)
      throws IOException {
    // A test that cannot run fails rather than skips: .ci/run installs the Debian awscli package.
    assertThat(AwsCli.installed())
        .as(
            "AWS CLI v2 not found at /usr/bin/aws: install the Debian package awscli"
                + " (.ci/run does); the aws first on PATH may be an older v1")
        .isTrue();
    Path upload = dir.resolve("upload");
    for (String file : FILES) {
      Path path = upload.resolve(file);
      Files.createDirectories(path.getParent());
      if (file.startsWith("big/")) {
        byte[] big = new byte[BIG_BYTES];
        Arrays.fill(big, (byte) 'x');
        Files.write(path, big);
      } else {
        Files.writeString(path, "content of " + file + "\n");
      }
    }
    int apiPort = FreePort.pick();
    int s3Port = FreePort.pick();
    Path config = writeConfig(dir, apiPort, s3Port);
    SluiceClient api = new SluiceClient(apiPort);
    services.track(SluiceServeProcess.start("aws-cli-run", config, dir, api));
    AwsCli aws =
        new AwsCli(
            dir.resolve("aws-home"),
            URI.create("http://127.0.0.1:" + s3Port),
            ACCESS_KEY,
            SECRET_KEY);

    AwsCli.Run copy =
        aws.run(120, "s3", "cp", upload.toString(), "s3://data/", "--recursive", "--no-progress");

    assertThat(copy.exitCode()).as("aws s3 cp: %s %s", copy.stdout(), copy.stderr()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status().get("completed").asInt() >= FILES.size());
    List<String> releasedKeys = api.releases().stream().map(r -> r.get("key").asText()).toList();
    assertThat(releasedKeys)
        .as("one event per object, keyed by its path")
        .containsExactlyInAnyOrderElementsOf(FILES);
    JsonNode status = api.status();
    assertThat(status.get("completed").asInt()).isEqualTo(FILES.size());
    assertThat(status.get("backlog").asInt()).isZero();

    AwsCli.Run list = aws.run(60, "s3", "ls", "s3://data/", "--recursive");
    assertThat(list.exitCode()).as("aws s3 ls: %s", list.stderr()).isZero();
    try (Stream<String> lines = list.stdout().lines()) {
      // "2026-11-25 18:00:00         42 key with spaces": the key is everything after the size.
      assertThat(lines.map(l -> l.replaceFirst("^\\S+\\s+\\S+\\s+\\d+\\s", "")).toList())
          .as("objects the endpoint stored")
          .containsExactlyInAnyOrderElementsOf(FILES);
    }
  }

  private static Path writeConfig(Path dir, int apiPort, int s3Port) throws IOException {
    String yaml =
        "data-dir: "
            + dir.resolve("data")
            + "\n"
            + "http: { host: 127.0.0.1, port: "
            + apiPort
            + " }\n"
            + "s3-endpoint:\n"
            + "  enabled: true\n"
            + "  host: 127.0.0.1\n"
            + "  port: "
            + s3Port
            + "\n"
            + "  buckets: [data]\n"
            + "  access-key: "
            + ACCESS_KEY
            + "\n"
            + "  secret-key: "
            + SECRET_KEY
            + "\n"
            + "limits: {}\n"
            + "target: { type: log }\n";
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
