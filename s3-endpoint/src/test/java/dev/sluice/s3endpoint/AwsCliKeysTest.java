package dev.sluice.s3endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ObjectEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI v2 ({@code /usr/bin/aws}) copies files to keys a file system cannot take as
 * plain paths, lists them and reads them back: each is its own object under its own name.
 */
class AwsCliKeysTest {
  private static final Path AWS = Path.of("/usr/bin/aws");
  private static final String BUCKET = "incoming";

  private static final List<String> KEYS =
      List.of(
          "k".repeat(1024),
          "dots/../up.txt",
          "n1/../sibling.txt",
          "sibling.txt",
          "a/./b.txt",
          "double//slash.txt",
          "100% sure/ünï cødé.txt");

  @TempDir Path dir;

  private record Run(int exitCode, String stdout, String stderr) {}

  @Test
  void awsS3CpAndLs_ofTrickyKeys_storeListAndReadEachUnderItsOwnName() throws Exception {
    // A test that cannot run fails: .ci/run installs the Debian awscli package.
    assertThat(Files.isExecutable(AWS))
        .as("AWS CLI v2 not found at /usr/bin/aws (Debian package awscli)")
        .isTrue();
    RecordingSink sink = new RecordingSink();
    try (EmbeddedS3Endpoint s3 =
        EmbeddedS3Endpoint.start(
            EmbeddedS3Config.anonymous(dir.resolve("data"), List.of(BUCKET)), sink)) {
      for (int i = 0; i < KEYS.size(); i++) {
        Path file = dir.resolve("file-" + i);
        Files.writeString(file, "body of " + KEYS.get(i));
        Run copy = aws(s3, "s3", "cp", file.toString(), "s3://" + BUCKET + "/" + KEYS.get(i));
        assertThat(copy.exitCode()).as("aws s3 cp to %s: %s", KEYS.get(i), copy.stderr()).isZero();
      }

      Run list = aws(s3, "s3", "ls", "s3://" + BUCKET + "/", "--recursive");
      assertThat(list.exitCode()).as("aws s3 ls: %s", list.stderr()).isZero();
      // "2026-11-25 18:00:00         42 key": the key is everything after the size.
      assertThat(list.stdout().lines().map(l -> l.replaceFirst("^\\S+\\s+\\S+\\s+\\d+\\s", "")))
          .containsExactlyInAnyOrderElementsOf(KEYS);
      for (String key : KEYS) {
        Run read = aws(s3, "s3", "cp", "s3://" + BUCKET + "/" + key, "-");
        assertThat(read.exitCode()).as("aws s3 cp from %s: %s", key, read.stderr()).isZero();
        assertThat(read.stdout()).isEqualTo("body of " + key);
      }
      assertThat(sink.accepted()).extracting(ObjectEvent::key).containsExactlyElementsOf(KEYS);
    }
  }

  private Run aws(EmbeddedS3Endpoint s3, String... args) throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve("aws-home"));
    Files.writeString(home.resolve("config"), "[default]\ns3 =\n    addressing_style = path\n");
    List<String> command = new ArrayList<>(List.of(AWS.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--endpoint-url", s3.endpoint().toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.put("HOME", home.toString());
    env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
    env.put("AWS_ACCESS_KEY_ID", "dummy-access");
    env.put("AWS_SECRET_ACCESS_KEY", "dummy-secret");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_PAGER", "");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    // Few attempts: a 500 would otherwise be retried for a long time before the test sees it.
    env.put("AWS_MAX_ATTEMPTS", "2");
    Path out = home.resolve("stdout");
    Path err = home.resolve("stderr");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("aws " + String.join(" ", args) + " still running after 60 s");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
